"""A process starts quickly: the URL configuration loads no heavy report library."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "numpy", "openpyxl", "weasyprint", "plotly", "docx", "kaleido")

PROBE = f"""
import json, sys
import django
django.setup()
import casework.urls  # noqa: F401
from django.urls import get_resolver
get_resolver().url_patterns  # noqa: B018  (resolves every include)
print(json.dumps(sorted(name for name in {HEAVY!r} if name in sys.modules)))
"""


def test_it_loads_the_urls_without_heavy_report_libraries():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casework.settings"}
    # A fresh interpreter: this test process has long since imported everything.
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], f"imported when casework.urls loads: {loaded}"

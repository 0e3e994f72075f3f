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


API_PROBE = """
import json, sys
import django
django.setup()
from django.test import Client
from django.urls import reverse
client = Client()
assert client.get("/accounts/login/").status_code == 200  # reverses many names
before = "casework.api.main" in sys.modules
docs = reverse("api:openapi-view")
after_reverse = "casework.api.main" in sys.modules
status = client.get("/api/v1/openapi.json").status_code
print(json.dumps([before, docs, after_reverse, status]))
"""


def test_the_api_routes_load_on_first_use_not_at_start():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casework.settings",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", API_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    before, docs, after_reverse, status = json.loads(result.stdout.strip().splitlines()[-1])
    assert before is False, "the API routes were built before any API use"
    assert (docs, after_reverse, status) == ("/api/v1/docs", True, 200)

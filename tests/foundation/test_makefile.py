"""`make run` sets up quietly: no "uv: not found" when pip puts uv where PATH doesn't look."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FAKE_PYTHON = """#!/bin/sh
# Stands in for "python3 -m pip install --user uv": puts a uv stub in ~/.local/bin.
mkdir -p "$HOME/.local/bin"
printf '#!/bin/sh\\necho "uv-stub $*"\\n' > "$HOME/.local/bin/uv"
chmod +x "$HOME/.local/bin/uv"
"""


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_make_deps_finds_the_uv_that_pip_just_installed_in_the_users_local_bin(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python3"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    env = {"HOME": str(tmp_path), "PATH": f"{bin_dir}:/usr/bin:/bin", "LANG": "C"}
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "deps"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "not found" not in result.stderr + result.stdout
    assert result.returncode == 0, result.stderr
    assert "uv-stub sync --frozen --quiet" in result.stdout
    assert not os.path.exists(ROOT / "uv-stub")

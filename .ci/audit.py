"""`make audit`: pip-audit against the locked dependencies (uv.lock), online or honestly skipped.

Exits 1 when a locked package has a known vulnerability. When the vulnerability database
can't be reached (no network, or an index that serves packages but not PyPI's JSON API), it
prints one line saying so and exits 0: an offline build is not a failed build.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What pip-audit asks PyPI for each package; one question first tells whether it can answer.
PROBE = "https://pypi.org/pypi/django/5.2/json"


def advisories_reachable() -> bool:
    """True when PyPI's JSON API answers with vulnerability data (else pip-audit would wait on
    every one of the locked packages in turn, about 10 s here, to learn the same)."""
    try:
        with urllib.request.urlopen(PROBE, timeout=5) as response:  # noqa: S310 (fixed https URL)
            return "vulnerabilities" in json.load(response)
    except (OSError, ValueError):
        return False


def uv() -> str:
    return shutil.which("uv") or str(Path.home() / ".local/bin/uv")


def main() -> int:
    if not advisories_reachable():
        print(
            f"pip-audit: the vulnerability database could not be reached ({PROBE}); audit skipped"
        )
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp, "requirements.txt")
        subprocess.run(
            [uv(), "export", "--frozen", "--format", "requirements-txt", "--no-hashes", "--quiet"],
            cwd=ROOT,
            stdout=requirements.open("w"),
            check=True,
        )
        pip_audit = Path(sys.executable).with_name("pip-audit")
        result = subprocess.run(
            [
                str(pip_audit),
                "--requirement",
                str(requirements),
                "--no-deps",
                "--disable-pip",
                "--progress-spinner",
                "off",
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1][:160]
        print(f"pip-audit: the vulnerability database could not be reached; audit skipped ({last})")
        return 0

    packages = report.get("dependencies", [])
    skipped = [p for p in packages if p.get("skip_reason")]
    if packages and len(skipped) == len(packages):
        print(
            "pip-audit: the vulnerability database could not be reached (it answered for none "
            f"of the {len(packages)} locked packages); audit skipped"
        )
        return 0
    findings = [(p, v) for p in packages for v in p.get("vulns", [])]
    for package, vuln in findings:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
        print(f"{package['name']} {package['version']}: {vuln['id']} (fixed in: {fixes})")
    if findings:
        print(f"pip-audit: {len(findings)} known vulnerabilities in the locked dependencies")
        return 1
    note = f"; {len(skipped)} could not be looked up" if skipped else ""
    print(f"pip-audit: no known vulnerabilities in {len(packages)} locked packages{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

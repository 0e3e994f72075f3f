"""`make audit` (.ci/audit.py): fails on a finding, says one line when it can't look."""

import importlib.util
import json
import subprocess

import pytest
from django.conf import settings


def load_audit():
    spec = importlib.util.spec_from_file_location("audit", settings.BASE_DIR / ".ci/audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def audit(monkeypatch):
    module = load_audit()

    def answer_with(stdout, stderr=""):
        def fake_run(args, **kwargs):
            if "export" in args:
                return subprocess.CompletedProcess(args, 0)
            return subprocess.CompletedProcess(args, 1, stdout=stdout, stderr=stderr)

        monkeypatch.setattr(module.subprocess, "run", fake_run)
        monkeypatch.setattr(module, "advisories_reachable", lambda: True)
        return module.main()

    return answer_with


@pytest.fixture
def offline(monkeypatch):
    """The probe cannot reach PyPI's JSON API: nothing else is run."""
    module = load_audit()

    def refuse(url, timeout):
        raise OSError("Temporary failure in name resolution")

    def no_run(*args, **kwargs):
        raise AssertionError("pip-audit must not run when its database can't be reached")

    monkeypatch.setattr(module.urllib.request, "urlopen", refuse)
    monkeypatch.setattr(module.subprocess, "run", no_run)
    return module


def test_it_fails_on_a_known_vulnerability(audit, capsys):
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "4.2.0",
                "vulns": [{"id": "PYSEC-1", "fix_versions": ["4.2.1"]}],
            },
            {"name": "pyyaml", "version": "6.0.2", "vulns": []},
        ]
    }
    assert audit(json.dumps(report)) == 1
    assert "django 4.2.0: PYSEC-1 (fixed in: 4.2.1)" in capsys.readouterr().out


def test_it_passes_with_one_line_when_the_database_is_unreachable(audit, capsys):
    assert audit("", stderr="requests.exceptions.ConnectionError: Max retries exceeded") == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "could not be reached" in out[0]


def test_it_asks_pypi_once_and_stops_with_one_line_when_it_cannot_be_reached(offline, capsys):
    assert offline.main() == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "could not be reached" in out[0]


def test_it_passes_with_one_line_when_no_package_could_be_looked_up(audit, capsys):
    report = {"dependencies": [{"name": "django", "version": "5.2", "skip_reason": "not found"}]}
    assert audit(json.dumps(report)) == 0
    assert "could not be reached" in capsys.readouterr().out


def test_it_passes_when_nothing_is_known(audit, capsys):
    report = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
    assert audit(json.dumps(report)) == 0
    assert "no known vulnerabilities in 1 locked packages" in capsys.readouterr().out

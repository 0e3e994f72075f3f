"""`make audit` (.ci/audit.py): fails on a finding, says one line when it can't look."""

import importlib.util
import json
import subprocess

import pytest
from django.conf import settings


@pytest.fixture
def audit(monkeypatch):
    spec = importlib.util.spec_from_file_location("audit", settings.BASE_DIR / ".ci/audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def answer_with(stdout, stderr=""):
        def fake_run(args, **kwargs):
            if "export" in args:
                return subprocess.CompletedProcess(args, 0)
            return subprocess.CompletedProcess(args, 1, stdout=stdout, stderr=stderr)

        monkeypatch.setattr(module.subprocess, "run", fake_run)
        return module.main()

    return answer_with


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


def test_it_passes_with_one_line_when_no_package_could_be_looked_up(audit, capsys):
    report = {"dependencies": [{"name": "django", "version": "5.2", "skip_reason": "not found"}]}
    assert audit(json.dumps(report)) == 0
    assert "could not be reached" in capsys.readouterr().out


def test_it_passes_when_nothing_is_known(audit, capsys):
    report = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
    assert audit(json.dumps(report)) == 0
    assert "no known vulnerabilities in 1 locked packages" in capsys.readouterr().out

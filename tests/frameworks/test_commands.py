"""load_frameworks, export_framework and import_framework."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from frameworks.models import FrameworkVersion
from tests.factories import TINY_FRAMEWORK_YAML
from tests.frameworks.helpers import row_counts, tiny_data, to_yaml


def run(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


@pytest.mark.django_db
def test_load_frameworks_publishes_each_file_and_says_so():
    output = run("load_frameworks")
    assert "case-analysis.yaml: loaded CA 1.0 as version 1 (published)" in output
    assert "success-factors.yaml: loaded SF 1.0 as version 1 (published)" in output
    assert FrameworkVersion.objects.filter(status="published").count() == 2


@pytest.mark.django_db
def test_load_frameworks_twice_creates_nothing_new():
    run("load_frameworks")
    before = row_counts()
    output = run("load_frameworks")
    assert row_counts() == before
    assert "success-factors.yaml: skipped, SF 1.0 is already loaded as version 1" in output
    assert "case-analysis.yaml: skipped" in output


@pytest.mark.django_db
def test_load_frameworks_reads_another_folder_and_stops_on_a_bad_file(tmp_path):
    (tmp_path / "a.yaml").write_text(TINY_FRAMEWORK_YAML, encoding="utf-8")
    data = tiny_data()
    data["framework"]["code"] = "TZ"
    data["scale"].pop(3)
    (tmp_path / "b.yaml").write_text(to_yaml(data), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("load_frameworks", path=str(tmp_path))
    assert "b.yaml" in str(caught.value)
    assert "scale values must be contiguous: missing 3" in str(caught.value)
    # a.yaml came first (sorted) and stays loaded; nothing of b.yaml was written.
    assert list(FrameworkVersion.objects.values_list("framework__code", flat=True)) == ["TY"]


@pytest.mark.django_db
def test_export_writes_the_latest_published_version_to_stdout(frameworks):
    output = run("export_framework", "SF")
    assert output.startswith("framework:\n  code: SF\n")
    assert "label: '1.0'" in output


@pytest.mark.django_db
def test_export_picks_a_version_and_a_format(frameworks, tmp_path):
    run("import_framework", str(_write(tmp_path, "tiny.yaml", TINY_FRAMEWORK_YAML)))
    target = tmp_path / "out.json"
    run("export_framework", "TY", "--version", "1", "--format", "json", "--output", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["framework"]["code"] == "TY"
    assert [d["code"] for d in data["dimensions"]] == ["TY-D1", "TY-D2"]


@pytest.mark.django_db
def test_export_without_a_published_version_explains_itself(tmp_path):
    run("import_framework", str(_write(tmp_path, "tiny.yaml", TINY_FRAMEWORK_YAML)))
    with pytest.raises(CommandError, match="TY has no published version; pass --version"):
        run("export_framework", "TY")
    with pytest.raises(CommandError, match="TY has no version 9"):
        run("export_framework", "TY", "--version", "9")


@pytest.mark.django_db
def test_import_creates_a_draft_and_prints_its_number(frameworks, tmp_path):
    exported = run("export_framework", "SF")
    output = run("import_framework", str(_write(tmp_path, "sf.yaml", exported)))
    assert output.strip() == "Imported SF 1.0 as draft version 2"
    draft = FrameworkVersion.objects.get(framework__code="SF", number=2)
    assert draft.status == FrameworkVersion.Status.DRAFT
    assert draft.parent == frameworks["SF"]


@pytest.mark.django_db
def test_import_errors_exit_non_zero_with_the_messages_and_write_nothing(tmp_path):
    data = tiny_data()
    data["dimensions"][0]["items"][0]["weight"] = 0
    data["dimensions"][0]["items"][0]["wieght"] = 1
    before = row_counts()
    with pytest.raises(CommandError) as caught:
        run("import_framework", str(_write(tmp_path, "bad.yaml", to_yaml(data))))
    message = str(caught.value)
    assert "dimensions[0].items[0] (TY-D1.1): weight must be greater than 0" in message
    assert "dimensions[0].items[0] (TY-D1.1): unknown key 'wieght'" in message
    assert row_counts() == before


@pytest.mark.django_db
def test_import_refuses_an_oversized_file(tmp_path, settings):
    settings.FRAMEWORK_IMPORT_MAX_BYTES = 100
    with pytest.raises(CommandError, match="The file is too large"):
        run("import_framework", str(_write(tmp_path, "big.yaml", TINY_FRAMEWORK_YAML)))


@pytest.mark.django_db
def test_import_of_a_missing_file_fails_cleanly(tmp_path):
    with pytest.raises(CommandError, match="Can't read"):
        run("import_framework", str(tmp_path / "nope.yaml"))


def test_commands_exit_with_status_one_on_errors(tmp_path):
    """Through manage.py, as an admin would run it: non-zero exit and the message on stderr."""
    import subprocess
    import sys

    from django.conf import settings

    bad = _write(tmp_path, "bad.yaml", "framework: [")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_framework", str(bad), "--skip-checks"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "LANGUAGE_CODE": "en",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        timeout=60,
    )
    assert result.returncode == 1
    assert "bad.yaml" in result.stderr
    assert "not valid YAML" in result.stderr


def _write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path

"""Redacted copies: the people who worked on a case become Person A, B…, everywhere in the report."""

import io

import pytest
from django.utils import translation

from casework.jobs import services
from casework.jobs.renderers import Target
from casework.models import Comment
from casework.redaction import Redactor, names_for_case, person_names
from tests import factories
from tests.reports.conftest import build_scored_assessment


def test_each_person_gets_one_pseudonym_for_all_their_names():
    with translation.override("en"):
        redactor = Redactor([["陈思远", "chen@example.org"], ["周敏"]])
        text = "陈思远 (CHEN@example.org) reviewed it with 周敏; 陈思远 agreed."
        assert (
            redactor.text(text) == "Person A (Person A) reviewed it with Person B; Person A agreed."
        )


def test_longer_names_win_and_too_short_ones_are_left_alone():
    with translation.override("en"):
        redactor = Redactor([["王建国", "王"], ["Li", "Li Na"]])
    assert redactor.text("王建国和王局") == "Person A和王局"  # one character is no name
    assert redactor.text("Li Na saw the light") == "Person B saw the light"


def test_it_walks_nested_report_data_and_leaves_numbers_alone():
    with translation.override("en"):
        redactor = Redactor([["陈思远"]])
        data = {"analyst": "陈思远", "rows": [("陈思远 wrote", 3.5)], "n": 4, "none": None}
        assert redactor.walk(data) == {
            "analyst": "Person A",
            "rows": [("Person A wrote", 3.5)],
            "n": 4,
            "none": None,
        }


def test_a_user_without_a_name_is_known_by_their_user_name(db):
    user = factories.make_user("zhangsan")
    assert "zhangsan" in person_names(user)


@pytest.fixture
def scored_assessment(alice_case, tiny_version, alice):
    return build_scored_assessment(case=alice_case, version=tiny_version, user=alice)


def test_the_case_names_everyone_of_its_unit_and_every_commenter_but_no_one_else(
    alice,
    bob,
    charlie,
    scored_assessment,  # noqa: F811
):
    Comment.objects.create(assessment=scored_assessment, author=bob, body="请补充证据。")
    names = {name for person in names_for_case(scored_assessment.case) for name in person}
    assert {"alice", "bob"} <= {n.split("@")[0] for n in names}
    assert not any("charlie" in name for name in names)


@pytest.fixture
def report_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


@pytest.mark.django_db
def test_the_redacted_pdf_names_no_one_and_says_it_is_redacted(
    scored_assessment,
    alice,
    bob,
    report_files,  # noqa: F811
):
    from pypdf import PdfReader

    from casework.reports.static_charts import engine_available

    if not engine_available():
        pytest.skip("needs Chromium for the charts")
    alice.first_name, alice.last_name = "思远", "陈"
    alice.save()
    scored_assessment.answers.filter(criterion__code="TF-D1.1").update(
        evidence="陈思远 visited the office with the vendor."
    )
    job = services.report_job_request(
        user=bob,
        kind="rpdf",
        target=Target(case=scored_assessment.case, assessment=scored_assessment),
        language="en",
    )
    assert job.status == job.Status.DONE, job.error
    assert job.file_name.endswith(".pdf")
    data = (report_files / job.file_name).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Redacted copy" in text
    assert "陈思远" not in text and "alice" not in text.lower()
    assert "Person A visited the office" in text
    assert "陈思远" not in (reader.metadata.author or "")

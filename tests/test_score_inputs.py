"""Specs for the one adapter from stored answers to the scorer: the reports and the stored
scores (the case list, the portfolio) read an answer, and a version's scale, alike."""

import pytest

from casework.models import Answer, Assessment, ScoreSnapshot
from casework.reports.context import assessment_context
from casework.score_inputs import ANSWER_FIELDS, answer_row, scale_of
from casework.scoring import Scale, to_percent
from casework.services.assessments import assessment_start, assessment_touch
from frameworks.models import FrameworkVersion, ScaleLevel
from tests import factories


def test_a_version_scale_runs_from_its_lowest_to_its_highest_level():
    assert scale_of([1, 4, 2, 3]) == Scale(min=1, max=4)


def test_a_version_without_two_levels_falls_back_to_the_scorers_default_scale():
    assert scale_of([]) == Scale()
    assert scale_of([3]) == Scale()


def _version_without_a_scale():
    """The tiny framework with its scale levels removed before publishing (as no import allows)."""
    version = factories.make_tiny_framework(code="NS", publish=False)
    ScaleLevel.objects.filter(version=version).delete()
    version.status = FrameworkVersion.Status.PUBLISHED
    version.save()
    return version


def _answer(assessment, code, **fields):
    Answer.objects.filter(assessment=assessment, criterion__code=code).update(**fields)


@pytest.mark.django_db
def test_a_report_and_the_stored_scores_agree_on_a_version_without_a_scale(alice, alice_case):
    assessment = assessment_start(case=alice_case, version=_version_without_a_scale(), user=alice)
    _answer(assessment, "NS-D1.1", not_applicable=True, na_reason="不适用")
    _answer(assessment, "NS-D1.3", observation="present")
    _answer(assessment, "NS-D2.1", level=3)
    assessment_touch(assessment_id=assessment.pk)

    stored = ScoreSnapshot.objects.get(assessment=assessment)
    report = assessment_context(Assessment.objects.get(pk=assessment.pk))

    # Scored on the default 0..5 scale in both: D2 = 3/5, D1 has no rated item.
    assert stored.overall == pytest.approx(0.6)
    assert report["overall"]["score"] == pytest.approx(stored.overall)
    assert report["overall"]["band"] == stored.band == 3
    assert report["counts"]["answered"] == stored.answered == 2
    assert report["counts"]["not_applicable"] == stored.not_applicable == 1
    assert report["counts"]["completeness_percent"] == to_percent(stored.completeness) == 66.7
    by_code = {d["code"]: d["score"] for d in report["dimensions"]}
    assert by_code == stored.dimensions == {"NS-D1": None, "NS-D2": pytest.approx(0.6)}
    assert (report["scale"]["min"], report["scale"]["max"]) == (0, 5)


@pytest.mark.django_db
def test_an_answer_row_reads_the_fields_the_stored_scores_query(alice, alice_case, tiny_version):
    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    _answer(assessment, "TF-D1.1", level=4, confidence="high")
    answer = Answer.objects.select_related("criterion__dimension").get(
        assessment=assessment, criterion__code="TF-D1.1"
    )

    queried = Answer.objects.filter(pk=answer.pk).values_list(*ANSWER_FIELDS).get()
    assert answer_row(answer) == queried

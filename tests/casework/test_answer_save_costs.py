"""What one saved answer costs, and that the short way gives what the long way would."""

import pytest
from django.urls import reverse

from casework import readmodel
from casework.models import Answer, CaseSource, ScoreSnapshot, SnapshotScore
from casework.search.models import SearchEntry
from casework.search.services import search_index_assessment
from casework.services.answers import answer_save
from casework.services.assessments import assessment_start
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


def framework(items: int):
    return factories.make_tiny_framework(
        f"C{items}",
        dimensions=(
            (
                "D1",
                1,
                [(f"D1.{i}", "scored", 1) for i in range(items)] + [("D1.o", "observation", 1)],
            ),
            ("D2", 2, [(f"D2.{i}", "scored", 2) for i in range(items)]),
        ),
    )


def save(assessment, user, code, **data):
    version = Answer.objects.get(assessment=assessment, criterion__code=code).version
    return answer_save(
        assessment=assessment, criterion_code=code, user=user, data=data, expected_version=version
    )


@pytest.mark.parametrize("items", [3, 30])
def test_an_autosave_runs_a_constant_number_of_queries(
    client, alice, alice_case, django_assert_max_num_queries, items
):
    version = framework(items)
    assessment = assessment_start(case=alice_case, version=version, user=alice)
    CaseSource.objects.create(case=alice_case, title="来源")
    code = f"C{items}-D1.0"
    client.force_login(alice)
    client.get(reverse("wizard_step", args=[assessment.pk, 1]))  # warm the session
    url = reverse("wizard_answer_save", args=[assessment.pk, code])
    # The request's user and assessment, the card (answer, sources); in the transaction the
    # locks, the write and its history entry, the revision, the scores (answers, snapshot,
    # score rows) and the answer's search entry; then the progress and what is left.
    with django_assert_max_num_queries(20):
        response = client.post(
            url, {f"{code}-version": 0, f"{code}-level": "3", f"{code}-evidence": "依据"}, **HTMX
        )
    assert response.status_code == 200


def test_the_stored_scores_are_those_a_full_refresh_writes(alice, alice_case):
    assessment = assessment_start(case=alice_case, version=framework(3), user=alice)
    save(assessment, alice, "C3-D1.0", level=4, confidence="high")
    save(assessment, alice, "C3-D1.1", not_applicable=True, na_reason="不适用")
    save(assessment, alice, "C3-D1.o", observation="present")
    save(assessment, alice, "C3-D2.2", level=1)
    quick = ScoreSnapshot.objects.get(assessment=assessment)
    quick_rows = set(SnapshotScore.objects.filter(snapshot=quick).values_list("code", "tenths"))
    readmodel.scores_refresh(assessment_ids=[assessment.pk])
    full = ScoreSnapshot.objects.get(assessment=assessment)
    assert quick.overall is not None
    for name in readmodel.SNAPSHOT_FIELDS:
        assert getattr(quick, name) == getattr(full, name), name
    assert quick_rows == set(
        SnapshotScore.objects.filter(snapshot=full).values_list("code", "tenths")
    )


def test_the_search_entry_follows_the_answer_as_a_full_reindex_would(alice, alice_case):
    assessment = assessment_start(case=alice_case, version=framework(3), user=alice)
    answer = save(assessment, alice, "C3-D1.1", level=2, evidence="窗口合并为一网通办")
    entry = SearchEntry.objects.get(kind="answer", object_id=answer.pk)
    assert entry.item_code == "C3-D1.1" and entry.dimension_code == "C3-D1"
    assert "一网通办" in entry.body
    assert search_index_assessment(assessment_id=assessment.pk) == 0  # nothing left to write
    save(assessment, alice, "C3-D1.1", evidence="")
    assert not SearchEntry.objects.filter(kind="answer", object_id=answer.pk).exists()
    assert search_index_assessment(assessment_id=assessment.pk) == 0


def test_each_save_leaves_one_history_entry_by_its_author(alice, alice_case):
    assessment = assessment_start(case=alice_case, version=framework(3), user=alice)
    save(assessment, alice, "C3-D1.0", level=2)
    answer = save(assessment, alice, "C3-D1.0", level=3, evidence="证据")
    records = list(answer.history.order_by("history_date", "history_id"))
    assert [(r.level, r.evidence, r.version, r.history_user) for r in records] == [
        (2, "", 1, alice),
        (3, "证据", 2, alice),
    ]
    assert all(r.history_type == "~" for r in records)
    stored = Answer.objects.get(pk=answer.pk)
    assert (stored.level, stored.evidence, stored.version, stored.updated_by) == (
        3,
        "证据",
        2,
        alice,
    )

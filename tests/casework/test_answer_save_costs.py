"""What one saved answer costs, and that the short way gives what the long way would."""

import pytest
from django.urls import reverse

from casework import readmodel
from casework.models import Answer, Assessment, CaseSource, ScoreSnapshot, SnapshotScore
from casework.search.models import SearchEntry
from casework.search.services import search_index_assessment
from casework.services.answers import answer_save
from casework.services.assessments import assessment_start
from frameworks.structure import version_structure
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
    # 15: the session, user and membership, the assessment, the card (answer, sources); in the
    # transaction (a savepoint here, counted twice) the lock that bumps the revision, the
    # answers (which also give the progress and what is left afterwards), the write and its
    # history entry, the snapshot and its score rows, the answer's search entry.
    with django_assert_max_num_queries(15):
        response = client.post(
            url, {f"{code}-version": 0, f"{code}-level": "3", f"{code}-evidence": "依据"}, **HTMX
        )
    assert response.status_code == 200


def test_the_service_writes_in_a_fixed_number_of_statements(
    alice, alice_case, django_assert_num_queries
):
    assessment = assessment_start(case=alice_case, version=framework(30), user=alice)
    version_structure(assessment.version_id)  # kept per process from here on
    # The lock (which bumps the revision), the answers, the write, its history entry, the
    # snapshot, its score rows and the search entry, between the savepoint and its release.
    with django_assert_num_queries(9):
        answer_save(
            assessment=assessment,
            criterion_code="C30-D1.0",
            user=alice,
            data={"level": 3, "evidence": "依据"},
            expected_version=0,
        )
    # A save that leaves the answer's text alone leaves its search entry alone.
    version = 1
    with django_assert_num_queries(8):
        answer_save(
            assessment=assessment,
            criterion_code="C30-D1.0",
            user=alice,
            data={"level": 4},
            expected_version=version,
        )
    assert search_index_assessment(assessment_id=assessment.pk) == 0
    revision = Assessment.objects.get(pk=assessment.pk).revision
    # Nothing changed: the lock and the answers, then the bump rolled back (to the savepoint).
    with django_assert_num_queries(5):
        answer = answer_save(
            assessment=assessment,
            criterion_code="C30-D1.0",
            user=alice,
            data={"level": 4},
            expected_version=version + 1,
        )
    assert answer.version == version + 1
    assert Assessment.objects.get(pk=assessment.pk).revision == revision
    assert not readmodel.stale_assessments().filter(pk=assessment.pk).exists()


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


@pytest.mark.parametrize(
    "data",
    [
        {"level": 3, "evidence": "依据"},
        {"level": 2},
        {"not_applicable": True, "na_reason": "不涉及"},
        {"level": 4, "evidence": "依据", "not_applicable": False},
    ],
)
def test_a_save_carries_the_progress_a_fresh_read_gives(alice, alice_case, data):
    """What the autosave shows of the progress and what is left after a save comes from the
    save's own read, under the assessment's lock: the same as reading it after the commit."""
    assessment = assessment_start(case=alice_case, version=framework(3), user=alice)
    save(assessment, alice, "C3-D2.0", level=1, evidence="先前")
    save(assessment, alice, "C3-D1.o", observation="present")
    answer = save(assessment, alice, "C3-D1.0", **data)
    assert readmodel.progress_and_open_items(
        assessment.pk, answers=answer.gap_rows
    ) == readmodel.progress_and_open_items(assessment.pk)
    unchanged = save(assessment, alice, "C3-D1.0", **data)  # nothing to write
    assert readmodel.progress_and_open_items(
        assessment.pk, answers=unchanged.gap_rows
    ) == readmodel.progress_and_open_items(assessment.pk)

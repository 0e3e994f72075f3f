"""Assessment lifecycle services: review workflow, comments, new rounds, version moves."""

from datetime import date

import pytest

from casework.models import Answer, Comment, Goal, Indicator, Phase, Risk, Stakeholder
from casework.services import assessments as services
from casework.services import rounds as round_services
from casework.services.errors import ServiceError, WorkflowError
from frameworks.models import Criterion, ScaleLevel
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(alice, alice_case, tiny_version):
    return services.assessment_start(case=alice_case, version=tiny_version, user=alice)


def answer(assessment, code, **fields):
    Answer.objects.filter(assessment=assessment, criterion__code=code).update(**fields)


def test_submit_moves_a_draft_to_submitted_and_records_who_and_when(draft, alice):
    before = draft.revision
    services.assessment_submit(assessment=draft, user=alice)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.submitted_by == alice
    assert draft.submitted_at is not None
    assert draft.revision == before + 1
    assert list(draft.comments.values_list("kind", "author")) == [("submitted", alice.pk)]


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_submit_refuses_a_submitted_or_approved_assessment(draft, alice, status):
    draft.status = status
    draft.save()
    with pytest.raises(WorkflowError):
        services.assessment_submit(assessment=draft, user=alice)
    assert not draft.comments.exists()


def test_return_needs_a_comment(draft, alice, bob):
    services.assessment_submit(assessment=draft, user=alice)
    with pytest.raises(WorkflowError):
        services.assessment_return(assessment=draft, user=bob, comment="   ")
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_return_sends_back_with_the_comment_and_can_be_resubmitted(draft, alice, bob):
    services.assessment_submit(assessment=draft, user=alice)
    services.assessment_return(assessment=draft, user=bob, comment="请补充证据来源。")
    draft.refresh_from_db()
    assert draft.status == "returned"
    assert draft.reviewed_by == bob and draft.reviewed_at is not None
    assert draft.comments.get(kind="returned").body == "请补充证据来源。"
    services.assessment_submit(assessment=draft, user=alice)
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_approve_finalises_a_submitted_assessment(draft, alice, bob):
    services.assessment_submit(assessment=draft, user=alice)
    services.assessment_approve(assessment=draft, user=bob, comment="")
    draft.refresh_from_db()
    assert draft.status == "approved"
    assert draft.reviewed_by == bob
    assert list(draft.comments.values_list("kind", flat=True)) == ["submitted", "approved"]


@pytest.mark.parametrize("status", ["draft", "returned", "approved"])
def test_only_submitted_assessments_can_be_approved_or_returned(draft, bob, status):
    draft.status = status
    draft.save()
    with pytest.raises(WorkflowError):
        services.assessment_approve(assessment=draft, user=bob)
    with pytest.raises(WorkflowError):
        services.assessment_return(assessment=draft, user=bob, comment="不行")
    draft.refresh_from_db()
    assert draft.status == status


def test_a_stale_status_in_memory_does_not_allow_a_second_approval(draft, alice, bob):
    services.assessment_submit(assessment=draft, user=alice)
    stale = type(draft).objects.get(pk=draft.pk)
    services.assessment_approve(assessment=draft, user=bob)
    with pytest.raises(WorkflowError):
        services.assessment_return(assessment=stale, user=bob, comment="晚了")


def test_comments_on_the_assessment_and_on_one_item(draft, bob):
    item = Criterion.objects.get(version=draft.version, code="TF-D1.1")
    services.comment_add(assessment=draft, user=bob, body="总体不错")
    services.comment_add(assessment=draft, user=bob, body="证据不足", criterion=item)
    assert list(draft.comments.values_list("body", "criterion__code", "kind")) == [
        ("总体不错", None, "note"),
        ("证据不足", "TF-D1.1", "note"),
    ]


def test_comment_must_not_be_empty_or_about_another_versions_item(draft, bob):
    other = factories.make_tiny_framework("OF")
    with pytest.raises(ServiceError):
        services.comment_add(assessment=draft, user=bob, body="  ")
    with pytest.raises(ServiceError):
        services.comment_add(assessment=draft, user=bob, body="x", criterion=other.criteria.first())
    assert not Comment.objects.exists()


def fill_registers(assessment, user):
    Goal.objects.create(assessment=assessment, statement="办件时限压缩 50%", specific=True)
    Stakeholder.objects.create(
        assessment=assessment, name="窗口工作人员", group="business_staff", influence=3, interest=4
    )
    Risk.objects.create(
        assessment=assessment,
        category="technology",
        description="接口不稳定",
        likelihood=3,
        impact=4,
    )
    Indicator.objects.create(
        assessment=assessment, family="efficiency", name="平均办理时长", baseline=10, target=5
    )
    Phase.objects.create(
        assessment=assessment,
        name="试点",
        start=date(2024, 1, 1),
        end=date(2024, 6, 30),
        is_pilot=True,
        updated_by=user,
    )


def test_new_round_copies_answers_and_every_register(draft, alice, bob):
    answer(draft, "TF-D1.1", level=3, evidence="窗口数据", confidence="high", citations=[1])
    answer(draft, "TF-D1.3", observation="present")
    fill_registers(draft, alice)
    services.assessment_submit(assessment=draft, user=alice)
    services.assessment_approve(assessment=draft, user=bob)

    second = round_services.assessment_start_round(previous=draft, user=alice)

    assert (second.round, second.status, second.previous, second.version) == (
        2,
        "draft",
        draft,
        draft.version,
    )
    copied = second.answers.get(criterion__code="TF-D1.1")
    assert (copied.level, copied.evidence, copied.confidence, copied.citations) == (
        3,
        "窗口数据",
        "high",
        [1],
    )
    assert second.answers.get(criterion__code="TF-D1.3").observation == "present"
    assert second.answers.count() == 4
    for name in ("goals", "stakeholders", "risks", "indicators", "phases"):
        assert getattr(second, name).count() == 1, name
        assert getattr(draft, name).count() == 1, name
    assert second.phases.get().is_pilot
    assert second.indicators.get().baseline == 10
    # The previous round keeps its own rows.
    assert second.goals.get().pk != draft.goals.get().pk


def test_new_round_needs_a_submitted_or_approved_previous_round(draft, alice):
    with pytest.raises(WorkflowError):
        round_services.assessment_start_round(previous=draft, user=alice)


def test_new_round_only_from_the_latest_round(draft, alice, bob):
    services.assessment_submit(assessment=draft, user=alice)
    second = round_services.assessment_start_round(previous=draft, user=alice)
    assert second.round == 2
    with pytest.raises(WorkflowError):
        round_services.assessment_start_round(previous=draft, user=alice)


def test_new_round_can_move_to_a_newer_published_version(draft, alice, tiny_version):
    answer(draft, "TF-D1.1", level=4)
    services.assessment_submit(assessment=draft, user=alice)
    newer = factories.make_tiny_framework(
        dimensions=(("D1", 1, [("D1.1", "scored", 1), ("D1.9", "scored", 1)]),)
    )
    second = round_services.assessment_start_round(previous=draft, user=alice, version=newer)
    assert second.version == newer
    assert dict(second.answers.values_list("criterion__code", "level")) == {
        "TF-D1.1": 4,
        "TF-D1.9": None,
    }


# --- Version moves -------------------------------------------------------------------------------


@pytest.fixture
def v2(tiny_version):
    """TF v2: D1.1 kept, D1.2 retitled, D1.3 becomes scored, D2.1 dropped, D2.2 new; scale 0–3."""
    version = factories.make_tiny_framework(
        publish=False,
        dimensions=(
            ("D1", 1, [("D1.1", "scored", 2), ("D1.2", "scored", 1), ("D1.3", "scored", 1)]),
            ("D2", 2, [("D2.2", "scored", 1)]),
        ),
    )
    Criterion.objects.filter(version=version, code="TF-D1.2").update(title_en="Item D1.2, reworded")
    ScaleLevel.objects.filter(version=version, value__gt=3).delete()
    version.status = "published"
    version.save()
    return version


def test_version_move_preview_maps_items_by_code(draft, v2):
    answer(draft, "TF-D1.1", level=2, evidence="甲")
    answer(draft, "TF-D1.2", level=5)
    answer(draft, "TF-D1.3", observation="absent")
    answer(draft, "TF-D2.1", level=1, evidence="将丢失")

    preview = round_services.assessment_version_move_preview(assessment=draft, to_version=v2)

    assert [i.code for i in preview.kept] == ["TF-D1.1"]
    changed = {i.code: i.reasons for i in preview.changed}
    assert changed == {"TF-D1.2": ["title", "scale"], "TF-D1.3": ["kind"]}
    assert [(i.code, i.answered) for i in preview.dropped] == [("TF-D2.1", True)]
    assert [i.code for i in preview.new] == ["TF-D2.2"]
    assert [(i.code, i.level_cleared) for i in preview.cleared] == [("TF-D1.2", 5)]
    assert preview.scale_changed
    # A preview changes nothing.
    assert draft.answers.count() == 4
    assert draft.version_id != v2.pk


def test_version_move_carries_answers_over_and_clears_what_no_longer_fits(draft, alice, v2):
    answer(draft, "TF-D1.1", level=2, evidence="甲", confidence="medium")
    answer(draft, "TF-D1.2", level=5, evidence="乙")
    answer(draft, "TF-D1.3", observation="absent", evidence="丙")
    answer(draft, "TF-D2.1", level=1)

    preview = round_services.assessment_version_move(assessment=draft, to_version=v2, user=alice)

    draft.refresh_from_db()
    assert draft.version == v2
    rows = {
        a.criterion.code: (a.level, a.observation, a.evidence)
        for a in draft.answers.select_related("criterion")
    }
    assert rows == {
        "TF-D1.1": (2, "", "甲"),
        "TF-D1.2": (None, "", "乙"),  # level 5 is outside 0–3
        "TF-D1.3": (None, "", "丙"),  # observation → scored: evidence kept only
        "TF-D2.2": (None, "", ""),
    }
    assert {a.criterion.version_id for a in draft.answers.select_related("criterion")} == {v2.pk}
    assert [i.code for i in preview.cleared] == ["TF-D1.2"]


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_version_move_only_for_draft_or_returned(draft, alice, v2, status):
    draft.status = status
    draft.save()
    with pytest.raises(WorkflowError):
        round_services.assessment_version_move(assessment=draft, to_version=v2, user=alice)
    draft.refresh_from_db()
    assert draft.version_id != v2.pk


def test_version_move_refuses_another_frameworks_or_an_unpublished_version(draft, alice):
    other = factories.make_tiny_framework("OF")
    draft_version = factories.make_tiny_framework(publish=False)
    for target in (other, draft_version):
        with pytest.raises(WorkflowError):
            round_services.assessment_version_move(assessment=draft, to_version=target, user=alice)

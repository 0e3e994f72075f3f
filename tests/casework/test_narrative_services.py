"""Conclusions, findings and the action plan: the narrative services."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from casework.models import (
    Action,
    Answer,
    Assessment,
    DimensionFinding,
    Indicator,
    Measurement,
)
from casework.services import assessments as assessment_services
from casework.services import narrative
from casework.services import rounds as round_services
from casework.services.errors import AssessmentLocked, EditConflict
from frameworks.models import Criterion
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(alice, alice_case, tiny_version):
    return assessment_services.assessment_start(case=alice_case, version=tiny_version, user=alice)


def revision(assessment):
    return Assessment.objects.get(pk=assessment.pk).revision


def lock(assessment):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)


def conclude(assessment, user, version=0, **data):
    return narrative.assessment_conclusions_save(
        assessment=assessment, user=user, data=data, expected_version=version
    )


# --- Conclusions ---------------------------------------------------------------------------------


def test_conclusions_are_saved_with_a_new_version_and_revision(draft, alice):
    before = revision(draft)
    conclude(draft, alice, perspective="retrospective", conclusion="总体成功。", lessons="先试点。")
    stored = Assessment.objects.get(pk=draft.pk)
    assert (stored.perspective, stored.conclusion, stored.lessons) == (
        "retrospective",
        "总体成功。",
        "先试点。",
    )
    assert stored.narrative_version == 1
    assert stored.revision == before + 1


def test_an_unchanged_save_keeps_the_version_and_revision(draft, alice):
    conclude(draft, alice, conclusion="同样")
    before = revision(draft)
    again = conclude(draft, alice, version=1, conclusion="同样")
    assert again.narrative_version == 1
    assert revision(draft) == before


def test_a_stale_conclusions_save_is_a_conflict_carrying_the_current_values(draft, alice, ada):
    conclude(draft, alice, conclusion="甲的结论")
    with pytest.raises(EditConflict) as conflict:
        conclude(draft, ada, version=0, conclusion="乙的结论")
    assert conflict.value.current.conclusion == "甲的结论"
    assert Assessment.objects.get(pk=draft.pk).conclusion == "甲的结论"


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"perspective": "sideways"}, "perspective", "ongoing or retrospective"),
        ({"conclusion": "长" * 8001}, "conclusion", "8000"),
        ({"lessons": "长" * 8001}, "lessons", "8000"),
    ],
)
def test_bad_conclusions_are_refused_with_a_clear_message(draft, alice, data, field, words):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        conclude(draft, alice, **data)
    assert words in error.value.message_dict[field][0]
    assert Assessment.objects.get(pk=draft.pk).narrative_version == 0


def test_conclusions_of_a_submitted_assessment_are_locked(draft, alice):
    lock(draft)
    with pytest.raises(AssessmentLocked):
        conclude(draft, alice, conclusion="晚了")


# --- Findings ------------------------------------------------------------------------------------


def find(assessment, user, code="TF-D1", text="", version=0):
    return narrative.finding_save(
        assessment=assessment, dimension_code=code, user=user, text=text, expected_version=version
    )


def test_a_finding_is_saved_per_dimension_with_history_and_revision(draft, alice):
    before = revision(draft)
    saved = find(draft, alice, text="领导重视，但协同不足。")
    find(draft, alice, text="修订后的发现", version=1)
    stored = DimensionFinding.objects.get(assessment=draft, dimension_code="TF-D1")
    assert (saved.version, stored.version, stored.text) == (1, 2, "修订后的发现")
    assert [h.text for h in stored.history.order_by("history_date", "history_id")] == [
        "领导重视，但协同不足。",
        "修订后的发现",
    ]
    assert {h.history_user for h in stored.history.all()} == {alice}
    assert revision(draft) == before + 2


def test_a_stale_finding_save_is_a_conflict(draft, alice, ada):
    find(draft, alice, text="甲")
    with pytest.raises(EditConflict) as conflict:
        find(draft, ada, text="乙")
    assert (conflict.value.current.text, conflict.value.current.version) == ("甲", 1)


def test_a_finding_for_a_dimension_of_another_framework_is_refused(draft, alice):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        find(draft, alice, code="XX-D9", text="无")
    assert "XX-D9" in error.value.message_dict["dimension"][0]
    assert not DimensionFinding.objects.exists()


def test_findings_of_a_submitted_assessment_are_locked(draft, alice):
    lock(draft)
    with pytest.raises(AssessmentLocked):
        find(draft, alice, text="晚了")


# --- Actions -------------------------------------------------------------------------------------


def add(assessment, user, **data):
    data.setdefault("text", "建立数据共享清单")
    return narrative.action_add(assessment=assessment, user=user, data=data)


def test_actions_are_added_in_order_and_bump_the_revision(draft, alice):
    before = revision(draft)
    first = add(draft, alice, owner="数据局", priority="high", due_on="2026-06-30")
    second = add(draft, alice, text="培训窗口人员")
    assert [a.text for a in Action.objects.filter(assessment=draft)] == [
        "建立数据共享清单",
        "培训窗口人员",
    ]
    assert (first.owner, first.priority, first.due_on, first.status) == (
        "数据局",
        "high",
        date(2026, 6, 30),
        "proposed",
    )
    assert second.order > first.order
    assert revision(draft) == before + 2


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"text": "  "}, "text", "Write the action"),
        ({"priority": "urgent"}, "priority", "high, medium or low"),
        ({"status": "forgotten"}, "status", "dropped"),
        ({"due_on": "next week"}, "due_on", "YYYY-MM-DD"),
    ],
)
def test_bad_actions_are_refused_with_a_clear_message(draft, alice, data, field, words):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        add(draft, alice, **data)
    assert words in error.value.message_dict[field][0]
    assert not Action.objects.exists()


def test_an_action_is_edited_and_dropped_with_its_version_checked(draft, alice, ada):
    action = add(draft, alice)
    saved = narrative.action_save(
        assessment=draft,
        action_id=action.pk,
        user=alice,
        data={"status": "dropped", "owner": "办公厅"},
        expected_version=0,
    )
    assert (saved.status, saved.owner, saved.version) == ("dropped", "办公厅", 1)
    with pytest.raises(EditConflict) as conflict:
        narrative.action_save(
            assessment=draft,
            action_id=action.pk,
            user=ada,
            data={"status": "done"},
            expected_version=0,
        )
    assert conflict.value.current.status == "dropped"


def test_an_action_of_another_assessment_cannot_be_saved_or_deleted(draft, alice, tiny_version):
    other_case = factories.make_case(unit=draft.case.unit, owner=alice, title="另一个")
    other = assessment_services.assessment_start(case=other_case, version=tiny_version, user=alice)
    foreign = add(other, alice)
    with pytest.raises(Action.DoesNotExist):
        narrative.action_save(
            assessment=draft, action_id=foreign.pk, user=alice, data={}, expected_version=0
        )
    assert narrative.action_delete(assessment=draft, action_id=foreign.pk, user=alice) is False
    assert Action.objects.filter(pk=foreign.pk).exists()


def test_deleting_twice_is_harmless_and_a_stale_delete_is_a_conflict(draft, alice):
    action = add(draft, alice)
    narrative.action_save(
        assessment=draft, action_id=action.pk, user=alice, data={"owner": "甲"}, expected_version=0
    )
    with pytest.raises(EditConflict):
        narrative.action_delete(
            assessment=draft, action_id=action.pk, user=alice, expected_version=0
        )
    assert narrative.action_delete(
        assessment=draft, action_id=action.pk, user=alice, expected_version=1
    )
    assert not narrative.action_delete(assessment=draft, action_id=action.pk, user=alice)


def test_actions_of_a_submitted_assessment_are_locked(draft, alice):
    action = add(draft, alice)
    lock(draft)
    with pytest.raises(AssessmentLocked):
        add(draft, alice)
    with pytest.raises(AssessmentLocked):
        narrative.action_delete(assessment=draft, action_id=action.pk, user=alice)
    with pytest.raises(AssessmentLocked):
        narrative.action_plan_suggest(assessment=draft, user=alice)


# --- Suggestions from gaps -----------------------------------------------------------------------


def score(assessment, code, **fields):
    Answer.objects.filter(assessment=assessment, criterion__code=code).update(**fields)


def test_suggestions_come_from_the_recommendation_of_each_gap(draft, alice):
    score(draft, "TF-D1.1", level=1)  # well below the midpoint (2.5): high priority
    score(draft, "TF-D1.2", level=2)  # just below: medium
    score(draft, "TF-D2.1", level=4)  # above: no action
    score(draft, "TF-D1.3", observation="absent")  # observations are not scored gaps
    before = revision(draft)
    with translation.override("en"):
        created = narrative.action_plan_suggest(assessment=draft, user=alice)
    assert [(a.criterion.code, a.text, a.priority, a.status) for a in created] == [
        ("TF-D1.1", "Improve D1.1", "high", "proposed"),
        ("TF-D1.2", "Improve D1.2", "medium", "proposed"),
    ]
    assert revision(draft) == before + 1


def test_suggesting_again_skips_gaps_that_have_an_action(draft, alice):
    score(draft, "TF-D1.1", level=0)
    narrative.action_plan_suggest(assessment=draft, user=alice)
    score(draft, "TF-D2.1", level=2)
    before = revision(draft)
    again = narrative.action_plan_suggest(assessment=draft, user=alice)
    assert [a.criterion.code for a in again] == ["TF-D2.1"]
    assert narrative.action_plan_suggest(assessment=draft, user=alice) == []
    assert revision(draft) == before + 1
    assert Action.objects.filter(assessment=draft).count() == 2


def test_not_applicable_and_unanswered_items_are_not_gaps(draft, alice):
    score(draft, "TF-D1.1", not_applicable=True, na_reason="不涉及", level=0)
    assert narrative.action_plan_suggest(assessment=draft, user=alice) == []


def test_a_gap_without_a_recommendation_gets_a_text_naming_the_item(alice, alice_case):
    version = factories.make_tiny_framework("NR", publish=False)
    Criterion.objects.filter(version=version).update(recommendation_zh="", recommendation_en="")
    version.status = "published"
    version.save()
    draft = assessment_services.assessment_start(case=alice_case, version=version, user=alice)
    score(draft, "NR-D1.1", level=0)
    with translation.override("en"):
        (action,) = narrative.action_plan_suggest(assessment=draft, user=alice)
    assert action.text == "Close the gap on: Item D1.1"


# --- New rounds ----------------------------------------------------------------------------------


def approve(assessment, alice, bob):
    assessment_services.assessment_submit(assessment=assessment, user=alice)
    assessment_services.assessment_approve(assessment=assessment, user=bob)


def test_a_new_round_carries_over_the_open_actions_with_their_status(draft, alice, bob):
    score(draft, "TF-D1.1", level=1)
    (suggested,) = narrative.action_plan_suggest(assessment=draft, user=alice)
    agreed = add(draft, alice, text="成立专班", status="agreed", owner="办公厅")
    add(draft, alice, text="已完成的事", status="done")
    add(draft, alice, text="放弃的事", status="dropped")
    conclude(draft, alice, perspective="retrospective", conclusion="第一轮结论")
    approve(draft, alice, bob)

    second = round_services.assessment_start_round(previous=draft, user=alice)

    carried = list(Action.objects.filter(assessment=second).select_related("criterion"))
    assert [(a.text, a.status, a.carried_from_id) for a in carried] == [
        (suggested.text, "proposed", suggested.pk),
        ("成立专班", "agreed", agreed.pk),
    ]
    assert carried[0].criterion.version_id == second.version_id
    assert carried[1].owner == "办公厅"
    assert second.perspective == "retrospective"
    assert second.conclusion == ""  # each round writes its own conclusion
    assert Action.objects.filter(assessment=draft).count() == 4  # the old plan stays as it was


def test_a_new_round_copies_the_dated_measurements_of_each_indicator(draft, alice, bob):
    indicator = Indicator.objects.create(
        assessment=draft, family="service", name="网上可办率", target=Decimal("90")
    )
    Measurement.objects.create(indicator=indicator, measured_on=date(2024, 1, 1), value=40)
    Measurement.objects.create(indicator=indicator, measured_on=date(2025, 1, 1), value=70)
    approve(draft, alice, bob)
    second = round_services.assessment_start_round(previous=draft, user=alice)
    copied = second.indicators.get()
    assert list(copied.measurements.values_list("measured_on", "value")) == [
        (date(2024, 1, 1), Decimal("40")),
        (date(2025, 1, 1), Decimal("70")),
    ]
    assert indicator.measurements.count() == 2


def test_a_version_move_takes_the_actions_to_the_new_items(draft, alice):
    score(draft, "TF-D1.1", level=1)
    score(draft, "TF-D2.1", level=1)
    narrative.action_plan_suggest(assessment=draft, user=alice)
    v2 = factories.make_tiny_framework(
        dimensions=(("D1", 1, [("D1.1", "scored", 1)]), ("D2", 1, [("D2.9", "scored", 1)]))
    )
    round_services.assessment_version_move(assessment=draft, to_version=v2, user=alice)
    actions = {a.text: a.criterion for a in Action.objects.filter(assessment=draft)}
    assert actions["改进 D1.1"].version_id == v2.pk
    assert actions["改进 D2.1"] is None  # the item is gone; the action stays

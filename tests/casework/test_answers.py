"""answer_save: validation, optimistic locking, history, revision."""

import pytest
from django.core.exceptions import ValidationError

from casework.models import Answer, Assessment, CaseSource
from casework.services import answers as answer_services
from casework.services.answers import answer_save
from casework.services.assessments import assessment_start
from casework.services.errors import AssessmentLocked, EditConflict
from tests import factories


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.fixture
def source(alice_case):
    return CaseSource.objects.create(case=alice_case, title="市政府工作报告 2024")


def answer(assessment, code):
    return Answer.objects.get(assessment=assessment, criterion__code=code)


def save(assessment, user, code="TF-D1.1", version=0, **data):
    return answer_save(
        assessment=assessment, criterion_code=code, user=user, data=data, expected_version=version
    )


def test_answer_save_stores_the_values_and_bumps_the_version(assessment, alice, source):
    saved = save(
        assessment,
        alice,
        level=3,
        evidence="一网通办覆盖 80% 事项",
        citations=[source.pk],
        confidence="high",
    )

    stored = answer(assessment, "TF-D1.1")
    assert saved.version == stored.version == 1
    assert (stored.level, stored.evidence, stored.citations, stored.confidence) == (
        3,
        "一网通办覆盖 80% 事项",
        [{"source": source.pk, "locator": "", "quote": ""}],
        "high",
    )
    assert stored.updated_by == alice


def test_answer_save_records_one_history_entry_by_the_user(assessment, alice):
    save(assessment, alice, level=2)
    save(assessment, alice, version=1, level=4)

    records = list(answer(assessment, "TF-D1.1").history.order_by("history_date", "history_id"))
    assert [r.level for r in records] == [2, 4]
    assert {r.history_user for r in records} == {alice}


def test_answer_save_bumps_the_assessment_revision(assessment, alice):
    before = assessment.revision
    save(assessment, alice, level=1)
    assert Assessment.objects.get(pk=assessment.pk).revision == before + 1


def test_an_unchanged_save_keeps_the_version_and_adds_no_history(assessment, alice):
    save(assessment, alice, level=2)
    again = save(assessment, alice, version=1, level=2)
    assert again.version == 1
    assert answer(assessment, "TF-D1.1").history.count() == 1


def test_observation_items_take_present_absent_unknown(assessment, alice):
    save(assessment, alice, code="TF-D1.3", observation="present", note="有公开数据")
    stored = answer(assessment, "TF-D1.3")
    assert (stored.observation, stored.note) == ("present", "有公开数据")


@pytest.mark.parametrize(
    ("code", "data", "field"),
    [
        ("TF-D1.1", {"level": 9}, "level"),
        ("TF-D1.1", {"level": -1}, "level"),
        ("TF-D1.1", {"not_applicable": True, "na_reason": "  "}, "na_reason"),
        ("TF-D1.1", {"observation": "present"}, "observation"),
        ("TF-D1.3", {"level": 2}, "level"),
        ("TF-D1.1", {"confidence": "certain"}, "confidence"),
        ("TF-D1.1", {"citations": [999999]}, "citations"),
    ],
)
def test_bad_data_is_refused_and_nothing_is_written(assessment, alice, code, data, field):
    with pytest.raises(ValidationError) as error:
        save(assessment, alice, code=code, **data)
    assert field in error.value.message_dict
    assert answer(assessment, code).version == 0


def test_a_level_off_the_scale_names_the_scale(assessment, alice):
    with pytest.raises(ValidationError) as error:
        save(assessment, alice, level=9)
    assert "0–5" in error.value.message_dict["level"][0]


def test_evidence_over_the_limit_is_refused(assessment, alice, settings):
    settings.EVIDENCE_MAX_CHARS = 10
    with pytest.raises(ValidationError) as error:
        save(assessment, alice, evidence="证" * 11)
    assert "10" in error.value.message_dict["evidence"][0]
    save(assessment, alice, evidence="证" * 10)


def test_citing_another_cases_source_is_refused(assessment, alice, unit_a):
    other_case = factories.make_case(unit=unit_a, owner=alice, title="另一个案例")
    foreign = CaseSource.objects.create(case=other_case, title="别的来源")
    with pytest.raises(ValidationError) as error:
        save(assessment, alice, citations=[foreign.pk])
    assert "citations" in error.value.message_dict


def test_unknown_item_code_is_refused(assessment, alice):
    with pytest.raises(ValidationError) as error:
        save(assessment, alice, code="NOPE-1", level=1)
    assert "NOPE-1" in error.value.message_dict["criterion"][0]


def test_item_of_another_framework_is_refused_with_a_clear_error(assessment, alice):
    factories.make_tiny_framework("XF")
    with pytest.raises(ValidationError) as error:
        save(assessment, alice, code="XF-D1.1", level=1)
    message = error.value.message_dict["criterion"][0]
    assert "XF-D1.1" in message and "TF" in message


def test_a_stale_version_raises_a_conflict_carrying_the_current_answer(assessment, alice, charlie):
    save(assessment, alice, level=2, evidence="first")
    with pytest.raises(EditConflict) as conflict:
        save(assessment, alice, version=0, level=5)
    assert conflict.value.current.level == 2
    assert conflict.value.current.version == 1
    assert answer(assessment, "TF-D1.1").level == 2


def test_a_save_that_loses_the_race_after_reading_is_a_conflict(assessment, alice, monkeypatch):
    # Someone commits between our read and our conditional UPDATE: the UPDATE must find no row.
    real_clean = answer_services.clean_answer_data

    def clean_then_race(**kwargs):
        Answer.objects.filter(pk=answer(assessment, "TF-D1.1").pk).update(version=7, level=1)
        return real_clean(**kwargs)

    monkeypatch.setattr(answer_services, "clean_answer_data", clean_then_race)
    with pytest.raises(EditConflict) as conflict:
        save(assessment, alice, level=4)
    assert (conflict.value.current.version, conflict.value.current.level) == (7, 1)
    assert answer(assessment, "TF-D1.1").level != 4


def test_people_editing_different_items_never_collide(assessment, alice, ada):
    save(assessment, alice, code="TF-D1.1", level=2)
    save(assessment, ada, code="TF-D1.2", level=3)
    assert answer(assessment, "TF-D1.1").level == 2
    assert answer(assessment, "TF-D1.2").level == 3


@pytest.mark.parametrize("status", [Assessment.Status.SUBMITTED, Assessment.Status.APPROVED])
def test_a_submitted_or_approved_assessment_is_locked(assessment, alice, status):
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    with pytest.raises(AssessmentLocked):
        save(assessment, alice, level=1)


def test_a_returned_assessment_can_be_edited_again(assessment, alice):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.RETURNED)
    assert save(assessment, alice, level=1).version == 1

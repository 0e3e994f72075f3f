"""The one versioned save: of two saves from the same version exactly one wins."""

import pytest

from casework.models import Risk
from casework.services.assessments import assessment_start
from casework.services.errors import EditConflict
from casework.services.versioning import lock_versioned, save_versioned


@pytest.fixture
def risk(alice, alice_case, tiny_version):
    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    return Risk.objects.create(
        assessment=assessment, category="technology", description="宕机", likelihood=2, impact=3
    )


def test_a_save_from_the_stored_version_bumps_it_and_records_one_history_entry(risk, bob):
    assert save_versioned(risk, expected_version=0, changes={"likelihood": 4}, user=bob)
    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.version, stored.likelihood, stored.updated_by) == (1, 4, bob)
    assert risk.version == 1
    assert stored.history.latest().history_user == bob


def test_the_second_save_from_the_same_version_loses_with_the_stored_row(risk, alice, bob):
    stale = Risk.objects.get(pk=risk.pk)
    save_versioned(risk, expected_version=0, changes={"impact": 5}, user=alice)
    with pytest.raises(EditConflict) as lost:
        save_versioned(stale, expected_version=0, changes={"impact": 1}, user=bob)
    assert lost.value.current.impact == 5
    assert Risk.objects.get(pk=risk.pk).impact == 5


def test_an_unchanged_save_writes_nothing_unless_asked_to(risk, alice):
    assert not save_versioned(risk, expected_version=0, changes={"impact": 3}, user=alice)
    assert Risk.objects.get(pk=risk.pk).version == 0
    assert save_versioned(
        risk, expected_version=0, changes={"impact": 3}, user=alice, skip_unchanged=False
    )
    assert Risk.objects.get(pk=risk.pk).version == 1


def test_lock_refuses_a_moved_on_row_and_a_missing_one(risk):
    Risk.objects.filter(pk=risk.pk).update(version=3)
    with pytest.raises(EditConflict):
        lock_versioned(Risk.objects.filter(pk=risk.pk), expected_version=2)
    assert lock_versioned(Risk.objects.filter(pk=risk.pk), expected_version=3).pk == risk.pk
    with pytest.raises(Risk.DoesNotExist):
        lock_versioned(Risk.objects.filter(pk=-1), expected_version=0)

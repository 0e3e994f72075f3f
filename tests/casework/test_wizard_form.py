"""The item card's form: it converts what was posted, and holds back an N/A without a reason."""

from casework.forms.wizard import AnswerForm
from frameworks.models import Criterion


def form(tiny_version, **fields):
    criterion = Criterion.objects.get(version=tiny_version, code="TF-D1.1")
    data = {"TF-D1.1-version": "0"}
    data.update({f"TF-D1.1-{name}": value for name, value in fields.items()})
    bound = AnswerForm(data, criterion=criterion)
    assert bound.is_valid(), bound.errors
    return bound


def test_na_without_a_reason_is_pending_and_leaves_the_stored_na_alone(tiny_version):
    bound = form(tiny_version, not_applicable="on", na_reason="  ", evidence="证据", level="2")
    assert bound.na_pending
    data = bound.service_data()
    assert "not_applicable" not in data and "na_reason" not in data
    assert data["evidence"] == "证据" and data["level"] == 2


def test_na_with_its_reason_is_not_pending_and_is_saved(tiny_version):
    bound = form(tiny_version, not_applicable="on", na_reason="省级统一办理")
    assert not bound.na_pending
    assert bound.service_data()["not_applicable"] is True


def test_switching_na_off_is_saved_as_is(tiny_version):
    bound = form(tiny_version, na_reason="")
    assert not bound.na_pending
    assert bound.service_data()["not_applicable"] is False

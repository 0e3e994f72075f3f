"""versioned_write: how a view learns what its one service write earned (no database needed)."""

from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404

from casework.services.errors import AssessmentLocked, EditConflict
from casework.writes import HTTP_LOCKED, posted_int, rebase_version, versioned_write


class NoteForm(forms.Form):
    version = forms.IntegerField()
    text = forms.CharField()


def note_form(**data):
    return NoteForm({"version": "3", "text": "mine", **data})


def never():
    raise AssertionError("the service must not be called")


def raising(error):
    def write():
        raise error

    return write


def test_a_saved_write_is_200_with_what_the_service_returned():
    outcome = versioned_write(lambda: "the row", note_form())
    assert (outcome.status, outcome.saved, outcome.ok) == (200, "the row", True)


def test_a_locked_page_is_423_without_calling_the_service():
    outcome = versioned_write(never, note_form(), editable=False)
    assert outcome.status == HTTP_LOCKED
    assert outcome.message == AssessmentLocked.default_message


def test_an_invalid_form_is_422_without_calling_the_service():
    form = note_form(text="")
    assert versioned_write(never, form).status == 422
    assert "text" in form.errors


def test_the_services_field_errors_land_on_the_form():
    form = note_form()
    error = ValidationError({"text": ["Too vague."], "deadline": ["Not a date."]})
    assert versioned_write(raising(error), form).status == 422
    assert form.errors["text"] == ["Too vague."]
    assert form.non_field_errors() == ["Not a date."]  # the form has no such field


def test_a_service_error_without_fields_is_form_wide():
    form = note_form()
    assert versioned_write(raising(ValidationError("No.")), form).status == 422
    assert form.non_field_errors() == ["No."]


def test_without_a_form_a_validation_error_is_not_swallowed():
    with pytest.raises(ValidationError):
        versioned_write(raising(ValidationError("No.")))


def test_a_conflict_is_409_with_both_values_and_the_form_at_their_version():
    theirs = SimpleNamespace(version=7, text="theirs")
    form = note_form()
    outcome = versioned_write(
        raising(EditConflict(current=theirs)),
        form,
        compare=lambda stored: [{"mine": form.cleaned_data["text"], "theirs": stored.text}],
        rebase="version",
    )
    assert outcome.status == 409
    assert outcome.theirs is theirs
    assert outcome.conflict == [{"mine": "mine", "theirs": "theirs"}]
    assert outcome.message == EditConflict.default_message
    # What was typed stays; saving again names the stored version, so it replaces theirs.
    assert form.data["text"] == "mine"
    assert form.data["version"] == 7


def test_a_lock_from_the_service_is_423_with_its_message():
    outcome = versioned_write(raising(AssessmentLocked("Approved.")), note_form())
    assert (outcome.status, outcome.message) == (HTTP_LOCKED, "Approved.")


def test_a_row_gone_before_the_lock_is_a_404():
    with pytest.raises(Http404):
        versioned_write(raising(ObjectDoesNotExist()), note_form())


def test_rebasing_a_prefixed_form_moves_its_own_version_field():
    form = NoteForm({"row-version": "1", "row-text": "x"}, prefix="row")
    rebase_version(form, None, "version")  # nothing stored yet: version 0
    assert form.data["row-version"] == 0


def test_a_posted_version_that_is_no_number_gives_the_default():
    assert posted_int("4") == 4
    assert posted_int("", default=-1) == -1
    assert posted_int(None) is None

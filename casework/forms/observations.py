"""The observation sweep: one small form per observation item of a step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.bounds import BoundedIntegers
from casework.models import Answer


class ObservationRowForm(BoundedIntegers, forms.Form):
    """One row, prefixed with the item code; the hidden `initial_*` say what the row showed."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    observation = forms.ChoiceField(
        choices=[("", "—"), *Answer.Observation.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose present, absent or unknown.")},
    )
    note = forms.CharField(required=False, strip=False)
    initial_observation = forms.CharField(required=False, widget=forms.HiddenInput)
    initial_note = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    def __init__(self, *args, criterion, **kwargs):
        kwargs.setdefault("prefix", criterion.code)
        super().__init__(*args, **kwargs)
        self.criterion = criterion

    @property
    def note_changed(self) -> bool:
        # Browsers send line breaks as CRLF; a note saved from the card may hold bare LFs.
        data = self.cleaned_data
        return _lines(data["note"]) != _lines(data["initial_note"])

    @property
    def touched(self) -> bool:
        """Whether the analyst changed the row: untouched rows are not saved, even if stale."""
        data = self.cleaned_data
        return data["observation"] != data["initial_observation"] or self.note_changed


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n")

"""The form behind one item card of the wizard: it converts; the answer service validates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.bounds import BoundedIntegers, database_int


class IntListField(forms.Field):
    """Checked checkboxes → a list of ints (which ids are allowed is the service's business)."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        if not value:
            return []
        try:
            return [database_int(v) for v in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(
                _("Cite the case's sources only."), code="invalid"
            ) from None


class AnswerForm(BoundedIntegers, forms.Form):
    """Prefixed with the item code, so that a whole step's cards fit in one plain form."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    SCORED_FIELDS = ("level", "not_applicable", "na_reason", "evidence", "citations", "confidence")
    OBSERVATION_FIELDS = ("observation", "note")

    def __init__(self, *args, criterion, **kwargs):
        kwargs.setdefault("prefix", criterion.code)
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        if criterion.is_scored:
            self.fields["level"] = forms.IntegerField(
                required=False, error_messages={"invalid": _("Choose a level on the scale.")}
            )
            self.fields["not_applicable"] = forms.BooleanField(required=False)
            self.fields["na_reason"] = forms.CharField(required=False)
            self.fields["evidence"] = forms.CharField(required=False, strip=False)
            self.fields["citations"] = IntListField(required=False)
            self.fields["confidence"] = forms.CharField(required=False)
        else:
            self.fields["observation"] = forms.CharField(required=False)
            self.fields["note"] = forms.CharField(required=False, strip=False)

    @property
    def answer_fields(self) -> tuple[str, ...]:
        return self.SCORED_FIELDS if self.criterion.is_scored else self.OBSERVATION_FIELDS

    def service_data(self) -> dict:
        """The cleaned values in the shape `answer_save(data=...)` takes."""
        return {name: self.cleaned_data[name] for name in self.answer_fields}

    def changed_from(self, answer) -> bool:
        """True when the posted values differ from the stored answer (the version aside)."""
        data = self.service_data()
        return any(data[name] != getattr(answer, name) for name in self.answer_fields)

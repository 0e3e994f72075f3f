"""The form behind one item card of the wizard: it converts; the answer service validates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.bounds import BoundedIntegers, database_int
from casework.services.answers import same_value


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

    def citation_input_name(self, kind: str, source_id) -> str:
        """The name of a cited source's page/section (`locator`) or `quote` input."""
        return self.add_prefix(f"{kind}-{source_id}")

    def clean(self):
        cleaned = super().clean()
        if "citations" in cleaned:
            # Each checked source, with the page or section and quote typed beside it.
            cleaned["citations"] = [
                {
                    "source": source_id,
                    "locator": self.data.get(self.citation_input_name("locator", source_id), ""),
                    "quote": self.data.get(self.citation_input_name("quote", source_id), ""),
                }
                for source_id in cleaned["citations"]
            ]
        return cleaned

    @property
    def na_pending(self) -> bool:
        """ "Not applicable" switched on with no reason yet: waiting for the reason, not an error."""
        return bool(
            self.cleaned_data.get("not_applicable")
            and not (self.cleaned_data.get("na_reason") or "").strip()
        )

    def service_data(self) -> dict:
        """The cleaned values in the shape `answer_save(data=...)` takes.

        While N/A waits for its reason, the stored N/A state is left alone: the other fields
        save, and nothing is marked not applicable until the reason is there.
        """
        names = self.answer_fields
        if self.na_pending:
            names = [name for name in names if name not in ("not_applicable", "na_reason")]
        return {name: self.cleaned_data[name] for name in names}

    def changed_from(self, answer) -> bool:
        """True when the posted values differ from the stored answer (the version aside)."""
        data = self.service_data()
        return not all(same_value(name, getattr(answer, name), data[name]) for name in data)

"""Forms for register rows: model forms limited to the fields analysts edit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.bounds import BoundedIntegers
from casework.models import REGISTER_MODELS

REGISTER_FORM_FIELDS = {
    "goals": [
        "statement",
        "owner",
        "deadline",
        "target",
        "specific",
        "measurable",
        "achievable",
        "relevant",
        "time_bound",
    ],
    "stakeholders": ["name", "group", "influence", "interest", "attitude", "approach"],
    "risks": [
        "category",
        "description",
        "likelihood",
        "impact",
        "response",
        "owner",
        "status",
        "outcome",
    ],
    "indicators": ["family", "name", "unit", "baseline", "target", "actual", "higher_is_better"],
    "phases": ["name", "start", "end", "is_pilot", "status"],
}

_NUMBER_MESSAGE = _("Enter a number using digits only, e.g. 85 or 12.5.")
DIRECTION_CHOICES = [("True", _("Higher is better")), ("False", _("Lower is better"))]


def direction_label(higher_is_better: bool) -> str:
    return str(dict(DIRECTION_CHOICES)[str(bool(higher_is_better))])


_ONE_TO_FIVE = [(n, str(n)) for n in range(1, 6)]
# Scores are typed or clicked (a row of 1–5 buttons over radio inputs), never picked from a list.
SCORE_FIELDS = {"stakeholders": ("influence", "interest"), "risks": ("likelihood", "impact")}


class ScoreForm(forms.Form):
    """One score clicked in a register row: the value and the version the row was shown at."""

    value = forms.TypedChoiceField(
        choices=_ONE_TO_FIVE,
        coerce=int,
        error_messages={"invalid_choice": _("Choose a score from 1 to 5.")},
    )
    version = forms.IntegerField(min_value=0)


class RegisterRowForm(BoundedIntegers, forms.ModelForm):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)

    @property
    def register_name(self) -> str:
        return self._meta.model.register_name

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if name in SCORE_FIELDS.get(self.register_name, ()):
                field.widget = widget = forms.RadioSelect(
                    choices=_ONE_TO_FIVE, attrs={"class": "btn-check", "autocomplete": "off"}
                )
                field.error_messages["required"] = _("Choose a score from 1 to 5.")
            if name == "higher_is_better":
                # Which way is good, said in words rather than as a tick box.
                self.fields[name] = field = forms.TypedChoiceField(
                    label=_("Direction"),
                    choices=DIRECTION_CHOICES,
                    coerce=lambda value: value == "True",
                    initial="True",
                )
                widget = field.widget
            if name == "outcome":
                field.help_text = _(
                    "For a risk that occurred: what it did, and how it was handled."
                )
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            elif not isinstance(widget, forms.HiddenInput | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-control form-control-sm")
            if isinstance(widget, forms.Textarea):
                widget.attrs["rows"] = 2
            if isinstance(field, forms.DecimalField):
                # A text box, so that "abc" reaches the server and gets a clear message.
                field.widget = forms.TextInput(
                    attrs={"class": "form-control form-control-sm", "inputmode": "decimal"}
                )
                field.error_messages["invalid"] = _NUMBER_MESSAGE

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date must not be before the start date."))
        return cleaned

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class MeasurementForm(forms.Form):
    """A dated value of an indicator, added on the indicator's row."""

    measured_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
        ),
        error_messages={
            "required": _("Give the measurement a date."),
            "invalid": _("Enter the date as YYYY-MM-DD."),
        },
    )
    value = forms.CharField(
        label=_("Value"),
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "inputmode": "decimal"}
        ),
        error_messages={"required": _("Enter the measured value, e.g. 85 or 12.5.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


def register_form_class(register: str):
    model = REGISTER_MODELS[register]
    date_fields = [f.name for f in model._meta.fields if f.get_internal_type() == "DateField"]
    return forms.modelform_factory(
        model,
        form=RegisterRowForm,
        fields=REGISTER_FORM_FIELDS[register],
        widgets={
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in date_fields
        },
    )

"""Forms of the Conclusions step: they convert; the narrative services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import Action, Assessment


class ConclusionsForm(forms.Form):
    """Perspective, overall conclusion and key lessons: one autosaving card."""

    prefix = "conclusions"
    FIELDS = ("perspective", "conclusion", "lessons")

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    perspective = forms.ChoiceField(
        choices=Assessment.Perspective.choices,
        required=False,
        error_messages={"invalid_choice": _("Choose ongoing or retrospective.")},
    )
    conclusion = forms.CharField(required=False, strip=False)
    lessons = forms.CharField(required=False, strip=False)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    def changed_from(self, assessment) -> bool:
        data = self.service_data()
        return (
            any(
                (data[name] or "").strip() != (getattr(assessment, name) or "").strip()
                for name in ("conclusion", "lessons")
            )
            or (data["perspective"] or assessment.perspective) != assessment.perspective
        )


class FindingForm(forms.Form):
    """The findings paragraph of one dimension, prefixed with the dimension's code."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    text = forms.CharField(required=False, strip=False)

    def __init__(self, *args, dimension_code: str, **kwargs):
        kwargs.setdefault("prefix", f"finding-{dimension_code}")
        super().__init__(*args, **kwargs)

    def changed_from(self, finding) -> bool:
        return (self.cleaned_data["text"] or "").strip() != (finding.text or "").strip()


class ActionForm(forms.Form):
    """One action of the plan; prefixed per action so that several sit on one page."""

    FIELDS = ("text", "owner", "priority", "due_on", "status")

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=_("Action"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
        error_messages={"required": _("Write the action first.")},
    )
    owner = forms.CharField(
        label=_("Owner"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Action.Priority.choices,
        initial=Action.Priority.MEDIUM,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    due_on = forms.DateField(
        label=_("Due"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
        ),
        error_messages={"invalid": _("Enter the due date as YYYY-MM-DD.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Action.Status.choices,
        initial=Action.Status.PROPOSED,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, action: Action | None = None, **kwargs):
        kwargs.setdefault("prefix", f"action-{action.pk}" if action and action.pk else "action-new")
        if action is not None and action.pk and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(action, name) for name in self.FIELDS}
            kwargs["initial"]["version"] = action.version
        super().__init__(*args, **kwargs)

    def mark_invalid(self) -> None:
        """Outline the inputs that have an error (call after the service has added its own)."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

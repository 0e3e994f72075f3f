"""Forms for cases, the case list's filters, and the assessment workflow."""

import re

from django import forms
from django.db import models
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from casework.forms.bounds import BoundedIntegers
from casework.models import Assessment, Case, CaseEvent, CaseSource, Comment, OrgUnit, Sector
from casework.models.fields import text_limit
from casework.sectors import find_sector
from casework.services.cases import EVENT_FIELDS, SOURCE_FIELDS
from frameworks.models import Criterion, FrameworkVersion

# The sector select's value for "a sector typed in the text field".
OTHER = "other"
TAG_SEPARATORS = re.compile(r"[,，、;；]")


class TagsField(forms.CharField):
    """Comma-separated tags (ASCII or full-width commas) ⇄ a list of strings."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        tags = []
        for tag in TAG_SEPARATORS.split(text):
            tag = tag.strip()
            if tag and tag not in tags:
                tags.append(tag)
        return tags

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for tag in value:
            if len(tag) > 40:
                raise forms.ValidationError(
                    _("Keep each tag under 40 characters: “%(tag)s” is too long."),
                    params={"tag": tag[:40] + "…"},
                    code="tag_too_long",
                )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CaseForm(BoundedIntegers, forms.ModelForm):
    tags = TagsField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas, e.g. 一网通办, data sharing"),
    )

    class Meta:
        model = Case
        fields = list(Case.EDITABLE_FIELDS)
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "context": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "context": _(
                "The background a reader needs: the situation before the change, who drove it, "
                "what was at stake. Separate paragraphs with a blank line."
            ),
        }

    # The managed sectors, plus "Other…" for a sector typed in the text field below it.
    sector_ref = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        widget=forms.Select(attrs={"data-sector-select": ""}),
    )
    # The version of the case this form was loaded from: a save from an older one is a conflict.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, choose_unit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
        self._init_sector()
        if choose_unit:
            self.fields["unit"] = forms.ModelChoiceField(
                OrgUnit.objects.all(),
                label=_("Unit"),
                initial=getattr(self.instance, "unit_id", None),
            )
            self.fields["unit"].label_from_instance = lambda unit: unit.name

    def _init_sector(self):
        # Inactive sectors are not offered, except the one this case already has.
        current = self.instance.sector_ref_id
        self.sectors = {
            str(sector.pk): sector
            for sector in Sector.objects.filter(models.Q(active=True) | models.Q(pk=current))
        }
        self.fields["sector_ref"].choices = [
            ("", "—"),
            *[(pk, sector.name) for pk, sector in self.sectors.items()],
            (OTHER, _("Other…")),
        ]
        self.fields["sector_ref"].initial = (
            str(current) if current else (OTHER if self.instance.sector else "")
        )
        other = self.fields["sector"]
        other.label = _("Other sector")
        other.help_text = _("Only when no sector in the list fits.")
        other.widget.attrs["data-sector-other"] = ""

    def _clean_sector(self, cleaned):
        """A listed sector, or typed text (matched to a listed name when it is one), or neither."""
        choice, text = cleaned.get("sector_ref") or "", cleaned.get("sector") or ""
        cleaned["sector_ref"] = None
        if choice and choice != OTHER:
            cleaned["sector_ref"] = self.sectors[choice]
            if text:
                self.add_error(
                    "sector", _("Choose a sector from the list or type another one, not both.")
                )
            return
        if choice == OTHER and not text:
            self.add_error("sector", _("Type the sector, or choose one from the list."))
            return
        listed = find_sector(text)
        if listed is not None:
            cleaned["sector_ref"], cleaned["sector"] = listed, ""

    def clean(self):
        cleaned = super().clean()
        self._clean_sector(cleaned)
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period can't be before its start."))
        return cleaned


class _RowForm(forms.ModelForm):
    """A formset row: small inputs, marked invalid where the row has an error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "DELETE":
                field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class CaseSourceForm(_RowForm):
    class Meta:
        model = CaseSource
        fields = list(SOURCE_FIELDS)
        widgets = {
            "published_on": DateInput(),
            "accessed_on": DateInput(),
            "reference": forms.TextInput(attrs={"placeholder": "https://…"}),
        }

    def clean(self):
        cleaned = super().clean()
        published, accessed = cleaned.get("published_on"), cleaned.get("accessed_on")
        if published and accessed and accessed < published:
            self.add_error(
                "accessed_on", _("The date you read a source can't be before it was published.")
            )
        return cleaned


class CaseEventForm(_RowForm):
    class Meta:
        model = CaseEvent
        fields = list(EVENT_FIELDS)
        widgets = {
            "happened_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 1}),
        }
        error_messages = {"happened_on": {"required": _("Give the event a date.")}}


# Enough blank rows to add several per save without JavaScript; static/js/formset.js adds more.
CaseSourceFormSet = inlineformset_factory(
    Case, CaseSource, form=CaseSourceForm, extra=3, can_delete=True, max_num=50
)
CaseEventFormSet = inlineformset_factory(
    Case, CaseEvent, form=CaseEventForm, extra=3, can_delete=True, max_num=100
)


def _row_changes(formset, names) -> list[dict]:
    changes = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        data = form.cleaned_data
        change = {name: data.get(name) for name in names}
        change.update(id=form.instance.pk, delete=bool(data.get("DELETE")))
        changes.append(change)
    return changes


def source_changes(formset) -> list[dict]:
    """The sources formset's rows as plain dicts for `case_create` / `case_update`."""
    changes = _row_changes(formset, SOURCE_FIELDS)
    for change in changes:
        for name in ("title", "publisher", "reference"):
            change[name] = change[name] or ""
    return changes


def event_changes(formset) -> list[dict]:
    """The timeline formset's rows as plain dicts for `case_create` / `case_update`."""
    changes = _row_changes(formset, EVENT_FIELDS)
    for change in changes:
        change["title"] = change["title"] or ""
        change["description"] = change["description"] or ""
    return changes


class CaseFilterForm(forms.Form):
    SORTS = [
        ("updated", _("Recently updated")),
        ("title", _("Title")),
        ("level", _("Level")),
        ("score", _("Highest score")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))] + list(Assessment.Status.choices),
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any level"))] + list(Case.Level.choices)
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    unit = forms.ModelChoiceField(
        OrgUnit.objects.all(), label=_("Unit"), required=False, empty_label=_("Any unit")
    )
    band = forms.TypedChoiceField(
        label=_("Score band"), required=False, coerce=int, empty_value=None
    )
    archived = forms.BooleanField(label=_("Show archived cases"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args, sectors=(), bands=(), show_unit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("Any sector"))] + list(sectors)
        self.fields["band"].choices = [("", _("Any score"))] + list(bands)
        if show_unit:
            self.fields["unit"].label_from_instance = lambda unit: unit.name
        else:
            del self.fields["unit"]
        for name in ("status", "level", "sector", "unit", "band", "sort"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        """Keyword arguments for `selectors.case_list`; invalid values are ignored."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "status": data.get("status") or "",
            "level": data.get("level") or "",
            "sector": data.get("sector") or "",
            "unit": data.get("unit"),
            "band": data.get("band"),
            "archived": bool(data.get("archived")),
            "sort": data.get("sort") or "updated",
        }


class WorkflowCommentForm(forms.Form):
    """The comment that goes with submit, return or approve."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=text_limit(Comment, "body"),
    )

    def __init__(self, *args, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        if required:
            self.fields["comment"].help_text = _("Required: tell the analyst what needs to change.")
            self.fields["comment"].error_messages["required"] = _(
                "Say what needs to change: returning an assessment needs a comment."
            )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=text_limit(Comment, "body"),
    )
    criterion = forms.ModelChoiceField(
        Criterion.objects.none(),
        label=_("About item"),
        required=False,
        empty_label=_("The whole assessment"),
    )

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        if version is not None:
            self.fields["criterion"].queryset = Criterion.objects.filter(version=version).order_by(
                "dimension__order", "order", "code"
            )
        self.fields["criterion"].label_from_instance = lambda c: f"{c.code} · {c.title}"


class VersionChoiceForm(forms.Form):
    """Pick a published version of the assessment's framework."""

    version = forms.ModelChoiceField(FrameworkVersion.objects.none(), label=_("Framework version"))

    def __init__(self, *args, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if versions is not None:
            self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda v: (
            f"v{v.number} ({v.label}) · {v.get_status_display()}"
        )


def case_conflicts(form: CaseForm, current) -> list[dict]:
    """The fields where the user's input differs from what someone else saved meanwhile."""
    rows = []
    for name in CaseForm.Meta.fields:
        mine, theirs = form.cleaned_data.get(name), getattr(current, name)
        if mine != theirs:
            rows.append({"label": form.fields[name].label, "mine": mine, "theirs": theirs})
    return rows


def rebase_on(form: CaseForm, current) -> None:
    """Make the next submit of this form overwrite `current` deliberately (the user saw both)."""
    form.data = form.data.copy()
    form.data[form.add_prefix("expected_version")] = current.version

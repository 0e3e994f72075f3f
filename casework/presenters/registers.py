"""Register tables as a wizard step shows them: rows, cells, headers and the SMART boxes."""

from dataclasses import dataclass, field
from http import HTTPStatus

from django.utils.translation import gettext as _

from casework import statements
from casework.forms.registers import REGISTER_FORM_FIELDS, direction_label
from casework.indicators import indicator_progress
from casework.models import REGISTER_MODELS, Assessment
from casework.smart import smart_hints
from casework.writes import HTTP_LOCKED, Outcome

SMART_FIELDS = ("specific", "measurable", "achievable", "relevant", "time_bound")


@dataclass
class Row:
    """One register row as the table shows it, or its edit form."""

    register: str
    obj: object
    cells: list = field(default_factory=list)
    form: object = None
    hints: dict | None = None
    conflict: list = field(default_factory=list)
    message: str = ""
    saved: bool = False
    dom_override: str = ""
    measurement_form: object = None

    smart_names = SMART_FIELDS

    @property
    def colspan(self) -> int:
        return len(headers(self.register)) + 1

    @property
    def dom_id(self) -> str:
        if self.dom_override:
            return self.dom_override
        return f"{self.register}-row-{self.obj.pk}" if self.obj.pk else f"{self.register}-row-new"

    @property
    def measurements(self) -> list:
        """An indicator's dated values, oldest first (prefetched by the table)."""
        if self.register != "indicators" or not self.obj.pk:
            return []
        measurements = list(self.obj.measurements.all())
        for measurement in measurements:
            measurement.display = format(measurement.value.normalize(), "f")
        return measurements

    @property
    def smart(self) -> list[dict]:
        """The five SMART boxes with what the wording suggests (goals only)."""
        hints = self.hints or {}
        values = self.form.data if self.form is not None and self.form.is_bound else None
        boxes = []
        for name in SMART_FIELDS:
            checked = (
                bool(values.get(name)) if values is not None else bool(getattr(self.obj, name))
            )
            hint = hints.get(name) or {}
            boxes.append(
                {
                    "name": name,
                    "label": self.obj._meta.get_field(name).verbose_name,
                    "checked": checked,
                    "suggested": hint.get("met", False),
                    "matches": hint.get("matches", []),
                    "field": self.form[name] if self.form is not None else None,
                }
            )
        return boxes


def headers(register: str) -> list[str]:
    model = REGISTER_MODELS[register]
    names = [n for n in REGISTER_FORM_FIELDS[register] if n not in SMART_FIELDS]
    headers = [
        _("direction") if n == "higher_is_better" else model._meta.get_field(n).verbose_name
        for n in names
    ]
    if register == "goals":
        headers.append("SMART")
    if register == "risks":
        headers.insert(4, _("severity"))
    if register == "indicators":
        headers.append(_("progress"))
        headers.append(_("measurements"))
    return headers


def cells(register: str, obj) -> list[str]:
    cells = []
    for name in REGISTER_FORM_FIELDS[register]:
        if name in SMART_FIELDS:
            continue
        model_field = obj._meta.get_field(name)
        value = getattr(obj, name)
        if model_field.choices:
            value = getattr(obj, f"get_{name}_display")()
        elif name == "higher_is_better":
            value = direction_label(value)
        elif isinstance(value, bool):
            value = "✓" if value else ""
        elif value is None:
            value = ""
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "normalize"):
            value = format(value.normalize(), "f")
        cells.append(value)
    if register == "risks":
        cells.insert(4, obj.severity if obj.likelihood and obj.impact else "")
    if register == "indicators":
        progress = latest_progress(obj)
        cells.append("" if progress is None else f"{progress:.0%}")
    return cells


def latest_progress(indicator) -> float | None:
    """Progress of the latest measurement, or of `actual` when there is none."""
    measurements = list(indicator.measurements.all()) if indicator.pk else []
    latest = measurements[-1].value if measurements else indicator.actual
    return indicator_progress(
        baseline=indicator.baseline,
        target=indicator.target,
        actual=latest,
        higher_is_better=indicator.higher_is_better,
    )


def hints(register, obj, form=None):
    if register != "goals":
        return None
    if form is not None and form.is_bound:
        deadline = form.cleaned_data.get("deadline") if hasattr(form, "cleaned_data") else None
        return smart_hints(form.data.get("statement", ""), form.data.get("target", ""), deadline)
    return smart_hints(obj.statement, obj.target, obj.deadline)


def read_row(register, obj, **extra) -> Row:
    return Row(register, obj, cells=cells(register, obj), hints=hints(register, obj), **extra)


def edit_row(register, obj, form, **extra) -> Row:
    if form.is_bound:
        for name in form.errors:
            if name in form.fields:
                widget = form.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
    return Row(register, obj, form=form, hints=hints(register, obj, form), **extra)


def row_after(register: str, obj, form, outcome: Outcome) -> Row:
    """The row after an add or save: saved, locked, or the form as typed (both values on a conflict)."""
    if outcome.ok:
        return read_row(register, outcome.saved, saved=True)
    if outcome.status == HTTPStatus.CONFLICT:
        return edit_row(
            register, outcome.theirs, form, conflict=outcome.conflict, message=outcome.message
        )
    if outcome.status == HTTP_LOCKED:
        if obj.pk is None:
            return Row(register, obj, message=outcome.message)
        return read_row(register, obj, message=outcome.message)
    return edit_row(register, obj, form)


def register_table(assessment: Assessment, register: str, *, editable: bool) -> dict:
    """The context of one register table in a step: one query for the rows."""
    model = REGISTER_MODELS[register]
    if register == "indicators":
        rows = model.objects.filter(assessment=assessment).prefetch_related("measurements")
    else:  # the same rows in their order, through SQL built once per process
        rows = statements.objects(model, {"assessment": assessment.pk}, order=("order", "id"))
        for row in rows:
            row.assessment = assessment  # in hand: spares a query where something reads it
    return {
        "name": register,
        "title": model._meta.verbose_name_plural,
        "headers": headers(register),
        "rows": [read_row(register, obj) for obj in rows],
        "editable": editable,
        "assessment": assessment,
    }


def register_conflict_rows(register, form, theirs) -> list[dict]:
    rows = []
    for name in REGISTER_FORM_FIELDS[register]:
        mine, their_value = form.cleaned_data.get(name), getattr(theirs, name)
        if mine != their_value:
            model_field = theirs._meta.get_field(name)
            display = (
                getattr(theirs, f"get_{name}_display")() if model_field.choices else their_value
            )
            rows.append({"label": model_field.verbose_name, "mine": mine, "theirs": display})
    return rows

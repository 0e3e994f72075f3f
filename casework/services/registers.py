"""Rows of the registers (goals, stakeholders, risks, indicators, phases) of an assessment."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from casework.models import REGISTER_MODELS, Assessment, Indicator, Measurement
from casework.services.assessments import assessment_touch
from casework.services.locks import ensure_editable
from casework.services.versioning import lock_versioned, save_versioned

# Fields every register row has that analysts do not edit directly.
_ROW_FIELDS = {"id", "assessment", "order", "version", "updated_by", "updated_at"}


def register_model(register: str):
    """The model of register `register`, or a ValidationError for an unknown name."""
    model = REGISTER_MODELS.get(register)
    if model is None:
        raise ValidationError(
            {"register": _("There is no register %(name)s.") % {"name": register}}
        )
    return model


def register_fields(model) -> list[models.Field]:
    """The fields an analyst edits, in model order."""
    return [f for f in model._meta.concrete_fields if f.name not in _ROW_FIELDS]


def _clean_value(field, raw):
    if isinstance(field, models.DecimalField):
        if raw in (None, ""):
            return None
        try:
            value = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            raise ValidationError(
                _("“%(value)s” is not a number: enter digits only, e.g. 85 or 12.5.")
                % {"value": raw}
            ) from None
        if not value.is_finite():
            raise ValidationError(_("Enter a finite number."))
        return field.clean(value, None)
    if isinstance(field, models.BooleanField):
        return bool(raw) and raw not in ("0", "false", "False", "off")
    if isinstance(field, models.CharField | models.TextField):
        raw = "" if raw is None else str(raw).strip()
    if raw == "" and field.null:
        raw = None
    return field.clean(raw, None)


def clean_row_data(model, data: dict, *, partial: bool) -> dict:
    """Convert and check `data` field by field, then the rules that span fields."""
    fields = {f.name: f for f in register_fields(model)}
    errors: dict[str, list[str]] = {}
    unknown = set(data) - set(fields)
    if unknown:
        errors["__all__"] = [_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}]
    cleaned = {}
    names = [n for n in fields if n in data] if partial else list(fields)
    for name in names:
        field = fields[name]
        raw = data.get(name, field.get_default())
        try:
            cleaned[name] = _clean_value(field, raw)
        except ValidationError as error:
            errors[name] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_row(row) -> None:
    if (
        getattr(row, "register_name", "") == "phases"
        and row.start
        and row.end
        and row.end < row.start
    ):
        raise ValidationError({"end": _("The end date must not be before the start date.")})


@transaction.atomic
def register_row_add(*, assessment: Assessment, register: str, user, data: dict):
    """Append a row to the register."""
    ensure_editable(assessment)
    model = register_model(register)
    cleaned = clean_row_data(model, data, partial=False)
    # Two adds at once would read the same last order: the assessment's row lock makes the
    # second wait for the first (PostgreSQL; SQLite's writers queue anyway).
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    last = model.objects.filter(assessment=assessment).aggregate(m=Max("order"))["m"]
    row = model(assessment=assessment, order=(last or 0) + 1, updated_by=user, **cleaned)
    _check_row(row)
    row._history_user = user
    row.save()
    assessment_touch(assessment_id=assessment.pk)
    return row


@transaction.atomic
def register_row_save(
    *, assessment: Assessment, register: str, row_id: int, user, data: dict, expected_version: int
):
    """Change a row if nobody else saved it since `expected_version`."""
    ensure_editable(assessment)
    model = register_model(register)
    row = lock_versioned(
        model.objects.filter(assessment=assessment, pk=row_id), expected_version=expected_version
    )
    cleaned = clean_row_data(model, data, partial=True)
    for name, value in cleaned.items():
        setattr(row, name, value)
    _check_row(row)
    save_versioned(
        row, expected_version=expected_version, changes=cleaned, user=user, skip_unchanged=False
    )
    assessment_touch(assessment_id=assessment.pk)
    return row


@transaction.atomic
def register_row_delete(
    *, assessment: Assessment, register: str, row_id: int, user, expected_version: int
) -> None:
    """Remove a row if nobody else saved it since `expected_version`."""
    ensure_editable(assessment)
    model = register_model(register)
    row = lock_versioned(
        model.objects.filter(assessment=assessment, pk=row_id), expected_version=expected_version
    )
    row._history_user = user
    row.delete()
    assessment_touch(assessment_id=assessment.pk)


# --- Dated measurements of an indicator ---------------------------------------------------------


def clean_measurement_data(data: dict) -> dict:
    """Date, value and note of a measurement, converted and checked field by field."""
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for name in ("measured_on", "value", "note"):
        field = Measurement._meta.get_field(name)
        raw = data.get(name)
        if name in ("measured_on", "value") and raw in (None, ""):
            errors[name] = [
                _("Give the measurement a date.")
                if name == "measured_on"
                else _("Enter the measured value, e.g. 85 or 12.5.")
            ]
            continue
        try:
            cleaned[name] = _clean_value(field, raw)
        except ValidationError as error:
            errors[name] = list(error.messages)
    unknown = set(data) - {"measured_on", "value", "note"}
    if unknown:
        errors["__all__"] = [_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def measurement_add(*, assessment: Assessment, indicator_id: int, user, data: dict) -> Measurement:
    """A dated value of one of the assessment's indicators ("at launch", "a year later")."""
    ensure_editable(assessment)
    indicator = Indicator.objects.filter(assessment=assessment, pk=indicator_id).first()
    if indicator is None:
        raise Indicator.DoesNotExist
    measurement = Measurement.objects.create(indicator=indicator, **clean_measurement_data(data))
    assessment_touch(assessment_id=assessment.pk)
    return measurement


@transaction.atomic
def measurement_delete(*, assessment: Assessment, measurement_id: int, user) -> bool:
    """Remove a measurement; False when it was already gone (deleting twice is harmless)."""
    ensure_editable(assessment)
    deleted, _by_model = Measurement.objects.filter(
        pk=measurement_id, indicator__assessment=assessment
    ).delete()
    if deleted:
        assessment_touch(assessment_id=assessment.pk)
    return bool(deleted)

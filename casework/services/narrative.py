"""The analyst's judgement: conclusions, findings per dimension and the action plan.

Each write checks that the assessment is still editable, guards against silent overwrites with
a version (Assessment.narrative_version, DimensionFinding.version, Action.version) and bumps the
assessment's revision, as answer saves do, so that cached reports follow.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from casework.models import Action, Answer, Assessment, DimensionFinding
from casework.services.assessments import assessment_touch
from casework.services.errors import EditConflict
from casework.services.locks import ensure_editable
from casework.services.versioning import lock_versioned, save_versioned
from frameworks.models import Criterion, Dimension, ScaleLevel

CONCLUSION_FIELDS = ("perspective", "conclusion", "lessons")
ACTION_FIELDS = ("text", "owner", "priority", "due_on", "status")


def _max_length(model, name) -> int:
    return model._meta.get_field(name).max_length


def _text(data, name, model, errors, *, required_message=""):
    value = str(data.get(name) or "").strip()
    limit = _max_length(model, name)
    if required_message and not value:
        errors.setdefault(name, []).append(required_message)
    if limit and len(value) > limit:
        errors.setdefault(name, []).append(
            _("This is limited to %(limit)s characters; the text has %(count)s.")
            % {"limit": limit, "count": len(value)}
        )
    return value


# --- Conclusions --------------------------------------------------------------------------------


def clean_conclusions_data(data: dict) -> dict:
    """Check perspective, conclusion and lessons; only the keys given are returned."""
    errors: dict[str, list[str]] = {}
    unknown = set(data) - set(CONCLUSION_FIELDS)
    if unknown:
        errors["__all__"] = [_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}]
    cleaned = {}
    if "perspective" in data:
        perspective = data["perspective"] or Assessment.Perspective.ONGOING
        if perspective not in Assessment.Perspective.values:
            errors.setdefault("perspective", []).append(_("Choose ongoing or retrospective."))
        cleaned["perspective"] = perspective
    for name in ("conclusion", "lessons"):
        if name in data:
            cleaned[name] = _text(data, name, Assessment, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def assessment_conclusions_save(
    *, assessment: Assessment, user, data: dict, expected_version: int
) -> Assessment:
    """Save perspective, overall conclusion and key lessons if nobody saved them meanwhile."""
    ensure_editable(assessment)
    stored = lock_versioned(
        Assessment.objects.filter(pk=assessment.pk),
        expected_version=expected_version,
        version_field="narrative_version",
    )
    cleaned = clean_conclusions_data(data)
    if not save_versioned(
        stored,
        expected_version=expected_version,
        changes=cleaned,
        version_field="narrative_version",
        record_history=False,
    ):
        return stored
    assessment_touch(assessment_id=stored.pk)
    for name, value in cleaned.items():
        setattr(assessment, name, value)
    assessment.narrative_version = expected_version + 1
    return assessment


# --- Findings per dimension ---------------------------------------------------------------------


def dimension_for_code(assessment: Assessment, code: str) -> Dimension:
    dimension = Dimension.objects.filter(version_id=assessment.version_id, code=code).first()
    if dimension is None:
        raise ValidationError(
            {
                "dimension": _("This assessment's framework has no dimension %(code)s.")
                % {"code": code}
            }
        )
    return dimension


@transaction.atomic
def finding_save(
    *, assessment: Assessment, dimension_code: str, user, text: str, expected_version: int
) -> DimensionFinding:
    """Save the findings paragraph of one dimension if nobody saved it since `expected_version`."""
    ensure_editable(assessment)
    dimension_for_code(assessment, dimension_code)
    errors: dict[str, list[str]] = {}
    text = _text({"text": text}, "text", DimensionFinding, errors)
    if errors:
        raise ValidationError(errors)
    finding = (
        DimensionFinding.objects.select_for_update()
        .filter(assessment=assessment, dimension_code=dimension_code)
        .first()
    )
    if finding is None:
        return _finding_create(assessment, dimension_code, user, text, expected_version)
    if finding.version != expected_version:
        raise EditConflict(current=finding)
    if not save_versioned(
        finding, expected_version=expected_version, changes={"text": text}, user=user
    ):
        return finding
    assessment_touch(assessment_id=assessment.pk)
    return finding


def _finding_create(assessment, dimension_code, user, text, expected_version):
    """The first save of a dimension's findings: one row, one history entry with the text."""
    if expected_version != 0:
        raise ValidationError({"version": _("Reload the page: these findings were removed.")})
    finding = DimensionFinding(assessment=assessment, dimension_code=dimension_code)
    if not text:
        return finding  # nothing to keep yet
    finding.text, finding.version, finding.updated_by = text, 1, user
    finding._history_user = user
    try:
        with transaction.atomic():
            finding.save()
    except IntegrityError:
        # Someone else saved this dimension's first findings a moment earlier.
        raise EditConflict(
            current=DimensionFinding.objects.get(
                assessment=assessment, dimension_code=dimension_code
            )
        ) from None
    assessment_touch(assessment_id=assessment.pk)
    return finding


# --- The action plan ----------------------------------------------------------------------------


def _as_date(value, errors):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        parsed = parse_date(str(value))
    except ValueError:
        parsed = None
    if parsed is None:
        errors.setdefault("due_on", []).append(_("Enter the due date as YYYY-MM-DD."))
    return parsed


def clean_action_data(data: dict, *, partial: bool) -> dict:
    """Convert and check an action's fields; with `partial`, only the keys given."""
    errors: dict[str, list[str]] = {}
    unknown = set(data) - set(ACTION_FIELDS)
    if unknown:
        errors["__all__"] = [_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}]
    names = [n for n in ACTION_FIELDS if n in data] if partial else ACTION_FIELDS
    cleaned = {}
    for name in names:
        if name == "text":
            cleaned[name] = _text(
                data, name, Action, errors, required_message=_("Write the action first.")
            )
        elif name == "owner":
            cleaned[name] = _text(data, name, Action, errors)
        elif name == "priority":
            cleaned[name] = data.get(name) or Action.Priority.MEDIUM
            if cleaned[name] not in Action.Priority.values:
                errors.setdefault(name, []).append(_("Choose high, medium or low."))
        elif name == "status":
            cleaned[name] = data.get(name) or Action.Status.PROPOSED
            if cleaned[name] not in Action.Status.values:
                errors.setdefault(name, []).append(
                    _("Choose proposed, agreed, in progress, done or dropped.")
                )
        elif name == "due_on":
            cleaned[name] = _as_date(data.get(name), errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _next_order(assessment: Assessment) -> int:
    last = Action.objects.filter(assessment=assessment).aggregate(m=Max("order"))["m"]
    return (last or 0) + 1


@transaction.atomic
def action_add(*, assessment: Assessment, user, data: dict) -> Action:
    """A new action the analyst wrote, at the end of the plan."""
    ensure_editable(assessment)
    cleaned = clean_action_data(data, partial=False)
    action = Action(
        assessment=assessment, order=_next_order(assessment), updated_by=user, **cleaned
    )
    action._history_user = user
    action.save()
    assessment_touch(assessment_id=assessment.pk)
    return action


@transaction.atomic
def action_save(
    *, assessment: Assessment, action_id: int, user, data: dict, expected_version: int
) -> Action:
    """Change an action if nobody else saved it since `expected_version`."""
    ensure_editable(assessment)
    action = lock_versioned(
        Action.objects.filter(assessment=assessment, pk=action_id),
        expected_version=expected_version,
    )
    cleaned = clean_action_data(data, partial=True)
    if not save_versioned(action, expected_version=expected_version, changes=cleaned, user=user):
        return action
    assessment_touch(assessment_id=assessment.pk)
    return action


@transaction.atomic
def action_delete(
    *, assessment: Assessment, action_id: int, user, expected_version: int | None = None
) -> bool:
    """Remove an action; False when it was already gone (deleting twice is harmless)."""
    ensure_editable(assessment)
    try:
        action = lock_versioned(
            Action.objects.filter(assessment=assessment, pk=action_id),
            expected_version=expected_version,
        )
    except Action.DoesNotExist:
        return False
    action._history_user = user
    action.delete()
    assessment_touch(assessment_id=assessment.pk)
    return True


def gap_threshold(version_id: int) -> float | None:
    """The scale's midpoint: a level at or below it is a gap worth an action."""
    values = list(ScaleLevel.objects.filter(version_id=version_id).values_list("value", flat=True))
    return (min(values) + max(values)) / 2 if values else None


@transaction.atomic
def action_plan_suggest(*, assessment: Assessment, user) -> list[Action]:
    """Proposed actions from the framework's recommendation for each gap that has none yet.

    A gap is a scored item answered at or below the scale's midpoint (not N/A). The lower the
    level, the higher the priority. Items that already have an action are left alone, so the
    button can be pressed again after more items are scored.
    """
    ensure_editable(assessment)
    threshold = gap_threshold(assessment.version_id)
    if threshold is None:
        return []
    bottom = min(
        ScaleLevel.objects.filter(version_id=assessment.version_id).values_list("value", flat=True)
    )
    covered = set(
        Action.objects.filter(assessment=assessment, criterion__isnull=False).values_list(
            "criterion__code", flat=True
        )
    )
    gaps = (
        Answer.objects.filter(
            assessment=assessment,
            criterion__kind=Criterion.Kind.SCORED,
            level__isnull=False,
            level__lte=threshold,
            not_applicable=False,
        )
        .select_related("criterion")
        .order_by("criterion__dimension__order", "criterion__order", "criterion__code")
    )
    order = _next_order(assessment)
    created = []
    for answer in gaps:
        criterion = answer.criterion
        if criterion.code in covered:
            continue
        text = (criterion.recommendation or "").strip() or _("Close the gap on: %(title)s") % {
            "title": criterion.title
        }
        high = answer.level <= (bottom + threshold) / 2
        action = Action(
            assessment=assessment,
            criterion=criterion,
            text=text[: _max_length(Action, "text")],
            priority=Action.Priority.HIGH if high else Action.Priority.MEDIUM,
            order=order,
            updated_by=user,
        )
        action._history_user = user
        action.save()
        created.append(action)
        covered.add(criterion.code)
        order += 1
    if created:
        assessment_touch(assessment_id=assessment.pk)
    return created

"""Double scoring: ask a second analyst for a blind scoring, withdraw it, adjudicate item by item."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.analytics.double import differs
from casework.models import Adjudication, Answer, Assessment, Comment, Membership, Role
from casework.models.fields import text_limit
from casework.services.assessments import assessment_touch, empty_answers_create
from casework.services.errors import EditConflict, WorkflowError
from casework.services.locks import assessment_row_lock, require_status
from frameworks.models import Criterion, ScaleLevel

# A second scoring may be asked for while the first is being scored or waits for review;
# an approved assessment is final.
REQUESTABLE = (Assessment.Status.DRAFT, Assessment.Status.RETURNED, Assessment.Status.SUBMITTED)


def second_analysts_for(assessment: Assessment):
    """The analysts of the case's unit who may score `assessment` a second time."""
    excluded = {assessment.created_by_id, assessment.submitted_by_id} - {None}
    return (
        Membership.objects.filter(unit_id=assessment.case.unit_id, role=Role.ANALYST)
        .filter(user__is_active=True)
        .exclude(user_id__in=excluded)
        .select_related("user")
        .order_by("user__username")
    )


@transaction.atomic
def second_scoring_request(*, assessment: Assessment, analyst, user) -> Assessment:
    """A sibling assessment of the same round for `analyst` to score blind, with empty answers."""
    first = assessment_row_lock(assessment)
    if first.second_of_id:
        raise WorkflowError(_("This is already a second scoring."))
    require_status(first, REQUESTABLE, _("An approved assessment can't be scored a second time."))
    if Assessment.objects.filter(second_of=first).exists():
        raise WorkflowError(_("A second scoring of this assessment has already been asked for."))
    if not second_analysts_for(first).filter(user=analyst).exists():
        raise WorkflowError(_("The second analyst must be another analyst of the case's unit."))
    second = Assessment.objects.create(
        case_id=first.case_id,
        framework_id=first.framework_id,
        version_id=first.version_id,
        round=first.round,
        second_of=first,
        perspective=first.perspective,
        created_by=analyst,
    )
    empty_answers_create(second)
    # Who was asked goes on the second scoring, which the blindness rules show only to the
    # second analyst and the managers until both are submitted; the first's thread says only
    # that it was asked for.
    name = analyst.get_full_name() or analyst.get_username()
    Comment.objects.create(
        assessment=first, author=user, body=_("A second, blind scoring was asked for.")
    )
    Comment.objects.create(
        assessment=second,
        author=user,
        body=_("A second, blind scoring of round %(round)s was asked of %(name)s.")
        % {"round": first.round, "name": name},
    )
    return second


@transaction.atomic
def second_scoring_withdraw(*, assessment: Assessment, user) -> None:
    """Drop a second scoring that nobody has adjudicated yet (its answers go with it)."""
    first = assessment_row_lock(assessment)
    second = Assessment.objects.filter(second_of=first).first()
    if second is None:
        raise WorkflowError(_("This assessment has no second scoring."))
    adjudicated = _(
        "The second scoring has been adjudicated already and can no longer be withdrawn."
    )
    require_status(first, REQUESTABLE, adjudicated)
    if first.adjudications.exists():
        raise WorkflowError(adjudicated)
    second.delete()
    Comment.objects.create(
        assessment=first, author=user, body=_("The second scoring was withdrawn.")
    )


def _agreed_value(choice, level, first, second, scale) -> tuple[int | None, bool]:
    if choice == Adjudication.Choice.FIRST:
        return first
    if choice == Adjudication.Choice.SECOND:
        return second
    if choice != Adjudication.Choice.SET:
        raise ValidationError({"choice": _("Pick an answer.")})
    if level not in scale:
        raise ValidationError({"level": _("Pick a level of the scale.")})
    return (level, False)


def _check_reason(reason: str, needed: bool) -> str:
    reason = (reason or "").strip()
    limit = text_limit(Adjudication, "reason")
    if len(reason) > limit:
        raise ValidationError(
            {"reason": _("At most %(limit)s characters, please.") % {"limit": limit}}
        )
    if needed and not reason:
        raise ValidationError(
            {"reason": _("Say why: the two analysts differ here, or you set another level.")}
        )
    return reason


@transaction.atomic
def adjudication_save(
    *,
    assessment: Assessment,
    criterion_code: str,
    user,
    choice: str,
    level: int | None = None,
    reason: str = "",
    expected_version: int,
) -> Adjudication:
    """Decide one item's agreed answer and write it into the first assessment, with history."""
    first = assessment_row_lock(assessment)
    second = Assessment.objects.filter(second_of=first).first()
    if (
        second is None
        or first.status != Assessment.Status.SUBMITTED
        or second.status != Assessment.Status.SUBMITTED
    ):
        raise WorkflowError(
            _("Adjudication needs both scorings submitted and the assessment not yet approved.")
        )
    criterion = Criterion.objects.filter(
        version_id=first.version_id, code=criterion_code, kind=Criterion.Kind.SCORED
    ).first()
    if criterion is None:
        raise ValidationError(
            {"choice": _("There is no scored item %(code)s.") % {"code": criterion_code}}
        )
    answer = Answer.objects.select_for_update().get(assessment=first, criterion=criterion)
    theirs = Answer.objects.get(assessment=second, criterion=criterion)
    row = (
        Adjudication.objects.select_for_update()
        .filter(assessment=first, criterion=criterion)
        .first()
    )
    if (row.version if row else 0) != expected_version:
        raise EditConflict(current=row)
    if row is None:
        row = Adjudication(
            assessment=first,
            criterion=criterion,
            first_level=None if answer.not_applicable else answer.level,
            first_not_applicable=answer.not_applicable,
            second_level=None if theirs.not_applicable else theirs.level,
            second_not_applicable=theirs.not_applicable,
        )
    original = (row.first_level, row.first_not_applicable)
    other = (row.second_level, row.second_not_applicable)
    scale = set(
        ScaleLevel.objects.filter(version_id=first.version_id).values_list("value", flat=True)
    )
    agreed = _agreed_value(choice, level, original, other, scale)
    reason = _check_reason(reason, differs(original, other) or agreed != original)

    row.choice, (row.level, row.not_applicable) = choice, agreed
    row.reason, row.decided_by, row.decided_at = reason, user, timezone.now()
    if row.pk is None:
        row.version = 1
        row._history_user = user
        row.save()
    else:
        won = Adjudication.objects.filter(pk=row.pk, version=expected_version).update(
            version=expected_version + 1
        )
        if not won:
            raise EditConflict(current=Adjudication.objects.get(pk=row.pk))
        row.version = expected_version + 1
        row._history_user = user
        row.save()
    _write_agreed_answer(
        answer, agreed, theirs if choice == Adjudication.Choice.SECOND else None, user, reason
    )
    assessment_touch(assessment_id=first.pk)
    return row


def _write_agreed_answer(answer: Answer, agreed, theirs: Answer | None, user, reason: str) -> None:
    """The agreed level into the first assessment's answer, as one versioned history entry."""
    level, not_applicable = agreed
    if (answer.level, answer.not_applicable) == (level, not_applicable) or (
        not_applicable and answer.not_applicable
    ):
        return
    changes = {"level": level, "not_applicable": not_applicable}
    if not_applicable and theirs is not None:
        changes["na_reason"] = theirs.na_reason
    Answer.objects.filter(pk=answer.pk).update(
        version=answer.version + 1, updated_by=user, updated_at=timezone.now(), **changes
    )
    for name, value in changes.items():
        setattr(answer, name, value)
    answer.version += 1
    answer.updated_by = user
    answer._history_user = user
    # history_change_reason holds 100 characters: the full reason stays on the Adjudication.
    answer._change_reason = (_("Adjudicated: %(reason)s") % {"reason": reason or "—"})[:100]
    answer.save()

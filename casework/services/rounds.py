"""New rounds and version moves of an assessment: answers carried over or mapped by item code.

Built on the lock and status checks of `casework.services.locks`.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from casework import readmodel
from casework.models import (
    REGISTER_MODELS,
    Action,
    Answer,
    Assessment,
    Comment,
    Indicator,
    Measurement,
)
from casework.models.fields import text_limit
from casework.search.services import search_index_assessment
from casework.services.assessments import assessment_touch
from casework.services.errors import WorkflowError
from casework.services.locks import assessment_lock, require_status
from frameworks.models import Criterion, FrameworkVersion

REGISTER_SKIP_FIELDS = {"id", "assessment", "version", "updated_by", "updated_at"}
# What a version move may change on an answer it keeps.
MOVED_ANSWER_FIELDS = (
    "criterion",
    "level",
    "not_applicable",
    "na_reason",
    "observation",
    "version",
    "updated_by",
    "updated_at",
)


@dataclass
class MoveItem:
    code: str
    title: str = ""
    reasons: list = field(default_factory=list)
    answered: bool = False
    level_cleared: int | None = None


@dataclass
class VersionMovePreview:
    """What moving an assessment's answers to another version does, item code by item code."""

    from_version: FrameworkVersion
    to_version: FrameworkVersion
    kept: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    dropped: list = field(default_factory=list)
    new: list = field(default_factory=list)
    scale_changed: bool = False

    @property
    def cleared(self) -> list:
        return [item for item in self.kept + self.changed if item.level_cleared is not None]

    @property
    def answers_lost(self) -> list:
        return [item for item in self.dropped if item.answered]


def _scale_range(version: FrameworkVersion) -> tuple[int, int] | None:
    values = list(version.scale_levels.values_list("value", flat=True))
    return (min(values), max(values)) if values else None


def _check_target_version(assessment: Assessment, to_version: FrameworkVersion) -> None:
    if to_version.framework_id != assessment.framework_id:
        raise WorkflowError(_("The new version must belong to the same framework."))
    if to_version.status != FrameworkVersion.Status.PUBLISHED:
        raise WorkflowError(_("Assessments can only use a published framework version."))


def _answer_is_filled(answer: Answer, kind: str) -> bool:
    """Answered as `kind` (the read model's rule), or holding text worth keeping."""
    answered = readmodel.is_answered(
        kind=kind,
        level=answer.level,
        not_applicable=answer.not_applicable,
        observation=answer.observation,
    )
    return answered or bool(answer.evidence.strip() or answer.note.strip())


def _plan_move(answers, from_version, to_version):
    """(preview, {new criterion: (old answer or None, kind changed, level cleared)})."""
    preview = VersionMovePreview(from_version=from_version, to_version=to_version)
    old = {a.criterion.code: a for a in answers}
    new_criteria = list(
        Criterion.objects.filter(version=to_version).order_by("dimension__order", "order", "code")
    )
    scale = _scale_range(to_version)
    preview.scale_changed = _scale_range(from_version) != scale
    plan = {}
    for criterion in new_criteria:
        answer = old.pop(criterion.code, None)
        if answer is None:
            preview.new.append(MoveItem(code=criterion.code, title=criterion.title))
            plan[criterion] = (None, False, False)
            continue
        before = answer.criterion
        item = MoveItem(
            code=criterion.code,
            title=criterion.title,
            answered=_answer_is_filled(answer, before.kind),
        )
        if (before.title_zh, before.title_en) != (criterion.title_zh, criterion.title_en):
            item.reasons.append("title")
        kind_changed = before.kind != criterion.kind
        if kind_changed:
            item.reasons.append("kind")
        if (
            not kind_changed
            and criterion.is_scored
            and answer.level is not None
            and (scale is None or not scale[0] <= answer.level <= scale[1])
        ):
            item.level_cleared = answer.level
            item.reasons.append("scale")
        (preview.changed if item.reasons else preview.kept).append(item)
        plan[criterion] = (answer, kind_changed, item.level_cleared is not None)
    for code, answer in old.items():
        preview.dropped.append(
            MoveItem(
                code=code,
                title=answer.criterion.title,
                answered=_answer_is_filled(answer, answer.criterion.kind),
            )
        )
    return preview, plan


def _fit(answer: Answer, kind_changed: bool, clear_level: bool) -> Answer:
    """Clear what the answer's new item can't hold."""
    if kind_changed:
        # A level means nothing as an observation and vice versa: keep the evidence only.
        answer.level, answer.not_applicable = None, False
        answer.na_reason, answer.observation = "", ""
    if clear_level:
        answer.level = None
    return answer


def _moved_answer(assessment, criterion, answer, kind_changed, user, clear_level) -> Answer:
    moved = Answer(assessment=assessment, criterion=criterion, updated_by=user)
    if answer is None:
        return moved
    for name in Answer.EDITABLE_FIELDS:
        setattr(moved, name, getattr(answer, name))
    return _fit(moved, kind_changed, clear_level)


def assessment_version_move_preview(
    *, assessment: Assessment, to_version: FrameworkVersion
) -> VersionMovePreview:
    """What would be kept, changed, dropped and new if the answers moved to `to_version`."""
    _check_target_version(assessment, to_version)
    answers = assessment.answers.select_related("criterion")
    preview, _plan = _plan_move(answers, assessment.version, to_version)
    return preview


@transaction.atomic
def assessment_version_move(
    *, assessment: Assessment, to_version: FrameworkVersion, user
) -> VersionMovePreview:
    """Move a draft or returned assessment to another published version, mapping answers by code.

    Each answer keeps its row, id and history: its item is swapped for the item with the same
    code in the new version, and the history records the move. Items the new version no longer
    has lose their answer rows (every score, count and export reads an assessment's answers as
    its version's items); what those answers said stays readable in a note on the assessment,
    and in full in their history. Actions follow their item by code too.
    """
    assessment_lock(assessment)
    require_status(
        assessment,
        Assessment.EDITABLE,
        _("Only a draft or a returned assessment can move to another framework version."),
    )
    if assessment.second_of_id or Assessment.objects.filter(second_of=assessment).exists():
        raise WorkflowError(
            _(
                "A double-scored assessment stays on its version: both scorings must use the same items."
            )
        )
    _check_target_version(assessment, to_version)
    if to_version.pk == assessment.version_id:
        raise WorkflowError(_("The assessment already uses that version."))
    from_version = assessment.version
    # Locked, so that an autosave can't land between reading an answer and moving it.
    answers = list(
        Answer.objects.select_for_update(of=("self",))
        .filter(assessment=assessment)
        .select_related("criterion")
        .order_by("criterion__dimension__order", "criterion__order", "criterion__code")
    )
    preview, plan = _plan_move(answers, from_version, to_version)
    reason = _move_reason(from_version, to_version)
    now = timezone.now()

    moved, created = [], []
    for criterion, (answer, kind_changed, clear) in plan.items():
        if answer is None:
            created.append(Answer(assessment=assessment, criterion=criterion, updated_by=user))
            continue
        _fit(answer, kind_changed, clear)
        answer.criterion = criterion
        # A new version number: a tab still open on the old version gets a conflict, not a
        # silent overwrite.
        answer.version += 1
        answer.updated_by, answer.updated_at = user, now
        moved.append(answer)
    bulk_update_with_history(
        moved,
        Answer,
        MOVED_ANSWER_FIELDS,
        default_user=user,
        default_change_reason=reason,
    )
    kept_ids = {answer.pk for answer in moved}
    dropped = [answer for answer in answers if answer.pk not in kept_ids]
    for answer in dropped:
        # simple_history keeps the deleted row's every value, with the reason.
        answer._history_user = user
        answer._change_reason = reason
        answer.delete()
    Answer.objects.bulk_create(created)
    freed = _remap_action_items(assessment, to_version, user, reason)

    assessment.version = to_version
    assessment.save(update_fields=["version", "updated_at"])
    Comment.objects.create(
        assessment=assessment,
        author=user,
        kind=Comment.Kind.NOTE,
        body=_move_note(preview, dropped, freed),
    )
    assessment_touch(assessment_id=assessment.pk)
    return preview


def _move_reason(from_version: FrameworkVersion, to_version: FrameworkVersion) -> str:
    """What the history says about a move (at most 100 characters: the history's column)."""
    return str(
        _("Moved from version %(old)s (%(old_label)s) to version %(new)s (%(new_label)s)")
        % {
            "old": from_version.number,
            "old_label": from_version.label,
            "new": to_version.number,
            "new_label": to_version.label,
        }
    )[:100]


def _remap_action_items(assessment, to_version, user, reason) -> list:
    """Actions follow their item's code to the new version; an item that is gone frees them.

    Each change is in the action's history with the move as its reason. Returns the freed
    actions, each still holding the item it pointed at, for the move's note.
    """
    actions = list(
        Action.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, criterion__isnull=False)
        .select_related("criterion")
    )
    by_code = dict(
        Criterion.objects.filter(
            version=to_version, code__in={action.criterion.code for action in actions}
        ).values_list("code", "pk")
    )
    changed, freed = [], []
    for action in actions:
        target = by_code.get(action.criterion.code)
        if target == action.criterion_id:
            continue
        if target is None:
            freed.append((action, action.criterion))
        action.criterion_id = target
        action.version += 1
        changed.append(action)
    bulk_update_with_history(
        changed,
        Action,
        ["criterion", "version"],
        default_user=user,
        default_change_reason=reason,
    )
    return freed


# How much of a dropped answer's texts the move note quotes; the history keeps them whole.
NOTE_QUOTE_CHARS = 500


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= NOTE_QUOTE_CHARS else text[: NOTE_QUOTE_CHARS - 1] + "…"


def _dropped_answer_line(answer: Answer) -> str:
    criterion = answer.criterion
    parts = [f"{criterion.code} {criterion.title}"]
    if answer.not_applicable:
        parts.append(str(_("not applicable: %(reason)s") % {"reason": _quote(answer.na_reason)}))
    elif answer.level is not None:
        parts.append(str(_("level %(level)s") % {"level": answer.level}))
    if answer.observation:
        parts.append(answer.get_observation_display())
    if answer.evidence.strip():
        parts.append(str(_("evidence: %(text)s") % {"text": _quote(answer.evidence)}))
    if answer.note.strip():
        parts.append(str(_("note: %(text)s") % {"text": _quote(answer.note)}))
    return "· " + " — ".join(parts)


def _move_note(preview: VersionMovePreview, dropped: list, freed: list) -> str:
    """The comment that records a move, with what the answers of dropped items said."""
    lines = [
        str(
            _(
                "Moved from version %(old)s (%(old_label)s) to version %(new)s (%(new_label)s): "
                "%(kept)s items kept, %(changed)s changed, %(dropped)s dropped, %(new_items)s new."
            )
            % {
                "old": preview.from_version.number,
                "old_label": preview.from_version.label,
                "new": preview.to_version.number,
                "new_label": preview.to_version.label,
                "kept": len(preview.kept),
                "changed": len(preview.changed),
                "dropped": len(preview.dropped),
                "new_items": len(preview.new),
            }
        )
    ]
    filled = [a for a in dropped if _answer_is_filled(a, a.criterion.kind)]
    if filled:
        lines += ["", str(_("Answers to items the new version no longer has:"))]
        lines += [_dropped_answer_line(answer) for answer in filled]
    if freed:
        lines += ["", str(_("Actions about those items now stand on their own:"))]
        lines += [f"· {item.code}: {_quote(action.text)}" for action, item in freed]
    body = "\n".join(lines)
    limit = text_limit(Comment, "body")
    return body if len(body) <= limit else body[: limit - 1] + "…"


@transaction.atomic
def assessment_start_round(
    *, previous: Assessment, user, version: FrameworkVersion | None = None
) -> Assessment:
    """The next round, starting from the previous round's answers and registers."""
    if previous.status not in (Assessment.Status.SUBMITTED, Assessment.Status.APPROVED):
        raise WorkflowError(
            _("A new round can start only from a submitted or approved assessment.")
        )
    if previous.second_of_id:
        raise WorkflowError(
            _("A new round starts from the first assessment, not a second scoring.")
        )
    if not readmodel.latest_rounds().filter(pk=previous.pk).exists():
        raise WorkflowError(_("A later round of this assessment already exists."))
    version = version or previous.version
    _check_target_version(previous, version)
    if version.number < previous.version.number:
        raise WorkflowError(_("A new round can't go back to an older framework version."))
    assessment = Assessment.objects.create(
        case_id=previous.case_id,
        framework_id=previous.framework_id,
        version=version,
        round=previous.round + 1,
        previous=previous,
        perspective=previous.perspective,
        created_by=user,
    )
    answers = list(previous.answers.select_related("criterion"))
    _preview, plan = _plan_move(answers, previous.version, version)
    Answer.objects.bulk_create(
        [
            _moved_answer(assessment, criterion, answer, kind_changed, user, clear)
            for criterion, (answer, kind_changed, clear) in plan.items()
        ]
    )
    for model in REGISTER_MODELS.values():
        names = [f.name for f in model._meta.concrete_fields if f.name not in REGISTER_SKIP_FIELDS]
        rows = list(model.objects.filter(assessment=previous))
        copies = model.objects.bulk_create(
            [
                model(
                    assessment=assessment,
                    updated_by=user,
                    **{name: getattr(row, name) for name in names},
                )
                for row in rows
            ]
        )
        if model is Indicator:
            _copy_measurements(dict(zip([r.pk for r in rows], copies, strict=True)))
    carry_over_actions(previous, assessment, user)
    readmodel.scores_refresh(assessment_ids=[assessment.pk])
    search_index_assessment(assessment_id=assessment.pk)
    return assessment


def _copy_measurements(indicators: dict) -> None:
    """The dated values of each copied indicator ({old pk: new indicator}) go with it."""
    Measurement.objects.bulk_create(
        [
            Measurement(
                indicator=indicators[m.indicator_id],
                measured_on=m.measured_on,
                value=m.value,
                note=m.note,
            )
            for m in Measurement.objects.filter(indicator_id__in=list(indicators))
        ]
    )


def carry_over_actions(previous: Assessment, assessment: Assessment, user) -> None:
    """The previous round's open actions, kept with their status and linked back to it."""
    criteria = dict(
        Criterion.objects.filter(version_id=assessment.version_id).values_list("code", "pk")
    )
    open_actions = Action.objects.filter(
        assessment=previous, status__in=Action.OPEN
    ).select_related("criterion")
    Action.objects.bulk_create(
        [
            Action(
                assessment=assessment,
                criterion_id=criteria.get(action.criterion.code) if action.criterion else None,
                text=action.text,
                owner=action.owner,
                priority=action.priority,
                due_on=action.due_on,
                status=action.status,
                carried_from=action,
                order=action.order,
                updated_by=user,
            )
            for action in open_actions
        ]
    )

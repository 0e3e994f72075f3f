"""Assessment lifecycle: start, new rounds, version moves, review workflow."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casework.models import REGISTER_MODELS, Answer, Assessment, Case, Comment
from casework.services.errors import ServiceError, WorkflowError
from frameworks.models import Criterion, FrameworkVersion


def assessment_touch(*, assessment_id: int) -> None:
    """Bump the revision: every write to an assessment's content calls this (reports cache on it)."""
    Assessment.objects.filter(pk=assessment_id).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )


@transaction.atomic
def assessment_start(*, case: Case, version: FrameworkVersion, user) -> Assessment:
    """Round 1 of scoring `case` against a published `version`, with an empty answer per item."""
    if version.status != FrameworkVersion.Status.PUBLISHED:
        raise ValueError("assessments start from a published version")
    last_round = (
        Assessment.objects.filter(case=case, framework_id=version.framework_id)
        .order_by("-round")
        .values_list("round", flat=True)
        .first()
    )
    assessment = Assessment.objects.create(
        case=case,
        framework_id=version.framework_id,
        version=version,
        round=(last_round or 0) + 1,
        created_by=user,
    )
    criteria = Criterion.objects.filter(version=version).values_list("pk", flat=True)
    Answer.objects.bulk_create([Answer(assessment=assessment, criterion_id=pk) for pk in criteria])
    return assessment


# --- Review workflow ----------------------------------------------------------------------------


def _locked_for_update(assessment: Assessment) -> Assessment:
    """Re-read the row inside the transaction so two reviewers can't both act on a stale status."""
    fresh = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.status = fresh.status
    return assessment


def _require_status(assessment: Assessment, allowed, message) -> None:
    if assessment.status not in allowed:
        raise WorkflowError(message)


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user, comment: str = "") -> Assessment:
    """Hand a draft (or returned) assessment to the managers for review."""
    _locked_for_update(assessment)
    _require_status(
        assessment,
        Assessment.EDITABLE,
        _("Only a draft or a returned assessment can be submitted."),
    )
    now = timezone.now()
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_by = user
    assessment.submitted_at = now
    assessment.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    Comment.objects.create(
        assessment=assessment,
        author=user,
        kind=Comment.Kind.SUBMITTED,
        body=(comment or "").strip(),
        created_at=now,
    )
    assessment_touch(assessment_id=assessment.pk)
    return assessment


@transaction.atomic
def assessment_return(*, assessment: Assessment, user, comment: str) -> Assessment:
    """Send a submitted assessment back to the analyst; the comment says what to change."""
    comment = (comment or "").strip()
    if not comment:
        raise WorkflowError(_("Say what needs to change: returning an assessment needs a comment."))
    _locked_for_update(assessment)
    _require_status(
        assessment,
        (Assessment.Status.SUBMITTED,),
        _("Only a submitted assessment can be returned."),
    )
    return _review(assessment, user, Assessment.Status.RETURNED, Comment.Kind.RETURNED, comment)


@transaction.atomic
def assessment_approve(*, assessment: Assessment, user, comment: str = "") -> Assessment:
    _locked_for_update(assessment)
    _require_status(
        assessment,
        (Assessment.Status.SUBMITTED,),
        _("Only a submitted assessment can be approved."),
    )
    _review(
        assessment, user, Assessment.Status.APPROVED, Comment.Kind.APPROVED, (comment or "").strip()
    )
    _prerender_reports_on_commit(assessment, user)
    return assessment


def _prerender_reports_on_commit(assessment: Assessment, user) -> None:
    """Once the approval is committed, queue its PDF reports so the first download is instant."""
    from casework.jobs.services import report_jobs_prerender

    language = get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: report_jobs_prerender(
            assessment_id=assessment.pk, user_id=user.pk, language=language
        )
    )


def _review(assessment, user, status, kind, comment) -> Assessment:
    now = timezone.now()
    assessment.status = status
    assessment.reviewed_by = user
    assessment.reviewed_at = now
    assessment.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    Comment.objects.create(
        assessment=assessment, author=user, kind=kind, body=comment, created_at=now
    )
    assessment_touch(assessment_id=assessment.pk)
    return assessment


@transaction.atomic
def comment_add(*, assessment: Assessment, user, body: str, criterion=None) -> Comment:
    """A remark on the assessment, or on one of its items (a Criterion of its version)."""
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("Write something before posting a comment."))
    if criterion is not None and criterion.version_id != assessment.version_id:
        raise ServiceError(_("That item does not belong to this assessment's framework version."))
    return Comment.objects.create(
        assessment=assessment, author=user, body=body, criterion=criterion
    )


# --- New rounds and version moves ---------------------------------------------------------------

ANSWER_COPY_FIELDS = (
    "level",
    "not_applicable",
    "na_reason",
    "observation",
    "evidence",
    "citations",
    "confidence",
    "note",
)
REGISTER_SKIP_FIELDS = {"id", "assessment", "version", "updated_by", "updated_at"}


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
    if kind == Criterion.Kind.SCORED:
        filled = answer.level is not None or answer.not_applicable
    else:
        filled = bool(answer.observation)
    return filled or bool(answer.evidence.strip() or answer.note.strip())


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


def _moved_answer(assessment, criterion, answer, kind_changed, user, clear_level) -> Answer:
    moved = Answer(assessment=assessment, criterion=criterion, updated_by=user)
    if answer is None:
        return moved
    for name in ANSWER_COPY_FIELDS:
        setattr(moved, name, getattr(answer, name))
    if kind_changed:
        # A level means nothing as an observation and vice versa: keep the evidence only.
        moved.level, moved.not_applicable, moved.na_reason, moved.observation = None, False, "", ""
    if clear_level:
        moved.level = None
    return moved


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
    """Move a draft or returned assessment to another published version, mapping answers by code."""
    _locked_for_update(assessment)
    _require_status(
        assessment,
        Assessment.EDITABLE,
        _("Only a draft or a returned assessment can move to another framework version."),
    )
    _check_target_version(assessment, to_version)
    if to_version.pk == assessment.version_id:
        raise WorkflowError(_("The assessment already uses that version."))
    answers = list(assessment.answers.select_related("criterion"))
    preview, plan = _plan_move(answers, assessment.version, to_version)
    new_answers = [
        _moved_answer(assessment, criterion, answer, kind_changed, user, clear)
        for criterion, (answer, kind_changed, clear) in plan.items()
    ]
    assessment.answers.all().delete()
    Answer.objects.bulk_create(new_answers)
    assessment.version = to_version
    assessment.save(update_fields=["version", "updated_at"])
    assessment_touch(assessment_id=assessment.pk)
    return preview


@transaction.atomic
def assessment_start_round(
    *, previous: Assessment, user, version: FrameworkVersion | None = None
) -> Assessment:
    """The next round, starting from the previous round's answers and registers."""
    if previous.status not in (Assessment.Status.SUBMITTED, Assessment.Status.APPROVED):
        raise WorkflowError(
            _("A new round can start only from a submitted or approved assessment.")
        )
    later = Assessment.objects.filter(
        case_id=previous.case_id, framework_id=previous.framework_id, round__gt=previous.round
    ).exists()
    if later:
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
        model.objects.bulk_create(
            [
                model(
                    assessment=assessment,
                    updated_by=user,
                    **{name: getattr(row, name) for name in names},
                )
                for row in model.objects.filter(assessment=previous)
            ]
        )
    return assessment

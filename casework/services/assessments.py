"""Assessment lifecycle: start, the review workflow, and `assessment_touch` after every write.

New rounds and version moves live in `casework.services.rounds`; the lock and status checks
both use in `casework.services.locks`.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casework import readmodel
from casework.models import (
    Answer,
    Assessment,
    Case,
    Comment,
)
from casework.models.fields import text_limit
from casework.search.services import search_index_assessment
from casework.services.errors import ServiceError, WorkflowError
from casework.services.locks import assessment_lock, require_status
from frameworks.models import Criterion, FrameworkVersion


def assessment_touch(*, assessment_id: int) -> None:
    """Bump the revision and re-store the scores: every write to an assessment's content calls this.

    Reports cache on the revision; the case list and the portfolio read the stored scores;
    search reads the index entries.
    """
    Assessment.objects.filter(pk=assessment_id).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    readmodel.scores_refresh(assessment_ids=[assessment_id])
    search_index_assessment(assessment_id=assessment_id)


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
    empty_answers_create(assessment)
    return assessment


def empty_answers_create(assessment: Assessment) -> None:
    """One empty answer per item of the assessment's version, then its (empty) scores stored."""
    criteria = Criterion.objects.filter(version_id=assessment.version_id).values_list(
        "pk", flat=True
    )
    Answer.objects.bulk_create([Answer(assessment=assessment, criterion_id=pk) for pk in criteria])
    readmodel.scores_refresh(assessment_ids=[assessment.pk])


# --- Review workflow ----------------------------------------------------------------------------


def _comment_text(body: str) -> str:
    """A comment stripped and within Comment.body's limit (forms check it first: this backs them)."""
    body = (body or "").strip()
    limit = text_limit(Comment, "body")
    if len(body) > limit:
        raise ServiceError(
            _("A comment is limited to %(limit)s characters; this one has %(count)s.")
            % {"limit": limit, "count": len(body)}
        )
    return body


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user, comment: str = "") -> Assessment:
    """Hand a draft (or returned) assessment to the managers for review."""
    comment = _comment_text(comment)
    assessment_lock(assessment)
    require_status(
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
        body=comment,
        created_at=now,
    )
    assessment_touch(assessment_id=assessment.pk)
    return assessment


@transaction.atomic
def assessment_return(*, assessment: Assessment, user, comment: str) -> Assessment:
    """Send a submitted assessment back to the analyst; the comment says what to change."""
    comment = _comment_text(comment)
    if not comment:
        raise WorkflowError(_("Say what needs to change: returning an assessment needs a comment."))
    assessment_lock(assessment)
    require_status(
        assessment,
        (Assessment.Status.SUBMITTED,),
        _("Only a submitted assessment can be returned."),
    )
    return _review(assessment, user, Assessment.Status.RETURNED, Comment.Kind.RETURNED, comment)


@transaction.atomic
def assessment_approve(*, assessment: Assessment, user, comment: str = "") -> Assessment:
    comment = _comment_text(comment)
    assessment_lock(assessment)
    require_status(
        assessment,
        (Assessment.Status.SUBMITTED,),
        _("Only a submitted assessment can be approved."),
    )
    _check_double_scoring_done(assessment)
    _review(assessment, user, Assessment.Status.APPROVED, Comment.Kind.APPROVED, comment)
    _prerender_reports_on_commit(assessment, user)
    return assessment


def _check_double_scoring_done(assessment: Assessment) -> None:
    """A second scoring is never approved itself; its first waits until every difference is decided."""
    from casework.double import undecided_count

    if assessment.second_of_id:
        raise WorkflowError(
            _(
                "A second scoring is not approved on its own: adjudicate it into the first assessment."
            )
        )
    second = Assessment.objects.filter(second_of=assessment).only("status").first()
    if second is None:
        return
    if second.status != Assessment.Status.SUBMITTED:
        raise WorkflowError(
            _("The second scoring is not submitted yet: approve once both are in and adjudicated.")
        )
    undecided = undecided_count(assessment)
    if undecided:
        raise WorkflowError(
            _("%(count)s items scored differently still need a decision in the adjudication.")
            % {"count": undecided}
        )


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
    body = _comment_text(body)
    if not body:
        raise ServiceError(_("Write something before posting a comment."))
    if criterion is not None and criterion.version_id != assessment.version_id:
        raise ServiceError(_("That item does not belong to this assessment's framework version."))
    return Comment.objects.create(
        assessment=assessment, author=user, body=body, criterion=criterion
    )

"""The checks a service makes on an assessment before it acts: row lock, then status.

Shared by the review workflow (`assessments`), the new rounds and version moves (`rounds`) and
the writes to an assessment's content (`ensure_editable`).
"""

from casework.models import Assessment
from casework.services.errors import AssessmentLocked, WorkflowError


def assessment_lock(assessment: Assessment) -> Assessment:
    """Lock the assessment's row and refresh its status, so two reviewers can't act on a stale one."""
    fresh = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.status = fresh.status
    return assessment


def require_status(assessment: Assessment, allowed, message) -> None:
    """WorkflowError with `message` unless the assessment's status is one of `allowed`."""
    if assessment.status not in allowed:
        raise WorkflowError(message)


def ensure_editable(assessment: Assessment) -> None:
    """Raise AssessmentLocked unless the stored status (not a stale copy) allows edits."""
    status = Assessment.objects.filter(pk=assessment.pk).values_list("status", flat=True).first()
    if status not in Assessment.EDITABLE:
        raise AssessmentLocked()

"""The checks a workflow step makes on an assessment before it acts: row lock, then status.

Shared by the review workflow (`assessments`) and the new rounds and version moves (`rounds`).
"""

from casework.models import Assessment
from casework.services.errors import WorkflowError


def assessment_lock(assessment: Assessment) -> Assessment:
    """Lock the assessment's row and refresh its status, so two reviewers can't act on a stale one."""
    fresh = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.status = fresh.status
    return assessment


def require_status(assessment: Assessment, allowed, message) -> None:
    """WorkflowError with `message` unless the assessment's status is one of `allowed`."""
    if assessment.status not in allowed:
        raise WorkflowError(message)

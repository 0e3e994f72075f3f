"""The checks a service makes on an assessment before it acts: row lock, then status.

Shared by the review workflow (`assessments`), the new rounds and version moves (`rounds`) and
the writes to an assessment's content (`ensure_editable`); `case_lock` does the same for a case
and its sources.
"""

from django.utils.translation import gettext as _

from casework.models import Assessment, Case
from casework.services.errors import AssessmentLocked, WorkflowError
from casework.services.versioning import lock_versioned


def assessment_row_lock(assessment: Assessment) -> Assessment:
    """The assessment's stored row, locked for update: every field as it is stored now."""
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def assessment_lock(assessment: Assessment) -> Assessment:
    """Lock the assessment's row and refresh its status, so two reviewers can't act on a stale one."""
    assessment.status = assessment_row_lock(assessment).status
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


def _require_not_archived(case: Case) -> None:
    if case.is_archived:
        raise WorkflowError(_("This case is archived and read-only: restore it first."))


def case_lock(case: Case, *, expected_version: int | None = None) -> Case:
    """The case's stored row, locked for update; WorkflowError when it is archived, then
    EditConflict when `expected_version` is given and someone saved the case since."""
    return lock_versioned(
        Case.objects.filter(pk=case.pk),
        expected_version=expected_version,
        check=_require_not_archived,
    )

"""Assessment lifecycle: start, new rounds, version moves, review workflow."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from casework.models import Answer, Assessment, Case
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

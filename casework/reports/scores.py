"""Assessments loaded and scored for a report: version parts, answers, casework.scoring's result.

Scored through `casework.score_inputs`, the adapter the stored scores use too, so that a
report never disagrees with the case list about a score. Used by the report context and the
compare page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from casework.models import Answer
from casework.score_inputs import answer_row, item_answer, scale_of
from casework.scoring import AssessmentScore, DimensionSpec, Scale, score_assessment
from frameworks.models import Dimension, ScaleLevel


def version_parts(version_ids: Iterable[int]) -> tuple[dict, dict]:
    """Scale levels and dimensions of some framework versions, keyed by version id (2 queries)."""
    version_ids = set(version_ids)
    levels: dict[int, list[ScaleLevel]] = {pk: [] for pk in version_ids}
    for level in ScaleLevel.objects.filter(version_id__in=version_ids).order_by("value"):
        levels[level.version_id].append(level)
    dimensions: dict[int, list[Dimension]] = {pk: [] for pk in version_ids}
    for dimension in Dimension.objects.filter(version_id__in=version_ids).order_by("order", "code"):
        dimensions[dimension.version_id].append(dimension)
    return levels, dimensions


def answers_by_assessment(assessment_ids: Iterable[int]) -> dict[int, list[Answer]]:
    """Answers with their criterion and dimension, grouped per assessment (1 query)."""
    grouped: dict[int, list[Answer]] = {pk: [] for pk in assessment_ids}
    answers = (
        Answer.objects.filter(assessment_id__in=list(grouped))
        .select_related("criterion", "criterion__dimension")
        .order_by("criterion__dimension__order", "criterion__order", "criterion__code")
    )
    for answer in answers:
        grouped[answer.assessment_id].append(answer)
    return grouped


def scale_for(levels: Sequence[ScaleLevel]) -> Scale:
    """The scale a version's levels make (score_inputs.scale_of)."""
    return scale_of(level.value for level in levels)


def score_answers(
    answers: Sequence[Answer], levels: Sequence[ScaleLevel], dimensions: Sequence[Dimension]
) -> AssessmentScore:
    """Score an assessment's answers with casework.scoring (no queries)."""
    return score_assessment(
        scale=scale_for(levels),
        dimensions=[DimensionSpec(code=d.code, weight=d.weight) for d in dimensions],
        items=[item_answer(answer_row(answer)) for answer in answers],
    )


def label_for(levels: Sequence[ScaleLevel], value: int | None) -> str:
    """The label of the scale level `value`, or "" when there is none."""
    for level in levels:
        if level.value == value:
            return level.label
    return ""


def percent_map(score: AssessmentScore) -> dict[str, float | None]:
    """Each dimension's score on 0..100, by dimension code."""
    return {code: dimension.percent() for code, dimension in score.dimensions.items()}

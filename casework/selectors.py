"""Reads for the case and assessment pages: a fixed number of queries whatever the data size."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from casework import access
from casework.models import Answer, Assessment, Case, Comment
from casework.scoring import AssessmentScore, DimensionSpec, ItemAnswer, Scale, score_assessment
from frameworks.models import Criterion, Dimension, ScaleLevel

# An answer counts as given when a scored item has a level or is marked not applicable, and
# when an observation item has an observation (mirrors Answer.is_answered).
ANSWERED = Q(criterion__kind=Criterion.Kind.SCORED) & (
    Q(level__isnull=False) | Q(not_applicable=True)
) | Q(criterion__kind=Criterion.Kind.OBSERVATION) & ~Q(observation="")

CASE_SORTS = {
    "updated": ("-updated_at", "-id"),
    "title": ("title", "id"),
    "level": ("level", "title", "id"),
}


def latest_rounds() -> QuerySet[Assessment]:
    """Assessments that are the newest round of their case and framework."""
    later = Assessment.objects.filter(
        case_id=OuterRef("case_id"),
        framework_id=OuterRef("framework_id"),
        round__gt=OuterRef("round"),
    )
    return Assessment.objects.filter(~Exists(later))


def case_list(
    *,
    user,
    q: str = "",
    status: str = "",
    level: str = "",
    sector: str = "",
    unit=None,
    band: int | None = None,
    archived: bool = False,
    sort: str = "updated",
) -> QuerySet[Case]:
    """The cases `user` may see, searched, filtered and sorted; latest rounds prefetched."""
    cases = access.cases_visible_to(user).select_related("unit", "owner")
    cases = cases.filter(archived_at__isnull=not archived)
    if q:
        words = Q(title__icontains=q) | Q(body__icontains=q) | Q(region__icontains=q)
        words |= Q(sector__icontains=q) | Q(pk__in=_cases_tagged(cases, q))
        cases = cases.filter(words)
    if status:
        cases = cases.filter(Exists(latest_rounds().filter(case_id=OuterRef("pk"), status=status)))
    if level:
        cases = cases.filter(level=level)
    if sector:
        cases = cases.filter(sector=sector)
    if unit is not None:
        cases = cases.filter(unit=unit)
    if band is not None:
        cases = cases.filter(pk__in=cases_in_band(cases, band))
    latest = latest_rounds().select_related("framework", "version").order_by("framework__code")
    cases = cases.prefetch_related(Prefetch("assessments", queryset=latest, to_attr="latest"))
    return cases.order_by(*CASE_SORTS.get(sort, CASE_SORTS["updated"]))


def scores_for(assessments) -> dict[int, AssessmentScore | None]:
    """{assessment id: score} for many assessments in three queries (None if it can't be scored)."""
    assessments = list(assessments)
    version_ids = {a.version_id for a in assessments}
    scale_values: dict[int, list[int]] = {}
    for version_id, value in ScaleLevel.objects.filter(version_id__in=version_ids).values_list(
        "version_id", "value"
    ):
        scale_values.setdefault(version_id, []).append(value)
    dimensions: dict[int, list[DimensionSpec]] = {}
    for version_id, code, weight in (
        Dimension.objects.filter(version_id__in=version_ids)
        .order_by("order", "code")
        .values_list("version_id", "code", "weight")
    ):
        dimensions.setdefault(version_id, []).append(DimensionSpec(code=code, weight=float(weight)))
    items: dict[int, list[ItemAnswer]] = {a.pk: [] for a in assessments}
    rows = Answer.objects.filter(assessment_id__in=list(items)).values_list(
        "assessment_id",
        "criterion__code",
        "criterion__dimension__code",
        "criterion__weight",
        "criterion__kind",
        "level",
        "not_applicable",
        "confidence",
        "observation",
    )
    for pk, code, dimension, weight, kind, level, na, confidence, observation in rows:
        items[pk].append(
            ItemAnswer(
                code=code,
                dimension=dimension,
                weight=float(weight),
                kind=kind,
                level=level,
                not_applicable=na,
                confidence=confidence,
                observation=observation,
            )
        )
    scores: dict[int, AssessmentScore | None] = {}
    for assessment in assessments:
        values = scale_values.get(assessment.version_id)
        try:
            scores[assessment.pk] = score_assessment(
                scale=Scale(min=min(values), max=max(values)),
                dimensions=dimensions.get(assessment.version_id, []),
                items=items[assessment.pk],
            )
        except (TypeError, ValueError):  # no scale, or data the scorer refuses
            scores[assessment.pk] = None
    return scores


def cases_in_band(cases: QuerySet[Case], band: int) -> list[int]:
    """Ids of the cases whose latest round of some framework scores in `band`."""
    latest = list(
        latest_rounds().filter(case_id__in=cases.values("pk")).only("pk", "case_id", "version_id")
    )
    scores = scores_for(latest)
    return sorted(
        {a.case_id for a in latest if scores[a.pk] is not None and scores[a.pk].band == band}
    )


def band_choices() -> list[tuple[int, str]]:
    """The levels of the published scales, as choices for a score-band filter."""
    labels: dict[int, str] = {}
    for level in ScaleLevel.objects.filter(version__status="published").order_by(
        "value", "-version__number"
    ):
        labels.setdefault(level.value, f"{level.value} · {level.label}")
    return sorted(labels.items())


def _cases_tagged(cases, q: str) -> list[int]:
    """Ids of cases with a tag containing `q`, matched in Python: databases store JSON text with
    escaped CJK characters, so a SQL substring match would miss Chinese tags."""
    needle = q.casefold()
    return [
        pk
        for pk, tags in cases.values_list("pk", "tags")
        if any(needle in str(tag).casefold() for tag in tags or ())
    ]


def sectors_visible_to(user) -> list[str]:
    return list(
        access.cases_visible_to(user)
        .exclude(sector="")
        .order_by("sector")
        .values_list("sector", flat=True)
        .distinct()
    )


def completion_by_assessment(assessment_ids) -> dict[int, tuple[int, int]]:
    """{assessment id: (answered, total)} in one aggregate query."""
    rows = (
        Answer.objects.filter(assessment_id__in=list(assessment_ids))
        .values("assessment_id")
        .annotate(total=Count("id"), answered=Count("id", filter=ANSWERED))
    )
    return {row["assessment_id"]: (row["answered"], row["total"]) for row in rows}


@dataclass
class Completion:
    answered: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def done(self) -> bool:
        return self.total > 0 and self.answered == self.total


@dataclass
class DimensionCompletion(Completion):
    dimension: Dimension | None = None


@dataclass
class CaseAssessments:
    """The rounds of one framework on a case, newest first."""

    framework: object
    rounds: list = field(default_factory=list)

    @property
    def current(self):
        return self.rounds[0] if self.rounds else None


def case_assessments(case: Case) -> list[CaseAssessments]:
    """Every assessment of the case grouped by framework, each with its completion."""
    assessments = list(
        case.assessments.select_related(
            "framework", "version", "created_by", "reviewed_by"
        ).order_by("framework__code", "-round")
    )
    completion = completion_by_assessment(a.pk for a in assessments)
    groups: dict[int, CaseAssessments] = {}
    for assessment in assessments:
        answered, total = completion.get(assessment.pk, (0, 0))
        assessment.completion = Completion(answered, total)
        groups.setdefault(
            assessment.framework_id, CaseAssessments(framework=assessment.framework)
        ).rounds.append(assessment)
    return list(groups.values())


def dimension_completion(assessment: Assessment) -> list[DimensionCompletion]:
    """Answered items per dimension of the assessment's version: one aggregate query."""
    dimensions = list(Dimension.objects.filter(version_id=assessment.version_id).order_by("order"))
    rows = {
        row["criterion__dimension_id"]: row
        for row in Answer.objects.filter(assessment=assessment)
        .values("criterion__dimension_id")
        .annotate(total=Count("id"), answered=Count("id", filter=ANSWERED))
    }
    result = []
    for dimension in dimensions:
        row = rows.get(dimension.pk, {"answered": 0, "total": 0})
        result.append(
            DimensionCompletion(answered=row["answered"], total=row["total"], dimension=dimension)
        )
    return result


def assessment_comments(assessment: Assessment) -> list[Comment]:
    return list(assessment.comments.select_related("author", "criterion"))


def assessment_rounds(assessment: Assessment) -> list[Assessment]:
    """All rounds of the same case and framework, newest first."""
    return list(
        Assessment.objects.filter(case_id=assessment.case_id, framework_id=assessment.framework_id)
        .select_related("version")
        .order_by("-round")
    )

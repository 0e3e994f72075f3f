"""Reads for the case and assessment pages: a fixed number of queries whatever the data size."""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet

from casework import access, sectors
from casework.models import Assessment, Case, Comment
from casework.readmodel import (
    Completion,
    completion_by_assessment,
    completion_by_dimension,
    in_band,
    latest_rounds,
    top_score,
)
from frameworks.models import Dimension, ScaleLevel

CASE_SORTS = {
    "updated": ("-updated_at", "-id"),
    "title": ("title", "id"),
    "level": ("level", "title", "id"),
    # Best overall score among the latest rounds; cases without a score go last.
    "score": (F("top_score").desc(nulls_last=True), "title", "id"),
}


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
    cases = access.cases_visible_to(user).select_related("unit", "owner", "sector_ref")
    # Scores of an assessment hidden by a blind double scoring must not show, nor filter or sort.
    hidden = access.hidden_by_blind_scoring(user)
    cases = cases.filter(archived_at__isnull=not archived)
    if q:
        words = Q(title__icontains=q) | Q(body__icontains=q) | Q(region__icontains=q)
        words |= Q(sector__icontains=q) | Q(pk__in=_cases_tagged(cases, q))
        words |= Q(sector_ref__name_zh__icontains=q) | Q(sector_ref__name_en__icontains=q)
        cases = cases.filter(words)
    if status:
        cases = cases.filter(pk__in=latest_rounds().filter(status=status).values("case_id"))
    if level:
        cases = cases.filter(level=level)
    if sector:
        cases = cases.alias(sector_key=sectors.key_expression()).filter(sector_key=sector)
    if unit is not None:
        cases = cases.filter(unit=unit)
    if band is not None:
        cases = cases.filter(in_band(band, hidden=hidden))
    if sort == "score":
        cases = cases.annotate(top_score=top_score(hidden=hidden))
    latest = (
        latest_rounds()
        .exclude(hidden)
        .select_related("framework", "version", "score_snapshot")
        .order_by("framework__code")
    )
    cases = cases.prefetch_related(Prefetch("assessments", queryset=latest, to_attr="latest"))
    return cases.order_by(*CASE_SORTS.get(sort, CASE_SORTS["updated"]))


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


def sectors_visible_to(user) -> list[tuple[str, str]]:
    """(sector key, label) of the sectors the user's cases are in, by label (2 queries)."""
    keys = (
        access.cases_visible_to(user)
        .annotate(sector_key=sectors.key_expression())
        .exclude(sector_key="")
        .order_by()
        .values_list("sector_key", flat=True)
        .distinct()
    )
    labels = sectors.key_labels()
    return sorted(((key, sectors.label_for_key(key, labels)) for key in keys), key=lambda p: p[1])


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


def case_assessments(case: Case, *, user=None) -> list[CaseAssessments]:
    """Every assessment of the case `user` may see, grouped by framework, with its completion.

    A second, blind scoring follows its round's assessment of record.
    """
    assessments = case.assessments.select_related(
        "framework", "version", "created_by", "reviewed_by"
    ).order_by("framework__code", "-round", F("second_of").asc(nulls_first=True))
    if user is not None:
        assessments = assessments.exclude(access.hidden_by_blind_scoring(user))
    assessments = list(assessments)
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
    counts = completion_by_dimension(assessment.pk)
    result = []
    for dimension in dimensions:
        answered, total = counts.get(dimension.pk, (0, 0))
        result.append(DimensionCompletion(answered=answered, total=total, dimension=dimension))
    return result


def assessment_comments(assessment: Assessment) -> list[Comment]:
    return list(assessment.comments.select_related("author", "criterion"))

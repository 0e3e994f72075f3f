"""Pure scoring: answers to a framework version's items in, scores, bands and counts out."""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SCORED = "scored"
OBSERVATION = "observation"
KINDS = (SCORED, OBSERVATION)
CONFIDENCES = ("low", "medium", "high")
OBSERVATIONS = ("present", "absent", "unknown")
UNSET = "unset"
UNANSWERED = "unanswered"


def _positive_weight(weight: float, owner: str) -> float:
    """The weight as a float, or ValueError when it is not a positive finite number."""
    try:
        # Weights arrive as Decimal from the database; floats keep the arithmetic uniform.
        value = float(weight)
    except (TypeError, ValueError):
        raise ValueError(f"{owner}: weight must be a number, got {weight!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{owner}: weight must be greater than 0, got {weight!r}")
    return value


@dataclass(frozen=True, kw_only=True)
class Scale:
    """The integer rating levels min..max of a framework version."""

    min: int = 0
    max: int = 5

    def __post_init__(self) -> None:
        if self.max <= self.min:
            raise ValueError(f"scale max ({self.max}) must be greater than scale min ({self.min})")

    def normalise(self, level: int) -> float:
        """The level mapped onto [0, 1]."""
        return (level - self.min) / (self.max - self.min)


@dataclass(frozen=True, kw_only=True)
class DimensionSpec:
    """A dimension of the framework version and its weight in the overall score."""

    code: str
    weight: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "weight", _positive_weight(self.weight, f"dimension {self.code!r}")
        )


@dataclass(frozen=True, kw_only=True)
class ItemAnswer:
    """One item of the version together with its answer; fields foreign to its kind are ignored."""

    code: str
    dimension: str
    weight: float = 1.0
    kind: str = SCORED
    level: int | None = None
    not_applicable: bool = False
    confidence: str = ""
    observation: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", _positive_weight(self.weight, f"item {self.code!r}"))
        if self.kind not in KINDS:
            raise ValueError(f"item {self.code!r}: kind must be one of {KINDS}, got {self.kind!r}")
        if self.confidence not in ("", *CONFIDENCES):
            raise ValueError(f"item {self.code!r}: unknown confidence {self.confidence!r}")
        if self.observation not in ("", *OBSERVATIONS):
            raise ValueError(f"item {self.code!r}: unknown observation {self.observation!r}")
        # bool is an int subclass, and True would otherwise pass as level 1.
        if self.level is not None and (
            isinstance(self.level, bool) or not isinstance(self.level, int)
        ):
            raise ValueError(f"item {self.code!r}: level must be an integer, got {self.level!r}")

    @property
    def is_rated(self) -> bool:
        """True when the item carries a level that enters the score (N/A wins over a level)."""
        return self.kind == SCORED and self.level is not None and not self.not_applicable


@dataclass(frozen=True, kw_only=True)
class ItemScore:
    """An item's normalised score; None when unanswered, N/A or an observation."""

    code: str
    dimension: str
    normalised: float | None


@dataclass(frozen=True, kw_only=True)
class DimensionScore:
    """A dimension's score, band and counts; `answered` includes N/A items."""

    code: str
    score: float | None
    band: int | None
    scored_total: int
    answered: int
    not_applicable: int
    unanswered: int
    completeness: float
    confidence: dict[str, int]
    observations: dict[str, int]

    def percent(self) -> float | None:
        """The score on 0..100, rounded for display."""
        return to_percent(self.score)


@dataclass(frozen=True, kw_only=True)
class AssessmentScore:
    """The overall score, band and counts, with the dimension and item results in given order."""

    overall: float | None
    band: int | None
    scored_total: int
    answered: int
    not_applicable: int
    unanswered: int
    completeness: float
    confidence: dict[str, int]
    observations: dict[str, int]
    dimensions: dict[str, DimensionScore]
    items: dict[str, ItemScore]

    def percent(self) -> float | None:
        """The overall score on 0..100, rounded for display."""
        return to_percent(self.overall)


def to_tenths(score: float | None) -> int | None:
    """A 0..1 score in whole tenths of a point (0..1000), rounded half away from zero."""
    if score is None:
        return None
    # Snap float noise first, so a score that is exactly x.x5 on paper still rounds up.
    tenths = round(score * 1000, 6)
    return int(math.copysign(math.floor(abs(tenths) + 0.5), tenths))


def to_percent(score: float | None) -> float | None:
    """A 0..1 score as 0..100, rounded half away from zero to one decimal place."""
    tenths = to_tenths(score)
    return None if tenths is None else tenths / 10


def band_for(score: float | None, scale: Scale) -> int | None:
    """The scale level nearest to a 0..1 score, ties going up."""
    if score is None:
        return None
    position = scale.min + score * (scale.max - scale.min)
    # Same snapping: a weighted mean that is 2.5 on paper may come out as 2.4999999999999996.
    level = math.floor(round(position, 9) + 0.5)
    return min(scale.max, max(scale.min, level))


def _weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Mean of (weight, value) pairs with weights renormalised over the pairs; None if empty."""
    pairs = list(pairs)
    if not pairs:
        return None
    # fsum is correctly rounded, hence monotonic: the mean of values in [0, 1] stays in [0, 1]
    # and raising one value never lowers it, with no float drift to clamp away.
    return math.fsum(w * x for w, x in pairs) / math.fsum(w for w, _ in pairs)


def _counts(items: Sequence[ItemAnswer]) -> dict:
    """Completeness, confidence mix and observation counts over some items."""
    scored = [item for item in items if item.kind == SCORED]
    rated = [item for item in scored if item.is_rated]
    not_applicable = sum(1 for item in scored if item.not_applicable)
    answered = len(rated) + not_applicable
    confidence = dict.fromkeys((*CONFIDENCES, UNSET), 0)
    for item in rated:
        confidence[item.confidence or UNSET] += 1
    observations = dict.fromkeys((*OBSERVATIONS, UNANSWERED), 0)
    for item in items:
        if item.kind == OBSERVATION:
            observations[item.observation or UNANSWERED] += 1
    return {
        "scored_total": len(scored),
        "answered": answered,
        "not_applicable": not_applicable,
        "unanswered": len(scored) - answered,
        # Nothing to answer reads as 0 % complete: an empty checklist should not look finished.
        "completeness": answered / len(scored) if scored else 0.0,
        "confidence": confidence,
        "observations": observations,
    }


def _check(scale: Scale, dimensions: Sequence[DimensionSpec], items: Sequence[ItemAnswer]) -> None:
    """ValueError on duplicate codes, unknown dimensions and levels outside the scale."""
    for what, codes in (
        ("dimension", [d.code for d in dimensions]),
        ("item", [i.code for i in items]),
    ):
        repeated = [code for code, count in Counter(codes).items() if count > 1]
        if repeated:
            raise ValueError(f"duplicate {what} code {repeated[0]!r}")
    known = {dimension.code for dimension in dimensions}
    levels = range(scale.min, scale.max + 1)
    for item in items:
        if item.dimension not in known:
            raise ValueError(f"item {item.code!r} names unknown dimension {item.dimension!r}")
        # Checked even when N/A: an out-of-scale level is a bug whatever the flag says.
        if item.kind == SCORED and item.level is not None and item.level not in levels:
            raise ValueError(
                f"item {item.code!r}: level {item.level} is outside the scale {scale.min}..{scale.max}"
            )


def score_assessment(
    *, scale: Scale, dimensions: Sequence[DimensionSpec], items: Sequence[ItemAnswer]
) -> AssessmentScore:
    """Score one assessment: every item, every dimension and the overall result."""
    _check(scale, dimensions, items)
    item_scores = {
        item.code: ItemScore(
            code=item.code,
            dimension=item.dimension,
            normalised=scale.normalise(item.level) if item.is_rated else None,
        )
        for item in items
    }
    dimension_scores = {}
    for dimension in dimensions:
        members = [item for item in items if item.dimension == dimension.code]
        score = _weighted_mean(
            (item.weight, item_scores[item.code].normalised) for item in members if item.is_rated
        )
        dimension_scores[dimension.code] = DimensionScore(
            code=dimension.code, score=score, band=band_for(score, scale), **_counts(members)
        )
    overall = _weighted_mean(
        (dimension.weight, dimension_scores[dimension.code].score)
        for dimension in dimensions
        if dimension_scores[dimension.code].score is not None
    )
    return AssessmentScore(
        overall=overall,
        band=band_for(overall, scale),
        dimensions=dimension_scores,
        items=item_scores,
        **_counts(items),
    )

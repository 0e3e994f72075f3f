"""Inter-rater agreement as pure functions: exact agreement, Cohen's kappa, Krippendorff's alpha.

Ratings are plain values (scale levels); None marks a missing rating. No ORM, no request.
Conventions follow Cohen (1960, 1968) and Krippendorff, "Computing Krippendorff's
alpha-reliability" (2011); docs/scoring.md describes them in words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence

from django.utils.translation import gettext_lazy as _

WEIGHTS = (None, "linear", "quadratic")
ALPHA_LEVELS = ("nominal", "ordinal", "interval")

# Landis & Koch (1977): upper bounds of each reading band; below 0 reads as poor.
KAPPA_BANDS = (
    (0.0, "poor"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost_perfect"),
)
KAPPA_BAND_LABELS = {
    "poor": _("poor"),
    "slight": _("slight"),
    "fair": _("fair"),
    "moderate": _("moderate"),
    "substantial": _("substantial"),
    "almost_perfect": _("almost perfect"),
}
# Krippendorff (2004): rely on alpha >= 0.800, draw tentative conclusions from 0.667 up.
ALPHA_RELIABLE = 0.8
ALPHA_TENTATIVE = 0.667
ALPHA_BAND_LABELS = {
    "reliable": _("reliable"),
    "tentative": _("tentative"),
    "unreliable": _("unreliable"),
}


def _pairs(a: Sequence, b: Sequence) -> list[tuple]:
    """The (a, b) pairs where both raters gave a value; ValueError if the lengths differ."""
    if len(a) != len(b):
        raise ValueError(f"the raters rated different numbers of items ({len(a)} and {len(b)})")
    return [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]


def exact_agreement(a: Sequence, b: Sequence) -> float | None:
    """Share of items both raters rated on which they gave the same value; None if none."""
    pairs = _pairs(a, b)
    if not pairs:
        return None
    return sum(1 for x, y in pairs if x == y) / len(pairs)


def _categories(values: Sequence, categories: Sequence | None) -> list:
    if categories is not None:
        listed = list(categories)
        unknown = set(values) - set(listed)
        if unknown:
            raise ValueError(f"values {sorted(unknown, key=str)!r} are not among the categories")
        return listed
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        # Integer levels: every level between the lowest and highest given, so that a
        # weighted kappa counts how many levels apart two ratings are.
        return list(range(min(values), max(values) + 1))
    return sorted(set(values), key=str)


def cohen_kappa(
    a: Sequence, b: Sequence, *, weights: str | None = None, categories: Sequence | None = None
) -> float | None:
    """Cohen's kappa of two raters, unweighted or with linear or quadratic disagreement weights.

    Items one rater left out are dropped. The weight of a disagreement is the distance
    between the two categories' positions in `categories` (by default the integer levels
    from the lowest to the highest rating given), to the power 1 or 2. None when kappa is
    undefined: no item rated by both, or chance agreement already perfect (one category).
    """
    if weights not in WEIGHTS:
        raise ValueError(f"weights must be one of {WEIGHTS}, got {weights!r}")
    pairs = _pairs(a, b)
    if not pairs:
        return None
    cats = _categories([v for pair in pairs for v in pair], categories)
    index = {c: i for i, c in enumerate(cats)}
    k = len(cats)
    n = len(pairs)
    observed = Counter((index[x], index[y]) for x, y in pairs)
    row = Counter(index[x] for x, _ in pairs)
    col = Counter(index[y] for _, y in pairs)

    def weight(i: int, j: int) -> float:
        if weights is None:
            return 0.0 if i == j else 1.0
        return abs(i - j) if weights == "linear" else (i - j) ** 2

    disagreement_observed = math.fsum(weight(i, j) * c for (i, j), c in observed.items()) / n
    disagreement_expected = math.fsum(
        weight(i, j) * row[i] * col[j] for i in range(k) for j in range(k)
    ) / (n * n)
    if disagreement_expected == 0:
        return None
    return 1.0 - disagreement_observed / disagreement_expected


def kappa_band(kappa: float | None) -> str | None:
    """The Landis & Koch reading of a kappa: poor, slight, fair, moderate, substantial, almost_perfect."""
    if kappa is None:
        return None
    if kappa < 0:
        return "poor"
    for upper, name in KAPPA_BANDS[1:]:
        if kappa <= upper + 1e-12:
            return name
    return "almost_perfect"


def krippendorff_alpha(ratings: Sequence[Sequence], *, level: str = "interval") -> float | None:
    """Krippendorff's alpha of any number of raters; one row per rater, one column per unit.

    None marks a missing value; units with fewer than two values are not pairable and are
    left out. level is "nominal", "ordinal" (ranks of the values given) or "interval".
    None when alpha is undefined: fewer than two pairable values, or no variation at all.
    """
    if level not in ALPHA_LEVELS:
        raise ValueError(f"level must be one of {ALPHA_LEVELS}, got {level!r}")
    if not ratings:
        return None
    lengths = {len(row) for row in ratings}
    if len(lengths) != 1:
        raise ValueError("every rater must have one entry per unit (None when missing)")
    units = [[row[u] for row in ratings if row[u] is not None] for u in range(lengths.pop())]
    units = [values for values in units if len(values) >= 2]
    # The coincidence matrix: each unit's m values give m(m-1) ordered pairs worth 1/(m-1).
    coincidence: Counter = Counter()
    for values in units:
        m = len(values)
        for i, x in enumerate(values):
            for j, y in enumerate(values):
                if i != j:
                    coincidence[(x, y)] += 1 / (m - 1)
    if not coincidence:
        return None
    totals: Counter = Counter()
    for (x, _y), count in coincidence.items():
        totals[x] += count
    n = math.fsum(totals.values())
    values = sorted(totals)
    delta = _difference(level, values, totals)
    observed = math.fsum(count * delta(x, y) for (x, y), count in coincidence.items())
    expected = math.fsum(totals[x] * totals[y] * delta(x, y) for x in values for y in values) / (
        n - 1
    )
    if expected == 0:
        return None
    return 1.0 - observed / expected


def _difference(level: str, values: list, totals: Counter):
    """The squared difference function delta² of Krippendorff's alpha for a level of measurement."""
    if level == "nominal":
        return lambda x, y: 0.0 if x == y else 1.0
    if level == "interval":
        return lambda x, y: float(x - y) ** 2
    # Ordinal: how many pairable values lie between x and y, counting each end half.
    position = {v: i for i, v in enumerate(values)}
    cumulative = [0.0]
    for v in values:
        cumulative.append(cumulative[-1] + totals[v])

    def ordinal(x, y) -> float:
        i, j = sorted((position[x], position[y]))
        between = cumulative[j + 1] - cumulative[i]
        return (between - (totals[x] + totals[y]) / 2) ** 2

    return ordinal


def alpha_band(alpha: float | None) -> str | None:
    """Krippendorff's reading: reliable (>= 0.8), tentative (>= 0.667) or unreliable."""
    if alpha is None:
        return None
    if alpha >= ALPHA_RELIABLE:
        return "reliable"
    if alpha >= ALPHA_TENTATIVE:
        return "tentative"
    return "unreliable"


def disagreements(ratings: Mapping[Hashable, Sequence], *, min_spread: float = 1) -> list[dict]:
    """Items on which raters differ, largest spread first: {item, values, spread}.

    ratings maps each item to its raters' values (None when missing); the spread is the
    highest value minus the lowest. Items with a smaller spread than min_spread are left out.
    """
    rows = []
    for order, (item, values) in enumerate(ratings.items()):
        given = [v for v in values if v is not None]
        if len(given) < 2:
            continue
        spread = max(given) - min(given)
        if spread >= min_spread:
            rows.append({"item": item, "values": list(values), "spread": spread, "order": order})
    rows.sort(key=lambda row: (-row["spread"], row["order"]))
    for row in rows:
        del row["order"]
    return rows


def agreement_summary(a: Sequence, b: Sequence, *, categories: Sequence | None = None) -> dict:
    """Every two-rater figure with its reading band, as plain data."""
    exact = exact_agreement(a, b)
    kappa = cohen_kappa(a, b, categories=categories)
    linear = cohen_kappa(a, b, weights="linear", categories=categories)
    quadratic = cohen_kappa(a, b, weights="quadratic", categories=categories)
    alpha = krippendorff_alpha([list(a), list(b)], level="ordinal")
    return {
        "items": len(_pairs(a, b)),
        "exact": exact,
        "kappa": kappa,
        "kappa_band": kappa_band(kappa),
        "linear_kappa": linear,
        "linear_kappa_band": kappa_band(linear),
        "quadratic_kappa": quadratic,
        "quadratic_kappa_band": kappa_band(quadratic),
        "alpha_ordinal": alpha,
        "alpha_band": alpha_band(alpha),
    }

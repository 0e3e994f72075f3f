"""How much the composite score depends on its weights and on how dimensions are combined.

Pure: dimension scores (0..1, None when a dimension has none) and dimension weights in,
plain dicts out. The method follows the OECD/JRC Handbook on Constructing Composite
Indicators (2008), section 7; docs/scoring.md ("Sensitivity") describes it in words.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence

from casework.scoring import (
    DimensionSpec,
    ItemAnswer,
    Scale,
    _positive_weight,
    band_for,
    score_assessment,
)

DRAWS = 1000
SEED = 20261201
# Dirichlet parameters are concentration × number of dimensions × the framework's weight
# shares: the mean weight is the framework's, and with equal framework weights and
# concentration 1 every set of weights on the simplex is equally likely.
CONCENTRATION = 1.0
BAND_LOW = 5
BAND_HIGH = 95

FRAMEWORK = "framework"
EQUAL = "equal"
EQUAL_ITEMS = "equal_items"
WITHOUT = "without"
GEOMETRIC = "geometric"


def _checked_weights(scores: Mapping[str, float | None], weights: Mapping[str, float]) -> dict:
    missing = set(scores) - set(weights)
    if missing:
        raise ValueError(f"no weight for dimension {sorted(missing)[0]!r}")
    return {code: _positive_weight(weights[code], f"dimension {code!r}") for code in scores}


def arithmetic(scores: Mapping[str, float | None], weights: Mapping[str, float]) -> float | None:
    """The weighted mean of the scored dimensions (weights renormalised), as casework.scoring does."""
    pairs = [(weights[code], score) for code, score in scores.items() if score is not None]
    if not pairs:
        return None
    return math.fsum(w * x for w, x in pairs) / math.fsum(w for w, _ in pairs)


def geometric(scores: Mapping[str, float | None], weights: Mapping[str, float]) -> float | None:
    """The weighted geometric mean of the scored dimensions; any dimension at 0 makes it 0.

    That is the point of geometric aggregation: a strong dimension cannot make up for one
    with nothing in it (no compensation), so a zero is kept as a zero, not nudged upwards.
    """
    pairs = [(weights[code], score) for code, score in scores.items() if score is not None]
    if not pairs:
        return None
    if any(x <= 0 for _, x in pairs):
        return 0.0
    total = math.fsum(w for w, _ in pairs)
    value = math.exp(math.fsum(w * math.log(x) for w, x in pairs) / total)
    # exp(log) can drift a hair above the largest score; the mean cannot.
    return min(max(x for _, x in pairs), value)


def dirichlet_parameters(weights: Mapping[str, float], concentration: float) -> dict[str, float]:
    """concentration × n × each weight's share: the mean of the draws is the framework's weights."""
    if not (math.isfinite(concentration) and concentration > 0):
        raise ValueError(f"concentration must be greater than 0, got {concentration!r}")
    total = math.fsum(weights.values())
    n = len(weights)
    # Rounded so that weights scaled by a constant give the very same parameters, and hence
    # the very same draws: float noise in the last bit would send the sampler another way.
    return {
        code: float(f"{concentration * n * weight / total:.12g}")
        for code, weight in weights.items()
    }


def random_overall(
    scores: Mapping[str, float | None],
    weights: Mapping[str, float],
    *,
    draws: int = DRAWS,
    seed: int = SEED,
    concentration: float = CONCENTRATION,
):
    """The overall score under `draws` random Dirichlet weights (numpy array; empty when unscored)."""
    import numpy as np

    scored = [code for code, score in scores.items() if score is not None]
    if not scored or draws < 1:
        return np.empty(0)
    # Draw over every dimension and renormalise over the scored ones, as the scorer does; the
    # same seed then gives the same weights whichever dimensions happen to be scored.
    alpha = dirichlet_parameters(weights, concentration)
    codes = list(scores)
    sample = np.random.default_rng(seed).dirichlet([alpha[code] for code in codes], size=draws)
    mask = np.array([scores[code] is not None for code in codes], dtype=float)
    values = np.array([scores[code] or 0.0 for code in codes], dtype=float)
    weight_sum = sample @ mask
    overall = (sample @ values) / np.where(weight_sum > 0, weight_sum, 1.0)
    # With tiny Dirichlet parameters every scored weight can underflow to 0: such a draw
    # carries no information and is dropped rather than read as a score of 0.
    overall = overall[weight_sum > 0]
    given = [score for score in scores.values() if score is not None]
    # A weighted mean lies between the lowest and highest score; clip the float drift.
    return np.clip(overall, min(given), max(given))


def _scenario(code: str, overall, dimensions: Mapping, scale: Scale, dimension: str = "") -> dict:
    return {
        "code": code,
        "dimension": dimension,
        "overall": overall,
        "band": band_for(overall, scale),
        "dimensions": dict(dimensions),
    }


def sensitivity_of(
    *,
    scores: Mapping[str, float | None],
    weights: Mapping[str, float],
    scale: Scale,
    equal_item_scores: Mapping[str, float | None] | None = None,
    draws: int = DRAWS,
    seed: int = SEED,
    concentration: float = CONCENTRATION,
) -> dict:
    """Every scenario's overall and dimension scores, the Monte Carlo band and a robustness verdict.

    scores: each dimension's score in framework order; weights: the framework's dimension
    weights; equal_item_scores (optional): each dimension's score with all its item weights
    equal, which adds the "equal weights at both levels" scenario.
    """
    import numpy as np

    weights = _checked_weights(scores, weights)
    ones = dict.fromkeys(scores, 1.0)
    scenarios = [
        _scenario(FRAMEWORK, arithmetic(scores, weights), scores, scale),
        _scenario(EQUAL, arithmetic(scores, ones), scores, scale),
    ]
    if equal_item_scores is not None:
        equal_items = {code: equal_item_scores.get(code) for code in scores}
        scenarios.append(_scenario(EQUAL_ITEMS, arithmetic(equal_items, ones), equal_items, scale))
    for left_out in scores:
        if scores[left_out] is None:
            continue  # leaving out a dimension without a score changes nothing
        rest = {code: (None if code == left_out else score) for code, score in scores.items()}
        scenarios.append(_scenario(WITHOUT, arithmetic(rest, weights), rest, scale, left_out))
    scenarios.append(_scenario(GEOMETRIC, geometric(scores, weights), scores, scale))

    sample = random_overall(scores, weights, draws=draws, seed=seed, concentration=concentration)
    if sample.size:
        low, median, high = (float(v) for v in np.percentile(sample, [BAND_LOW, 50, BAND_HIGH]))
    else:
        low = median = high = None
    monte_carlo = {
        "draws": draws,
        "used": int(sample.size),
        "seed": seed,
        "concentration": concentration,
        "parameters": dirichlet_parameters(weights, concentration),
        "low": low,
        "median": median,
        "high": high,
        "low_band": band_for(low, scale),
        "high_band": band_for(high, scale),
    }
    dimension_ranges = []
    for code in scores:
        seen = [s["dimensions"].get(code) for s in scenarios]
        seen = [value for value in seen if value is not None]
        dimension_ranges.append(
            {"code": code, "min": min(seen, default=None), "max": max(seen, default=None)}
        )
    base_band = scenarios[0]["band"]
    return {
        "scenarios": scenarios,
        "monte_carlo": monte_carlo,
        "dimensions": dimension_ranges,
        "changed_band": sum(
            1 for s in scenarios[1:] if s["band"] is not None and s["band"] != base_band
        ),
        # Robust: both ends of the 5-95 % band sit in the framework overall's maturity band.
        "robust": (
            None
            if base_band is None
            else monte_carlo["low_band"] == base_band == monte_carlo["high_band"]
        ),
    }


def sensitivity(
    *,
    scale: Scale,
    dimensions: Sequence[DimensionSpec],
    items: Sequence[ItemAnswer],
    draws: int = DRAWS,
    seed: int = SEED,
    concentration: float = CONCENTRATION,
) -> dict:
    """sensitivity_of for the inputs score_assessment takes."""
    result = score_assessment(scale=scale, dimensions=dimensions, items=items)
    equal = score_assessment(
        scale=scale,
        dimensions=dimensions,
        items=[dataclasses.replace(item, weight=1.0) for item in items],
    )
    return sensitivity_of(
        scores={code: d.score for code, d in result.dimensions.items()},
        weights={d.code: d.weight for d in dimensions},
        scale=scale,
        equal_item_scores={code: d.score for code, d in equal.dimensions.items()},
        draws=draws,
        seed=seed,
        concentration=concentration,
    )

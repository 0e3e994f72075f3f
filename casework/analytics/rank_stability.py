"""How stable each case's rank in the portfolio is when the weights or the aggregation change.

Pure: the dimension scores of many assessments of ONE framework version, the dimension weights
and the scale in, plain dicts out. The perturbations are those of casework.analytics.sensitivity
(equal weights, each dimension left out, geometric mean, seeded Dirichlet weights), applied to
every case at once; docs/scoring.md ("Rank stability") describes the method in words.
"""

from __future__ import annotations

from collections.abc import Mapping

from casework.analytics import sensitivity
from casework.scoring import Scale, _positive_weight, band_for

# A case is "stable" when the 5th and 95th percentile of its Monte Carlo rank are at most
# this many places apart (e.g. 4th to 6th is stable, 4th to 7th is not).
STABLE_SPREAD = 2
TIE_DECIMALS = 12  # overalls equal to this many decimals tie (float noise must not split a tie)


def ranks_of(overalls):
    """Competition ranks per row (1 = highest, ties share the better rank); NaN ranks last.

    overalls: a 2-D numpy array, draws × cases. Sorting, not pairwise comparison, so that
    1,000 draws of 2,000 cases stay fast.
    """
    import numpy as np

    values = np.nan_to_num(np.round(overalls, TIE_DECIMALS), nan=-1.0)
    order = np.argsort(-values, axis=1)
    ordered = np.take_along_axis(values, order, axis=1)
    positions = np.arange(values.shape[1])
    starts = np.ones_like(ordered, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    # Each value takes the position where its run of equal values starts.
    first = np.maximum.accumulate(np.where(starts, positions, 0), axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, first + 1, axis=1)
    return ranks


def _scenarios(codes) -> list[dict]:
    """The alternatives to the framework weights, in the order of sensitivity_of."""
    found = [{"code": sensitivity.EQUAL, "dimension": ""}]
    found += [{"code": sensitivity.WITHOUT, "dimension": code} for code in codes]
    found.append({"code": sensitivity.GEOMETRIC, "dimension": ""})
    return found


def _weighted_means(weight_rows, values, mask):
    """sensitivity.arithmetic for every weight row × case at once (NaN when nothing is scored)."""
    import numpy as np

    with np.errstate(invalid="ignore", divide="ignore"):
        return (weight_rows @ values.T) / (weight_rows @ mask.T)


def _geometric_means(weights, values, mask):
    """sensitivity.geometric for every case at once: any scored dimension at 0 gives 0."""
    import numpy as np

    scored_weight = weights * mask
    with np.errstate(invalid="ignore", divide="ignore"):
        logs = np.where(mask > 0, np.log(np.where(values > 0, values, 1.0)), 0.0)
        means = np.exp((logs @ weights) / scored_weight.sum(axis=1))
    means = np.minimum(means, np.where(mask > 0, values, 0.0).max(axis=1))
    has_zero = ((values <= 0) & (mask > 0)).any(axis=1)
    return np.where(has_zero, 0.0, means)


def rank_stability(
    profiles: Mapping[object, Mapping[str, float | None]],
    weights: Mapping[str, float],
    scale: Scale,
    *,
    draws: int = sensitivity.DRAWS,
    seed: int = sensitivity.SEED,
    concentration: float = sensitivity.CONCENTRATION,
) -> dict:
    """Each case's rank under the framework weights, under each scenario and under random weights.

    profiles: {case: {dimension code: score 0..1 or None}}, all of one framework version;
    cases without any score are not ranked (listed under "unranked"). Returns
    {"scenarios": [{"code", "dimension"}], "cases": {case: {...}}, "unranked": [...],
    "draws", "used", "seed", "concentration"}; each case has overall, band, rank, scenario_ranks
    (in the order of "scenarios"; None when a scenario leaves the case without a score),
    best/worst (over the framework weights and every scenario), mc_low/mc_high (the 5th and
    95th percentile of its rank over the random weights) and stable.
    """
    import numpy as np

    codes = list(weights)
    weights = {code: _positive_weight(weights[code], f"dimension {code!r}") for code in codes}
    keys = [k for k, scores in profiles.items() if any(v is not None for v in scores.values())]
    unranked = [k for k in profiles if k not in set(keys)]
    result = {
        "scenarios": [],
        "cases": {},
        "unranked": unranked,
        "draws": draws,
        "used": 0,
        "seed": seed,
        "concentration": concentration,
    }
    specs = _scenarios(codes)
    result["scenarios"] = specs
    if not keys:
        return result
    values = np.array([[profiles[k].get(c) or 0.0 for c in codes] for k in keys], dtype=float)
    mask = np.array([[profiles[k].get(c) is not None for c in codes] for k in keys], dtype=float)
    framework = np.array([weights[c] for c in codes])
    # One weight row per arithmetic scenario: the framework's, all equal, each one left out.
    rows = [framework, np.ones(len(codes))]
    rows += [np.where(np.arange(len(codes)) == i, 0.0, framework) for i in range(len(codes))]
    table = np.vstack(
        [_weighted_means(np.array(rows), values, mask), _geometric_means(framework, values, mask)]
    )  # NaN where a scenario leaves a case with no score: it ranks last there
    fixed = ranks_of(table)
    base = table[0]

    alpha = sensitivity.dirichlet_parameters(weights, concentration)
    sample = np.random.default_rng(seed).dirichlet([alpha[c] for c in codes], size=max(draws, 0))
    drawn = ranks_of(_weighted_means(sample, values, mask))  # draws × cases
    if drawn.shape[0]:
        low = np.percentile(drawn, sensitivity.BAND_LOW, axis=0, method="lower")
        high = np.percentile(drawn, sensitivity.BAND_HIGH, axis=0, method="higher")
    result["used"] = int(drawn.shape[0])
    for i, key in enumerate(keys):
        scenario_ranks = [
            None if np.isnan(table[j + 1, i]) else int(fixed[j + 1, i]) for j in range(len(specs))
        ]
        seen = [int(fixed[0, i])] + [r for r in scenario_ranks if r is not None]
        mc_low = int(low[i]) if drawn.shape[0] else None
        mc_high = int(high[i]) if drawn.shape[0] else None
        overall = float(base[i])
        result["cases"][key] = {
            "overall": overall,
            "band": band_for(overall, scale),
            "rank": int(fixed[0, i]),
            "scenario_ranks": scenario_ranks,
            "best": min(seen),
            "worst": max(seen),
            "mc_low": mc_low,
            "mc_high": mc_high,
            "stable": None if mc_low is None else mc_high - mc_low <= STABLE_SPREAD,
        }
    return result

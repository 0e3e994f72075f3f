"""Two analysts' answers to the same items, compared: plain data in, agreement figures out.

An answer is a pair (level, not_applicable); an unanswered item is (None, False). Items are
ordered for adjudication: two levels apart or more first (largest gap first), then
applicable in one rating only, then one level apart, then unanswered in one, then agreed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from casework.analytics.agreement import (
    KAPPA_BAND_LABELS,
    cohen_kappa,
    exact_agreement,
    kappa_band,
)

FAR = "far"  # two levels apart or more
NA = "na"  # not applicable in one rating, a level in the other
NEAR = "near"  # one level apart
MISSING = "missing"  # answered in one rating only
AGREED = "agreed"
ORDER = {FAR: 0, NA: 1, NEAR: 2, MISSING: 3, AGREED: 4}
FAR_APART = 2


@dataclass(frozen=True)
class PairedItem:
    code: str
    dimension: str
    first: tuple[int | None, bool]
    second: tuple[int | None, bool]


def _given(answer: tuple[int | None, bool]) -> bool:
    level, not_applicable = answer
    return level is not None or not_applicable


def item_status(first: tuple[int | None, bool], second: tuple[int | None, bool]) -> str:
    """How two answers to one item compare: far, na, near, missing or agreed."""
    if first == second:
        return AGREED
    if not (_given(first) and _given(second)):
        return MISSING
    if first[1] or second[1]:
        return NA
    return FAR if abs(first[0] - second[0]) >= FAR_APART else NEAR


def differs(first: tuple[int | None, bool], second: tuple[int | None, bool]) -> bool:
    """Whether the two answers need a reviewer's decision."""
    return item_status(first, second) != AGREED


def _levels(items: Sequence[PairedItem]) -> tuple[list, list]:
    """The two raters' levels, None where either is N/A or unanswered (kappa leaves them out)."""
    a, b = [], []
    for item in items:
        a.append(None if item.first[1] else item.first[0])
        b.append(None if item.second[1] else item.second[0])
    return a, b


def figures(items: Sequence[PairedItem], *, categories: Sequence[int]) -> dict:
    """Exact agreement, Cohen's kappa and quadratic-weighted kappa with their bands."""
    a, b = _levels(items)
    kappa = cohen_kappa(a, b, categories=categories)
    quadratic = cohen_kappa(a, b, weights="quadratic", categories=categories)
    exact = exact_agreement(a, b)
    return {
        "items": len(items),
        "rated_by_both": sum(
            1 for x, y in zip(a, b, strict=True) if x is not None and y is not None
        ),
        "exact": exact,
        "exact_percent": None if exact is None else round(exact * 100, 1),
        "kappa": kappa,
        "kappa_band": kappa_band(kappa),
        "kappa_band_label": _band_label(kappa),
        "quadratic_kappa": quadratic,
        "quadratic_kappa_band": kappa_band(quadratic),
        "quadratic_kappa_band_label": _band_label(quadratic),
        "far_apart": sum(1 for item in items if item_status(item.first, item.second) == FAR),
        "to_decide": sum(1 for item in items if differs(item.first, item.second)),
    }


def _band_label(value: float | None) -> str:
    band = kappa_band(value)
    return str(KAPPA_BAND_LABELS[band]) if band else ""


def agreement(
    items: Sequence[PairedItem], *, categories: Sequence[int], dimensions: Sequence[str]
) -> dict:
    """Overall and per-dimension figures, and the items in adjudication order."""
    by_dimension = {code: [] for code in dimensions}
    for item in items:
        by_dimension.setdefault(item.dimension, []).append(item)
    ordered = sorted(
        enumerate(items),
        key=lambda pair: (
            ORDER[item_status(pair[1].first, pair[1].second)],
            -_gap(pair[1]),
            pair[0],
        ),
    )
    return {
        "overall": figures(items, categories=categories),
        "dimensions": {
            code: figures(members, categories=categories) for code, members in by_dimension.items()
        },
        "items": [
            {
                "item": item,
                "status": item_status(item.first, item.second),
                "gap": _gap(item),
            }
            for _index, item in ordered
        ],
    }


def _gap(item: PairedItem) -> int:
    """Levels apart, when both raters gave a level; else 0."""
    (a, a_na), (b, b_na) = item.first, item.second
    if a is None or b is None or a_na or b_na:
        return 0
    return abs(a - b)

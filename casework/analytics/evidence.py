"""How much of a score rests on weak evidence: the part the charts shade and the tables state.

Pure: report item dicts in (as `casework.reports.context` builds them), numbers out. An item
rests on weak evidence when the analyst rated it with low confidence or with none, or gave
neither evidence text nor a cited source. A dimension's score is the weighted mean of its
rated items (weights renormalised over them, as `casework.scoring` does), so it splits exactly
into a firm part and a weak part: firm + weak = score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

WEAK_CONFIDENCE = ("low", "")


def is_weak(item: Mapping) -> bool:
    """A rated item whose confidence is low or unset, or that has no evidence and no citation."""
    no_evidence = not (item.get("evidence") or "").strip() and not item.get("citations")
    return (item.get("confidence") or "") in WEAK_CONFIDENCE or no_evidence


def split(items: Iterable[Mapping]) -> dict:
    """{"firm", "weak"} parts (0..1) of the items' weighted mean score, or None for both.

    Only rated items count (those with a score); not-applicable and unanswered ones have none.
    """
    rated = [item for item in items if item.get("score") is not None]
    total = math.fsum(item["weight"] for item in rated)
    if not rated or total <= 0:
        return {"firm": None, "weak": None, "weak_items": 0, "rated_items": len(rated)}
    weak_items = [item for item in rated if is_weak(item)]
    weak = math.fsum(item["weight"] * item["score"] for item in weak_items) / total
    firm = math.fsum(item["weight"] * item["score"] for item in rated if not is_weak(item)) / total
    return {"firm": firm, "weak": weak, "weak_items": len(weak_items), "rated_items": len(rated)}


def annotate(report: dict) -> None:
    """Add the split to each dimension of a report context, as 0..100 points and a share.

    `firm_percent` is what the radar's inner shape draws; `weak_points` the gap to the score,
    and `weak_share` the percentage of the score that gap is.
    """
    from casework.scoring import to_percent

    for dimension in report["dimensions"]:
        parts = split(dimension.get("items", []))
        score = dimension.get("score")
        dimension["firm_percent"] = to_percent(parts["firm"])
        dimension["weak_points"] = to_percent(parts["weak"])
        dimension["weak_share"] = (
            to_percent(parts["weak"] / score) if parts["weak"] is not None and score else None
        )
        dimension["weak_items"] = parts["weak_items"]
        dimension["rated_items"] = parts["rated_items"]
    report["has_weak_evidence"] = any(d["weak_items"] for d in report["dimensions"])

"""Presenters that turn analytics results into plain data for the report page and the PDF."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from casework.analytics import sensitivity as sens
from casework.scoring import Scale, to_percent


def _scale_of(report: dict) -> Scale:
    scale = report.get("scale") or {}
    if "min" in scale and "max" in scale and scale["max"] > scale["min"]:
        return Scale(min=scale["min"], max=scale["max"])
    return Scale()


def _band_labels(report: dict) -> dict:
    return {
        level["value"]: level.get("label", "")
        for level in (report.get("scale") or {}).get("levels", [])
    }


def _equal_item_score(dimension: dict) -> float | None:
    """The dimension's score with all its rated items weighted alike (None when none is rated)."""
    rated = [item["score"] for item in dimension.get("items", []) if item.get("score") is not None]
    return math.fsum(rated) / len(rated) if rated else None


def _label(scenario: dict, titles: dict) -> str:
    code = scenario["code"]
    if code == sens.FRAMEWORK:
        return _("Framework weights")
    if code == sens.EQUAL:
        return _("Equal dimension weights")
    if code == sens.EQUAL_ITEMS:
        return _("Equal weights for dimensions and items")
    if code == sens.GEOMETRIC:
        return _("Geometric mean of the dimensions")
    return _("Without %(dimension)s") % {"dimension": titles.get(scenario["dimension"], "")}


def sensitivity_context(report: dict) -> dict:
    """The sensitivity section of one assessment report, from its context (dimensions, scale)."""
    dimensions = report["dimensions"]
    scale = _scale_of(report)
    labels = _band_labels(report)
    titles = {d["code"]: f"{d['code']} {d.get('title', '')}".strip() for d in dimensions}
    result = sens.sensitivity_of(
        scores={d["code"]: d.get("score") for d in dimensions},
        weights={d["code"]: d["weight"] for d in dimensions},
        scale=scale,
        equal_item_scores={d["code"]: _equal_item_score(d) for d in dimensions},
    )
    base_band = result["scenarios"][0]["band"]
    rows = [
        {
            "code": scenario["code"],
            "dimension": scenario["dimension"],
            "label": _label(scenario, titles),
            "percent": to_percent(scenario["overall"]),
            "band": scenario["band"],
            "band_label": labels.get(scenario["band"], ""),
            "changes_band": scenario["band"] is not None and scenario["band"] != base_band,
        }
        for scenario in result["scenarios"]
    ]
    monte_carlo = result["monte_carlo"]
    band = {
        "low_percent": to_percent(monte_carlo["low"]),
        "median_percent": to_percent(monte_carlo["median"]),
        "high_percent": to_percent(monte_carlo["high"]),
        "low_band": monte_carlo["low_band"],
        "high_band": monte_carlo["high_band"],
        "low_band_label": labels.get(monte_carlo["low_band"], ""),
        "high_band_label": labels.get(monte_carlo["high_band"], ""),
        "draws": monte_carlo["draws"],
        "seed": monte_carlo["seed"],
        "concentration": monte_carlo["concentration"],
    }
    ranges = [
        {
            "code": entry["code"],
            "title": titles[entry["code"]],
            "min_percent": to_percent(entry["min"]),
            "max_percent": to_percent(entry["max"]),
            "varies": entry["min"] != entry["max"],
        }
        for entry in result["dimensions"]
    ]
    if result["robust"] is None:
        verdict = _("Not scored yet: there is nothing to test.")
    elif result["robust"]:
        verdict = _(
            "Robust: in 90 %% of %(draws)s random weightings the overall stays in band "
            "%(band)s (%(label)s)."
        ) % {"draws": band["draws"], "band": base_band, "label": labels.get(base_band, "")}
    else:
        verdict = _(
            "Sensitive to the weights: in 90 %% of %(draws)s random weightings the overall "
            "ranges from band %(low)s to band %(high)s, not only band %(band)s."
        ) % {
            "draws": band["draws"],
            "low": band["low_band"],
            "high": band["high_band"],
            "band": base_band,
        }
    return {
        "available": result["robust"] is not None,
        "robust": result["robust"],
        "verdict": verdict,
        "rows": rows,
        "band": band,
        "dimensions": ranges,
        "changed_band": result["changed_band"],
    }


def whatif_data(report: dict) -> dict:
    """What the report's what-if panel needs to recompute the overall in the browser.

    Dimension scores are 0..1 (None when a dimension has no rated item), with the score each
    would have if its items were weighted alike; weights are the framework's. The browser
    repeats `sensitivity.arithmetic` / `sensitivity.geometric` and `scoring.band_for`, so the
    panel's first reading equals the report's overall.
    """
    scale = _scale_of(report)
    labels = _band_labels(report)
    return {
        "scale": {"min": scale.min, "max": scale.max},
        "bands": {str(value): label for value, label in labels.items()},
        "overall": (report.get("overall") or {}).get("score"),
        "dimensions": [
            {
                "code": d["code"],
                "title": d.get("title", ""),
                "weight": float(d["weight"]),
                "score": d.get("score"),
                "equal_items_score": _equal_item_score(d),
            }
            for d in report["dimensions"]
        ],
    }

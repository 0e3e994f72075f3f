"""The portfolio's rank stability page: loads the scores, ranks them, shapes the rows.

The scores are the stored ones (casework.readmodel): the latest approved round of each case
the user may see, on one framework version. Ranking needs every case at once, so all of that
version's rows are read (one query, scores only); the table shows a page of them.
"""

from __future__ import annotations

import json
import math

from django.db.models import TextField
from django.db.models.functions import Cast

from casework import access, readmodel
from casework.analytics.rank_stability import STABLE_SPREAD, rank_stability
from casework.models import Assessment
from casework.scoring import Scale, to_percent
from frameworks.models import Dimension, FrameworkVersion, ScaleLevel, pick_language

TABLE_ROWS = 50


def version_choices() -> list[FrameworkVersion]:
    """Published and retired versions (approved rounds may use either), framework by framework."""
    return list(
        FrameworkVersion.objects.filter(
            status__in=(FrameworkVersion.Status.PUBLISHED, FrameworkVersion.Status.RETIRED)
        )
        .select_related("framework")
        .order_by("framework__code", "-number")
    )


def default_version(versions: list[FrameworkVersion]) -> FrameworkVersion | None:
    """The latest published version of the first framework (by code), else the first listed."""
    published = [v for v in versions if v.status == FrameworkVersion.Status.PUBLISHED]
    if published:
        first = published[0].framework_id
        return max((v for v in published if v.framework_id == first), key=lambda v: v.number)
    return versions[0] if versions else None


def version_label(version: FrameworkVersion) -> str:
    name = pick_language(version.name_zh, version.name_en)
    return f"{version.framework.code} v{version.number} ({version.label}) · {name}"


def _approved_rounds(user, version: FrameworkVersion):
    """(assessment, case, title, dimension scores) of the latest approved rounds (1 query)."""
    cases = access.cases_visible_to(user).filter(archived_at__isnull=True)
    rounds = (
        readmodel.latest_rounds(status=Assessment.Status.APPROVED)
        .filter(case__in=cases.values("pk"), version=version)
        .exclude(access.hidden_by_blind_scoring(user))
        .order_by()
        .annotate(dimension_scores=Cast("score_snapshot__dimensions", output_field=TextField()))
    )
    return list(rounds.values_list("pk", "case_id", "case__title", "dimension_scores"))


def stability_context(user, version: FrameworkVersion, page: int = 1) -> dict:
    """The ranked rows of one version (a page of TABLE_ROWS), and what the page says about them."""
    rounds = _approved_rounds(user, version)
    dimensions = list(
        Dimension.objects.filter(version=version)
        .order_by("order", "code")
        .values_list("code", "weight")
    )
    levels = list(ScaleLevel.objects.filter(version=version).values_list("value", flat=True))
    weights = {code: float(weight) for code, weight in dimensions}
    profiles = {}
    for pk, _case, _title, text in rounds:
        scores = json.loads(text or "{}")
        profiles[pk] = {code: scores.get(code) for code in weights}
    scale = Scale(min=min(levels), max=max(levels)) if levels else Scale()
    result = rank_stability(profiles, weights, scale) if weights else None
    ranked = result["cases"] if result else {}
    rows = [_row(pk, case, title, ranked[pk]) for pk, case, title, _text in rounds if pk in ranked]
    rows.sort(key=lambda row: (row["rank"], row["title"], row["assessment_id"]))
    page_count = max(1, math.ceil(len(rows) / TABLE_ROWS))
    page = min(max(1, page), page_count)
    return {
        "rows": rows[(page - 1) * TABLE_ROWS : page * TABLE_ROWS],
        "count": len(rows),
        "unranked": len(rounds) - len(rows),
        "stable_count": sum(1 for row in rows if row["stable"]),
        "page": page,
        "page_count": page_count,
        "first_row": (page - 1) * TABLE_ROWS + 1,
        "scenario_count": len(result["scenarios"]) if result else 0,
        "draws": result["draws"] if result else 0,
        "seed": result["seed"] if result else None,
        "stable_spread": STABLE_SPREAD,
    }


def _range(low, high) -> str:
    return str(low) if low == high else f"{low}–{high}"


def _row(pk, case_id, title, ranks: dict) -> dict:
    return {
        "assessment_id": pk,
        "case_id": case_id,
        "title": title,
        "percent": to_percent(ranks["overall"]),
        "rank": ranks["rank"],
        "scenario_range": _range(ranks["best"], ranks["worst"]),
        "mc_range": "" if ranks["mc_low"] is None else _range(ranks["mc_low"], ranks["mc_high"]),
        "stable": ranks["stable"],
    }

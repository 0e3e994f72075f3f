"""Where an assessment stands among approved assessments of the same framework version.

Peers are the latest approved round of every other non-archived case the user may see,
scored with the portfolio's vectorised scorer (5 queries whatever the number of cases). A
cohort is hidden, with the reason, when it holds fewer peers than settings.COHORT_MIN_SIZE.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

ALL = "all"
LEVEL = "level"
SECTOR = "sector"
UNIT = "unit"
COHORTS = (ALL, LEVEL, SECTOR, UNIT)


def percentile_rank(value: float, peers) -> float:
    """Percent of peers scoring below `value`, ties counting half (0..100, one decimal)."""
    peers = list(peers)
    below = sum(1 for peer in peers if round(peer, 9) < round(value, 9))
    equal = sum(1 for peer in peers if round(peer, 9) == round(value, 9))
    return round(100 * (below + 0.5 * equal) / len(peers), 1)


def _cohort_label(cohort: str) -> str:
    return {
        ALL: _("All cases you can see"),
        LEVEL: _("Same administrative level"),
        SECTOR: _("Same sector"),
        UNIT: _("Same unit"),
    }[cohort]


def _hidden_reason(size: int, minimum: int) -> str:
    return _(
        "Hidden: %(size)s other approved assessments in this cohort; at least %(minimum)s are "
        "needed so that no single case can be recognised."
    ) % {"size": size, "minimum": minimum}


def _peers(user, assessment):
    """Latest approved assessments of the other visible cases on this version, with their case facts."""
    from casework.reports.portfolio import PortfolioFilters, portfolio_frames

    frames = portfolio_frames(user, PortfolioFilters(status="approved"))
    peers = frames["assessments"]
    peers = peers[
        (peers["version"] == assessment.version_id) & (peers["case"] != assessment.case_id)
    ]
    peers = peers.merge(frames["cases"][["case", "level", "sector_key", "unit__code"]], on="case")
    # One row per (assessment, dimension) with its score on 0–100, from the stored read model.
    wide = frames["dimension_percent"]
    wide = wide[wide.index.isin(peers["assessment"])]
    per_dim = wide.stack().rename("score").rename_axis(["assessment", "dimension"]).reset_index()
    return peers, per_dim


def cohort_percentiles(assessment, user, *, report: dict) -> dict:
    """Percentiles of `assessment` (scored in `report`, its assessment_context) in every cohort.

    Only assessments `user` may see count. Overall and per dimension; each figure is hidden,
    with a reason, when fewer than COHORT_MIN_SIZE peers have a score for it.
    """
    minimum = settings.COHORT_MIN_SIZE
    peers, per_dim = _peers(user, assessment)
    case = assessment.case
    selectors = {
        ALL: None,
        LEVEL: ("level", case.level),
        # By key, so that two spellings of one listed sector are one cohort.
        SECTOR: ("sector_key", case.sector_key),
        UNIT: ("unit__code", case.unit.code),
    }
    own_overall = report["overall"]["score"]
    cohorts = []
    for cohort in COHORTS:
        entry = {"code": cohort, "label": _cohort_label(cohort), "size": 0, "shown": False}
        selector = selectors[cohort]
        if cohort == SECTOR and not case.sector_key:
            entry["reason"] = _("This case has no sector, so it has no sector cohort.")
            entry["overall"], entry["dimensions"] = None, []
            cohorts.append(entry)
            continue
        members = peers if selector is None else peers[peers[selector[0]] == selector[1]]
        scored = members["overall"].dropna()
        entry["size"] = int(len(scored))
        entry["shown"] = entry["size"] >= minimum and own_overall is not None
        if own_overall is None:
            entry["reason"] = _("This assessment has no overall score yet.")
        elif not entry["shown"]:
            entry["reason"] = _hidden_reason(entry["size"], minimum)
        else:
            entry["reason"] = ""
        entry["overall"] = percentile_rank(own_overall, scored.tolist()) if entry["shown"] else None
        member_dims = per_dim[per_dim["assessment"].isin(members["assessment"])]
        entry["dimensions"] = []
        for dimension in report["dimensions"]:
            values = member_dims.loc[member_dims["dimension"] == dimension["code"], "score"]
            values = values.dropna().tolist()
            own = dimension["percent"]
            shown = entry["shown"] and own is not None and len(values) >= minimum
            entry["dimensions"].append(
                {
                    "code": dimension["code"],
                    "title": dimension.get("title", ""),
                    "size": len(values),
                    "percentile": percentile_rank(own, values) if shown else None,
                }
            )
        cohorts.append(entry)
    return {"min_size": minimum, "cohorts": cohorts}

"""The registers of an assessment as the report shows them, and what its summary picks from them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework.indicators import indicator_met, indicator_progress
from casework.models import Assessment, Indicator, Risk
from casework.scoring import to_percent

SEVERE_RISKS = 5
MISSED_INDICATORS = 5


def _number(value) -> float | None:
    return None if value is None else float(value)


def _indicator_row(indicator: Indicator) -> dict:
    measurements = [
        {"date": m.measured_on, "value": float(m.value), "note": m.note}
        for m in sorted(indicator.measurements.all(), key=lambda m: (m.measured_on, m.pk))
    ]
    if measurements:
        latest, latest_date = measurements[-1]["value"], measurements[-1]["date"]
    else:
        latest, latest_date = _number(indicator.actual), None
    progress = indicator_progress(
        baseline=indicator.baseline,
        target=indicator.target,
        actual=latest,
        higher_is_better=indicator.higher_is_better,
    )
    return {
        "family": indicator.family,
        "family_label": indicator.get_family_display(),
        "name": indicator.name,
        "unit": indicator.unit,
        "baseline": _number(indicator.baseline),
        "target": _number(indicator.target),
        "actual": _number(indicator.actual),
        "higher_is_better": indicator.higher_is_better,
        "direction_label": _("Higher is better")
        if indicator.higher_is_better
        else _("Lower is better"),
        "measurements": measurements,
        "latest": latest,
        "latest_date": latest_date,
        "progress": progress,
        "progress_percent": to_percent(progress),
        "met": indicator_met(
            target=indicator.target, actual=latest, higher_is_better=indicator.higher_is_better
        ),
    }


def _registers(assessment: Assessment) -> dict[str, list[dict]]:
    """The five registers of an assessment as plain rows (6 queries)."""
    goals = [
        {
            "statement": g.statement,
            "owner": g.owner,
            "deadline": g.deadline,
            "target": g.target,
            "specific": g.specific,
            "measurable": g.measurable,
            "achievable": g.achievable,
            "relevant": g.relevant,
            "time_bound": g.time_bound,
            "smart_count": sum((g.specific, g.measurable, g.achievable, g.relevant, g.time_bound)),
        }
        for g in assessment.goals.all()
    ]
    stakeholders = [
        {
            "name": s.name,
            "group": s.group,
            "group_label": s.get_group_display(),
            "influence": s.influence,
            "interest": s.interest,
            "attitude": s.attitude,
            "attitude_label": s.get_attitude_display(),
            "approach": s.approach,
        }
        for s in assessment.stakeholders.all()
    ]
    risks = [
        {
            "category": r.category,
            "category_label": r.get_category_display(),
            "description": r.description,
            "likelihood": r.likelihood,
            "impact": r.impact,
            "severity": r.severity,
            "response": r.response,
            "owner": r.owner,
            "status": r.status,
            "status_label": r.get_status_display(),
            "outcome": r.outcome,
            "occurred": r.status == Risk.Status.OCCURRED,
        }
        for r in assessment.risks.all()
    ]
    indicators = [_indicator_row(i) for i in assessment.indicators.prefetch_related("measurements")]
    phases = [
        {
            "name": p.name,
            "start": p.start,
            "end": p.end,
            "is_pilot": p.is_pilot,
            "status": p.status,
            "status_label": p.get_status_display(),
        }
        for p in assessment.phases.all()
    ]
    return {
        "goals": goals,
        "stakeholders": stakeholders,
        "risks": risks,
        "indicators": indicators,
        "phases": phases,
    }


def _severity_key(risk: dict):
    return (-risk["severity"], not risk["occurred"])


def _shortfall(indicator: dict) -> float:
    """How far an indicator is from its target, as a share of the way (bigger = worse)."""
    progress = indicator["progress"]
    return 1.0 - progress if progress is not None else 0.0


def _register_summary(registers: dict | None) -> dict:
    if not registers:
        return {"severe_risks": [], "occurred_risks": [], "missed_indicators": []}
    risks = sorted(registers["risks"], key=_severity_key)
    missed = [i for i in registers["indicators"] if i["met"] is False]
    return {
        "severe_risks": risks[:SEVERE_RISKS],
        "occurred_risks": [r for r in registers["risks"] if r["occurred"]],
        "missed_indicators": sorted(missed, key=_shortfall, reverse=True)[:MISSED_INDICATORS],
    }

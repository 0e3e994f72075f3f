"""Report contexts: selectors and scoring turn assessments into plain dicts; no presentation.

Every context is built in the active language (framework texts are `Localized`), holds only
plain data (str, numbers, dates, lists, dicts) and can be hashed for the PDF's content hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from casework import documents, readmodel
from casework.analytics import evidence as evidence_strength
from casework.analytics.report import sensitivity_context
from casework.citations import format_citation, normalize_citations
from casework.double import report_agreement
from casework.indicators import indicator_met, indicator_progress
from casework.models import Action, Answer, Assessment, Case, CaseEvent, CaseSource, Indicator, Risk
from casework.models.narrative import DimensionFinding
from casework.scoring import (
    AssessmentScore,
    DimensionSpec,
    ItemAnswer,
    Scale,
    score_assessment,
    to_percent,
)
from frameworks.models import Dimension, ScaleLevel

STRENGTHS = 3
GAPS = 5
SEVERE_RISKS = 5
MISSED_INDICATORS = 5
MAX_COMPARED = 6


class CompareError(ValueError):
    """The assessments chosen for a comparison cannot be compared; the message says why."""


# --- one assessment ---------------------------------------------------------------------


def _version_parts(version_ids: Iterable[int]) -> tuple[dict, dict]:
    """Scale levels and dimensions of some framework versions, keyed by version id (2 queries)."""
    version_ids = set(version_ids)
    levels: dict[int, list[ScaleLevel]] = {pk: [] for pk in version_ids}
    for level in ScaleLevel.objects.filter(version_id__in=version_ids).order_by("value"):
        levels[level.version_id].append(level)
    dimensions: dict[int, list[Dimension]] = {pk: [] for pk in version_ids}
    for dimension in Dimension.objects.filter(version_id__in=version_ids).order_by("order", "code"):
        dimensions[dimension.version_id].append(dimension)
    return levels, dimensions


def _scale_of(levels: Sequence[ScaleLevel]) -> Scale:
    values = [level.value for level in levels]
    return Scale(min=min(values), max=max(values)) if values else Scale()


def _item_answer(answer: Answer) -> ItemAnswer:
    criterion = answer.criterion
    return ItemAnswer(
        code=criterion.code,
        dimension=criterion.dimension.code,
        weight=float(criterion.weight),
        kind=criterion.kind,
        level=answer.level,
        not_applicable=answer.not_applicable,
        confidence=answer.confidence,
        observation=answer.observation,
    )


def _answers_by_assessment(assessment_ids: Iterable[int]) -> dict[int, list[Answer]]:
    """Answers with their criterion and dimension, grouped per assessment (1 query)."""
    grouped: dict[int, list[Answer]] = {pk: [] for pk in assessment_ids}
    answers = (
        Answer.objects.filter(assessment_id__in=list(grouped))
        .select_related("criterion", "criterion__dimension")
        .order_by("criterion__dimension__order", "criterion__order", "criterion__code")
    )
    for answer in answers:
        grouped[answer.assessment_id].append(answer)
    return grouped


def score_answers(
    answers: Sequence[Answer], levels: Sequence[ScaleLevel], dimensions: Sequence[Dimension]
) -> AssessmentScore:
    """Score an assessment's answers with casework.scoring (no queries)."""
    return score_assessment(
        scale=_scale_of(levels),
        dimensions=[DimensionSpec(code=d.code, weight=float(d.weight)) for d in dimensions],
        items=[_item_answer(answer) for answer in answers],
    )


def _label_for(levels: Sequence[ScaleLevel], value: int | None) -> str:
    for level in levels:
        if level.value == value:
            return level.label
    return ""


def _percent_map(score: AssessmentScore) -> dict[str, float | None]:
    return {code: dimension.percent() for code, dimension in score.dimensions.items()}


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _previous_of(assessment: Assessment) -> Assessment | None:
    """The round this one follows: `previous` if set, else the latest earlier round (1 query)."""
    if assessment.previous_id:
        return Assessment.objects.filter(pk=assessment.previous_id).first()
    return (
        Assessment.objects.filter(
            readmodel.OF_RECORD,
            case_id=assessment.case_id,
            framework_id=assessment.framework_id,
            round__lt=assessment.round,
        )
        .order_by("-round")
        .first()
    )


def paragraphs(text: str) -> list[str]:
    """Plain text split into paragraphs on blank lines; single line breaks stay inside one."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    return [block.strip() for block in blocks if block.strip()]


def _url_of(reference: str) -> str:
    reference = (reference or "").strip()
    return reference if re.match(r"https?://[^\s]+$", reference, re.IGNORECASE) else ""


def _bibliography(sources: Sequence[CaseSource]) -> list[dict]:
    return [
        {
            "number": number,
            "id": source.pk,
            "anchor": f"src-{number}",
            "title": source.title,
            "publisher": source.publisher,
            "reference": source.reference,
            "url": _url_of(source.reference),
            "published_on": source.published_on,
            "accessed_on": source.accessed_on,
            "document": _document_note(source),
        }
        for number, source in enumerate(sources, start=1)
    ]


def _document_note(source: CaseSource) -> str:
    """ "Document on file: PDF, 3.4 MB" for a source with an upload; the file is never embedded."""
    if not source.document_file:
        return ""
    kind = documents.kind_of(source.document_type)
    return _("Document on file: %(type)s, %(size)s") % {
        "type": kind.label if kind else source.document_type,
        "size": documents.size_text(source.document_size),
    }


def case_facts(case: Case) -> dict:
    """The case as a report opens with it: facts, summary, context, timeline, bibliography."""
    sources = list(CaseSource.objects.filter(case_id=case.pk).order_by("order", "id"))
    events = CaseEvent.objects.filter(case_id=case.pk).order_by("happened_on", "id")
    return {
        "id": case.pk,
        "title": case.title,
        "body": case.body,
        "level": case.level,
        "level_label": case.get_level_display(),
        "region": case.region,
        "sector": case.sector_label,
        "period_start": case.period_start,
        "period_end": case.period_end,
        "summary": case.summary,
        "summary_paragraphs": paragraphs(case.summary),
        "context": case.context,
        "context_paragraphs": paragraphs(case.context),
        "tags": [str(tag) for tag in (case.tags or [])],
        "events": [
            {"date": e.happened_on, "title": e.title, "description": e.description} for e in events
        ],
        "sources": _bibliography(sources),
        "unit": case.unit.name if case.unit_id else "",
        "owner": _user_name(case.owner),
    }


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


def _tone(polarity: str, observation: str) -> str:
    """How an observation reads: a present problem is bad news, an absent one good news."""
    if observation not in ("present", "absent"):
        return "unknown"
    if polarity == "neutral":
        return "neutral"
    present = observation == "present"
    good = present if polarity != "negative" else not present
    return "good" if good else "problem"


def _citations(raw, numbers: dict[int, dict]) -> list[dict]:
    cited = []
    for citation in normalize_citations(raw):
        source = numbers.get(citation["source"])
        number = source["number"] if source else None
        cited.append(
            {
                "number": number,
                "anchor": source["anchor"] if source else "",
                "title": source["title"] if source else _("source removed"),
                "locator": citation["locator"],
                "quote": citation["quote"],
                "label": format_citation(number, citation["locator"]),
            }
        )
    return cited


def _item_rows(
    answers: Sequence[Answer],
    score: AssessmentScore,
    levels: Sequence[ScaleLevel],
    sources_by_id: dict[int, dict],
) -> list[dict]:
    rows = []
    for answer in answers:
        criterion = answer.criterion
        normalised = score.items[criterion.code].normalised
        is_observation = criterion.kind == "observation"
        rows.append(
            {
                "code": criterion.code,
                "dimension": criterion.dimension.code,
                "title": criterion.title,
                "kind": criterion.kind,
                "polarity": criterion.polarity,
                "tone": _tone(criterion.polarity, answer.observation) if is_observation else "",
                "weight": float(criterion.weight),
                "order": (criterion.dimension.order, criterion.order, criterion.code),
                "level": answer.level,
                "level_label": _label_for(levels, answer.level),
                "score": normalised,
                "percent": to_percent(normalised),
                "not_applicable": answer.not_applicable,
                "na_reason": answer.na_reason,
                "observation": answer.observation,
                "observation_label": answer.get_observation_display() if answer.observation else "",
                "evidence": answer.evidence,
                "confidence": answer.confidence,
                "confidence_label": answer.get_confidence_display() if answer.confidence else "",
                # A cited source that was deleted since keeps its place as "[?]".
                "citations": _citations(answer.citations, sources_by_id),
                "note": answer.note,
                "recommendation": criterion.recommendation,
                "source_ref": criterion.source_ref,
            }
        )
    return rows


def _strengths_and_gaps(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """Top strengths (highest rated items above 0) and gaps (lowest rated items)."""
    rated = [item for item in items if item["score"] is not None]
    strengths = sorted(
        (item for item in rated if item["score"] > 0),
        key=lambda item: (-item["score"], -item["weight"], item["order"]),
    )[:STRENGTHS]
    # Among equally low items, the heavier one is the bigger gap.
    gaps = sorted(rated, key=lambda item: (item["score"], -item["weight"], item["order"]))[:GAPS]
    return strengths, gaps


def _assessment_facts(assessment: Assessment) -> dict:
    return {
        "id": assessment.pk,
        "round": assessment.round,
        "status": assessment.status,
        "status_label": assessment.get_status_display(),
        "revision": assessment.revision,
        "analyst": _user_name(assessment.created_by),
        "reviewer": _user_name(assessment.reviewed_by),
        "created_at": assessment.created_at,
        "submitted_at": assessment.submitted_at,
        "reviewed_at": assessment.reviewed_at,
        "updated_at": assessment.updated_at,
        "saved_at": assessment.updated_at,
        "perspective": assessment.perspective,
        "perspective_label": assessment.get_perspective_display(),
        "is_retrospective": assessment.perspective == Assessment.Perspective.RETROSPECTIVE,
        "conclusion": assessment.conclusion,
        "conclusion_paragraphs": paragraphs(assessment.conclusion),
        "lessons": assessment.lessons,
        "lessons_paragraphs": paragraphs(assessment.lessons),
    }


def _action_rows(actions: Iterable[Action]) -> list[dict]:
    return [
        {
            "id": action.pk,
            "text": action.text,
            "owner": action.owner,
            "priority": action.priority,
            "priority_label": action.get_priority_display(),
            "due_on": action.due_on,
            "status": action.status,
            "status_label": action.get_status_display(),
            "is_open": action.is_open,
            "criterion_code": action.criterion.code if action.criterion_id else "",
            "criterion_title": action.criterion.title if action.criterion_id else "",
            "carried_from_round": (
                action.carried_from.assessment.round if action.carried_from_id else None
            ),
        }
        for action in actions
    ]


def _actions_of(assessment_ids: Iterable[int]) -> dict[int, list[dict]]:
    """Action plans of some assessments, in plan order (1 query)."""
    grouped: dict[int, list] = {pk: [] for pk in assessment_ids}
    actions = (
        Action.objects.filter(assessment_id__in=list(grouped))
        .select_related("criterion", "carried_from__assessment")
        .order_by("order", "id")
    )
    for action in actions:
        grouped[action.assessment_id].append(action)
    return {pk: _action_rows(rows) for pk, rows in grouped.items()}


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


def assessment_context(assessment: Assessment, *, with_registers: bool = True) -> dict:
    """Everything a report shows about one assessment, scored, as plain data."""
    previous = _previous_of(assessment)
    version_ids = {assessment.version_id} | ({previous.version_id} if previous else set())
    levels_by_version, dimensions_by_version = _version_parts(version_ids)
    answers = _answers_by_assessment([assessment.pk] + ([previous.pk] if previous else []))
    levels = levels_by_version[assessment.version_id]
    dimensions = dimensions_by_version[assessment.version_id]
    score = score_answers(answers[assessment.pk], levels, dimensions)
    case = case_facts(assessment.case)
    sources_by_id = {source["id"]: source for source in case["sources"]}
    items = _item_rows(answers[assessment.pk], score, levels, sources_by_id)
    strengths, gaps = _strengths_and_gaps(items)
    findings = dict(
        DimensionFinding.objects.filter(assessment_id=assessment.pk).values_list(
            "dimension_code", "text"
        )
    )
    actions = _actions_of([assessment.pk] + ([previous.pk] if previous else []))

    previous_facts = None
    if previous is not None:
        previous_score = score_answers(
            answers[previous.pk],
            levels_by_version[previous.version_id],
            dimensions_by_version[previous.version_id],
        )
        previous_facts = {
            "id": previous.pk,
            "round": previous.round,
            "status": previous.status,
            "percent": previous_score.percent(),
            "dimensions": _percent_map(previous_score),
        }

    dimension_rows = []
    for dimension in dimensions:
        result = score.dimensions[dimension.code]
        members = [item for item in items if item["dimension"] == dimension.code]
        dimension_rows.append(
            {
                "code": dimension.code,
                "title": dimension.title,
                "weight": float(dimension.weight),
                "source_ref": dimension.source_ref,
                "registers": list(dimension.registers or []),
                "informs": list(dimension.informs or []),
                "score": result.score,
                "percent": result.percent(),
                "band": result.band,
                "band_label": _label_for(levels, result.band),
                "previous_percent": (
                    previous_facts["dimensions"].get(dimension.code) if previous_facts else None
                ),
                "scored_total": result.scored_total,
                "answered": result.answered,
                "not_applicable": result.not_applicable,
                "unanswered": result.unanswered,
                "completeness_percent": to_percent(result.completeness),
                "confidence": result.confidence,
                "observations": result.observations,
                "items": [item for item in members if item["kind"] == "scored"],
                "observation_items": [item for item in members if item["kind"] == "observation"],
                "findings": findings.get(dimension.code, ""),
                "findings_paragraphs": paragraphs(findings.get(dimension.code, "")),
                "problems": [item for item in members if item["tone"] == "problem"],
            }
        )

    version = assessment.version
    framework = assessment.framework
    registers = _registers(assessment) if with_registers else None
    facts = _assessment_facts(assessment)
    report = {
        "assessment": facts,
        "case": case,
        "framework": {
            "code": framework.code,
            "name": version.name,
            "source_author": version.source_author,
            "source_title": version.source_title,
            "source_reference": version.source_reference,
            "version_number": version.number,
            "version_label": version.label,
        },
        "scale": {
            "min": _scale_of(levels).min,
            "max": _scale_of(levels).max,
            "levels": [
                {"value": lv.value, "label": lv.label, "description": lv.description}
                for lv in levels
            ],
        },
        "overall": {
            "score": score.overall,
            "percent": score.percent(),
            "band": score.band,
            "band_label": _label_for(levels, score.band),
        },
        "counts": {
            "scored_total": score.scored_total,
            "answered": score.answered,
            "not_applicable": score.not_applicable,
            "unanswered": score.unanswered,
            "completeness_percent": to_percent(score.completeness),
        },
        "confidence": score.confidence,
        "observations": score.observations,
        "dimensions": dimension_rows,
        "strengths": strengths,
        "gaps": gaps,
        "previous": previous_facts,
        "registers": registers,
        "has_registers": bool(registers and any(registers.values())),
        "actions": actions[assessment.pk],
        "previous_actions": actions[previous.pk] if previous else [],
        "action_heading": _("Lessons to apply") if facts["is_retrospective"] else _("Action plan"),
        "summary": {
            "conclusion_paragraphs": facts["conclusion_paragraphs"],
            "strengths": strengths,
            "gaps": gaps,
            "problems": [item for item in items if item["tone"] == "problem"],
            **_register_summary(registers),
        },
    }
    # How far the overall would move under other weightings (docs/scoring.md).
    report["sensitivity"] = sensitivity_context(report)
    # How much of each dimension's score rests on weak evidence (docs/scoring.md).
    evidence_strength.annotate(report)
    # Set only for a double-scored round, so that other reports' content hashes don't change.
    agreement = report_agreement(assessment)
    if agreement is not None:
        report["agreement"] = agreement
    return report


# --- a case: the latest round of each framework ---------------------------------------


def latest_assessments(case: Case) -> list[Assessment]:
    """The latest round of each framework the case was assessed against (1 query)."""
    later = Assessment.objects.filter(
        readmodel.OF_RECORD,
        case_id=OuterRef("case_id"),
        framework_id=OuterRef("framework_id"),
        round__gt=OuterRef("round"),
    )
    return list(
        Assessment.objects.filter(readmodel.OF_RECORD, case=case)
        .filter(~Exists(later))
        .select_related("case", "case__unit", "case__owner", "framework", "version")
        .select_related("created_by", "reviewed_by", "second_rating__created_by")
        .order_by("framework__code")
    )


def crosswalk(reports: Sequence[dict]) -> list[dict]:
    """Each dimension's `informs` codes resolved to the scores of another framework's dimensions."""
    by_code = {}
    for report in reports:
        for dimension in report["dimensions"]:
            by_code[dimension["code"]] = (report["framework"]["code"], dimension)
    rows = []
    for report in reports:
        for dimension in report["dimensions"]:
            targets = []
            for code in dimension["informs"]:
                found = by_code.get(code)
                targets.append(
                    {
                        "code": code,
                        "framework": found[0] if found else "",
                        "title": found[1]["title"] if found else "",
                        "percent": found[1]["percent"] if found else None,
                    }
                )
            if targets:
                rows.append(
                    {
                        "framework": report["framework"]["code"],
                        "code": dimension["code"],
                        "title": dimension["title"],
                        "percent": dimension["percent"],
                        "informs": targets,
                    }
                )
    return rows


def _crosswalk_parts(assessments: Sequence[Assessment]) -> list[dict]:
    """What the cross-walk shows of other assessments: dimensions and stored scores (2 queries).

    Their full reports are not needed: the scores come from the read model (ScoreSnapshot,
    which casework.scoring wrote with the answers), not from scoring every answer again.
    """
    from casework.models import ScoreSnapshot

    stored = dict(
        ScoreSnapshot.objects.filter(assessment__in=assessments).values_list(
            "assessment_id", "dimensions"
        )
    )
    dimensions: dict[int, list[Dimension]] = {a.version_id: [] for a in assessments}
    for dimension in Dimension.objects.filter(version_id__in=list(dimensions)).order_by(
        "order", "code"
    ):
        dimensions[dimension.version_id].append(dimension)
    return [
        {
            "framework": {"code": other.framework.code},
            "dimensions": [
                {
                    "code": dimension.code,
                    "title": dimension.title,
                    "percent": to_percent((stored.get(other.pk) or {}).get(dimension.code)),
                    "informs": list(dimension.informs or []),
                }
                for dimension in dimensions[other.version_id]
            ],
        }
        for other in assessments
    ]


def assessment_crosswalk(assessment: Assessment, report: dict) -> list[dict]:
    """The cross-walk of one assessment against the latest rounds of the case's other frameworks."""
    others = [
        other
        for other in latest_assessments(assessment.case)
        if other.framework_id != assessment.framework_id
    ]
    return crosswalk([report, *_crosswalk_parts(others)]) if others else crosswalk([report])


def case_context(case: Case) -> dict:
    """The case with the latest round of each framework and the cross-walk between them."""
    reports = [assessment_context(assessment) for assessment in latest_assessments(case)]
    return {"case": case_facts(case), "reports": reports, "crosswalk": crosswalk(reports)}


# --- comparison -------------------------------------------------------------------------


def compare_context(assessments: Sequence[Assessment]) -> dict:
    """2–6 assessments of one framework side by side, differences against the first."""
    if len(assessments) < 2:
        raise CompareError(_("Choose at least two assessments to compare."))
    if len(assessments) > MAX_COMPARED:
        raise CompareError(
            _("You can compare at most %(max)d assessments at a time.") % {"max": MAX_COMPARED}
        )
    frameworks = {a.framework_id for a in assessments}
    if len(frameworks) > 1:
        raise CompareError(
            _(
                "These assessments use different frameworks (%(codes)s); only assessments of the same framework can be compared."
            )
            % {"codes": ", ".join(sorted({a.framework.code for a in assessments}))}
        )
    levels_by_version, dimensions_by_version = _version_parts(a.version_id for a in assessments)
    answers = _answers_by_assessment(a.pk for a in assessments)
    # Dimensions in the order of the first assessment's version, then any others a later
    # version added.
    columns: list[dict] = []
    seen = set()
    for assessment in assessments:
        for dimension in dimensions_by_version[assessment.version_id]:
            if dimension.code not in seen:
                seen.add(dimension.code)
                columns.append({"code": dimension.code, "title": dimension.title})
    entries = []
    for assessment in assessments:
        levels = levels_by_version[assessment.version_id]
        score = score_answers(
            answers[assessment.pk], levels, dimensions_by_version[assessment.version_id]
        )
        entries.append(
            {
                "id": assessment.pk,
                "label": f"{assessment.case.title} · R{assessment.round}",
                "case_title": assessment.case.title,
                "round": assessment.round,
                "status_label": assessment.get_status_display(),
                "version_label": assessment.version.label,
                "percent": score.percent(),
                "band_label": _label_for(levels, score.band),
                "dimensions": _percent_map(score),
            }
        )
    base = entries[0]
    rows = []
    for column in columns:
        cells = []
        for entry in entries:
            value = entry["dimensions"].get(column["code"])
            first = base["dimensions"].get(column["code"])
            diff = None if value is None or first is None else round(value - first, 1)
            cells.append({"percent": value, "diff": diff})
        rows.append({**column, "cells": cells})
    overall_cells = []
    for entry in entries:
        diff = (
            None
            if entry["percent"] is None or base["percent"] is None
            else round(entry["percent"] - base["percent"], 1)
        )
        overall_cells.append({"percent": entry["percent"], "diff": diff})
    first = assessments[0]
    return {
        "framework": {"code": first.framework.code, "name": first.version.name},
        "entries": entries,
        "columns": columns,
        "rows": rows,
        "overall": overall_cells,
    }


# --- hashing ----------------------------------------------------------------------------


def content_hash(context: dict) -> str:
    """A SHA-256 of the context's data: two reports with equal hashes show the same content."""
    encoded = json.dumps(context, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()

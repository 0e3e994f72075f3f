"""Report contexts: selectors and scoring turn assessments into plain dicts; no presentation.

Every context is built in the active language (framework texts are `Localized`), holds only
plain data (str, numbers, dates, lists, dicts) and can be hashed for the PDF's content hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from casework.models import Answer, Assessment, Case, CaseSource
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
            case_id=assessment.case_id,
            framework_id=assessment.framework_id,
            round__lt=assessment.round,
        )
        .order_by("-round")
        .first()
    )


def case_facts(case: Case) -> dict:
    return {
        "id": case.pk,
        "title": case.title,
        "body": case.body,
        "level": case.level,
        "level_label": case.get_level_display(),
        "region": case.region,
        "sector": case.sector,
        "period_start": case.period_start,
        "period_end": case.period_end,
        "summary": case.summary,
        "unit": case.unit.name if case.unit_id else "",
        "owner": _user_name(case.owner),
    }


def _registers(assessment: Assessment) -> dict[str, list[dict]]:
    """The five registers of an assessment as plain rows (5 queries)."""
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
        }
        for r in assessment.risks.all()
    ]
    indicators = [
        {
            "family": i.family,
            "family_label": i.get_family_display(),
            "name": i.name,
            "unit": i.unit,
            "baseline": None if i.baseline is None else float(i.baseline),
            "target": None if i.target is None else float(i.target),
            "actual": None if i.actual is None else float(i.actual),
            "higher_is_better": i.higher_is_better,
            "progress": i.progress,
            "progress_percent": to_percent(i.progress),
        }
        for i in assessment.indicators.all()
    ]
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


def _item_rows(
    answers: Sequence[Answer],
    score: AssessmentScore,
    levels: Sequence[ScaleLevel],
    source_titles: dict[int, str],
) -> list[dict]:
    rows = []
    for answer in answers:
        criterion = answer.criterion
        normalised = score.items[criterion.code].normalised
        rows.append(
            {
                "code": criterion.code,
                "dimension": criterion.dimension.code,
                "title": criterion.title,
                "kind": criterion.kind,
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
                # A cited source that was deleted since keeps its place as "#id".
                "citations": [
                    source_titles.get(pk, f"#{pk}") for pk in answer.citations if pk is not None
                ],
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
    source_titles = dict(
        CaseSource.objects.filter(case_id=assessment.case_id).values_list("pk", "title")
    )
    items = _item_rows(answers[assessment.pk], score, levels, source_titles)
    strengths, gaps = _strengths_and_gaps(items)

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
            }
        )

    version = assessment.version
    framework = assessment.framework
    registers = _registers(assessment) if with_registers else None
    return {
        "assessment": _assessment_facts(assessment),
        "case": case_facts(assessment.case),
        "framework": {
            "code": framework.code,
            "name": framework.name,
            "source_author": framework.source_author,
            "source_title": framework.source_title,
            "source_reference": framework.source_reference,
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
    }


# --- a case: the latest round of each framework ---------------------------------------


def latest_assessments(case: Case) -> list[Assessment]:
    """The latest round of each framework the case was assessed against (1 query)."""
    later = Assessment.objects.filter(
        case_id=OuterRef("case_id"),
        framework_id=OuterRef("framework_id"),
        round__gt=OuterRef("round"),
    )
    return list(
        Assessment.objects.filter(case=case)
        .filter(~Exists(later))
        .select_related("case", "case__unit", "case__owner", "framework", "version")
        .select_related("created_by", "reviewed_by")
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


def assessment_crosswalk(assessment: Assessment, report: dict) -> list[dict]:
    """The cross-walk of one assessment against the latest rounds of the case's other frameworks."""
    others = [
        assessment_context(other, with_registers=False)
        for other in latest_assessments(assessment.case)
        if other.framework_id != assessment.framework_id
    ]
    return crosswalk([report, *others])


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
        "framework": {"code": first.framework.code, "name": first.framework.name},
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

"""Report contexts: selectors and scoring turn assessments into plain dicts; no presentation.

Every context is built in the active language (framework texts are `Localized`), holds only
plain data (str, numbers, dates, lists, dicts) and can be hashed for the PDF's content hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from casework import readmodel
from casework.analytics import evidence as evidence_strength
from casework.analytics.report import sensitivity_context
from casework.citations import format_citation, normalize_citations
from casework.double import report_agreement
from casework.models import Action, Answer, Assessment, Case
from casework.models.narrative import DimensionFinding
from casework.reports.case_facts import _user_name, case_facts, paragraphs
from casework.reports.register_rows import _register_summary, _registers
from casework.reports.scores import (
    answers_by_assessment,
    label_for,
    percent_map,
    scale_for,
    score_answers,
    version_parts,
)
from casework.scoring import AssessmentScore, to_percent
from frameworks.models import Dimension, ScaleLevel

STRENGTHS = 3
GAPS = 5


# --- one assessment ---------------------------------------------------------------------


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
                "level_label": label_for(levels, answer.level),
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


def assessment_context(assessment: Assessment, *, with_registers: bool = True) -> dict:
    """Everything a report shows about one assessment, scored, as plain data."""
    previous = _previous_of(assessment)
    version_ids = {assessment.version_id} | ({previous.version_id} if previous else set())
    levels_by_version, dimensions_by_version = version_parts(version_ids)
    answers = answers_by_assessment([assessment.pk] + ([previous.pk] if previous else []))
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
            "dimensions": percent_map(previous_score),
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
                "band_label": label_for(levels, result.band),
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
    scale = scale_for(levels)
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
            "min": scale.min,
            "max": scale.max,
            "levels": [
                {"value": lv.value, "label": lv.label, "description": lv.description}
                for lv in levels
            ],
        },
        "overall": {
            "score": score.overall,
            "percent": score.percent(),
            "band": score.band,
            "band_label": label_for(levels, score.band),
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
    return list(
        readmodel.latest_rounds()
        .filter(case=case)
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


# --- hashing ----------------------------------------------------------------------------


def content_hash(context: dict) -> str:
    """A SHA-256 of the context's data: two reports with equal hashes show the same content."""
    encoded = json.dumps(context, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()

"""Assessments: the rounds of a case, one assessment with its answers, saving an answer,
the report's scores, and the review workflow."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router

from casework import access, readmodel, selectors
from casework.api.common import ERRORS, WRITE_ERRORS, username
from casework.api.problems import ApiProblem, form_errors, invalid
from casework.api.routes.cases import assessment_summary
from casework.api.schemas import (
    PK,
    AnswerOut,
    AnswerPatch,
    AssessmentOut,
    AssessmentSummary,
    Problem,
    ScoreDimension,
    ScoresOut,
    WorkflowIn,
)
from casework.forms.cases import WorkflowCommentForm
from casework.models import Answer
from casework.services import assessments as services
from casework.services.answers import answer_save, criterion_for_code
from casework.services.errors import EditConflict

router = Router(tags=["assessments"])
cases_router = Router(tags=["assessments"])


class RoundOut(AssessmentSummary):
    answered: int
    total: int


@cases_router.get(
    "/{case_id}/assessments/", response={200: list[RoundOut], **ERRORS}, url_name="case_assessments"
)
def case_assessments(request, case_id: PK):
    """Every round of every framework on the case, newest round first per framework."""
    case = access.get_case_for_user(request.user, case_id)
    rows = []
    for group in selectors.case_assessments(case, user=request.user):
        for assessment in group.rounds:
            rows.append(
                {
                    **assessment_summary(assessment),
                    "answered": assessment.completion.answered,
                    "total": assessment.completion.total,
                }
            )
    return rows


def citations_out(raw) -> list[dict]:
    """Stored citations as {source, locator, quote}, whether stored as ids or as dicts."""
    rows = []
    for item in raw or []:
        if isinstance(item, dict) and isinstance(item.get("source"), int):
            rows.append(
                {
                    "source": item["source"],
                    "locator": str(item.get("locator") or ""),
                    "quote": str(item.get("quote") or ""),
                }
            )
        elif isinstance(item, int):
            rows.append({"source": item, "locator": "", "quote": ""})
    return rows


def answer_out(answer: Answer) -> dict:
    criterion = answer.criterion
    return {
        "item": criterion.code,
        "kind": criterion.kind,
        "dimension": criterion.dimension.code,
        "level": answer.level,
        "not_applicable": answer.not_applicable,
        "na_reason": answer.na_reason,
        "observation": answer.observation,
        "evidence": answer.evidence,
        "citations": citations_out(answer.citations),
        "confidence": answer.confidence,
        "note": answer.note,
        "version": answer.version,
        "updated_by": username(answer.updated_by),
        "updated_at": answer.updated_at,
    }


def _answers(assessment):
    return Answer.objects.filter(assessment=assessment).select_related(
        "criterion__dimension", "updated_by"
    )


def assessment_out(assessment) -> dict:
    answers = [answer_out(a) for a in _answers(assessment)]
    completion = readmodel.completion_by_assessment([assessment.pk]).get(assessment.pk, (0, 0))
    return {
        **assessment_summary(assessment),
        "case": assessment.case_id,
        "case_title": assessment.case.title,
        "perspective": assessment.perspective,
        "revision": assessment.revision,
        "created_by": username(assessment.created_by),
        "created_at": assessment.created_at,
        "submitted_at": assessment.submitted_at,
        "reviewed_by": username(assessment.reviewed_by),
        "reviewed_at": assessment.reviewed_at,
        "answered": completion[0],
        "total": completion[1],
        "answers": answers,
    }


@router.get(
    "/{assessment_id}", response={200: AssessmentOut, **ERRORS}, url_name="assessment_detail"
)
def assessment_detail(request, assessment_id: PK):
    """An assessment and every answer, each with the version to send back when saving it."""
    return assessment_out(access.get_assessment_for_user(request.user, assessment_id))


@router.patch(
    "/{assessment_id}/answers/{item_code}",
    response={200: AnswerOut, 423: Problem, **WRITE_ERRORS},
    url_name="answer_save",
)
def answer_update(request, assessment_id: PK, item_code: str, payload: AnswerPatch):
    """Save some fields of one answer. Send the `version` you read: if someone saved the
    answer since, nothing is written and the reply is 409 with their record in `current`."""
    assessment = access.get_assessment_for_user(request.user, assessment_id, action="edit")
    try:
        criterion_for_code(assessment, item_code)
    except ValidationError as error:
        raise ApiProblem(404, "not-found", _("Not found"), error.messages[0]) from error
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    try:
        answer = answer_save(
            assessment=assessment,
            criterion_code=item_code,
            user=request.user,
            data=data,
            expected_version=version,
        )
    except EditConflict as conflict:
        current = _answers(assessment).get(pk=conflict.current.pk)
        raise ApiProblem(
            409,
            "edit-conflict",
            _("Edit conflict"),
            conflict.message,
            current=AnswerOut.model_validate(answer_out(current)).model_dump(mode="json"),
        ) from conflict
    return answer_out(_answers(assessment).get(pk=answer.pk))


@router.get(
    "/{assessment_id}/scores", response={200: ScoresOut, **ERRORS}, url_name="assessment_scores"
)
def assessment_scores(request, assessment_id: PK):
    """Overall and per dimension: the numbers of the assessment's report."""
    from casework.reports.context import assessment_context

    assessment = access.get_assessment_for_user(request.user, assessment_id)
    report = assessment_context(assessment, with_registers=False)
    keys = ScoreDimension.model_fields
    return {
        "assessment": assessment.pk,
        "framework": report["framework"]["code"],
        "version_number": report["framework"]["version_number"],
        "version_label": report["framework"]["version_label"],
        "scale_min": report["scale"]["min"],
        "scale_max": report["scale"]["max"],
        "overall": report["overall"],
        "counts": report["counts"],
        "confidence": report["confidence"],
        "observations": report["observations"],
        "dimensions": [{k: row[k] for k in keys} for row in report["dimensions"]],
    }


def _workflow(request, assessment_id, payload, *, action, service, required=False):
    assessment = access.get_assessment_for_user(request.user, assessment_id, action=action)
    form = WorkflowCommentForm({"comment": payload.comment}, required=required)
    if not form.is_valid():
        raise invalid(form_errors(form))
    service(assessment=assessment, user=request.user, comment=form.cleaned_data["comment"])
    return assessment_out(access.get_assessment_for_user(request.user, assessment_id))


@router.post(
    "/{assessment_id}/submit",
    response={200: AssessmentOut, **WRITE_ERRORS},
    url_name="assessment_submit",
)
def assessment_submit(request, assessment_id: PK, payload: WorkflowIn):
    """Hand a draft or returned assessment to the managers (analysts and administrators)."""
    return _workflow(
        request, assessment_id, payload, action="submit", service=services.assessment_submit
    )


@router.post(
    "/{assessment_id}/return",
    response={200: AssessmentOut, **WRITE_ERRORS},
    url_name="assessment_return",
)
def assessment_return(request, assessment_id: PK, payload: WorkflowIn):
    """Send a submitted assessment back with a comment saying what to change (managers)."""
    return _workflow(
        request,
        assessment_id,
        payload,
        action="review",
        service=services.assessment_return,
        required=True,
    )


@router.post(
    "/{assessment_id}/approve",
    response={200: AssessmentOut, **WRITE_ERRORS},
    url_name="assessment_approve",
)
def assessment_approve(request, assessment_id: PK, payload: WorkflowIn):
    """Approve a submitted assessment (managers and administrators)."""
    return _workflow(
        request, assessment_id, payload, action="review", service=services.assessment_approve
    )

"""Report files: ask for a PDF or DOCX, follow its status, download it when ready."""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from casework import access
from casework.api import reports
from casework.api.common import ERRORS, WRITE_ERRORS, api_url
from casework.api.problems import ApiProblem, invalid
from casework.api.schemas import PK, Problem, RenderIn, RenderOut

router = Router(tags=["reports"])
assessments_router = Router(tags=["reports"])
cases_router = Router(tags=["reports"])


def ticket_out(ticket: reports.RenderTicket) -> dict:
    return {
        "id": ticket.id,
        "status": ticket.status,
        "format": ticket.format,
        "status_url": api_url("report_file_status", ticket.id),
        "file_url": api_url("report_file", ticket.id) if ticket.status == "ready" else None,
        "detail": ticket.detail,
    }


def _accepted(request, target, payload: RenderIn, response: HttpResponse):
    try:
        ticket = reports.request_render(user=request.user, target=target, fmt=payload.format)
    except reports.RenderUnavailable as error:
        raise invalid([{"field": "format", "message": str(error)}]) from error
    body = ticket_out(ticket)
    response["Location"] = body["status_url"]
    return Status(202, body)


@assessments_router.post(
    "/{assessment_id}/report-files",
    response={202: RenderOut, **WRITE_ERRORS},
    url_name="assessment_report_file",
)
def assessment_report_file(request, assessment_id: PK, payload: RenderIn, response: HttpResponse):
    """Ask for the assessment's report file in your language: 202 with a status URL."""
    assessment = access.get_assessment_for_user(request.user, assessment_id)
    return _accepted(request, assessment, payload, response)


@cases_router.post(
    "/{case_id}/report-files",
    response={202: RenderOut, **WRITE_ERRORS},
    url_name="case_report_file",
)
def case_report_file(request, case_id: PK, payload: RenderIn, response: HttpResponse):
    """Ask for the case's report file (latest round of each framework): 202 with a status URL."""
    case = access.get_case_for_user(request.user, case_id, whole=True)
    return _accepted(request, case, payload, response)


@router.get(
    "/{ticket_id}",
    response={200: RenderOut, 303: None, **ERRORS},
    url_name="report_file_status",
)
def report_file_status(request, ticket_id: str):
    """While the file is being made: 200 with its status. When it is ready: 303 to the file."""
    ticket = reports.render_status(user=request.user, ticket_id=ticket_id)
    if ticket is None:
        raise Http404
    if ticket.status == "ready":
        return HttpResponseRedirect(api_url("report_file", ticket.id), status=303)
    return Status(200, ticket_out(ticket))


@router.get(
    "/{ticket_id}/file",
    response={200: None, 409: Problem, **ERRORS},
    url_name="report_file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The report file",
                "content": {
                    fmt: {"schema": {"type": "string", "format": "binary"}}
                    for fmt in reports.FORMATS.values()
                },
            }
        }
    },
)
def report_file(request, ticket_id: str):
    """The finished report file, as an attachment."""
    from casework.reports.render import content_disposition

    try:
        rendered = reports.render_file(user=request.user, ticket_id=ticket_id)
    except reports.RenderUnavailable as error:
        raise ApiProblem(
            409, "render-failed", _("The report could not be made"), str(error)
        ) from error
    if rendered is None:
        raise Http404
    response = HttpResponse(rendered.data, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition(
        rendered.case, on=timezone.localdate(), extension=rendered.extension, kind=rendered.kind
    )
    return response

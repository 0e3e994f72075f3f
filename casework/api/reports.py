"""Report files for the API: request a render, ask how it is going, fetch the file.

A render is a report job (casework/jobs): on a worker when a queue is configured, in-process
otherwise. The file is stored once per report version, so asking again for an unchanged report
is answered from the store at once. The API speaks asynchronously either way: 202 with a
status URL, then a 303 to the file when the job is done.

A ticket id is signed, not stored: it names the job and the user who asked, and the job is
read back through the jobs' own access helper, so a leaked id gives nothing away.
"""

from dataclasses import dataclass

from django.core import signing
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from casework.models import Assessment, Case

SALT = "casework.api.render"
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
STATUSES = {"queued": "pending", "running": "pending", "done": "ready", "failed": "failed"}


class RenderUnavailable(Exception):
    """This kind of file can't be made for this target."""


@dataclass
class RenderTicket:
    id: str
    status: str  # "pending" | "ready" | "failed"
    format: str
    detail: str = ""


@dataclass
class RenderedFile:
    data: bytes
    content_type: str
    case: dict
    extension: str
    kind: str = ""


def _ticket(job, user) -> RenderTicket:
    from casework.jobs.presenters import error_message

    return RenderTicket(
        id=signing.dumps({"j": job.pk, "u": user.pk}, salt=SALT),
        status=STATUSES[job.status],
        format=job.kind,
        detail=error_message(job),
    )


def request_render(*, user, target: Assessment | Case, fmt: str) -> RenderTicket:
    """Start (or reuse) the job that makes `target`'s file in the active language."""
    from casework.jobs.renderers import Target, supports
    from casework.jobs.services import report_job_request

    if fmt not in FORMATS:
        raise RenderUnavailable(_("Reports in this format are not available yet."))
    if isinstance(target, Assessment):
        job_target = Target(case=target.case, assessment=target)
    else:
        job_target = Target(case=target)
    if not supports(fmt, job_target):
        raise RenderUnavailable(_("Reports in this format are not available yet."))
    job = report_job_request(
        user=user, kind=fmt, target=job_target, language=translation.get_language()
    )
    return _ticket(job, user)


def _job_of(user, ticket_id: str):
    from casework.jobs.access import get_report_job_for_user

    try:
        data = signing.loads(ticket_id, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return None
    try:
        return get_report_job_for_user(user, data.get("j"))
    except Http404:
        return None


def render_status(*, user, ticket_id: str) -> RenderTicket | None:
    """The ticket's state, or None when the id is not one of this user's tickets."""
    job = _job_of(user, ticket_id)
    return None if job is None else _ticket(job, user)


def render_file(*, user, ticket_id: str) -> RenderedFile | None:
    """The finished file of a ticket; RenderUnavailable while it is not (or never will be)."""
    from casework.jobs.presenters import error_message
    from casework.jobs.responses import name_part
    from casework.jobs.services import report_storage

    job = _job_of(user, ticket_id)
    if job is None:
        return None
    if job.status != "done":
        raise RenderUnavailable(error_message(job) or _("The report is not ready yet."))
    with report_storage().open(job.file_name, "rb") as stored:
        data = stored.read()
    return RenderedFile(
        data=data,
        content_type=FORMATS[job.kind],
        case={"id": job.case_id, "title": job.case.title},
        extension=job.kind,
        kind=name_part(job),
    )

"""Report files for the API: request a render, ask how it is going, fetch the file.

Today the renderers are synchronous (casework/reports/render.py caches each PDF by the
assessment's revision), so `request_render` renders at once and the ticket is ready. The API
already speaks asynchronously (202 with a status URL, then a 303 to the file), so moving the
render onto the task queue changes this module only: `request_render` would enqueue a job
and `render_status` would read the job's state.

A ticket id is signed, not stored: it names the target, the format and the language, and the
file is fetched through the access helpers again, so a leaked id gives nothing away.
"""

from dataclasses import dataclass

from django.core import signing
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from casework import access
from casework.models import Assessment, Case

SALT = "casework.api.render"
FORMATS = {
    "pdf": "application/pdf",
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
# (target kind, format) -> the renderer: bytes of the file in the active language.
RENDERERS = {
    ("assessment", "pdf"): "casework.reports.render.assessment_pdf",
    ("case", "pdf"): "casework.reports.render.case_pdf",
    ("assessment", "docx"): "casework.reports.docx.assessment_docx",
    ("case", "docx"): "casework.reports.docx.case_docx",
}


class RenderUnavailable(Exception):
    """This kind of file can't be made here (format not built, or no chart engine)."""


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


def _renderer(kind: str, fmt: str):
    try:
        return import_string(RENDERERS[(kind, fmt)])
    except (ImportError, KeyError) as error:
        raise RenderUnavailable(_("Reports in this format are not available yet.")) from error


def _target(user, kind: str, pk: int):
    if kind == "assessment":
        return access.get_assessment_for_user(user, pk)
    return access.get_case_for_user(user, pk)


def _render(kind: str, target, fmt: str) -> bytes:
    from casework.reports.static_charts import ChartEngineUnavailable

    try:
        return _renderer(kind, fmt)(target)
    except ChartEngineUnavailable as error:
        raise RenderUnavailable(str(error)) from error


def request_render(*, user, target: Assessment | Case, fmt: str) -> RenderTicket:
    """Start making the report file of `target` in the active language; a ticket to follow it."""
    kind = "assessment" if isinstance(target, Assessment) else "case"
    _renderer(kind, fmt)  # refuse an unknown format before anything else
    ticket_id = signing.dumps(
        {"k": kind, "pk": target.pk, "f": fmt, "l": translation.get_language(), "u": user.pk},
        salt=SALT,
    )
    try:
        _render(kind, target, fmt)  # synchronous for now: warms the renderer's cache
    except RenderUnavailable as error:
        return RenderTicket(id=ticket_id, status="failed", format=fmt, detail=str(error))
    return RenderTicket(id=ticket_id, status="ready", format=fmt)


def _ticket_data(user, ticket_id: str) -> dict | None:
    try:
        data = signing.loads(ticket_id, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return None
    return data


def render_status(*, user, ticket_id: str) -> RenderTicket | None:
    """The ticket's state, or None when the id is not one of this user's tickets."""
    data = _ticket_data(user, ticket_id)
    if data is None:
        return None
    _target(user, data["k"], data["pk"])  # still visible?
    return RenderTicket(id=ticket_id, status="ready", format=data["f"])


def render_file(*, user, ticket_id: str) -> RenderedFile | None:
    """The finished file of a ticket (rendered again from the cache when needed)."""
    from casework.reports.context import case_facts

    data = _ticket_data(user, ticket_id)
    if data is None:
        return None
    target = _target(user, data["k"], data["pk"])
    with translation.override(data["l"]):
        content = _render(data["k"], target, data["f"])
        case = target.case if isinstance(target, Assessment) else target
        facts = case_facts(case)
    return RenderedFile(
        data=content, content_type=FORMATS[data["f"]], case=facts, extension=data["f"]
    )

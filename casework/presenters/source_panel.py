"""The sources panel as the templates draw it: rows with their document and action URLs.

A presenter: plain data from a case, no request handling. The case page and the wizard's
panel (templates/casework/wizard/_sources_panel.html) show the same panel.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from casework import access, documents
from casework.forms.sources import ACCEPT, DocumentForm, SourceForm
from casework.models import Case, CaseSource


def _document(source: CaseSource) -> dict | None:
    if not source.document_file:
        return None
    kind = documents.kind_of(source.document_type)
    return {
        "name": documents.download_name(source.document_name, kind) if kind else "",
        "kind": kind.label if kind else source.document_type,
        "size": documents.size_text(source.document_size),
        "sha256": source.document_sha256,
        "url": reverse("source_document", args=[source.case_id, source.pk]),
    }


def source_rows(sources, *, errors=None) -> list[dict]:
    """One row per live source, numbered as the report numbers them."""
    errors = errors or {}
    rows = []
    for number, source in enumerate(sources, start=1):
        args = [source.case_id, source.pk]
        rows.append(
            {
                "number": number,
                "source": source,
                "is_link": source.reference.startswith(("http://", "https://")),
                "document": _document(source),
                "attach_url": reverse("source_document_attach", args=args),
                "remove_document_url": reverse("source_document_remove", args=args),
                "remove_url": reverse("source_remove", args=args),
                "attach_form": DocumentForm(initial={"version": source.version}, auto_id=False),
                "error": errors.get(source.pk, ""),
            }
        )
    return rows


def safe_next(url: str | None, request, case: Case) -> str:
    """Where a plain (non-htmx) form goes back to: the page it came from, if it is ours."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return case.get_absolute_url()


def panel_editable(user, case: Case) -> bool:
    """Whether the panel offers to add, attach and remove: analysts, on a case not archived."""
    return access.can_edit_cases(user) and not case.is_archived


def panel_context(
    request,
    case: Case,
    *,
    form=None,
    errors=None,
    message="",
    changed=False,
    next_url=None,
    add_open=False,
    sources=None,
) -> dict:
    """Everything templates/casework/sources/_panel_body.html needs.

    `sources`, when the caller has them already, are the case's live sources in their order.
    """
    sources = list(case.sources.all()) if sources is None else list(sources)
    used = sum(source.document_size for source in sources)
    return {
        "case": case,
        "rows": source_rows(sources, errors=errors),
        "count": len(sources),
        "editable": panel_editable(request.user, case),
        "form": form or SourceForm(),
        "add_url": reverse("source_add", args=[case.pk]),
        "next": safe_next(next_url or request.get_full_path(), request, case),
        "message": message,
        "changed": changed,
        "add_open": add_open,
        "accept": ACCEPT,
        "max_bytes": settings.DOCUMENT_MAX_BYTES,
        "max_text": documents.size_text(settings.DOCUMENT_MAX_BYTES),
        "used_text": documents.size_text(used) if used else "0",
        "quota_text": documents.size_text(settings.DOCUMENT_CASE_QUOTA_BYTES),
    }

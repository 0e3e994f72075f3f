"""The case as a report opens with it: facts, summary, context, timeline and bibliography.

Plain data in the active language, like the rest of the report context.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from casework import documents
from casework.models import Case, CaseEvent, CaseSource


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


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

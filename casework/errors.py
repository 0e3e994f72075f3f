"""Error answers in the user's language: 400, 413 (request too large), 500 and 503 (busy).

htmx requests get a small fragment instead of a page (`data-cw-error` names the fault), so
that the wizard can show it next to the field and keep what the user typed.
"""

import json
import sqlite3
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.shortcuts import render
from django.views import defaults

# Seconds the client is asked to wait before it tries again after a 503.
RETRY_AFTER_SECONDS = 2


def is_database_locked(error) -> bool:
    """SQLite's "database is locked" (busy timeout ran out) or "database table is locked"."""
    if not isinstance(error, OperationalError | sqlite3.OperationalError):
        return False
    message = str(error).lower()
    return "database is locked" in message or "database table is locked" in message


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _answer(request, *, status, template, fragment, context):
    return render(request, fragment if _is_htmx(request) else template, context, status=status)


def database_busy(request):
    """503 with Retry-After: nothing was saved, the user (or the wizard) tries again."""
    context = {"retry_after": RETRY_AFTER_SECONDS}
    response = _answer(
        request,
        status=503,
        template="503.html",
        fragment="errors/_database_busy.html",
        context=context,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if _is_htmx(request):
        response["HX-Trigger"] = json.dumps({"cw:retry": {"after": RETRY_AFTER_SECONDS}})
    return response


def request_too_large(request):
    """413: the form was bigger than the server accepts; nothing was saved."""
    # A file over the document limit was refused by casework/uploads.py, which says so.
    document = getattr(request, "document_too_large", False)
    limit = settings.DOCUMENT_MAX_BYTES if document else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    limit_mb = limit / (1024 * 1024)
    context = {"limit_mb": f"{limit_mb:g}", "document": document}
    if document:
        from casework.documents import size_text

        context["limit_text"] = size_text(limit)
    return _answer(
        request,
        status=413,
        template="413.html",
        fragment="errors/_request_too_large.html",
        context=context,
    )


def bad_request(request, exception, template_name="400.html"):
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request)
    return defaults.bad_request(request, exception, template_name=template_name)


def server_error(request, template_name="500.html"):
    # Called inside Django's `except` block: the exception is still the current one.
    if is_database_locked(sys.exc_info()[1]):
        try:
            return database_busy(request)
        except Exception:  # the layout itself could not be drawn: the plain page still is
            pass
    return defaults.server_error(request, template_name=template_name)

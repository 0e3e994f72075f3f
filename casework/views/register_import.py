"""Paste or upload rows into a register: a preview first, written only when the analyst confirms.

With htmx it all happens inside the register's box on the step (the panel is swapped, then the
table once confirmed); without JavaScript the import is a page of its own.

The preview's raw cells wait in the session, bound to this assessment, this register and a
one-time token; confirming checks them again in the service (nothing is trusted from the page)
and forgets them, so a second click imports nothing twice.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from casework.access import get_assessment_for_user
from casework.forms.register_import import RegisterImportForm
from casework.models import REGISTER_MODELS
from casework.presenters.navigation import register_step_url
from casework.presenters.registers import register_table
from casework.register_import import column_labels, recheck
from casework.services.errors import AssessmentLocked
from casework.services.register_import import register_rows_import

SESSION_KEY = "register_import"
HTTP_LOCKED = 423


def _load(request, pk, register):
    if register not in REGISTER_MODELS:
        raise Http404
    return get_assessment_for_user(request.user, pk, action="edit")


def _in_place(request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _page(request, assessment, register, form, *, preview=None, token="", error="", status=200):
    """The import page, or (htmx) the same form and preview as the register box's panel."""
    context = {
        "assessment": assessment,
        "register": register,
        "title": REGISTER_MODELS[register]._meta.verbose_name_plural,
        "form": form,
        "columns": column_labels(register),
        "preview": preview,
        "token": token,
        "error": error or ("" if assessment.is_editable else AssessmentLocked.default_message),
        "step_url": register_step_url(assessment, register),
        "in_place": _in_place(request),
    }
    template = "_register_import_panel.html" if context["in_place"] else "register_import.html"
    return render(request, f"casework/wizard/{template}", context, status=status)


def _imported(request, assessment, register, count: int):
    """After the import: the step with a message, or (htmx) the register's box, refreshed."""
    message = ngettext("%(count)s row imported.", "%(count)s rows imported.", count)
    message %= {"count": count}
    if not _in_place(request):
        messages.success(request, message)
        return redirect(register_step_url(assessment, register))
    context = {
        "table": register_table(assessment, register, editable=True),
        "import_notice": message,
    }
    response = render(request, "casework/wizard/_register.html", context)
    # The confirm button aims at the panel (where a refusal is shown); a success is the whole box.
    response["HX-Retarget"] = f"#register-{register}"
    response["HX-Reswap"] = "outerHTML"
    return response


def _keep(request, assessment, register, preview) -> str:
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "assessment": assessment.pk,
        "register": register,
        "rows": preview.stored(),
    }
    return token


def _kept_rows(request, assessment, register) -> list | None:
    """The rows kept by this user's latest preview, if the posted token is its token."""
    kept = request.session.get(SESSION_KEY) or {}
    if (kept.get("assessment"), kept.get("register")) != (assessment.pk, register):
        return None
    if not secrets.compare_digest(str(kept.get("token", "")), request.POST.get("token", "")):
        return None
    return kept.get("rows") or []


@login_required
@require_http_methods(["GET", "POST"])
def register_import(request, pk, register):
    """GET: the paste box and file field. POST: the preview of what would be imported."""
    assessment = _load(request, pk, register)
    if request.method == "GET" or not assessment.is_editable:
        form = RegisterImportForm(register=register)
        return _page(
            request,
            assessment,
            register,
            form,
            status=200 if assessment.is_editable else HTTP_LOCKED,
        )
    form = RegisterImportForm(request.POST, request.FILES, register=register)
    if not form.is_valid():
        return _page(request, assessment, register, form, status=422)
    preview = form.cleaned_data["preview"]
    request.session.pop(SESSION_KEY, None)  # only the latest preview can be confirmed
    token = _keep(request, assessment, register, preview) if preview.ok else ""
    return _page(request, assessment, register, form, preview=preview, token=token)


@login_required
@require_POST
def register_import_confirm(request, pk, register):
    """Write the previewed rows, all of them or none."""
    assessment = _load(request, pk, register)
    rows = _kept_rows(request, assessment, register)
    form = RegisterImportForm(register=register)
    if rows is None:
        error = _("This preview was already imported or has expired: paste the rows again.")
        return _page(request, assessment, register, form, error=error, status=409)
    try:
        created = register_rows_import(
            assessment=assessment, register=register, user=request.user, rows=rows
        )
    except ValidationError as problem:
        error, preview = " ".join(problem.messages), recheck(register, rows)
        return _page(request, assessment, register, form, preview=preview, error=error, status=422)
    except AssessmentLocked as locked:
        return _page(request, assessment, register, form, error=locked.message, status=HTTP_LOCKED)
    del request.session[SESSION_KEY]
    return _imported(request, assessment, register, len(created))

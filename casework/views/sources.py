"""A case's sources, one at a time, from the case page or the wizard's panel; document download.

With htmx each write answers with the redrawn panel (templates/casework/sources/_panel_body.html;
422 with the form's errors and the typed values when refused); without JavaScript it redirects
back to the page the form was on.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework import access, documents
from casework.forms.sources import DocumentForm, SourceForm, SourceVersionForm
from casework.presenters.source_panel import panel_context, safe_next
from casework.services import documents as document_services
from casework.services.errors import EditConflict, ServiceError

UNPROCESSABLE = 422
PANEL = "casework/sources/_panel_body.html"
PAGE = "casework/sources/page.html"


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _answer(request, case, *, status=200, message="", **panel):
    """The redrawn panel for htmx, a redirect (or the page with the errors) otherwise."""
    next_url = request.POST.get("next")
    if not _is_htmx(request) and status == 200:
        if message:
            messages.success(request, message)
        return redirect(safe_next(next_url, request, case))
    context = panel_context(
        request, case, message=message, changed=status == 200, next_url=next_url, **panel
    )
    template = PANEL if _is_htmx(request) else PAGE
    return render(request, template, {"panel": context, "oob": True}, status=status)


def _refused(error: ServiceError) -> str:
    if isinstance(error, EditConflict):
        return _("Someone else changed this source meanwhile; here is how it stands now.")
    return str(error.message)


@login_required
@require_GET
def source_panel(request, pk):
    """The panel alone, e.g. for a page that wants to redraw it."""
    case = access.get_case_for_user(request.user, pk)
    return render(request, PANEL, {"panel": panel_context(request, case)})


@login_required
@require_POST
def source_add(request, pk):
    case = access.get_case_for_user(request.user, pk, edit=True)
    form = SourceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_services.source_create(
                case=case,
                user=request.user,
                data=form.source_data(),
                upload=form.cleaned_data.get("document"),
            )
        except ServiceError as error:
            rejected = isinstance(error, document_services.DocumentRejected)
            form.add_error("document" if rejected else None, _refused(error))
        else:
            # The form stays open: sources often come several at a time.
            return _answer(request, case, message=_("Source added."), add_open=True)
    return _answer(request, case, status=UNPROCESSABLE, form=form, add_open=True)


@login_required
@require_POST
def source_document_attach(request, pk, source_pk):
    source = access.get_source_for_user(request.user, pk, source_pk, edit=True)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_services.source_document_attach(
                source=source,
                user=request.user,
                upload=form.cleaned_data["document"],
                expected_version=form.cleaned_data["version"],
            )
        except ServiceError as error:
            return _answer(
                request, source.case, status=UNPROCESSABLE, errors={source.pk: _refused(error)}
            )
        return _answer(request, source.case, message=_("Document attached."))
    error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return _answer(request, source.case, status=UNPROCESSABLE, errors={source.pk: error})


def _versioned_write(request, pk, source_pk, service, done_message):
    source = access.get_source_for_user(request.user, pk, source_pk, edit=True)
    form = SourceVersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        service(source=source, user=request.user, expected_version=version)
    except ServiceError as error:
        return _answer(
            request, source.case, status=UNPROCESSABLE, errors={source.pk: _refused(error)}
        )
    return _answer(request, source.case, message=done_message)


@login_required
@require_POST
def source_document_remove(request, pk, source_pk):
    return _versioned_write(
        request,
        pk,
        source_pk,
        document_services.source_document_remove,
        _("Document removed; the source stays."),
    )


@login_required
@require_POST
def source_remove(request, pk, source_pk):
    return _versioned_write(
        request,
        pk,
        source_pk,
        document_services.source_remove,
        _("Source removed. Answers that cited it now show “source removed”."),
    )


@login_required
@require_GET
def source_document(request, pk, source_pk):
    """The document as a download, never shown inline, for whoever may see the case."""
    source = access.get_source_for_user(request.user, pk, source_pk)
    kind = documents.kind_of(source.document_type)
    if not source.document_file or kind is None:
        raise Http404
    try:
        handle = document_services.document_storage().open(source.document_file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = f"{kind.mime}; charset=utf-8" if kind is documents.TEXT else kind.mime
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=documents.download_name(source.document_name, kind),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser render it anyway, it runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

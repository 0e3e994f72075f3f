"""Register tables inside a wizard step: add, edit and delete rows (htmx, or plain forms)."""

from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.access import can_edit_cases, get_assessment_for_user
from casework.forms.registers import (
    SCORE_FIELDS,
    MeasurementForm,
    ScoreForm,
    register_form_class,
)
from casework.models import REGISTER_MODELS, Indicator
from casework.presenters.navigation import register_step_url
from casework.presenters.registers import (
    Row,
    edit_row,
    read_row,
    register_conflict_rows,
    register_table,
)
from casework.services.errors import AssessmentLocked, EditConflict
from casework.services.registers import (
    measurement_add,
    measurement_delete,
    register_row_add,
    register_row_delete,
    register_row_save,
)

HTTP_LOCKED = HTTPStatus.LOCKED


def _load(request, pk, register, *, writing):
    if register not in REGISTER_MODELS:
        raise Http404
    assessment = get_assessment_for_user(request.user, pk, action="edit" if writing else "view")
    editable = can_edit_cases(request.user) and assessment.is_editable
    return assessment, REGISTER_MODELS[register], editable


def _is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _render_row(request, assessment, row: Row, status=200, *, editable=True):
    context = {
        "row": row,
        "assessment": assessment,
        "editable": editable,
        "table": {"name": row.register},
    }
    if not _is_htmx(request) and (row.form is not None or status != 200):
        return render(request, "casework/wizard/register_edit.html", context, status=status)
    return render(request, "casework/wizard/_register_row.html", context, status=status)


def _apply_errors(form, error: ValidationError):
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def _save(request, assessment, register, form, obj):
    """Run the add or save service for a bound form; return (row, status)."""
    if not form.is_valid():
        return edit_row(register, obj, form), 422
    try:
        if obj.pk is None:
            saved = register_row_add(
                assessment=assessment,
                register=register,
                user=request.user,
                data=form.service_data(),
            )
        else:
            saved = register_row_save(
                assessment=assessment,
                register=register,
                row_id=obj.pk,
                user=request.user,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"] or 0,
            )
    except ValidationError as error:
        _apply_errors(form, error)
        return edit_row(register, obj, form), 422
    except EditConflict as conflict:
        theirs = conflict.current
        # The form keeps the user's values; its version moves on, so saving again keeps them.
        form.data = form.data.copy()
        form.data["version"] = theirs.version
        return (
            edit_row(
                register,
                theirs,
                form,
                conflict=register_conflict_rows(register, form, theirs),
                message=EditConflict.default_message,
            ),
            409,
        )
    except AssessmentLocked as locked:
        return read_row(register, obj, message=locked.message) if obj.pk else Row(
            register, obj, message=locked.message
        ), HTTP_LOCKED
    return read_row(register, saved, saved=True), 200


@login_required
@require_http_methods(["GET", "POST"])
def wizard_register(request, pk, register):
    """GET: the table, or (?new=1) an empty row form. POST: add a row."""
    writing = request.method == "POST"
    assessment, model, editable = _load(request, pk, register, writing=writing)
    form_class = register_form_class(register)
    if not writing:
        if request.GET.get("hints") and register == "goals":
            # Hints for what is typed so far; the boxes themselves stay as the analyst set them.
            row = edit_row(register, model(assessment=assessment), form_class(request.GET))
            row.dom_override = slugify(request.GET["hints"])
            return render(request, "casework/wizard/_smart_hints.html", {"row": row})
        if request.GET.get("new"):
            if not editable:
                raise Http404
            obj = model(assessment=assessment)
            return _render_row(request, assessment, edit_row(register, obj, form_class()))
        if not _is_htmx(request):
            return redirect(register_step_url(assessment, register))
        table = register_table(assessment, register, editable=editable)
        return render(request, "casework/wizard/_register.html", {"table": table})
    obj = model(assessment=assessment)
    form = form_class(request.POST, instance=model(assessment=assessment))
    if not editable:
        row, status = Row(register, obj, message=AssessmentLocked.default_message), HTTP_LOCKED
    else:
        row, status = _save(request, assessment, register, form, obj)
    if status == 200 and not _is_htmx(request):
        return redirect(register_step_url(assessment, register))
    return _render_row(request, assessment, row, status, editable=editable)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_register_row(request, pk, register, row_id):
    """GET: the row (or ?edit=1 its form). POST: save it."""
    writing = request.method == "POST"
    assessment, model, editable = _load(request, pk, register, writing=writing)
    obj = model.objects.filter(assessment=assessment, pk=row_id).first()
    if obj is None:
        raise Http404
    form_class = register_form_class(register)
    if not writing:
        if request.GET.get("edit") and editable:
            form = form_class(instance=obj, initial={"version": obj.version})
            return _render_row(request, assessment, edit_row(register, obj, form))
        if not _is_htmx(request):
            return redirect(register_step_url(assessment, register))
        return _render_row(request, assessment, read_row(register, obj), editable=editable)
    form = form_class(request.POST, instance=model.objects.get(pk=obj.pk))
    if not editable:
        row, status = read_row(register, obj, message=AssessmentLocked.default_message), HTTP_LOCKED
    else:
        row, status = _save(request, assessment, register, form, obj)
    if status == 200 and not _is_htmx(request):
        return redirect(register_step_url(assessment, register))
    return _render_row(request, assessment, row, status, editable=editable)


@login_required
@require_POST
def wizard_register_delete(request, pk, register, row_id):
    assessment, model, editable = _load(request, pk, register, writing=True)
    obj = model.objects.filter(assessment=assessment, pk=row_id).first()
    if obj is None:
        raise Http404
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        if not editable:
            raise AssessmentLocked()
        # A second click may find the row gone between the check above and the lock: a 404 too.
        register_row_delete(
            assessment=assessment,
            register=register,
            row_id=obj.pk,
            user=request.user,
            expected_version=version,
        )
    except EditConflict as conflict:
        row = read_row(
            register,
            conflict.current,
            message=_("Someone else changed this row; check it before deleting."),
        )
        return _render_row(request, assessment, row, 409, editable=editable)
    except AssessmentLocked as locked:
        return _render_row(
            request,
            assessment,
            read_row(register, obj, message=locked.message),
            HTTP_LOCKED,
            editable=False,
        )
    except model.DoesNotExist as gone:
        raise Http404 from gone
    if not _is_htmx(request):
        return redirect(register_step_url(assessment, register))
    return HttpResponse("")


def _save_score(request, assessment, register, obj, name, *, editable):
    """Save one clicked score; (the row as stored now, status, message)."""
    form = ScoreForm(request.POST)
    try:
        if not editable:
            raise AssessmentLocked()
        if not form.is_valid():
            return obj, 422, " ".join(m for ms in form.errors.values() for m in ms)
        saved = register_row_save(
            assessment=assessment,
            register=register,
            row_id=obj.pk,
            user=request.user,
            data={name: form.cleaned_data["value"]},
            expected_version=form.cleaned_data["version"],
        )
    except EditConflict as conflict:
        message = _(
            "Someone else changed this row: it shows their values now. Click again to set yours."
        )
        return conflict.current, 409, message
    except AssessmentLocked as locked:
        return obj, HTTP_LOCKED, locked.message
    return saved, 200, ""


@login_required
@require_POST
def wizard_register_score(request, pk, register, row_id):
    """One score clicked in the table (1–5): saved at once; the row comes back with it."""
    assessment, model, editable = _load(request, pk, register, writing=True)
    obj = model.objects.filter(assessment=assessment, pk=row_id).first()
    name = request.POST.get("field", "")
    if obj is None or name not in SCORE_FIELDS.get(register, ()):
        raise Http404
    try:
        obj, status, message = _save_score(
            request, assessment, register, obj, name, editable=editable
        )
    except model.DoesNotExist as gone:  # deleted between the check above and the lock
        raise Http404 from gone
    if status == 200 and not _is_htmx(request):
        return redirect(register_step_url(assessment, register))
    row = read_row(register, obj, message=message, saved=status == 200)
    return _render_row(request, assessment, row, status, editable=editable)


# --- Dated measurements on an indicator's row ---------------------------------------------------


def _indicator_row(request, assessment, indicator_id, **extra):
    indicator = (
        Indicator.objects.filter(assessment=assessment, pk=indicator_id)
        .prefetch_related("measurements")
        .first()
    )
    if indicator is None:
        raise Http404
    return read_row("indicators", indicator, **extra)


def _measurement_response(request, assessment, row, status, *, editable):
    if status == 200 and not _is_htmx(request):
        return redirect(register_step_url(assessment, "indicators"))
    context = {
        "row": row,
        "assessment": assessment,
        "editable": editable,
        "table": {"name": "indicators"},
    }
    template = "casework/wizard/_register_row.html"
    if not _is_htmx(request):
        template = "casework/wizard/register_edit.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def wizard_measurement_add(request, pk, row_id):
    """Add a dated value to an indicator; the row comes back with its measurements."""
    assessment, _model, editable = _load(request, pk, "indicators", writing=True)
    _indicator_row(request, assessment, row_id)  # 404 for another assessment's indicator
    form = MeasurementForm(request.POST)
    status, message = 200, ""
    if not editable:
        status, message = HTTP_LOCKED, AssessmentLocked.default_message
    elif form.is_valid():
        try:
            measurement_add(
                assessment=assessment,
                indicator_id=row_id,
                user=request.user,
                data=form.service_data(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
            status = 422
        except AssessmentLocked as locked:
            status, message = HTTP_LOCKED, locked.message
    else:
        status = 422
    row = _indicator_row(
        request,
        assessment,
        row_id,
        measurement_form=form if status == 422 else None,
        message=message,
        saved=status == 200,
    )
    return _measurement_response(request, assessment, row, status, editable=editable)


@login_required
@require_POST
def wizard_measurement_delete(request, pk, row_id, measurement_id):
    """Remove a measurement; one already gone is not an error."""
    assessment, _model, editable = _load(request, pk, "indicators", writing=True)
    status, message = 200, ""
    try:
        if not editable:
            raise AssessmentLocked()
        measurement_delete(assessment=assessment, measurement_id=measurement_id, user=request.user)
    except AssessmentLocked as locked:
        status, message = HTTP_LOCKED, locked.message
    row = _indicator_row(request, assessment, row_id, message=message)
    return _measurement_response(request, assessment, row, status, editable=editable)

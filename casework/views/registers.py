"""Register tables inside a wizard step: add, edit and delete rows (htmx, or plain forms)."""

from functools import partial
from http import HTTPStatus

from django.contrib.auth.decorators import login_required
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
    row_after,
)
from casework.services.registers import (
    measurement_add,
    measurement_delete,
    register_row_add,
    register_row_delete,
    register_row_save,
)
from casework.writes import posted_int, versioned_write


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


def _write_row(request, assessment, register, form, obj):
    """Add the row (a new one) or save it (at the version the form was loaded with)."""
    if obj.pk is None:
        return register_row_add(
            assessment=assessment, register=register, user=request.user, data=form.service_data()
        )
    return register_row_save(
        assessment=assessment,
        register=register,
        row_id=obj.pk,
        user=request.user,
        data=form.service_data(),
        expected_version=form.cleaned_data["version"] or 0,
    )


def _save(request, assessment, register, form, obj, *, editable):
    """Run the add or save service for a bound form; return (row, status)."""
    outcome = versioned_write(
        partial(_write_row, request, assessment, register, form, obj),
        form,
        editable=editable,
        compare=partial(register_conflict_rows, register, form),
        # The form keeps the user's values; its version moves on, so saving again keeps them.
        rebase="version",
    )
    return row_after(register, obj, form, outcome), outcome.status


def _answer_save(request, assessment, register, row, status, *, editable):
    """A saved row without JavaScript goes back to the step; else the row, or its form again."""
    if status == 200 and not _is_htmx(request):
        return redirect(register_step_url(assessment, register))
    return _render_row(request, assessment, row, status, editable=editable)


def _row_or_404(model, assessment, row_id):
    obj = model.objects.filter(assessment=assessment, pk=row_id).first()
    if obj is None:
        raise Http404
    return obj


@login_required
@require_http_methods(["GET", "POST"])
def wizard_register(request, pk, register):
    """GET: the table, or (?new=1) an empty row form. POST: add a row."""
    writing = request.method == "POST"
    assessment, model, editable = _load(request, pk, register, writing=writing)
    form_class = register_form_class(register)
    if writing:
        form = form_class(request.POST, instance=model(assessment=assessment))
        row, status = _save(
            request, assessment, register, form, model(assessment=assessment), editable=editable
        )
        return _answer_save(request, assessment, register, row, status, editable=editable)
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


@login_required
@require_http_methods(["GET", "POST"])
def wizard_register_row(request, pk, register, row_id):
    """GET: the row (or ?edit=1 its form). POST: save it."""
    writing = request.method == "POST"
    assessment, model, editable = _load(request, pk, register, writing=writing)
    obj = _row_or_404(model, assessment, row_id)
    form_class = register_form_class(register)
    if writing:
        form = form_class(request.POST, instance=model.objects.get(pk=obj.pk))
        row, status = _save(request, assessment, register, form, obj, editable=editable)
        return _answer_save(request, assessment, register, row, status, editable=editable)
    if request.GET.get("edit") and editable:
        form = form_class(instance=obj, initial={"version": obj.version})
        return _render_row(request, assessment, edit_row(register, obj, form))
    if not _is_htmx(request):
        return redirect(register_step_url(assessment, register))
    return _render_row(request, assessment, read_row(register, obj), editable=editable)


@login_required
@require_POST
def wizard_register_delete(request, pk, register, row_id):
    """Delete a row if nobody changed it since it was shown."""
    assessment, model, editable = _load(request, pk, register, writing=True)
    obj = _row_or_404(model, assessment, row_id)
    version = posted_int(request.POST.get("version"), default=-1)
    # A second click may find the row gone between the lookup above and the lock: a 404 too.
    outcome = versioned_write(
        lambda: register_row_delete(
            assessment=assessment,
            register=register,
            row_id=obj.pk,
            user=request.user,
            expected_version=version,
        ),
        editable=editable,
    )
    if outcome.ok:
        if not _is_htmx(request):
            return redirect(register_step_url(assessment, register))
        return HttpResponse("")
    if outcome.status == HTTPStatus.CONFLICT:
        message = _("Someone else changed this row; check it before deleting.")
        row = read_row(register, outcome.theirs, message=message)
    else:
        row, editable = read_row(register, obj, message=outcome.message), False
    return _render_row(request, assessment, row, outcome.status, editable=editable)


def _save_score(request, assessment, register, obj, name, *, editable):
    """Save one clicked score; (the row as stored now, status, message)."""
    form = ScoreForm(request.POST)
    outcome = versioned_write(
        lambda: register_row_save(
            assessment=assessment,
            register=register,
            row_id=obj.pk,
            user=request.user,
            data={name: form.cleaned_data["value"]},
            expected_version=form.cleaned_data["version"],
        ),
        form,
        editable=editable,
    )
    if outcome.status == HTTPStatus.CONFLICT:
        message = _(
            "Someone else changed this row: it shows their values now. Click again to set yours."
        )
        return outcome.theirs, outcome.status, message
    if outcome.status == HTTPStatus.UNPROCESSABLE_ENTITY:
        return obj, outcome.status, " ".join(m for ms in form.errors.values() for m in ms)
    return outcome.saved or obj, outcome.status, outcome.message


@login_required
@require_POST
def wizard_register_score(request, pk, register, row_id):
    """One score clicked in the table (1–5): saved at once; the row comes back with it."""
    assessment, model, editable = _load(request, pk, register, writing=True)
    obj = model.objects.filter(assessment=assessment, pk=row_id).first()
    name = request.POST.get("field", "")
    if obj is None or name not in SCORE_FIELDS.get(register, ()):
        raise Http404
    obj, status, message = _save_score(request, assessment, register, obj, name, editable=editable)
    row = read_row(register, obj, message=message, saved=status == 200)
    return _answer_save(request, assessment, register, row, status, editable=editable)


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


@login_required
@require_POST
def wizard_measurement_add(request, pk, row_id):
    """Add a dated value to an indicator; the row comes back with its measurements."""
    assessment, _model, editable = _load(request, pk, "indicators", writing=True)
    _indicator_row(request, assessment, row_id)  # 404 for another assessment's indicator
    form = MeasurementForm(request.POST)
    outcome = versioned_write(
        lambda: measurement_add(
            assessment=assessment, indicator_id=row_id, user=request.user, data=form.service_data()
        ),
        form,
        editable=editable,
    )
    row = _indicator_row(
        request,
        assessment,
        row_id,
        measurement_form=form if outcome.status == HTTPStatus.UNPROCESSABLE_ENTITY else None,
        message=outcome.message,
        saved=outcome.ok,
    )
    return _answer_save(request, assessment, "indicators", row, outcome.status, editable=editable)


@login_required
@require_POST
def wizard_measurement_delete(request, pk, row_id, measurement_id):
    """Remove a measurement; one already gone is not an error."""
    assessment, _model, editable = _load(request, pk, "indicators", writing=True)
    outcome = versioned_write(
        lambda: measurement_delete(
            assessment=assessment, measurement_id=measurement_id, user=request.user
        ),
        editable=editable,
    )
    row = _indicator_row(request, assessment, row_id, message=outcome.message)
    return _answer_save(request, assessment, "indicators", row, outcome.status, editable=editable)

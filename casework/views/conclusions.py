"""The wizard's last step, Conclusions: perspective, conclusion, lessons, findings, action plan.

The conclusions card and the findings cards autosave like item cards (htmx, 409 on a stale
save with both values shown); the action plan's rows save with a button. Without JavaScript
the cards post with the step form and every action row is a plain form.
"""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from casework.access import get_assessment_for_user
from casework.forms.narrative import ActionForm
from casework.models import Action, DimensionFinding
from casework.presenters.conclusions import (
    action_conflict_rows,
    action_row,
    conclusions_card,
    conclusions_conflict_rows,
    conclusions_step_context,
    finding_card,
    finding_cards,
    plan_context,
    plan_wording,
)
from casework.presenters.navigation import conclusions_url, step_redirect
from casework.presenters.wizard import can_edit, dimensions_with_progress
from casework.services.errors import AssessmentLocked, EditConflict
from casework.services.narrative import (
    action_add,
    action_delete,
    action_plan_suggest,
    action_save,
    assessment_conclusions_save,
    finding_save,
)
from frameworks.models import Dimension

HTTP_LOCKED = HTTPStatus.LOCKED


def _is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _apply_errors(form, error: ValidationError) -> None:
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


# --- Saving the cards ---------------------------------------------------------------------------


def _save_conclusions(request, assessment, card) -> int:
    """Validate and save the bound conclusions card; return the HTTP status it earned."""
    form = card.form
    if not form.is_valid():
        return 422
    try:
        assessment_conclusions_save(
            assessment=assessment,
            user=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        _apply_errors(form, error)
        return 422
    except EditConflict as conflict:
        card.conflict = conclusions_conflict_rows(form.service_data(), conflict.current)
        card.version = conflict.current.narrative_version
        return 409
    except AssessmentLocked as locked:
        card.editable, card.message = False, locked.message
        return HTTP_LOCKED
    card.version = assessment.narrative_version
    card.saved_at = timezone.localtime()
    return 200


def _save_finding(request, assessment, card) -> int:
    form = card.form
    if not form.is_valid():
        return 422
    try:
        card.finding = finding_save(
            assessment=assessment,
            dimension_code=card.dimension.code,
            user=request.user,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        _apply_errors(form, error)
        return 422
    except EditConflict as conflict:
        theirs = conflict.current
        mine = (form.cleaned_data["text"] or "").strip()
        card.conflict = [
            {
                "label": DimensionFinding._meta.get_field("text").verbose_name,
                "mine": mine or "—",
                "theirs": theirs.text or "—",
            }
        ]
        card.conflict_by = theirs.updated_by
        card.version = theirs.version
        return 409
    except AssessmentLocked as locked:
        card.editable, card.message = False, locked.message
        return HTTP_LOCKED
    card.version = card.finding.version
    card.saved_at = timezone.localtime()
    return 200


# --- The step page ------------------------------------------------------------------------------


def conclusions_step(request, assessment, dimensions, *, plan_rows=None, new_form=None, status=200):
    """GET: the step. POST (no JavaScript): save the changed cards, then go where asked."""
    writing = request.method == "POST" and plan_rows is None and new_form is None
    editable = can_edit(request.user, assessment)
    number = len(dimensions) + 1
    if writing and not editable:
        messages.error(request, AssessmentLocked.default_message)
        return redirect("wizard_step", assessment.pk, number)
    data = request.POST if writing else None
    posted_card = data is not None and "conclusions-version" in data
    card = conclusions_card(assessment, editable=editable, data=data if posted_card else None)
    findings = finding_cards(assessment, dimensions, editable=editable, data=data)
    if writing:
        statuses = _save_changed(request, assessment, card if posted_card else None, findings)
        if all(s == 200 for s in statuses):
            if statuses:
                messages.success(request, _("Your conclusions are saved."))
            return step_redirect(request, assessment, number, number)
        status = max(s for s in statuses if s != 200)
    plan = plan_context(assessment, editable=editable, rows=plan_rows, new_form=new_form)
    context = conclusions_step_context(
        request.user,
        assessment,
        dimensions,
        editable=editable,
        card=card,
        finding_cards=findings,
        plan=plan,
    )
    return render(request, "casework/wizard/conclusions.html", context, status=status)


def _save_changed(request, assessment, card, findings) -> list[int]:
    """Save the posted cards whose values differ from what is stored (the no-JS step form)."""
    statuses = []
    if card is not None and (not card.form.is_valid() or card.form.changed_from(assessment)):
        statuses.append(_save_conclusions(request, assessment, card))
    for finding in findings:
        if finding.form.is_bound and (
            not finding.form.is_valid() or finding.form.changed_from(finding.finding)
        ):
            statuses.append(_save_finding(request, assessment, finding))
    return statuses


def _step_page(request, assessment, **kwargs):
    """The whole step again (no JavaScript), with a row or the add form kept as typed."""
    dimensions = dimensions_with_progress(assessment)
    return conclusions_step(request, assessment, dimensions, **kwargs)


def _back_to_plan(assessment):
    return redirect(conclusions_url(assessment) + "#action-plan")


# --- Autosave of the cards ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def wizard_conclusions_save(request, pk):
    """Autosave the conclusions card (POST, htmx) or give the current card back (GET)."""
    writing = request.method == "POST"
    assessment = get_assessment_for_user(request.user, pk, action="edit" if writing else "view")
    if not _is_htmx(request) and not writing:
        return redirect(conclusions_url(assessment))
    editable = can_edit(request.user, assessment)
    card = conclusions_card(assessment, editable=editable, data=request.POST if writing else None)
    status = 200
    if writing:
        if not editable:
            card.message, status = AssessmentLocked.default_message, HTTP_LOCKED
        else:
            status = _save_conclusions(request, assessment, card)
        if status == 200:
            saved_at = card.saved_at
            card = conclusions_card(assessment, editable=True)
            card.saved_at = saved_at
            if not _is_htmx(request):
                return redirect(conclusions_url(assessment))
    context = {"card": card, "assessment": assessment, "wording_oob": writing and status == 200}
    return render(request, "casework/wizard/_conclusions_card.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_finding_save(request, pk, code):
    """Autosave one dimension's findings (POST, htmx) or give the current card back (GET)."""
    writing = request.method == "POST"
    assessment = get_assessment_for_user(request.user, pk, action="edit" if writing else "view")
    dimension = Dimension.objects.filter(version_id=assessment.version_id, code=code).first()
    if dimension is None:
        raise Http404
    if not _is_htmx(request) and not writing:
        return redirect(conclusions_url(assessment))
    editable = can_edit(request.user, assessment)
    finding = (
        DimensionFinding.objects.filter(assessment=assessment, dimension_code=code)
        .select_related("updated_by")
        .first()
    )
    card = finding_card(
        assessment, dimension, finding, editable=editable, data=request.POST if writing else None
    )
    status = 200
    if writing:
        if not editable:
            card.message, status = AssessmentLocked.default_message, HTTP_LOCKED
        else:
            status = _save_finding(request, assessment, card)
        if status == 200:
            saved_at = card.saved_at
            card = finding_card(assessment, dimension, card.finding, editable=True)
            card.saved_at = saved_at
            if not _is_htmx(request):
                return redirect(conclusions_url(assessment))
    context = {"card": card, "assessment": assessment}
    return render(request, "casework/wizard/_finding_card.html", context, status=status)


# --- The action plan ----------------------------------------------------------------------------


def _render_row(request, assessment, row, status=200):
    context = {
        "row": row,
        "assessment": assessment,
        "wording": plan_wording(assessment.perspective),
    }
    return render(request, "casework/wizard/_action.html", context, status=status)


@login_required
@require_POST
def wizard_action_add(request, pk):
    assessment = get_assessment_for_user(request.user, pk, action="edit")
    form = ActionForm(request.POST)
    status = 200
    if not can_edit(request.user, assessment):
        form.add_error(None, AssessmentLocked.default_message)
        status = HTTP_LOCKED
    elif form.is_valid():
        try:
            action = action_add(assessment=assessment, user=request.user, data=form.service_data())
        except ValidationError as error:
            _apply_errors(form, error)
            status = 422
        except AssessmentLocked as locked:
            form.add_error(None, locked.message)
            status = HTTP_LOCKED
        else:
            if not _is_htmx(request):
                messages.success(request, _("Added to the plan."))
                return _back_to_plan(assessment)
            row = action_row(action, editable=True, saved=True)
            context = {
                "assessment": assessment,
                "new_form": ActionForm(),
                "added": row,
                "wording": plan_wording(assessment.perspective),
                "editable": True,
            }
            return render(request, "casework/wizard/_action_new.html", context)
    else:
        status = 422
    form.mark_invalid()
    if not _is_htmx(request):
        return _step_page(request, assessment, new_form=form, status=status)
    context = {
        "assessment": assessment,
        "new_form": form,
        "wording": plan_wording(assessment.perspective),
        "editable": status != HTTP_LOCKED,
    }
    return render(request, "casework/wizard/_action_new.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_action(request, pk, action_id):
    """GET: the action's row (htmx "take theirs"). POST: save it."""
    writing = request.method == "POST"
    assessment = get_assessment_for_user(request.user, pk, action="edit" if writing else "view")
    action = (
        Action.objects.filter(assessment=assessment, pk=action_id)
        .select_related("criterion", "carried_from__assessment")
        .first()
    )
    if action is None:
        raise Http404
    editable = can_edit(request.user, assessment)
    if not writing:
        if not _is_htmx(request):
            return _back_to_plan(assessment)
        return _render_row(request, assessment, action_row(action, editable=editable))
    form = ActionForm(request.POST, action=action)
    row, status = _save_action(request, assessment, action, form, editable)
    if status == 200 and not _is_htmx(request):
        messages.success(request, _("Saved."))
        return _back_to_plan(assessment)
    if status != 200 and not _is_htmx(request):
        return _step_page(request, assessment, plan_rows={action.pk: row}, status=status)
    return _render_row(request, assessment, row, status)


def _save_action(request, assessment, action, form, editable):
    """Run action_save for a bound row form; return (row, status)."""
    if not editable:
        row = action_row(action, editable=False, message=AssessmentLocked.default_message)
        return row, HTTP_LOCKED
    if not form.is_valid():
        form.mark_invalid()
        return _bound_row(action, form), 422
    try:
        saved = action_save(
            assessment=assessment,
            action_id=action.pk,
            user=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"] or 0,
        )
    except Action.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        _apply_errors(form, error)
        form.mark_invalid()
        return _bound_row(action, form), 422
    except EditConflict as conflict:
        theirs = conflict.current
        conflict_rows = action_conflict_rows(form, theirs)
        # The form keeps the user's values; its version moves on, so saving again keeps them.
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = theirs.version
        row = _bound_row(theirs, form)
        row.conflict, row.message = conflict_rows, EditConflict.default_message
        return row, 409
    except AssessmentLocked as locked:
        return action_row(action, editable=False, message=locked.message), HTTP_LOCKED
    return action_row(saved, editable=True, saved=True), 200


def _bound_row(action, form):
    row = action_row(action, editable=True)
    row.form = form
    return row


@login_required
@require_POST
def wizard_action_delete(request, pk, action_id):
    """Delete an action; one already gone is not an error (a double click, another tab)."""
    assessment = get_assessment_for_user(request.user, pk, action="edit")
    raw = request.POST.get(f"action-{action_id}-version", request.POST.get("version", ""))
    try:
        version = int(raw)
    except ValueError:
        version = None
    try:
        if not can_edit(request.user, assessment):
            raise AssessmentLocked()
        action_delete(
            assessment=assessment,
            action_id=action_id,
            user=request.user,
            expected_version=version,
        )
    except EditConflict as conflict:
        row = action_row(
            conflict.current,
            editable=True,
            message=_("Someone else changed this action; check it before deleting."),
        )
        if not _is_htmx(request):
            return _step_page(request, assessment, plan_rows={action_id: row}, status=409)
        return _render_row(request, assessment, row, 409)
    except AssessmentLocked as locked:
        if not _is_htmx(request):
            messages.error(request, locked.message)
            return _back_to_plan(assessment)
        return HttpResponse(locked.message, status=HTTP_LOCKED)
    if not _is_htmx(request):
        return _back_to_plan(assessment)
    return HttpResponse("")


@login_required
@require_POST
def wizard_action_suggest(request, pk):
    """Proposed actions from the gaps that have none yet."""
    assessment = get_assessment_for_user(request.user, pk, action="edit")
    status, notice = 200, ""
    try:
        if not can_edit(request.user, assessment):
            raise AssessmentLocked()
        created = action_plan_suggest(assessment=assessment, user=request.user)
    except AssessmentLocked as locked:
        status, notice = HTTP_LOCKED, locked.message
    else:
        if created:
            notice = ngettext(
                "%(count)s suggestion added from the gaps: edit, keep or drop it.",
                "%(count)s suggestions added from the gaps: edit, keep or drop them.",
                len(created),
            ) % {"count": len(created)}
        else:
            notice = _(
                "No new suggestions: every item scored at or below the scale's midpoint already "
                "has an entry in the plan."
            )
    if not _is_htmx(request):
        (messages.success if status == 200 else messages.error)(request, notice)
        return _back_to_plan(assessment)
    plan = plan_context(assessment, editable=can_edit(request.user, assessment), notice=notice)
    return render(request, "casework/wizard/_action_plan.html", {"plan": plan}, status=status)

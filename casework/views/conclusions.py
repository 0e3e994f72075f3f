"""The wizard's last step, Conclusions: perspective, conclusion, lessons, findings, action plan.

The conclusions card and the findings cards autosave like item cards (htmx, 409 on a stale
save with both values shown); the action plan's rows save with a button. Without JavaScript
the cards post with the step form and every action row is a plain form.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.access import get_assessment_for_user
from casework.forms.narrative import ActionForm
from casework.models import Action
from casework.presenters.conclusions import (
    action_add_context,
    action_conflict_rows,
    action_row,
    action_row_after,
    conclusions_card,
    conclusions_conflict_rows,
    conclusions_step_context,
    finding_card,
    finding_card_for,
    finding_cards,
    finding_conflict_rows,
    plan_context,
    plan_wording,
    suggest_notice,
)
from casework.presenters.navigation import conclusions_url, step_redirect
from casework.presenters.saves import show_on_card
from casework.presenters.wizard import can_edit, dimensions_with_progress
from casework.services.errors import AssessmentLocked
from casework.services.narrative import (
    action_add,
    action_delete,
    action_plan_suggest,
    action_save,
    assessment_conclusions_save,
    finding_save,
)
from casework.writes import HTTP_LOCKED, posted_int, versioned_write


def _is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


# --- Saving the cards ---------------------------------------------------------------------------


def _save_conclusions(request, assessment, card) -> int:
    """Validate and save the bound conclusions card; return the HTTP status it earned."""
    form = card.form
    outcome = versioned_write(
        lambda: assessment_conclusions_save(
            assessment=assessment,
            user=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        ),
        form,
        editable=card.editable,
        compare=lambda theirs: conclusions_conflict_rows(form.service_data(), theirs),
    )
    return show_on_card(card, outcome, version_field="narrative_version")


def _save_finding(request, assessment, card) -> int:
    """Validate and save one dimension's bound findings card; return the HTTP status it earned."""
    form = card.form
    outcome = versioned_write(
        lambda: finding_save(
            assessment=assessment,
            dimension_code=card.dimension.code,
            user=request.user,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
        ),
        form,
        editable=card.editable,
        compare=lambda theirs: finding_conflict_rows(form.cleaned_data["text"], theirs),
    )
    if outcome.ok:
        card.finding = outcome.saved
    elif outcome.theirs is not None:
        card.conflict_by = outcome.theirs.updated_by
    return show_on_card(card, outcome)


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
    status = _save_conclusions(request, assessment, card) if writing else 200
    if writing and status == 200:
        if not _is_htmx(request):
            return redirect(conclusions_url(assessment))
        # Saved: the card comes back fresh at its new version.
        card = conclusions_card(assessment, editable=True, saved_at=card.saved_at)
    context = {"card": card, "assessment": assessment, "wording_oob": writing and status == 200}
    return render(request, "casework/wizard/_conclusions_card.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_finding_save(request, pk, code):
    """Autosave one dimension's findings (POST, htmx) or give the current card back (GET)."""
    writing = request.method == "POST"
    assessment = get_assessment_for_user(request.user, pk, action="edit" if writing else "view")
    data = request.POST if writing else None
    card = finding_card_for(
        assessment, code, editable=can_edit(request.user, assessment), data=data
    )
    if card is None:
        raise Http404
    if not _is_htmx(request) and not writing:
        return redirect(conclusions_url(assessment))
    status = _save_finding(request, assessment, card) if writing else 200
    if writing and status == 200:
        if not _is_htmx(request):
            return redirect(conclusions_url(assessment))
        card = finding_card(
            assessment, card.dimension, card.finding, editable=True, saved_at=card.saved_at
        )
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
    """Add an action; the add form comes back empty under it, or as typed with its errors."""
    assessment = get_assessment_for_user(request.user, pk, action="edit")
    form = ActionForm(request.POST)
    outcome = versioned_write(
        lambda: action_add(assessment=assessment, user=request.user, data=form.service_data()),
        form,
        editable=can_edit(request.user, assessment),
    )
    if not outcome.ok:
        if outcome.status == HTTP_LOCKED:
            form.add_error(None, outcome.message)
        form.mark_invalid()
    if not _is_htmx(request):
        if not outcome.ok:
            return _step_page(request, assessment, new_form=form, status=outcome.status)
        messages.success(request, _("Added to the plan."))
        return _back_to_plan(assessment)
    context = action_add_context(assessment, form, outcome)
    return render(request, "casework/wizard/_action_new.html", context, status=outcome.status)


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
    row, status = _save_action(request, assessment, action, editable)
    if status == 200 and not _is_htmx(request):
        messages.success(request, _("Saved."))
        return _back_to_plan(assessment)
    if status != 200 and not _is_htmx(request):
        return _step_page(request, assessment, plan_rows={action.pk: row}, status=status)
    return _render_row(request, assessment, row, status)


def _save_action(request, assessment, action, editable):
    """Run action_save for the posted row form; return (row, status)."""
    form = ActionForm(request.POST, action=action)
    outcome = versioned_write(
        lambda: action_save(
            assessment=assessment,
            action_id=action.pk,
            user=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"] or 0,
        ),
        form,
        editable=editable,
        compare=partial(action_conflict_rows, form),
        # The form keeps the user's values; its version moves on, so saving again keeps them.
        rebase="version",
    )
    return action_row_after(action, form, outcome), outcome.status


@login_required
@require_POST
def wizard_action_delete(request, pk, action_id):
    """Delete an action; one already gone is not an error (a double click, another tab)."""
    assessment = get_assessment_for_user(request.user, pk, action="edit")
    raw = request.POST.get(f"action-{action_id}-version", request.POST.get("version", ""))
    version = posted_int(raw)
    outcome = versioned_write(
        lambda: action_delete(
            assessment=assessment, action_id=action_id, user=request.user, expected_version=version
        ),
        editable=can_edit(request.user, assessment),
    )
    if outcome.theirs is not None:
        message = _("Someone else changed this action; check it before deleting.")
        row = action_row(outcome.theirs, editable=True, message=message)
        if not _is_htmx(request):
            return _step_page(request, assessment, plan_rows={action_id: row}, status=409)
        return _render_row(request, assessment, row, 409)
    if not _is_htmx(request):
        if not outcome.ok:
            messages.error(request, outcome.message)
        return _back_to_plan(assessment)
    return HttpResponse("" if outcome.ok else outcome.message, status=outcome.status)


@login_required
@require_POST
def wizard_action_suggest(request, pk):
    """Proposed actions from the gaps that have none yet."""
    assessment = get_assessment_for_user(request.user, pk, action="edit")
    editable = can_edit(request.user, assessment)
    outcome = versioned_write(
        lambda: action_plan_suggest(assessment=assessment, user=request.user), editable=editable
    )
    notice = suggest_notice(outcome.saved) if outcome.ok else outcome.message
    if not _is_htmx(request):
        (messages.success if outcome.ok else messages.error)(request, notice)
        return _back_to_plan(assessment)
    plan = plan_context(assessment, editable=editable, notice=notice)
    return render(
        request, "casework/wizard/_action_plan.html", {"plan": plan}, status=outcome.status
    )

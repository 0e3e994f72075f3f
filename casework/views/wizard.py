"""The analyst's scoring wizard: one page per dimension, one autosaving card per item."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework.access import get_assessment_for_user
from casework.presenters.fragments import SAVE_EXTRAS, chrome_fragments
from casework.presenters.navigation import step_redirect
from casework.presenters.wizard import (
    Card,
    can_edit,
    dimensions_with_progress,
    evidence_limit,
    history_context,
    item_card,
    make_card,
    progress_extras,
    show_conflict,
    show_errors,
    step_cards,
    step_context,
)
from casework.services.answers import answer_save
from casework.services.errors import AssessmentLocked, EditConflict

HTTP_LOCKED = HTTPStatus.LOCKED


def _save_card(request, assessment, card: Card) -> int:
    """Validate and save one bound card; return the HTTP status it earned (200 when saved)."""
    form = card.form
    if not form.is_valid():
        return 422
    card.pending = form.na_pending
    try:
        card.answer = answer_save(
            assessment=assessment,
            criterion_code=card.criterion.code,
            user=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        show_errors(form, error)
        return 422
    except EditConflict as conflict:
        show_conflict(card, conflict.current)
        return 409
    except AssessmentLocked as locked:
        card.editable, card.message = False, locked.message
        return HTTP_LOCKED
    card.version, card.saved_at = card.answer.version, timezone.localtime()
    return 200


def _save_changed(request, assessment, cards) -> list[int]:
    """Save the cards whose posted values differ from what is stored (the no-JS step form)."""
    statuses = []
    for card in cards:
        if not card.form.is_valid() or card.form.changed_from(card.answer):
            statuses.append(_save_card(request, assessment, card))
        else:
            card.pending = card.form.na_pending
    return statuses


def item_step(request, assessment, dimensions, n):
    """A dimension's page: GET shows its cards; POST (no JavaScript) saves the changed ones."""
    writing = request.method == "POST"
    editable = can_edit(request.user, assessment)
    if writing and not editable:
        messages.error(request, AssessmentLocked.default_message)
        return redirect("wizard_step", assessment.pk, n)
    data = request.POST if writing else None
    cards = step_cards(
        assessment, dimensions[n - 1], editable=editable, data=data, answers=dimensions.answers
    )
    status = 200
    if writing:
        statuses = _save_changed(request, assessment, cards)
        if all(s == 200 for s in statuses):
            if statuses:
                messages.success(request, _("Your answers are saved."))
            # An N/A still waiting for its reason keeps the analyst on the step to give it.
            if not any(card.pending for card in cards):
                return step_redirect(request, assessment, n, len(dimensions) + 1)
        status = max((s for s in statuses if s != 200), default=200)
        dimensions = dimensions_with_progress(assessment)
    context = step_context(request.user, assessment, dimensions, n, cards, editable=editable)
    # The step list, what is left and the keys' help: kept while what they show is unchanged.
    context["chrome"] = chrome_fragments(context)
    return render(request, "casework/wizard/step.html", context, status=status)


def _autosave(request, assessment, card) -> tuple[Card, int]:
    """Save one posted card; a saved one comes back fresh (unbound) at its new version."""
    if not card.editable:
        card.message = AssessmentLocked.default_message
        return card, HTTP_LOCKED
    status = _save_card(request, assessment, card)
    if status != 200 or card.pending:
        return card, status
    fresh = make_card(
        card.criterion, card.answer, scale=card.scale, sources=card.sources, editable=True
    )
    fresh.saved_at = card.saved_at
    return fresh, 200


@login_required
@require_http_methods(["GET", "POST"])
def wizard_answer_save(request, pk, code):
    """Autosave one card (POST, htmx) or give the current card back (GET, "take theirs")."""
    writing = request.method == "POST"
    assessment = get_assessment_for_user(
        request.user, pk, action="edit" if writing else "view", lean=True
    )
    try:
        card = item_card(
            assessment,
            code,
            editable=can_edit(request.user, assessment),
            data=request.POST if writing else None,
        )
    except ValidationError as error:
        context = {"message": " ".join(error.messages)}
        return render(request, "casework/wizard/_message.html", context, status=422)
    status = 200
    if writing:
        card, status = _autosave(request, assessment, card)
    context = {"card": card, "assessment": assessment, "evidence_limit": evidence_limit()}
    if writing and status == 200:
        # The step list's counters and what is left, swapped out of band with the card.
        answers = getattr(card.answer, "gap_rows", None)  # as the save left them
        context.update(progress_extras(assessment, card.criterion.dimension_id, answers=answers))
        context["extras"] = chrome_fragments(context, parts=SAVE_EXTRAS, oob=True)
    return render(request, "casework/wizard/_card.html", context, status=status)


@login_required
def answer_history(request, pk, code):
    """Who changed the item, when, and each field's old → new value."""
    assessment = get_assessment_for_user(request.user, pk, action="view")
    context = history_context(assessment, code)
    if request.headers.get("HX-Request"):
        return render(request, "casework/wizard/_history.html", context)
    return render(request, "casework/wizard/history.html", context)

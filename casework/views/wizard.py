"""The analyst's scoring wizard: one page per dimension, one autosaving card per item."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework.access import get_assessment_for_user
from casework.forms.registers import REGISTER_FORM_FIELDS
from casework.models import Answer, CaseSource
from casework.presenters.history import history_entries
from casework.presenters.left import what_is_left
from casework.presenters.navigation import case_url, exit_url, step_redirect
from casework.presenters.registers import register_table
from casework.presenters.wizard import (
    Card,
    can_edit,
    conflict_rows,
    dimensions_with_progress,
    evidence_limit,
    make_card,
    overall_progress,
    readonly_reason,
    scale_of,
)
from casework.services.answers import answer_save, criterion_for_code
from casework.services.errors import AssessmentLocked, EditConflict
from frameworks.models import Criterion, Dimension

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
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
        return 422
    except EditConflict as conflict:
        theirs = conflict.current
        card.conflict = conflict_rows(card, form.service_data(), theirs)
        card.conflict_by = theirs.updated_by
        card.version = theirs.version
        card.answer = theirs
        return 409
    except AssessmentLocked as locked:
        card.editable = False
        card.message = locked.message
        return HTTP_LOCKED
    card.version = card.answer.version
    card.saved_at = timezone.localtime()
    return 200


def item_step(request, assessment, dimensions, n):
    """A dimension's page: GET shows its cards; POST (no JavaScript) saves the changed ones."""
    writing = request.method == "POST"
    dimension = dimensions[n - 1]
    editable = can_edit(request.user, assessment)
    if writing and not editable:
        messages.error(request, AssessmentLocked.default_message)
        return redirect("wizard_step", assessment.pk, n)

    scale = scale_of(assessment)
    sources = list(CaseSource.objects.filter(case_id=assessment.case_id))
    criteria = list(
        Criterion.objects.filter(dimension=dimension).prefetch_related("levels").order_by("order")
    )
    answers = {
        a.criterion_id: a
        for a in Answer.objects.filter(assessment=assessment, criterion__dimension=dimension)
    }
    cards = [
        make_card(
            c,
            answers.get(c.pk) or Answer(assessment=assessment, criterion=c),
            scale=scale,
            sources=sources,
            editable=editable,
            data=request.POST if writing else None,
        )
        for c in criteria
    ]
    status = 200
    if writing:
        statuses = []
        for card in cards:
            if not card.form.is_valid() or card.form.changed_from(card.answer):
                statuses.append(_save_card(request, assessment, card))
            else:
                card.pending = card.form.na_pending
        if all(s == 200 for s in statuses):
            if statuses:
                messages.success(request, _("Your answers are saved."))
            # An N/A still waiting for its reason keeps the analyst on the step to give it.
            if not any(card.pending for card in cards):
                return step_redirect(request, assessment, n, len(dimensions) + 1)
        status = max((s for s in statuses if s != 200), default=200)
        dimensions = dimensions_with_progress(assessment)
        dimension = dimensions[n - 1]

    context = {
        "assessment": assessment,
        "dimensions": dimensions,
        "dimension": dimension,
        "number": n,
        "previous": n - 1 if n > 1 else None,
        "next": n + 1,  # the last dimension leads to the Conclusions step
        "conclusions_number": len(dimensions) + 1,
        "cards": cards,
        "left": what_is_left(assessment, dimensions, current=dimension),
        "editable": editable,
        **overall_progress(dimensions),
        "registers": [
            register_table(assessment, name, editable=editable)
            for name in dimension.registers
            if name in REGISTER_FORM_FIELDS
        ],
        "exit_url": exit_url(assessment),
        "case_url": case_url(assessment),
        "evidence_limit": evidence_limit(),
        "locked_reason": "" if editable else readonly_reason(request.user, assessment),
    }
    return render(request, "casework/wizard/step.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_answer_save(request, pk, code):
    """Autosave one card (POST, htmx) or give the current card back (GET, "take theirs")."""
    writing = request.method == "POST"
    assessment = get_assessment_for_user(request.user, pk, action="edit" if writing else "view")
    criterion = (
        Criterion.objects.filter(version_id=assessment.version_id, code=code)
        .prefetch_related("levels")
        .first()
    )
    if criterion is None:
        try:
            criterion_for_code(assessment, code)
        except ValidationError as error:
            message = " ".join(error.messages)
        return render(request, "casework/wizard/_message.html", {"message": message}, status=422)
    answer = (
        Answer.objects.filter(assessment=assessment, criterion=criterion)
        .select_related("updated_by")
        .first()
    ) or Answer(assessment=assessment, criterion=criterion)
    scale = scale_of(assessment)
    card = make_card(
        criterion,
        answer,
        scale=scale,
        sources=list(CaseSource.objects.filter(case_id=assessment.case_id)),
        editable=can_edit(request.user, assessment),
        data=request.POST if writing else None,
    )
    status = 200
    if writing:
        if not card.editable:
            card.message = AssessmentLocked.default_message
            status = HTTP_LOCKED
        else:
            status = _save_card(request, assessment, card)
        if status == 200 and not card.pending:
            # A fresh, unbound card: it shows what was stored, at the new version.
            saved_at, card = (
                card.saved_at,
                make_card(
                    criterion,
                    card.answer,
                    scale=scale,
                    sources=card.sources,
                    editable=True,
                ),
            )
            card.saved_at = saved_at
    context = {"card": card, "assessment": assessment, "evidence_limit": evidence_limit()}
    if writing and status == 200:
        # The step list's counters, swapped out of band so that progress follows autosave.
        dimensions = dimensions_with_progress(assessment)
        context.update(overall_progress(dimensions))
        context["progress_dimension"] = next(
            d for d in dimensions if d.pk == criterion.dimension_id
        )
        context["left"] = what_is_left(
            assessment, dimensions, current=context["progress_dimension"]
        )
        context["number"] = context["progress_dimension"].number
        context["conclusions_number"] = len(dimensions) + 1
    return render(request, "casework/wizard/_card.html", context, status=status)


@login_required
def answer_history(request, pk, code):
    """Who changed the item, when, and each field's old → new value."""
    assessment = get_assessment_for_user(request.user, pk, action="view")
    answer = (
        Answer.objects.filter(
            assessment=assessment, criterion__version_id=assessment.version_id, criterion__code=code
        )
        .select_related("criterion")
        .first()
    )
    if answer is None:
        raise Http404
    card = make_card(
        answer.criterion,
        answer,
        scale=scale_of(assessment),
        sources=list(CaseSource.objects.filter(case_id=assessment.case_id)),
        editable=False,
    )
    dimension_ids = list(
        Dimension.objects.filter(version_id=assessment.version_id)
        .order_by("order", "code")
        .values_list("pk", flat=True)
    )
    number = dimension_ids.index(answer.criterion.dimension_id) + 1
    context = {
        "assessment": assessment,
        "criterion": answer.criterion,
        "entries": history_entries(answer, card),
        "back_url": reverse("wizard_step", args=[assessment.pk, number]) + f"#{card.dom_id}",
    }
    if request.headers.get("HX-Request"):
        return render(request, "casework/wizard/_history.html", context)
    return render(request, "casework/wizard/history.html", context)

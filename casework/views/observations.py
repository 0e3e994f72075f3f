"""The observation sweep: a step's observation items set in one compact table, one Save.

With htmx the table opens inside the step and a save swaps the step's observation cards,
progress and "what is left" in place; without JavaScript it is a page of its own.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from casework.access import get_assessment_for_user
from casework.observation_sweep import (
    apply_outcomes,
    problem_count,
    saved_in_place,
    sweep_context,
    sweep_edits,
    sweep_rows,
    sweep_status,
)
from casework.services.errors import AssessmentLocked
from casework.services.observations import observations_save
from frameworks.models import Dimension

HTTP_LOCKED = 423


def step_dimension(assessment, number: int) -> Dimension:
    """The dimension wizard step `number` shows (the steps follow order, then code); else 404."""
    dimensions = Dimension.objects.filter(version_id=assessment.version_id).order_by(
        "order", "code"
    )
    found = list(dimensions[number - 1 : number]) if number >= 1 else []
    if not found:
        raise Http404
    return found[0]


def _saved_message(outcomes) -> str:
    saved = sum(1 for outcome in outcomes.values() if outcome.saved)
    if not saved:
        return _("No observation was changed.")
    return ngettext("%(count)s observation saved.", "%(count)s observations saved.", saved) % {
        "count": saved
    }


def _done(request, assessment, dimension, n, *, message, error=False):
    """All rows saved (or the assessment locked): back to the step, or its parts swapped in place."""
    if request.headers.get("HX-Request"):
        if error:
            context = {"message": message}
            return render(request, "casework/wizard/_message.html", context, status=HTTP_LOCKED)
        context = saved_in_place(assessment, dimension, message=message)
        return render(request, "casework/wizard/_sweep_saved.html", context)
    (messages.error if error else messages.success)(request, message)
    return redirect("wizard_step", assessment.pk, n)


def _save(request, assessment, dimension, n, rows):
    """Save the changed rows; the step when all are saved (or locked), None to show the table."""
    try:
        outcomes = observations_save(
            assessment=assessment, user=request.user, edits=sweep_edits(rows)
        )
    except AssessmentLocked as locked:
        return _done(request, assessment, dimension, n, message=locked.message, error=True)
    apply_outcomes(rows, outcomes)
    if problem_count(rows):
        return None
    return _done(request, assessment, dimension, n, message=_saved_message(outcomes))


@login_required
@require_http_methods(["GET", "POST"])
def observation_sweep(request, pk, n):
    """The table (GET); save the changed rows, back to the step when all are saved (POST)."""
    assessment = get_assessment_for_user(request.user, pk, action="edit")
    dimension = step_dimension(assessment, n)
    writing = request.method == "POST"
    rows = sweep_rows(assessment, dimension, request.POST if writing else None)
    if not assessment.is_editable:
        return _done(
            request, assessment, dimension, n, message=AssessmentLocked().message, error=True
        )
    if writing and (done := _save(request, assessment, dimension, n, rows)) is not None:
        return done
    in_place = bool(request.headers.get("HX-Request"))
    context = sweep_context(assessment, dimension, n, rows, in_place=in_place)
    template = "_sweep_panel.html" if in_place else "observations.html"
    return render(request, f"casework/wizard/{template}", context, status=sweep_status(rows))

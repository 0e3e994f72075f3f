"""The observation sweep: a step's observation items set in one compact table, one Save."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from casework.access import get_assessment_for_user
from casework.models import Answer
from casework.observation_sweep import apply_outcomes, problem_count, sweep_edits, sweep_rows
from casework.services.errors import AssessmentLocked
from casework.services.observations import observations_save
from frameworks.models import Dimension


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


@login_required
@require_http_methods(["GET", "POST"])
def observation_sweep(request, pk, n):
    """The table (GET); save the changed rows, back to the step when all are saved (POST)."""
    assessment = get_assessment_for_user(request.user, pk, action="edit")
    dimension = step_dimension(assessment, n)
    writing = request.method == "POST"
    rows = sweep_rows(assessment, dimension, request.POST if writing else None)
    status = 200
    try:
        if not assessment.is_editable:
            raise AssessmentLocked()
        if writing:
            edits = sweep_edits(rows)
            outcomes = observations_save(assessment=assessment, user=request.user, edits=edits)
            apply_outcomes(rows, outcomes)
            if not problem_count(rows):
                messages.success(request, _saved_message(outcomes))
                return redirect("wizard_step", assessment.pk, n)
            status = 409 if any(row.current is not None for row in rows) else 422
    except AssessmentLocked as locked:
        messages.error(request, locked.message)
        return redirect("wizard_step", assessment.pk, n)
    context = {
        "assessment": assessment,
        "dimension": dimension,
        "number": n,
        "rows": rows,
        "problems": problem_count(rows),
        "choices": Answer.Observation.choices,
    }
    return render(request, "casework/wizard/observations.html", context, status=status)

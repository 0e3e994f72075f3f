"""Double scoring pages: ask for a second scoring, see the agreement, adjudicate."""

from functools import partial
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access
from casework import double as reads
from casework.forms.double import AdjudicationForm, SecondScoringForm
from casework.presenters.double import adjudication_rows
from casework.services import double as services
from casework.services.errors import AssessmentLocked, ServiceError
from casework.writes import HTTP_LOCKED, versioned_write
from frameworks.models import ScaleLevel


@login_required
def second_scoring_request(request, pk):
    assessment = access.get_assessment_for_user(request.user, pk, action="review")
    memberships = list(services.second_analysts_for(assessment))
    form = SecondScoringForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_scoring_request(
                assessment=assessment, analyst=form.cleaned_data["analyst"], user=request.user
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Second scoring asked for. The analyst finds it on the case page.")
            )
        return redirect(assessment)
    context = {
        "assessment": assessment,
        "case": assessment.case,
        "form": form,
        "memberships": memberships,
    }
    return render(request, "casework/double/request.html", context)


@login_required
@require_POST
def second_scoring_withdraw(request, pk):
    assessment = access.get_assessment_for_user(request.user, pk, action="review")
    try:
        services.second_scoring_withdraw(assessment=assessment, user=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The second scoring was withdrawn."))
    return redirect(assessment)


def _pair_for(request, pk, *, action="view") -> reads.Pair:
    """The double-scored pair of the first assessment `pk`, both submitted; else 404."""
    assessment = access.get_assessment_for_user(request.user, pk, action=action)
    pair = reads.pair_of(assessment)
    if assessment.second_of_id or pair.second is None or not pair.both_submitted:
        raise Http404
    return pair


@login_required
def agreement(request, pk):
    pair = _pair_for(request, pk)
    context = {
        "assessment": pair.first,
        "case": pair.first.case,
        "pair": pair,
        "agreement": reads.agreement_of(pair),
        "can_adjudicate": access.is_manager(request.user) and pair.can_adjudicate,
    }
    return render(request, "casework/double/agreement.html", context)


def _scale(pair) -> list[ScaleLevel]:
    return list(ScaleLevel.objects.filter(version_id=pair.first.version_id).order_by("value"))


def _adjudication_page(request, pair, *, bound=None, status=200):
    data = reads.agreement_of(pair)
    context = {
        "assessment": pair.first,
        "case": pair.first.case,
        "pair": pair,
        "agreement": data,
        "rows": adjudication_rows(data["items"], scale=_scale(pair), bound=bound),
    }
    context["bound_agreed"] = any(row["form"] is bound for row in context["rows"]["agreed"])
    return render(request, "casework/double/adjudicate.html", context, status=status)


@login_required
def adjudication(request, pk):
    pair = _pair_for(request, pk, action="adjudicate")
    return _adjudication_page(request, pair)


def _decide(request, pair, code, form):
    """The service call behind one item's decision, from a valid form."""
    data = form.cleaned_data
    return services.adjudication_save(
        assessment=pair.first,
        criterion_code=code,
        user=request.user,
        choice=data["choice"],
        level=data["level"],
        reason=data["reason"],
        expected_version=data["version"],
    )


@login_required
@require_POST
def adjudication_save(request, pk, code):
    """Save one item's decision; a stale one comes back as typed, at the version now stored."""
    pair = _pair_for(request, pk, action="adjudicate")
    form = AdjudicationForm(request.POST, scale=_scale(pair), prefix_code=code)
    try:
        outcome = versioned_write(
            partial(_decide, request, pair, code, form), form, rebase="version"
        )
        if outcome.status == HTTP_LOCKED:
            raise AssessmentLocked(outcome.message)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("adjudication", pk=pair.first.pk)
    if outcome.ok:
        messages.success(request, _("Decision on %(code)s saved.") % {"code": code})
        return redirect(f"{reverse('adjudication', args=[pair.first.pk])}#item-{code}")
    if outcome.status == HTTPStatus.CONFLICT:
        message = _(
            "Someone else decided this item meanwhile. Check their decision, then save again to replace it."
        )
        form.add_error(None, message)
    return _adjudication_page(request, pair, bound=form, status=400)

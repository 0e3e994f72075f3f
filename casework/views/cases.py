"""Case pages: list, create, detail, edit, duplicate, archive and restore."""

from functools import partial
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access, selectors
from casework.forms.cases import (
    CaseEventFormSet,
    CaseFilterForm,
    CaseForm,
    CaseSourceFormSet,
    case_conflicts,
    event_changes,
    source_changes,
)
from casework.presenters import source_panel
from casework.presenters.cases import assessment_links, case_list_context
from casework.search.similar import similar_cases
from casework.services import cases as case_services
from casework.services.errors import WorkflowError
from casework.writes import versioned_write

PAGE_SIZE = 25


@login_required
def case_list(request):
    form = CaseFilterForm(
        request.GET or None,
        sectors=selectors.sectors_visible_to(request.user),
        bands=selectors.band_choices(),
        show_unit=access.is_admin(request.user),
    )
    filters = form.filters()
    cases = selectors.case_list(user=request.user, **filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = case_list_context(
        form, page, filters, request.GET, can_edit=access.can_edit_cases(request.user)
    )
    return render(request, "casework/cases/list.html", context)


def _unit_for_new_case(request, form):
    if "unit" in form.fields:
        return form.cleaned_data["unit"]
    membership = getattr(request.user, "membership", None)
    if membership is None:
        raise PermissionDenied
    return membership.unit


def _case_forms(request, case=None, **form_kwargs):
    """The case form and its two formsets (sources, timeline), bound on a POST."""
    data = request.POST or None
    return (
        CaseForm(data, instance=case, **form_kwargs),
        CaseSourceFormSet(data, instance=case, prefix="sources"),
        CaseEventFormSet(data, instance=case, prefix="events"),
    )


def _form_page(request, forms, case, *, conflicts=(), status=200):
    form, formset, events = forms
    context = {
        "form": form,
        "formset": formset,
        "events": events,
        "case": case,
        "conflicts": conflicts,
    }
    return render(request, "casework/cases/form.html", context, status=status)


def _all_valid(*forms) -> bool:
    # Every form validates (no short cut), so that each one shows its errors on the same page.
    results = [form.is_valid() for form in forms]
    return all(results)


@login_required
def case_create(request):
    if not access.can_edit_cases(request.user):
        raise PermissionDenied
    # Admins pick the unit; everyone else creates cases in their own unit.
    choose_unit = access.is_admin(request.user)
    forms = _case_forms(request, choose_unit=choose_unit)
    form, formset, events = forms
    if choose_unit and not request.POST and access.unit_id_of(request.user):
        form.fields["unit"].initial = access.unit_id_of(request.user)
    if request.method != "POST" or not _all_valid(*forms):
        return _form_page(request, forms, None)
    result = case_services.case_create(
        owner=request.user,
        unit=_unit_for_new_case(request, form),
        data=form.cleaned_data,
        sources=source_changes(formset),
        events=event_changes(events),
    )
    messages.success(request, _("Case created."))
    if not result.started:
        messages.warning(
            request,
            _(
                "No framework has a published version yet, so no assessment was started. "
                "Ask an administrator to publish one."
            ),
        )
    return redirect(result.case)


@login_required
def case_detail(request, pk):
    case = access.get_case_for_user(request.user, pk)
    groups = selectors.case_assessments(case, user=request.user)
    for group in groups:
        for assessment in group.rounds:
            assessment_links(assessment)
    return render(
        request,
        "casework/cases/detail.html",
        {
            "case": case,
            "panel": source_panel.panel_context(request, case),
            "events": list(case.events.all()),
            "groups": groups,
            "can_edit": access.can_edit_cases(request.user),
            "similar": similar_cases(case=case, user=request.user),
        },
    )


def _update(case, form, formset, events):
    return case_services.case_update(
        case=case,
        data=form.cleaned_data,
        sources=source_changes(formset),
        events=event_changes(events),
        expected_version=form.cleaned_data["expected_version"],
    )


@login_required
def case_edit(request, pk):
    case = access.get_case_for_user(request.user, pk, edit=True)
    if case.is_archived:
        messages.error(request, _("This case is archived and read-only: restore it first."))
        return redirect(case)
    forms = _case_forms(request, case)
    form = forms[0]
    if request.method != "POST" or not _all_valid(*forms):
        return _form_page(request, forms, case)
    try:
        outcome = versioned_write(
            partial(_update, case, *forms),
            form,
            compare=partial(case_conflicts, form),
            # The next submit overwrites the stored case deliberately: the user saw both.
            rebase="expected_version",
        )
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect(case)
    if outcome.ok:
        messages.success(request, _("Case saved."))
        return redirect(case)
    if outcome.status == HTTPStatus.CONFLICT:
        form.add_error(None, outcome.message)
    status = 409 if outcome.conflict else 200
    return _form_page(request, forms, case, conflicts=outcome.conflict, status=status)


@login_required
@require_POST
def case_duplicate(request, pk):
    case = access.get_case_for_user(request.user, pk, edit=True)
    result = case_services.case_duplicate(case=case, user=request.user)
    messages.success(request, _("Case copied. The copy starts with fresh round-1 assessments."))
    return redirect(result.case)


@login_required
@require_POST
def case_archive(request, pk):
    case = access.get_case_for_user(request.user, pk, edit=True)
    case_services.case_archive(case=case, user=request.user)
    messages.success(request, _("Case archived. Find it again with “Show archived cases”."))
    return redirect(case)


@login_required
@require_POST
def case_restore(request, pk):
    case = access.get_case_for_user(request.user, pk, edit=True)
    case_services.case_restore(case=case, user=request.user)
    messages.success(request, _("Case restored."))
    return redirect(case)

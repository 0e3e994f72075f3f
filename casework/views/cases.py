"""Case pages: list, create, detail, edit, duplicate, archive and restore."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access, readmodel, selectors
from casework.forms.cases import (
    CaseEventFormSet,
    CaseFilterForm,
    CaseForm,
    CaseSourceFormSet,
    case_conflicts,
    event_changes,
    rebase_on,
    source_changes,
)
from casework.presenters import source_panel
from casework.presenters.cases import assessment_links
from casework.search.similar import similar_cases
from casework.services import cases as case_services
from casework.services.errors import EditConflict, WorkflowError

PAGE_SIZE = 25


@login_required
def case_list(request):
    show_unit = access.is_admin(request.user)
    form = CaseFilterForm(
        request.GET or None,
        sectors=selectors.sectors_visible_to(request.user),
        bands=selectors.band_choices(),
        show_unit=show_unit,
    )
    filters = form.filters()
    cases = selectors.case_list(user=request.user, **filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page.object_list:
        for assessment in case.latest:
            assessment.score = readmodel.snapshot_of(assessment)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "casework/cases/list.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "filtered": any(
                v is not None and v != "" and v is not False
                for k, v in filters.items()
                if k != "sort"
            ),
            "can_edit": access.can_edit_cases(request.user),
        },
    )


def _unit_for_new_case(request, form):
    if "unit" in form.fields:
        return form.cleaned_data["unit"]
    membership = getattr(request.user, "membership", None)
    if membership is None:
        raise PermissionDenied
    return membership.unit


@login_required
def case_create(request):
    if not access.can_edit_cases(request.user):
        raise PermissionDenied
    # Admins pick the unit; everyone else creates cases in their own unit.
    choose_unit = access.is_admin(request.user)
    form = CaseForm(request.POST or None, choose_unit=choose_unit)
    formset = CaseSourceFormSet(request.POST or None, prefix="sources")
    events = CaseEventFormSet(request.POST or None, prefix="events")
    if choose_unit and not request.POST and access.unit_id_of(request.user):
        form.fields["unit"].initial = access.unit_id_of(request.user)
    if request.method == "POST" and _all_valid(form, formset, events):
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
    return render(
        request,
        "casework/cases/form.html",
        {"form": form, "formset": formset, "events": events, "case": None},
    )


def _all_valid(*forms) -> bool:
    # Every form validates (no short cut), so that each one shows its errors on the same page.
    results = [form.is_valid() for form in forms]
    return all(results)


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


@login_required
def case_edit(request, pk):
    case = access.get_case_for_user(request.user, pk, edit=True)
    if case.is_archived:
        messages.error(request, _("This case is archived and read-only: restore it first."))
        return redirect(case)
    form = CaseForm(request.POST or None, instance=case)
    formset = CaseSourceFormSet(request.POST or None, instance=case, prefix="sources")
    events = CaseEventFormSet(request.POST or None, instance=case, prefix="events")
    conflicts = []
    if request.method == "POST" and _all_valid(form, formset, events):
        try:
            case_services.case_update(
                case=case,
                data=form.cleaned_data,
                sources=source_changes(formset),
                events=event_changes(events),
                expected_version=form.cleaned_data["expected_version"],
            )
        except EditConflict as conflict:
            conflicts = case_conflicts(form, conflict.current)
            rebase_on(form, conflict.current)
            form.add_error(None, conflict.message)
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect(case)
        else:
            messages.success(request, _("Case saved."))
            return redirect(case)
    status = 409 if conflicts else 200
    return render(
        request,
        "casework/cases/form.html",
        {
            "form": form,
            "formset": formset,
            "events": events,
            "case": case,
            "conflicts": conflicts,
        },
        status=status,
    )


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

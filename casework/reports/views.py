"""Report pages: HTML and PDF reports, comparison, portfolio and exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from casework import access
from casework.forms.bounds import database_int
from casework.jobs import responses as job_views
from casework.jobs.renderers import Target
from casework.models import Assessment
from casework.readmodel import OF_RECORD
from casework.reports import compare as report_compare
from casework.reports import context as report_context
from casework.reports import exports, portfolio
from casework.reports import figures as report_figures
from casework.reports import render as report_render

PICKER_SIZE = 300


def _compare_links(case, reports: list[dict]) -> list[dict]:
    """A "compare rounds" link per framework of the case that has more than one round."""
    rounds: dict[str, list[int]] = {}
    for pk, code in (
        Assessment.objects.filter(OF_RECORD, case=case)
        .order_by("framework__code", "-round")
        .values_list("pk", "framework__code")
    ):
        rounds.setdefault(code, []).append(pk)
    links = []
    for report in reports:
        code = report["framework"]["code"]
        ids = rounds.get(code, [])
        if len(ids) > 1:
            # Oldest first, so differences read as change since the earliest round shown.
            chosen = list(reversed(ids[: report_compare.MAX_COMPARED]))
            query = urlencode([("a", pk) for pk in chosen])
            links.append({"code": code, "url": f"{reverse('compare')}?{query}"})
    return links


def _report_page(
    request, *, case: dict, reports, crosswalk, pdf_url, docx_url, case_report_url, links
):
    figures = report_render.page_figure_data(reports)
    return render(
        request,
        "reports/report.html",
        {
            "case": case,
            "sections": report_render.chart_sections(reports, {key: key for key in figures}),
            "crosswalk": crosswalk,
            "figures": figures,
            "pdf_url": pdf_url,
            "docx_url": docx_url,
            "case_report_url": case_report_url,
            "compare_links": links,
        },
    )


@login_required
def report_assessment(request, pk):
    assessment = access.get_assessment_for_user(request.user, pk)
    report = report_context.assessment_context(assessment)
    return _report_page(
        request,
        case=report["case"],
        reports=[report],
        crosswalk=report_context.assessment_crosswalk(assessment, report),
        pdf_url=reverse("report_assessment_pdf", args=[assessment.pk]),
        docx_url=reverse("report_assessment_docx", args=[assessment.pk]),
        case_report_url=reverse("report_case", args=[assessment.case_id]),
        links=_compare_links(assessment.case, [report]),
    )


@login_required
def report_case(request, pk):
    case = access.get_case_for_user(request.user, pk, whole=True)
    data = report_context.case_context(case)
    return _report_page(
        request,
        case=data["case"],
        reports=data["reports"],
        crosswalk=data["crosswalk"],
        pdf_url=reverse("report_case_pdf", args=[case.pk]),
        docx_url=reverse("report_case_docx", args=[case.pk]),
        case_report_url=None,
        links=_compare_links(case, data["reports"]),
    )


# --- PDF downloads: the stored file of this report version, or a job and its progress page --


@login_required
def report_assessment_pdf(request, pk):
    assessment = access.get_assessment_for_user(request.user, pk)
    return job_views.stored_or_started(
        request, kind="pdf", target=Target(case=assessment.case, assessment=assessment)
    )


@login_required
def report_case_pdf(request, pk):
    case = access.get_case_for_user(request.user, pk, whole=True)
    return job_views.stored_or_started(request, kind="pdf", target=Target(case=case))


@login_required
def report_assessment_docx(request, pk):
    """The editable Word report, rendered by a job like the PDF; without Chromium, no charts."""
    assessment = access.get_assessment_for_user(request.user, pk)
    target = Target(case=assessment.case, assessment=assessment)
    return job_views.stored_or_started(request, kind="docx", target=target)


@login_required
def report_case_docx(request, pk):
    case = access.get_case_for_user(request.user, pk, whole=True)
    return job_views.stored_or_started(request, kind="docx", target=Target(case=case))


@login_required
def compare(request):
    """Overlaid radars of 2–6 assessments of one framework; without ?a=… a picker."""
    visible = access.assessments_visible_to(request.user)
    raw_ids = request.GET.getlist("a")
    error = None
    comparison = None
    figures = {}
    chosen_ids: list[int] = []
    try:
        chosen_ids = list(dict.fromkeys(database_int(value) for value in raw_ids))
    except ValueError:
        error = _("The assessments to compare must be given by number.")
    if len(chosen_ids) > report_compare.MAX_COMPARED:
        # Refused before any query, however many ids were sent.
        error = _("You can compare at most %(max)d assessments at a time.") % {
            "max": report_compare.MAX_COMPARED
        }
    if raw_ids and error is None:
        found = {
            a.pk: a
            for a in visible.filter(pk__in=chosen_ids).select_related(
                "case", "framework", "version"
            )
        }
        # An id the user may not see is reported like one that does not exist.
        missing = [pk for pk in chosen_ids if pk not in found]
        if missing:
            error = _("Some of the chosen assessments do not exist or are not visible to you.")
        else:
            try:
                comparison = report_compare.compare_context([found[pk] for pk in chosen_ids])
                figures = {"compare": report_figures.compare_radar(comparison)}
            except report_compare.CompareError as exc:
                error = str(exc)
    # The picker lists the most recently changed assessments, narrowed by a title search.
    search = request.GET.get("q", "").strip()[:100]
    listed = visible.filter(case__title__icontains=search) if search else visible
    recent_ids = listed.order_by("-updated_at").values("pk")[:PICKER_SIZE]
    status_labels = dict(Assessment.Status.choices)
    picker = [
        {**row, "status_label": status_labels.get(row["status"], row["status"])}
        for row in visible.filter(pk__in=recent_ids)
        .order_by("framework__code", "case__title", "-round")
        .values("pk", "round", "status", "case__title", "framework__code", "version__label")
    ]
    return render(
        request,
        "reports/compare.html",
        {
            "comparison": comparison,
            "error": error,
            "picker": picker,
            "picker_size": PICKER_SIZE,
            "search": search,
            "chosen_ids": chosen_ids,
            "figures": report_render.figure_data(figures),
            "max_compared": report_compare.MAX_COMPARED,
        },
        status=400 if error else 200,
    )


def _require_manager(user):
    if not access.is_manager(user):
        raise PermissionDenied


@login_required
def portfolio_view(request):
    _require_manager(request.user)
    filters = portfolio.PortfolioFilters.from_query(request.GET)
    data = portfolio.portfolio_context(
        request.user,
        filters,
        all_rows=False,
        pages=portfolio.requested_pages(request.GET),
        sort=request.GET.get("sort", portfolio.DEFAULT_SORT),
    )
    portfolio.add_table_links(data, request.GET)
    spreads = [(fw["code"], fw["name"], fw["spread"]) for fw in data["frameworks"]]
    figures = report_render.cached_figure_data(spreads, lambda: portfolio.portfolio_figures(data))
    return render(
        request,
        "reports/portfolio.html",
        {
            "data": data,
            "filters": filters,
            "choices": portfolio.filter_choices(request.user),
            "figures": figures,
            "figure_keys": list(figures),
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
def export_assessment(request, pk):
    assessment = access.get_assessment_for_user(request.user, pk)
    kind = request.GET.get("format", "xlsx")
    if kind not in exports.FORMATS:
        return HttpResponse(_("Unknown export format."), status=400, content_type="text/plain")
    table = request.GET.get("table", "")
    if table and table not in exports.TABLES:
        return HttpResponse(_("Unknown export table."), status=400, content_type="text/plain")
    report = report_context.assessment_context(assessment)
    return exports.assessment_export_response(report, kind, table=table)


@login_required
def export_portfolio(request):
    _require_manager(request.user)
    kind = request.GET.get("format", "xlsx")
    if kind not in exports.FORMATS:
        return HttpResponse(_("Unknown export format."), status=400, content_type="text/plain")
    filters = portfolio.PortfolioFilters.from_query(request.GET)
    if kind == "xlsx":
        # Seconds for thousands of cases: a job, its progress page, then the stored file.
        target = Target(user=request.user, query=filters.as_query())
        return job_views.stored_or_started(request, kind="xlsx", target=target)
    data = portfolio.portfolio_context(request.user, filters)
    return exports.portfolio_export_response(data, kind)

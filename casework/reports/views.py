"""Report pages: HTML and PDF reports, comparison, portfolio and exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework import access
from casework.jobs import responses as job_responses
from casework.jobs.renderers import Target
from casework.reports import compare as report_compare
from casework.reports import context as report_context
from casework.reports import exports, portfolio
from casework.reports import render as report_render


def _report_page(request, *, kind: str, pk: int, case, build):
    """The report page: its body from the cache while the report is unchanged (render.page_key)."""
    rounds = report_render.case_rounds(case.pk)
    key = report_render.page_key(kind, pk, case, rounds)
    page, context = report_render.cached_page(key, lambda: _body_context(rounds=rounds, **build()))
    return render(request, "reports/report.html", {**(context or {}), **page})


def _body_context(*, rounds, case, reports, crosswalk, urls) -> dict:
    figures = report_render.page_figure_data(reports)
    codes = [report["framework"]["code"] for report in reports]
    return {
        "case": case,
        "sections": report_render.chart_sections(reports, {key: key for key in figures}),
        "crosswalk": crosswalk,
        "figures": figures,
        "compare_links": report_compare.round_links(rounds, codes),
        **urls,
    }


@login_required
def report_assessment(request, pk):
    # Without the people around it: the page's version needs none of them (their names come
    # with the case's rounds), and each of those joins costs PostgreSQL planning time on
    # every view. Only a first view, which builds the body, loads them (1 more query).
    assessment = access.get_assessment_for_user(request.user, pk, people=False)

    def build():
        assessment = access.get_assessment_for_user(request.user, pk)
        report = report_context.assessment_context(assessment)
        return {
            "case": report["case"],
            "reports": [report],
            "crosswalk": report_context.assessment_crosswalk(assessment, report),
            "urls": {
                "pdf_url": reverse("report_assessment_pdf", args=[assessment.pk]),
                "docx_url": reverse("report_assessment_docx", args=[assessment.pk]),
                "case_report_url": reverse("report_case", args=[assessment.case_id]),
            },
        }

    return _report_page(
        request, kind="assessment", pk=assessment.pk, case=assessment.case, build=build
    )


@login_required
def report_case(request, pk):
    case = access.get_case_for_user(request.user, pk, whole=True)

    def build():
        data = report_context.case_context(case)
        return {
            "case": data["case"],
            "reports": data["reports"],
            "crosswalk": data["crosswalk"],
            "urls": {
                "pdf_url": reverse("report_case_pdf", args=[case.pk]),
                "docx_url": reverse("report_case_docx", args=[case.pk]),
                "case_report_url": None,
            },
        }

    return _report_page(request, kind="case", pk=case.pk, case=case, build=build)


# --- PDF downloads: the stored file of this report version, or a job and its progress page --


@login_required
def report_assessment_pdf(request, pk):
    assessment = access.get_assessment_for_user(request.user, pk)
    return job_responses.stored_or_started(
        request, kind="pdf", target=Target(case=assessment.case, assessment=assessment)
    )


@login_required
def report_case_pdf(request, pk):
    case = access.get_case_for_user(request.user, pk, whole=True)
    return job_responses.stored_or_started(request, kind="pdf", target=Target(case=case))


@login_required
def report_assessment_docx(request, pk):
    """The editable Word report, rendered by a job like the PDF; without Chromium, no charts."""
    assessment = access.get_assessment_for_user(request.user, pk)
    target = Target(case=assessment.case, assessment=assessment)
    return job_responses.stored_or_started(request, kind="docx", target=target)


@login_required
def report_case_docx(request, pk):
    case = access.get_case_for_user(request.user, pk, whole=True)
    return job_responses.stored_or_started(request, kind="docx", target=Target(case=case))


@login_required
def compare(request):
    """Overlaid radars of 2–6 assessments of one framework; without ?a=… a picker."""
    visible = access.assessments_visible_to(request.user)
    context = report_compare.compare_page(visible, request.GET)
    status = 400 if context["error"] else 200
    return render(request, "reports/compare.html", context, status=status)


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
        return job_responses.stored_or_started(request, kind="xlsx", target=target)
    data = portfolio.portfolio_context(request.user, filters)
    return exports.portfolio_export_response(data, kind)

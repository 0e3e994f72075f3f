"""Report routes."""

from django.urls import path

import casework.converters  # noqa: F401  (registers <num:...>)
from casework.analytics import views as analytics_views
from casework.reports import stability_views, views

urlpatterns = [
    path("assessments/<num:pk>/report/", views.report_assessment, name="report_assessment"),
    path(
        "assessments/<num:pk>/report.pdf",
        views.report_assessment_pdf,
        name="report_assessment_pdf",
    ),
    path(
        "assessments/<num:pk>/report.docx",
        views.report_assessment_docx,
        name="report_assessment_docx",
    ),
    path("assessments/<num:pk>/benchmark/", analytics_views.benchmark, name="benchmark"),
    path(
        "assessments/<num:pk>/report-redacted.pdf",
        analytics_views.report_assessment_redacted,
        name="report_assessment_redacted",
    ),
    path(
        "cases/<num:pk>/report-redacted.pdf",
        analytics_views.report_case_redacted,
        name="report_case_redacted",
    ),
    path("assessments/<num:pk>/export/", views.export_assessment, name="export_assessment"),
    path("cases/<num:pk>/report/", views.report_case, name="report_case"),
    path("cases/<num:pk>/report.pdf", views.report_case_pdf, name="report_case_pdf"),
    path("cases/<num:pk>/report.docx", views.report_case_docx, name="report_case_docx"),
    path("compare/", views.compare, name="compare"),
    path("portfolio/", views.portfolio_view, name="portfolio"),
    path("portfolio/export/", views.export_portfolio, name="export_portfolio"),
    path(
        "portfolio/stability/",
        stability_views.portfolio_stability,
        name="portfolio_stability",
    ),
]

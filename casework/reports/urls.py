"""Report routes."""

from django.urls import path

from casework.reports import views

urlpatterns = [
    path("assessments/<int:pk>/report/", views.report_assessment, name="report_assessment"),
    path(
        "assessments/<int:pk>/report.pdf",
        views.report_assessment_pdf,
        name="report_assessment_pdf",
    ),
    path(
        "assessments/<int:pk>/report.docx",
        views.report_assessment_docx,
        name="report_assessment_docx",
    ),
    path("assessments/<int:pk>/export/", views.export_assessment, name="export_assessment"),
    path("cases/<int:pk>/report/", views.report_case, name="report_case"),
    path("cases/<int:pk>/report.pdf", views.report_case_pdf, name="report_case_pdf"),
    path("cases/<int:pk>/report.docx", views.report_case_docx, name="report_case_docx"),
    path("compare/", views.compare, name="compare"),
    path("portfolio/", views.portfolio_view, name="portfolio"),
    path("portfolio/export/", views.export_portfolio, name="export_portfolio"),
]

"""Routes for cases and the assessment lifecycle (the wizard and reports have their own)."""

from django.urls import path

import casework.converters  # noqa: F401  (registers <num:...>)
from casework.views import assessments, cases, double, sources

urlpatterns = [
    path(
        "assessments/<num:pk>/second-scoring/",
        double.second_scoring_request,
        name="second_scoring_request",
    ),
    path(
        "assessments/<num:pk>/second-scoring/withdraw/",
        double.second_scoring_withdraw,
        name="second_scoring_withdraw",
    ),
    path("assessments/<num:pk>/agreement/", double.agreement, name="agreement"),
    path("assessments/<num:pk>/adjudication/", double.adjudication, name="adjudication"),
    path(
        "assessments/<num:pk>/adjudication/<str:code>/",
        double.adjudication_save,
        name="adjudication_save",
    ),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/<num:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<num:pk>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<num:pk>/duplicate/", cases.case_duplicate, name="case_duplicate"),
    path("cases/<num:pk>/archive/", cases.case_archive, name="case_archive"),
    path("cases/<num:pk>/restore/", cases.case_restore, name="case_restore"),
    path("cases/<num:pk>/sources/", sources.source_panel, name="source_panel"),
    path("cases/<num:pk>/sources/add/", sources.source_add, name="source_add"),
    path(
        "cases/<num:pk>/sources/<num:source_pk>/document/",
        sources.source_document,
        name="source_document",
    ),
    path(
        "cases/<num:pk>/sources/<num:source_pk>/document/attach/",
        sources.source_document_attach,
        name="source_document_attach",
    ),
    path(
        "cases/<num:pk>/sources/<num:source_pk>/document/remove/",
        sources.source_document_remove,
        name="source_document_remove",
    ),
    path(
        "cases/<num:pk>/sources/<num:source_pk>/remove/",
        sources.source_remove,
        name="source_remove",
    ),
    path("assessments/<num:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/<num:pk>/submit/", assessments.assessment_submit, name="assessment_submit"),
    path("assessments/<num:pk>/return/", assessments.assessment_return, name="assessment_return"),
    path(
        "assessments/<num:pk>/approve/", assessments.assessment_approve, name="assessment_approve"
    ),
    path(
        "assessments/<num:pk>/comments/",
        assessments.assessment_comment,
        name="assessment_comment",
    ),
    path(
        "assessments/<num:pk>/new-round/",
        assessments.assessment_start_round,
        name="assessment_start_round",
    ),
    path(
        "assessments/<num:pk>/move-version/",
        assessments.assessment_version_move,
        name="assessment_version_move",
    ),
]

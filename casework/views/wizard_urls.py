"""Routes of the scoring wizard: steps, item autosave and history, register rows, conclusions."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path
from django.views.decorators.http import require_http_methods

import casework.converters  # noqa: F401  (registers <num:...>)
from casework import readmodel
from casework.access import get_assessment_for_user
from casework.presenters.wizard import dimensions_with_progress
from casework.views import (
    citation_sources,
    conclusions,
    observations,
    register_import,
    registers,
    wizard,
)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_step(request, pk, n):
    """Route a step number: 1…N are the dimensions' pages (wizard), N + 1 is Conclusions.

    It lives with the routes because routing is all it does: the step's number means a
    dimension or the Conclusions page only once the assessment's version is known.
    """
    writing = request.method == "POST"
    assessment = get_assessment_for_user(
        request.user, pk, action="edit" if writing else "view", lean=True
    )
    # A dimension's page shows some answers whole and the progress of all: one read for both.
    answers = readmodel.answers_of(assessment.pk)
    dimensions = dimensions_with_progress(assessment, answers=answers)
    if n == len(dimensions) + 1:
        return conclusions.conclusions_step(request, assessment, dimensions)
    if not 1 <= n <= len(dimensions):
        raise Http404
    return wizard.item_step(request, assessment, dimensions, n)


urlpatterns = [
    path("assessments/<num:pk>/step/<num:n>/", wizard_step, name="wizard_step"),
    path(
        "assessments/<num:pk>/answers/<str:code>/",
        wizard.wizard_answer_save,
        name="wizard_answer_save",
    ),
    path(
        "assessments/<num:pk>/answers/<str:code>/history/",
        wizard.answer_history,
        name="answer_history",
    ),
    path(
        "assessments/<num:pk>/step/<num:n>/observations/",
        observations.observation_sweep,
        name="observation_sweep",
    ),
    path(
        "assessments/<num:pk>/citation-sources/",
        citation_sources.wizard_citation_sources,
        name="wizard_citation_sources",
    ),
    path(
        "assessments/<num:pk>/registers/<slug:register>/",
        registers.wizard_register,
        name="wizard_register",
    ),
    path(
        "assessments/<num:pk>/registers/<slug:register>/import/",
        register_import.register_import,
        name="register_import",
    ),
    path(
        "assessments/<num:pk>/registers/<slug:register>/import/confirm/",
        register_import.register_import_confirm,
        name="register_import_confirm",
    ),
    path(
        "assessments/<num:pk>/registers/<slug:register>/<num:row_id>/",
        registers.wizard_register_row,
        name="wizard_register_row",
    ),
    path(
        "assessments/<num:pk>/registers/<slug:register>/<num:row_id>/score/",
        registers.wizard_register_score,
        name="wizard_register_score",
    ),
    path(
        "assessments/<num:pk>/registers/<slug:register>/<num:row_id>/delete/",
        registers.wizard_register_delete,
        name="wizard_register_delete",
    ),
    path(
        "assessments/<num:pk>/indicators/<num:row_id>/measurements/",
        registers.wizard_measurement_add,
        name="wizard_measurement_add",
    ),
    path(
        "assessments/<num:pk>/indicators/<num:row_id>/measurements/<num:measurement_id>/delete/",
        registers.wizard_measurement_delete,
        name="wizard_measurement_delete",
    ),
    path(
        "assessments/<num:pk>/conclusions/",
        conclusions.wizard_conclusions_save,
        name="wizard_conclusions_save",
    ),
    path(
        "assessments/<num:pk>/findings/<str:code>/",
        conclusions.wizard_finding_save,
        name="wizard_finding_save",
    ),
    path("assessments/<num:pk>/actions/", conclusions.wizard_action_add, name="wizard_action_add"),
    path(
        "assessments/<num:pk>/actions/suggest/",
        conclusions.wizard_action_suggest,
        name="wizard_action_suggest",
    ),
    path(
        "assessments/<num:pk>/actions/<num:action_id>/",
        conclusions.wizard_action,
        name="wizard_action",
    ),
    path(
        "assessments/<num:pk>/actions/<num:action_id>/delete/",
        conclusions.wizard_action_delete,
        name="wizard_action_delete",
    ),
]

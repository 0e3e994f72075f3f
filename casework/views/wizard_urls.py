"""Routes of the scoring wizard: steps, item autosave and history, register rows."""

from django.urls import path

import casework.converters  # noqa: F401  (registers <num:...>)
from casework.views import registers, wizard

urlpatterns = [
    path("assessments/<num:pk>/step/<num:n>/", wizard.wizard_step, name="wizard_step"),
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
        "assessments/<num:pk>/registers/<slug:register>/",
        registers.wizard_register,
        name="wizard_register",
    ),
    path(
        "assessments/<num:pk>/registers/<slug:register>/<num:row_id>/",
        registers.wizard_register_row,
        name="wizard_register_row",
    ),
    path(
        "assessments/<num:pk>/registers/<slug:register>/<num:row_id>/delete/",
        registers.wizard_register_delete,
        name="wizard_register_delete",
    ),
]

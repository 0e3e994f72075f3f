"""Routes of the scoring wizard: steps, item autosave and history, register rows."""

from django.urls import path

from casework.views import registers, wizard

urlpatterns = [
    path("assessments/<int:pk>/step/<int:n>/", wizard.wizard_step, name="wizard_step"),
    path(
        "assessments/<int:pk>/answers/<str:code>/",
        wizard.wizard_answer_save,
        name="wizard_answer_save",
    ),
    path(
        "assessments/<int:pk>/answers/<str:code>/history/",
        wizard.answer_history,
        name="answer_history",
    ),
    path(
        "assessments/<int:pk>/registers/<slug:register>/",
        registers.wizard_register,
        name="wizard_register",
    ),
    path(
        "assessments/<int:pk>/registers/<slug:register>/<int:row_id>/",
        registers.wizard_register_row,
        name="wizard_register_row",
    ),
    path(
        "assessments/<int:pk>/registers/<slug:register>/<int:row_id>/delete/",
        registers.wizard_register_delete,
        name="wizard_register_delete",
    ),
]

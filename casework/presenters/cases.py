"""Links an assessment carries on the case pages."""

from django.urls import NoReverseMatch, reverse

from casework.models import Assessment


def url_or_path(name: str, args, fallback: str) -> str:
    """A URL another part of the app owns; its plain path while that part isn't wired up."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def assessment_links(assessment: Assessment) -> Assessment:
    assessment.wizard_url = url_or_path(
        "wizard_step", [assessment.pk, 1], f"/assessments/{assessment.pk}/step/1/"
    )
    assessment.report_url = url_or_path(
        "report_assessment", [assessment.pk], f"/assessments/{assessment.pk}/report/"
    )
    return assessment

"""The case pages as their templates show them: the list's context, an assessment's links."""

from django.urls import NoReverseMatch, reverse

from casework import readmodel
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


def case_list_context(form, page, filters: dict, query, *, can_edit: bool) -> dict:
    """The case list: the page's cases with their stored scores, the filters and the query."""
    for case in page.object_list:
        for assessment in case.latest:
            assessment.score = readmodel.snapshot_of(assessment)
    query = query.copy()
    query.pop("page", None)
    return {
        "form": form,
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "filtered": any(
            v is not None and v != "" and v is not False for k, v in filters.items() if k != "sort"
        ),
        "can_edit": can_edit,
    }

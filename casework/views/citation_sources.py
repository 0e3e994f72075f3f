"""The case's sources as the wizard's citation chips read them after a source is added."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from casework.access import get_assessment_for_user
from casework.citation_chips import sources_payload
from casework.models import CaseSource


@login_required
@require_GET
def wizard_citation_sources(request, pk):
    """JSON: every source of the assessment's case, numbered, with its short and full title."""
    assessment = get_assessment_for_user(request.user, pk, action="view")
    sources = CaseSource.objects.filter(case_id=assessment.case_id).order_by("order", "id")
    return JsonResponse({"sources": sources_payload(sources)})

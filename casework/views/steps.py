"""The wizard's step URL: numbers 1…N are the dimensions' pages, N + 1 is Conclusions.

The only module that routes between the two kinds of step page, as a URL module would.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_http_methods

from casework.access import get_assessment_for_user
from casework.presenters.wizard import dimensions_with_progress
from casework.views.conclusions import conclusions_step
from casework.views.wizard import item_step


@login_required
@require_http_methods(["GET", "POST"])
def wizard_step(request, pk, n):
    writing = request.method == "POST"
    assessment = get_assessment_for_user(request.user, pk, action="edit" if writing else "view")
    dimensions = dimensions_with_progress(assessment)
    if n == len(dimensions) + 1:
        return conclusions_step(request, assessment, dimensions)
    if not 1 <= n <= len(dimensions):
        raise Http404
    return item_step(request, assessment, dimensions, n)

"""The bench's urlconf: the app's own routes, and one trivial page the product does not have.

The floor page is what issue 9 calls "a trivial authenticated page": a signed-in GET that
renders the site's layout (templates/base.html: navbar, language form, footer) around an
empty main. bench/serving.py points ROOT_URLCONF here; the product never routes to it.
"""

from django.contrib.auth.decorators import login_required
from django.template import engines
from django.urls import include, path

FLOOR_PATH = "bench/floor/"

_floor_template = engines["django"].from_string('{% extends "base.html" %}')


@login_required
def floor_page(request):
    """The layout and nothing in it."""
    from django.http import HttpResponse

    return HttpResponse(_floor_template.render({}, request))


urlpatterns = [
    path(FLOOR_PATH, floor_page, name="bench_floor"),
    path("", include("casework.urls")),
]

handler400 = "casework.errors.bad_request"
handler500 = "casework.errors.server_error"

"""The portfolio's rank stability page (managers and admins, like the portfolio)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from casework.forms.bounds import database_int
from casework.reports import stability
from casework.reports.views import _require_manager


def _int(value, default: int | None) -> int | None:
    try:
        return database_int(value)
    except (TypeError, ValueError):
        return default


@login_required
def portfolio_stability(request):
    _require_manager(request.user)
    versions = stability.version_choices()
    chosen = _int(request.GET.get("version"), None)
    if chosen is None:
        version = stability.default_version(versions)
    else:
        version = next((v for v in versions if v.pk == chosen), None)
        if version is None:
            raise Http404
    data = None
    if version is not None:
        page = _int(request.GET.get("page"), 1)
        data = stability.stability_context(request.user, version, page)
    return render(
        request,
        "reports/stability.html",
        {
            "versions": [(v.pk, stability.version_label(v)) for v in versions],
            "version": version,
            "data": data,
        },
    )

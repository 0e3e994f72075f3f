"""Build a large portfolio and time the portfolio context, page and exports on it."""

from __future__ import annotations

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.reports import exports
from casework.reports.portfolio import PortfolioFilters, portfolio_context


def build(cases: int, *, seed: int = 7) -> dict:
    """`cases` cases in 5 units, each assessed against SF and CA, scores stored (bench/data.py)."""
    from bench import data

    return data.build(cases, seed=seed)


def timed(function, *, repeat: int = 5) -> tuple[float, float, object]:
    """(best, median) wall time in milliseconds of `function()`, and its last result."""
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times), result


def measure(data: dict) -> list[dict]:
    """Time the portfolio for the admin (all cases), a filter, a unit manager, page and exports."""
    admin, manager = data["admin"], data["manager"]
    results = []

    def run(label, function, repeat=5):
        with CaptureQueriesContext(connection) as queries:
            best, median, result = timed(function, repeat=repeat)
        results.append(
            {
                "what": label,
                "best_ms": best,
                "median_ms": median,
                "queries": len(queries.captured_queries) // repeat,
            }
        )
        return result

    everything = PortfolioFilters()
    context = run(
        "portfolio_context, admin, all cases", lambda: portfolio_context(admin, everything)
    )
    rows = sum(fw["count"] for fw in context["frameworks"])
    results[-1]["what"] += f" ({rows} case×framework rows)"
    run(
        "portfolio_context, admin, level=municipal & status=approved",
        lambda: portfolio_context(
            admin, PortfolioFilters.from_query({"level": "municipal", "status": "approved"})
        ),
    )
    run(
        "portfolio_context, unit manager (1/5 of cases)",
        lambda: portfolio_context(manager, everything),
    )

    client = Client()
    client.force_login(admin)
    url = reverse("portfolio")
    run("GET /portfolio/ (admin, whole page)", lambda: client.get(url), repeat=3)
    run(
        "portfolio export CSV (admin)",
        lambda: exports.portfolio_export_response(context, "csv"),
        repeat=3,
    )
    run(
        "portfolio export XLSX (admin)",
        lambda: exports.portfolio_export_response(context, "xlsx"),
        repeat=1,
    )
    return results

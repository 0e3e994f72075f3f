"""Build a large portfolio and time the portfolio context, page and exports on it."""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import Answer, Assessment, Case, Membership, OrgUnit, Role
from casework.reports import exports
from casework.reports.portfolio import PortfolioFilters, portfolio_context
from frameworks.models import Criterion, Framework

SECTORS = ["政务服务", "交通", "医疗", "教育", "税务", "市场监管", "公安", ""]
BATCH = 5000


@transaction.atomic
def build(cases: int, *, seed: int = 7) -> dict:
    """`cases` cases in 5 units, each assessed against SF and CA with random answers."""
    rng = random.Random(seed)
    call_command("load_frameworks", verbosity=0)
    units = [
        OrgUnit.objects.create(code=f"u{i}", name_zh=f"单位 {i}", name_en=f"Unit {i}")
        for i in range(5)
    ]
    users = get_user_model()
    admin = users.objects.create_superuser("bench-admin", "a@example.org", "pass-bench")
    analyst = users.objects.create_user("bench-analyst", password="pass-bench")
    Membership.objects.create(user=analyst, unit=units[0], role=Role.ANALYST)
    manager = users.objects.create_user("bench-manager", password="pass-bench")
    Membership.objects.create(user=manager, unit=units[0], role=Role.MANAGER)

    case_rows = []
    for i in range(cases):
        start = date(2018, 1, 1) + timedelta(days=rng.randint(0, 2500))
        case_rows.append(
            Case(
                title=f"案例 {i:05d}",
                body="某市政务服务管理局",
                level=rng.choice(Case.Level.values),
                sector=rng.choice(SECTORS),
                period_start=start,
                period_end=start + timedelta(days=rng.randint(90, 900)),
                unit=units[i % len(units)],
                owner=analyst,
            )
        )
    Case.objects.bulk_create(case_rows, batch_size=BATCH)
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))

    answers = 0
    for framework in Framework.objects.filter(code__in=["SF", "CA"]):
        version = framework.latest_published()
        criteria = list(Criterion.objects.filter(version=version).values_list("pk", "kind"))
        statuses = Assessment.Status.values
        Assessment.objects.bulk_create(
            [
                Assessment(
                    case_id=pk,
                    framework=framework,
                    version=version,
                    round=1,
                    status=rng.choice(statuses),
                    created_by=analyst,
                )
                for pk in case_ids
            ],
            batch_size=BATCH,
        )
        assessment_ids = Assessment.objects.filter(framework=framework).values_list("pk", flat=True)
        rows = []
        for assessment_id in assessment_ids.iterator():
            skill = rng.uniform(0.5, 4.5)
            for criterion_id, kind in criteria:
                answer = Answer(assessment_id=assessment_id, criterion_id=criterion_id)
                roll = rng.random()
                if kind == "observation":
                    answer.observation = rng.choice(["present", "absent", "unknown"])
                elif roll < 0.07:
                    answer.not_applicable = True
                elif roll < 0.12:
                    pass
                else:
                    answer.level = min(5, max(0, round(rng.gauss(skill, 1))))
                    answer.confidence = rng.choice(["low", "medium", "high"])
                rows.append(answer)
            if len(rows) >= BATCH * 4:
                Answer.objects.bulk_create(rows, batch_size=BATCH)
                answers += len(rows)
                rows = []
        Answer.objects.bulk_create(rows, batch_size=BATCH)
        answers += len(rows)
    return {
        "cases": cases,
        "assessments": Assessment.objects.count(),
        "answers": answers,
        "admin": admin,
        "manager": manager,
        "analyst": analyst,
    }


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

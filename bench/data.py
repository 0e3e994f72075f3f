"""Generate a large portfolio quickly: bulk inserts (COPY on PostgreSQL), scores stored as the app would.

N cases in 5 units, each assessed once against the real SF and CA frameworks. Answers come
from a few hundred random answer patterns (7 % N/A, 5 % unanswered, observations answered),
each scored once by casework.scoring; every assessment takes one pattern, so the stored
scores are exactly what `scores_refresh` would write, without scoring 100,000 cases one by one.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction

from casework import db_statistics
from casework.models import (
    Answer,
    Assessment,
    Case,
    Membership,
    OrgUnit,
    Role,
    ScoreSnapshot,
    SnapshotScore,
)
from casework.readmodel import score_rows, snapshot_values
from casework.scoring import DimensionSpec, ItemAnswer, Scale, score_assessment
from frameworks.models import Criterion, Dimension, Framework

SECTORS = ["政务服务", "交通", "医疗", "教育", "税务", "市场监管", "公安", ""]
PATTERNS = 300
BATCH = 5000
PASSWORD = "pass-bench"
STAMP = datetime(2026, 1, 1, tzinfo=UTC)


def _insert(model, columns: list[str], rows) -> int:
    """Insert many rows fast: COPY on PostgreSQL, executemany elsewhere."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH * 4:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _patterns(rng, version, criteria):
    """Random answer sets for the version's items, each with the scores casework.scoring gives."""
    dims = [
        DimensionSpec(code=code, weight=weight)
        for code, weight in Dimension.objects.filter(version=version)
        .order_by("order", "code")
        .values_list("code", "weight")
    ]
    scale = Scale(min=0, max=5)
    patterns = []
    for _ in range(PATTERNS):
        skill = rng.uniform(0.5, 4.5)
        answers, items = [], []
        for pk, kind, code, dimension, weight in criteria:
            level, na, observation, confidence = None, False, "", ""
            roll = rng.random()
            if kind == "observation":
                observation = rng.choice(["present", "absent", "unknown"])
            elif roll < 0.07:
                na = True
            elif roll >= 0.12:
                level = min(5, max(0, round(rng.gauss(skill, 1))))
                confidence = rng.choice(["low", "medium", "high"])
            answers.append((pk, level, na, observation, confidence))
            items.append(
                ItemAnswer(
                    code=code,
                    dimension=dimension,
                    weight=weight,
                    kind=kind,
                    level=level,
                    not_applicable=na,
                    confidence=confidence,
                    observation=observation,
                )
            )
        result = score_assessment(scale=scale, dimensions=dims, items=items)
        values = snapshot_values(result)
        scores = [row[1:] for row in score_rows(0, values["overall"], values["dimensions"])]
        values["dimensions"] = json.dumps(values["dimensions"])
        snapshot = tuple(values.values())
        patterns.append((answers, snapshot, scores))
    return patterns


@transaction.atomic
def build(cases: int, *, seed: int = 7) -> dict:
    """`cases` cases with an SF and a CA assessment each; returns the users and a sample."""
    rng = random.Random(seed)
    call_command("load_frameworks", verbosity=0)
    units = [
        OrgUnit.objects.create(code=f"u{i}", name_zh=f"单位 {i}", name_en=f"Unit {i}")
        for i in range(5)
    ]
    users = get_user_model()
    admin = users.objects.create_superuser("bench-admin", "a@example.org", PASSWORD)
    analyst = users.objects.create_user("bench-analyst", password=PASSWORD)
    Membership.objects.create(user=analyst, unit=units[0], role=Role.ANALYST)
    manager = users.objects.create_user("bench-manager", password=PASSWORD)
    Membership.objects.create(user=manager, unit=units[0], role=Role.MANAGER)

    def case_rows():
        for i in range(cases):
            start = date(2018, 1, 1) + timedelta(days=rng.randint(0, 2500))
            yield Case(
                title=f"案例 {i:06d}",
                body="某市政务服务管理局",
                level=rng.choice(Case.Level.values),
                sector=rng.choice(SECTORS),
                period_start=start,
                period_end=start + timedelta(days=rng.randint(90, 900)),
                unit=units[i % len(units)],
                owner=analyst,
            )

    rows = []
    for case in case_rows():
        rows.append(case)
        if len(rows) == BATCH:
            Case.objects.bulk_create(rows)
            rows = []
    Case.objects.bulk_create(rows)
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))

    answers = 0
    statuses = Assessment.Status.values
    for framework in Framework.objects.filter(code__in=["SF", "CA"]).order_by("code"):
        version = framework.latest_published()
        criteria = list(
            Criterion.objects.filter(version=version)
            .order_by("dimension__order", "order")
            .values_list("pk", "kind", "code", "dimension__code", "weight")
        )
        patterns = _patterns(rng, version, criteria)
        _insert(
            Assessment,
            [
                "case_id",
                "framework_id",
                "version_id",
                "round",
                "status",
                "perspective",
                "conclusion",
                "lessons",
                "narrative_version",
                "revision",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            (
                (pk, framework.pk, version.pk, 1, rng.choice(statuses), "ongoing", "", "")
                + (0, 1, analyst.pk, STAMP, STAMP)
                for pk in case_ids
            ),
        )
        ids = list(
            Assessment.objects.filter(framework=framework)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = [rng.randrange(PATTERNS) for _ in ids]
        answers += _insert(
            Answer,
            [
                "assessment_id",
                "criterion_id",
                "level",
                "not_applicable",
                "observation",
                "confidence",
                "na_reason",
                "evidence",
                "citations",
                "note",
                "version",
                "updated_at",
            ],
            (
                (pk, criterion, level, na, observation, confidence, "", "", "[]", "", 0, STAMP)
                for pk, p in zip(ids, chosen, strict=True)
                for criterion, level, na, observation, confidence in patterns[p][0]
            ),
        )
        _insert(
            ScoreSnapshot,
            [
                "assessment_id",
                "overall",
                "band",
                "scored_total",
                "answered",
                "not_applicable",
                "completeness",
                "dimensions",
                "revision",
            ],
            ((pk, *patterns[p][1], 1) for pk, p in zip(ids, chosen, strict=True)),
        )
        _insert(
            SnapshotScore,
            ["snapshot_id", "code", "tenths"],
            (
                (pk, code, tenths)
                for pk, p in zip(ids, chosen, strict=True)
                for code, tenths in patterns[p][2]
            ),
        )
    # The planner's statistics for the data just loaded, as autovacuum (PostgreSQL) or a
    # process start (SQLite, casework.db_statistics) would gather them.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    db_statistics.refresh()
    draft = (
        Assessment.objects.filter(case__unit=units[0], status=Assessment.Status.DRAFT)
        .order_by("pk")
        .first()
    )
    return {
        "cases": cases,
        "assessments": Assessment.objects.count(),
        "answers": answers,
        "admin": admin,
        "manager": manager,
        "analyst": analyst,
        "draft": draft,
    }


def existing() -> dict:
    """The same summary as `build` returns, for a database built earlier."""
    users = get_user_model()
    analyst = users.objects.get(username="bench-analyst")
    return {
        "cases": Case.objects.count(),
        "assessments": Assessment.objects.count(),
        "answers": Answer.objects.count(),
        "admin": users.objects.get(username="bench-admin"),
        "manager": users.objects.get(username="bench-manager"),
        "analyst": analyst,
        "draft": Assessment.objects.filter(case__unit__code="u0", status=Assessment.Status.DRAFT)
        .order_by("pk")
        .first(),
    }

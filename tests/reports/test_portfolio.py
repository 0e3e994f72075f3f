"""Specs for the portfolio: managers only, latest rounds, filters, constant queries, same scores."""

import random
from datetime import date

from django.urls import reverse

from casework.models import Answer, Assessment, Case, Sector
from casework.reports.context import assessment_context
from casework.reports.portfolio import PortfolioFilters, portfolio_context
from casework.services.assessments import assessment_start, assessment_touch
from tests import factories
from tests.reports.conftest import figures_in, score_tiny


def make_cases(n, *, unit, owner, version, rng=None):
    rng = rng or random.Random(n)
    made = []
    for i in range(n):
        case = factories.make_case(
            unit=unit,
            owner=owner,
            title=f"案例 {i}",
            level=rng.choice(Case.Level.values),
            sector=rng.choice(["政务服务", "交通", ""]),
        )
        assessment = assessment_start(case=case, version=version, user=owner)
        for answer in Answer.objects.filter(assessment=assessment).select_related("criterion"):
            roll = rng.random()
            if answer.criterion.kind == "observation":
                answer.observation = rng.choice(["present", "absent", "unknown", ""])
            elif roll < 0.15:
                answer.not_applicable = True
            elif roll < 0.25:
                pass  # left unanswered
            else:
                answer.level = rng.randint(0, 5)
            answer.save()
        assessment_touch(assessment_id=assessment.pk)
        made.append(assessment)
    return made


def test_analysts_are_refused(client, alice, scored_assessment):
    client.force_login(alice)

    assert client.get(reverse("portfolio")).status_code == 403


def test_manager_sees_latest_round_of_each_case(
    client, bob, alice, scored_assessment, tiny_version
):
    second = assessment_start(case=scored_assessment.case, version=tiny_version, user=alice)
    score_tiny(second, d11=5, d12=5, d21=5)
    client.force_login(bob)

    response = client.get(reverse("portfolio"))

    assert response.status_code == 200
    (framework,) = response.context["data"]["frameworks"]
    (row,) = framework["rows"]
    assert row["assessment_id"] == second.pk
    assert row["percent"] == 100.0
    assert row["band_label"] == "持续优化"
    spread = figures_in(response)["spread-TF"]["data"][0]
    assert spread["type"] == "box"
    assert spread["median"] == [100.0, 100.0]


def test_status_filter_takes_the_latest_round_with_that_status(
    client, bob, alice, scored_assessment, tiny_version
):
    Assessment.objects.filter(pk=scored_assessment.pk).update(status=Assessment.Status.APPROVED)
    assessment_start(case=scored_assessment.case, version=tiny_version, user=alice)  # a draft
    client.force_login(bob)

    response = client.get(reverse("portfolio"), {"status": "approved"})

    (row,) = response.context["data"]["frameworks"][0]["rows"]
    assert row["assessment_id"] == scored_assessment.pk
    assert row["percent"] == 62.2


def test_managers_see_only_their_units_cases(diana, scored_assessment):
    data = portfolio_context(diana, PortfolioFilters())

    assert data["case_count"] == 0
    assert data["frameworks"] == []


def test_admin_sees_every_unit(ada, charlie, unit_b, scored_assessment, tiny_version):
    make_cases(2, unit=unit_b, owner=charlie, version=tiny_version)

    data = portfolio_context(ada, PortfolioFilters())

    assert data["case_count"] == 3
    assert data["frameworks"][0]["count"] == 3


def test_filters_narrow_the_cases(bob, alice, unit_a, scored_assessment, tiny_version):
    other = factories.make_case(
        unit=unit_a,
        owner=alice,
        title="省级平台",
        level=Case.Level.PROVINCIAL,
        sector="交通",
        period_start=date(2020, 1, 1),
        period_end=date(2021, 1, 1),
    )
    assessment_start(case=other, version=tiny_version, user=alice)

    def titles(**query):
        data = portfolio_context(bob, PortfolioFilters.from_query(query))
        return sorted(r["case_title"] for fw in data["frameworks"] for r in fw["rows"])

    assert titles() == ["城市一网通办改革", "省级平台"]
    assert titles(level="provincial") == ["省级平台"]
    assert titles(sector="government-services") == ["城市一网通办改革"]
    assert titles(unit="dgo") == ["城市一网通办改革", "省级平台"]
    assert titles(unit="audit") == []
    assert titles(period_from="2024-06-01") == ["城市一网通办改革"]
    assert titles(period_to="2022-01-01") == ["省级平台"]
    assert titles(level="nonsense", period_from="not-a-date") == ["城市一网通办改革", "省级平台"]


def test_cohort_averages_by_level_and_sector(bob, alice, unit_a, tiny_version):
    first, second = make_cases(2, unit=unit_a, owner=alice, version=tiny_version)
    transport = Sector.objects.get(code="transport")
    for case_id in (first.case_id, second.case_id):
        Case.objects.filter(pk=case_id).update(level="municipal", sector_ref=transport, sector="")
    score_tiny(first, d11=5, d12=5, d21=5)  # 100
    score_tiny(second, d11=0, d12=0, d21=0)  # 0

    framework = portfolio_context(bob, PortfolioFilters())["frameworks"][0]

    (municipal,) = framework["by_level"]
    assert municipal["key"] == "municipal"
    assert (municipal["n"], municipal["mean"]) == (2, 50.0)
    assert municipal["dimensions"] == {"TF-D1": 50.0, "TF-D2": 50.0}
    assert [(c["key"], c["n"], c["mean"]) for c in framework["by_sector"]] == [
        ("transport", 2, 50.0)
    ]


def test_stored_scores_equal_the_scoring_module(bob, alice, unit_a, tiny_version):
    assessments = make_cases(25, unit=unit_a, owner=alice, version=tiny_version)

    framework = portfolio_context(bob, PortfolioFilters())["frameworks"][0]

    rows = {row["assessment_id"]: row for row in framework["rows"]}
    for assessment in assessments:
        report = assessment_context(assessment, with_registers=False)
        row = rows[assessment.pk]
        assert row["percent"] == report["overall"]["percent"]
        assert row["band"] == report["overall"]["band"]
        assert row["dimensions"] == {d["code"]: d["percent"] for d in report["dimensions"]}


def test_portfolio_page_queries_do_not_grow_with_cases(
    client, bob, alice, unit_a, tiny_version, django_assert_max_num_queries
):
    client.force_login(bob)
    make_cases(3, unit=unit_a, owner=alice, version=tiny_version)
    # 13 on SQLite (the versions, then the aggregates); PostgreSQL wraps the aggregate in a
    # savepoint with SET LOCAL.
    with django_assert_max_num_queries(17) as few:
        response = client.get(reverse("portfolio"))
    assert response.context["data"]["frameworks"][0]["count"] == 3

    make_cases(27, unit=unit_a, owner=alice, version=tiny_version, rng=random.Random(27))
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(reverse("portfolio"))

    assert response.context["data"]["frameworks"][0]["count"] == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_page_lists_the_best_rows_and_the_export_all(
    client, bob, alice, unit_a, tiny_version, monkeypatch
):
    from casework.reports import portfolio

    monkeypatch.setattr(portfolio, "TABLE_ROWS", 2)
    made = make_cases(3, unit=unit_a, owner=alice, version=tiny_version)
    for assessment, level in zip(made, (1, 5, 3), strict=True):
        score_tiny(assessment, d11=level, d12=level, d21=level)
    client.force_login(bob)

    framework = client.get(reverse("portfolio")).context["data"]["frameworks"][0]
    csv = client.get(reverse("export_portfolio"), {"format": "csv"}).content.decode("utf-8-sig")

    assert framework["count"] == 3
    assert [row["percent"] for row in framework["shown_rows"]] == [100.0, 60.0]
    assert len(csv.strip().splitlines()) == 1 + 3

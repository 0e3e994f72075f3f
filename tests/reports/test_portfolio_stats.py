"""Specs for the portfolio's database aggregates: the scorer's numbers, summed in the database.

The reference is casework.scoring (each assessment scored from its answers, no stored score
read) with the old pandas arithmetic: pandas' quartiles, and exact means rounded half up.
"""

import random
from fractions import Fraction

import pytest
from django.urls import reverse

from casework.models import Assessment, Case, SnapshotScore
from casework.reports import portfolio_stats
from casework.reports.context import assessment_context
from casework.reports.portfolio import PortfolioFilters, portfolio_context
from casework.scoring import to_tenths
from tests.reports.test_portfolio import make_cases

pd = pytest.importorskip("pandas")


def half_up(numbers) -> float | None:
    """The exact mean of percents, rounded half up to one decimal."""
    numbers = [n for n in numbers if n is not None and n == n]  # no None, no NaN
    if not numbers:
        return None
    mean = Fraction(sum(round(n * 10) for n in numbers), len(numbers))
    return int(mean + Fraction(1, 2)) / 10


def reference(assessments) -> dict:
    """Count, spreads and cohorts of the given latest rounds, from the scorer and pandas."""
    rows = []
    for assessment in assessments:
        report = assessment_context(assessment, with_registers=False)
        case = Case.objects.get(pk=assessment.case_id)
        rows.append(
            {
                "level": case.level,
                "sector": case.sector_key,
                "overall": report["overall"]["percent"],
                **{d["code"]: d["percent"] for d in report["dimensions"]},
            }
        )
    codes = [d["code"] for d in report["dimensions"]]
    table = pd.DataFrame(rows)

    def spread(column):
        values = table[column].dropna()
        quartiles = values.quantile([0.25, 0.5, 0.75])
        return {
            "n": int(values.size),
            "min": float(values.min()),
            "q1": float(quartiles[0.25]),
            "median": float(quartiles[0.5]),
            "q3": float(quartiles[0.75]),
            "max": float(values.max()),
            "mean": half_up(values.tolist()),
        }

    def cohorts(by):
        return [
            {
                "key": key,
                "n": len(group),
                "mean": half_up(group["overall"].tolist()),
                "dimensions": {code: half_up(group[code].dropna().tolist()) for code in codes},
            }
            for key, group in table.groupby(by, sort=True)
        ]

    return {
        "count": len(rows),
        "mean": half_up(table["overall"].tolist()),
        "overall_spread": spread("overall"),
        "spread": {code: spread(code) for code in codes},
        "by_level": cohorts("level"),
        "by_sector": cohorts("sector"),
    }


# INDEX_SHARE 0: SQLite reads every histogram from the index; 2: it sorts them all (PostgreSQL
# always hashes them). The numbers must not depend on the way.
@pytest.mark.parametrize("share", [0, 2], ids=["histograms from the index", "sorted"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aggregates_equal_the_scorer_and_pandas_on_random_portfolios(
    seed, share, bob, alice, unit_a, tiny_version, monkeypatch
):
    monkeypatch.setattr(portfolio_stats, "INDEX_SHARE", share)
    rng = random.Random(seed)
    made = make_cases(rng.randint(5, 30), unit=unit_a, owner=alice, version=tiny_version, rng=rng)

    (framework,) = portfolio_context(bob, PortfolioFilters())["frameworks"]
    expected = reference(made)

    assert framework["count"] == expected["count"]
    assert framework["mean"] == expected["mean"]
    assert framework["overall_spread"] == expected["overall_spread"]
    for spread in framework["spread"]:
        assert {k: v for k, v in spread.items() if k not in ("code", "title")} == (
            expected["spread"][spread["code"]]
        )
    for by in ("by_level", "by_sector"):
        got = [{k: c[k] for k in ("key", "n", "mean", "dimensions")} for c in framework[by]]
        assert got == expected[by]


@pytest.mark.parametrize("share", [0, 2], ids=["histograms from the index", "sorted"])
def test_a_filter_narrows_the_aggregates_like_the_rows(
    share, bob, alice, unit_a, tiny_version, monkeypatch
):
    monkeypatch.setattr(portfolio_stats, "INDEX_SHARE", share)
    made = make_cases(12, unit=unit_a, owner=alice, version=tiny_version)
    municipal = [a for a in made if a.case.level == Case.Level.MUNICIPAL]

    (framework,) = portfolio_context(bob, PortfolioFilters(level="municipal"))["frameworks"]

    assert framework["count"] == len(municipal) == len(framework["rows"])
    assert framework["overall_spread"] == reference(municipal)["overall_spread"]


def test_every_stored_score_has_its_row_in_tenths(alice, unit_a, tiny_version):
    (assessment,) = make_cases(1, unit=unit_a, owner=alice, version=tiny_version)
    snapshot = assessment.score_snapshot

    stored = dict(SnapshotScore.objects.filter(snapshot=snapshot).values_list("code", "tenths"))

    expected = {"": to_tenths(snapshot.overall)} | {
        code: to_tenths(score) for code, score in snapshot.dimensions.items()
    }
    assert stored == expected


@pytest.mark.parametrize("share", [0, 2], ids=["histograms from the index", "sorted"])
def test_unscored_assessments_count_as_cases_without_a_score(
    share, bob, alice, unit_a, tiny_version, monkeypatch
):
    monkeypatch.setattr(portfolio_stats, "INDEX_SHARE", share)
    make_cases(3, unit=unit_a, owner=alice, version=tiny_version)
    empty = Assessment.objects.order_by("pk").first()
    SnapshotScore.objects.filter(snapshot_id=empty.pk).delete()

    (framework,) = portfolio_context(bob, PortfolioFilters())["frameworks"]

    assert framework["count"] == 3
    assert framework["overall_spread"]["n"] == 2


def test_page_two_holds_the_next_rows_in_the_same_order(
    client, bob, alice, unit_a, tiny_version, monkeypatch
):
    from casework.reports import portfolio

    monkeypatch.setattr(portfolio, "TABLE_ROWS", 4)
    make_cases(10, unit=unit_a, owner=alice, version=tiny_version)
    client.force_login(bob)
    every = portfolio_context(bob, PortfolioFilters())["frameworks"][0]["rows"]

    first = client.get(reverse("portfolio")).context["data"]["frameworks"][0]
    second = client.get(reverse("portfolio"), {"page_TF": 2}).context["data"]["frameworks"][0]
    last = client.get(reverse("portfolio"), {"page_TF": 99}).context["data"]["frameworks"][0]

    ids = [row["assessment_id"] for row in every]
    assert [row["assessment_id"] for row in first["rows"]] == ids[:4]
    assert [row["assessment_id"] for row in second["rows"]] == ids[4:8]
    assert (last["page"], last["page_count"], len(last["rows"])) == (3, 3, 2)
    assert "page_TF=3" in second["next_query"] and "page_TF=1" in second["prev_query"]
    assert last["next_query"] == ""


def test_rows_sort_by_score_either_way_and_by_title(bob, alice, unit_a, tiny_version):
    make_cases(8, unit=unit_a, owner=alice, version=tiny_version)

    def rows(sort):
        data = portfolio_context(bob, PortfolioFilters(), all_rows=False, sort=sort)
        return data["frameworks"][0]["rows"]

    best_first = [row["percent"] for row in rows("-score")]
    worst_first = [row["percent"] for row in rows("score")]
    titles = [row["case_title"] for row in rows("title")]
    assert best_first == sorted(best_first, key=lambda p: (p is None, -(p or 0)))
    assert [p for p in worst_first if p is not None] == sorted(p for p in best_first if p)
    assert titles == sorted(titles)
    assert [row["case_title"] for row in rows("-title")] == titles[::-1]
    assert rows("nonsense") == rows("-score")


def test_a_later_page_costs_the_same_queries_as_the_first(
    client, bob, alice, unit_a, tiny_version, monkeypatch, django_assert_max_num_queries
):
    from casework.reports import portfolio

    monkeypatch.setattr(portfolio, "TABLE_ROWS", 3)
    make_cases(4, unit=unit_a, owner=alice, version=tiny_version)
    client.force_login(bob)
    # 13 on SQLite (the versions, then the aggregates); PostgreSQL wraps the aggregate in a
    # savepoint with SET LOCAL.
    with django_assert_max_num_queries(17) as few:
        client.get(reverse("portfolio"))

    make_cases(20, unit=unit_a, owner=alice, version=tiny_version, rng=random.Random(20))
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(reverse("portfolio"), {"page_TF": 5, "sort": "title"})

    assert response.context["data"]["frameworks"][0]["page"] == 5
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("seed", range(20))
def test_quartiles_from_a_histogram_equal_pandas(seed):
    rng = random.Random(seed)
    values = [rng.choice(range(0, 1001, rng.choice([1, 7, 50]))) for _ in range(rng.randint(1, 60))]
    histogram: dict[int, int] = {}
    for tenths in values:
        histogram[tenths] = histogram.get(tenths, 0) + 1

    spread = portfolio_stats.spread(histogram)

    quartiles = pd.Series([t / 10 for t in values]).quantile([0.25, 0.5, 0.75])
    assert (spread["q1"], spread["median"], spread["q3"]) == (
        quartiles[0.25],
        quartiles[0.5],
        quartiles[0.75],
    )
    assert (spread["min"], spread["max"], spread["n"]) == (
        min(values) / 10,
        max(values) / 10,
        len(values),
    )


def test_means_round_half_up_from_exact_sums():
    assert portfolio_stats.mean_of(637 + 638, 2) == 63.8  # 63.75 exactly
    assert portfolio_stats.mean_of(1, 3) == 0.0
    assert portfolio_stats.mean_of(2, 3) == 0.1
    assert portfolio_stats.mean_of(0, 0) is None


def test_a_score_that_goes_away_leaves_an_empty_row_not_the_old_number(scored_assessment):
    from tests.reports.conftest import set_answer

    set_answer(scored_assessment, "TF-D2.1", level=None, confidence="")

    stored = dict(
        SnapshotScore.objects.filter(snapshot_id=scored_assessment.pk).values_list("code", "tenths")
    )
    assert stored["TF-D2"] is None
    assert stored["TF-D1"] == 667


def test_sqlite_reads_the_histograms_from_the_index_when_most_rounds_are_picked(db):
    from django.db import connection

    sqlite = connection.vendor == "sqlite"
    assert portfolio_stats.from_index(10, 10) is sqlite
    assert portfolio_stats.from_index(4, 10) is sqlite
    assert portfolio_stats.from_index(2, 10) is False


def test_the_versions_are_grouped_by_version_not_by_the_count_of_assessments(
    bob, alice, unit_a, tiny_version
):
    # Grouped by the correlated count too, SQLite would run it once per round (30 s at 10,000).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_cases(3, unit=unit_a, owner=alice, version=tiny_version)

    with CaptureQueriesContext(connection) as queries:
        portfolio_context(bob, PortfolioFilters())

    (versions,) = [q["sql"] for q in queries.captured_queries if '"rounds"' in q["sql"]]
    grouped_by = versions.rsplit("GROUP BY", 1)[1]
    assert "SELECT" not in grouped_by and grouped_by.count(",") == 1  # version, framework

"""Similar cases: score profiles, shared risk and indicator categories, shared risk wording."""

import pytest
from django.test import Client
from django.utils import translation

from casework.models import Role
from casework.search.similar import similar_cases
from casework.search.similarity import (
    combined,
    common_phrase,
    feature_overlap,
    features,
    profile_similarity,
)
from casework.services.assessments import assessment_start
from casework.services.double import second_scoring_request
from tests import factories
from tests.search.conftest import add_risk, say

# --- pure ---------------------------------------------------------------------------------------


def test_identical_profiles_are_fully_alike_and_gaps_lower_it():
    assert profile_similarity({"D1": 0.4, "D2": 0.8}, {"D1": 0.4, "D2": 0.8}) == 1.0
    assert profile_similarity({"D1": 0.0, "D2": 0.0}, {"D1": 1.0, "D2": 1.0}) == 0.0
    assert profile_similarity({"D1": 0.5, "D2": 0.5}, {"D1": 0.7, "D2": 0.3}) == pytest.approx(0.8)


def test_a_dimension_the_other_case_lacks_counts_half_the_scale_apart():
    assert profile_similarity({"D1": 0.5, "D2": 0.5}, {"D1": 0.5}) == pytest.approx(
        1 - (0.5**2 / 2) ** 0.5
    )


def test_a_profile_of_fewer_than_two_scored_dimensions_says_nothing():
    assert profile_similarity({"D1": 0.5, "D2": None}, {"D1": 0.5, "D2": 0.5}) is None


def test_occurred_risks_and_missed_targets_weigh_more_than_categories_alone():
    a = features([("risk", "technology", "occurred"), ("indicator", "service", "missed")])
    b = features([("risk", "technology", "open"), ("indicator", "service", "missed")])
    c = features([("risk", "technology", "occurred"), ("indicator", "service", "met")])
    assert feature_overlap(a, b) < feature_overlap(a, c) < feature_overlap(a, a) == 1.0
    assert feature_overlap({}, {}) == 0.0


def test_a_shared_phrase_must_be_long_enough_to_mean_something():
    assert common_phrase("历史数据质量差，迁移后对不上", "数据质量责任不落实") == "数据质量"
    assert common_phrase("申报高峰期平台性能不足", "月初缴费高峰时系统性能不足。") == "性能不足"
    assert common_phrase("系统老旧", "系统改造") == ""
    assert common_phrase("Poor data quality in records", "Data quality was poor") == "data quality"
    assert common_phrase("the risk of the", "of the plan") == ""


def test_wording_adds_a_little_and_no_profile_ranks_below_a_profile():
    assert combined(0.8, 0.5, False) == pytest.approx(0.68)
    assert combined(0.8, 0.5, True) == pytest.approx(0.83)
    assert combined(None, 0.5, False) == pytest.approx(0.2)


# --- selector and page ----------------------------------------------------------------------------


def scored_case(unit, owner, version, title, levels, risks=()):
    case = factories.make_case(unit=unit, owner=owner, title=title)
    assessment = assessment_start(case=case, version=version, user=owner)
    for code, level in levels.items():
        say(assessment, owner, code, level=level)
    for description, status in risks:
        add_risk(assessment, owner, description, status=status)
    return case


@pytest.fixture
def cases(alice, unit_a, charlie, unit_b, tiny_version):
    profile = {"TF-D1.1": 1, "TF-D1.2": 1, "TF-D2.1": 4}
    # "far" is written before "twin": only the profile, not the id, can put twin first.
    return {
        "mine": scored_case(
            unit_a, alice, tiny_version, "本案", profile, [("历史数据质量差", "occurred")]
        ),
        "far": scored_case(
            unit_a, alice, tiny_version, "不同的案例", {"TF-D1.1": 5, "TF-D1.2": 5, "TF-D2.1": 0}
        ),
        "twin": scored_case(
            unit_a,
            alice,
            tiny_version,
            "相似的旧案",
            {"TF-D1.1": 1, "TF-D1.2": 2, "TF-D2.1": 4},
            [("数据质量责任不落实", "occurred")],
        ),
        "secret": scored_case(
            unit_b,
            charlie,
            tiny_version,
            "审计处机密案例",
            profile,
            [("历史数据质量差", "occurred")],
        ),
    }


@pytest.mark.django_db
def test_the_most_alike_case_comes_first_with_its_reasons(alice, cases):
    with translation.override("en"):
        found = similar_cases(case=cases["mine"], user=alice)
    assert [s.case.title for s in found] == ["相似的旧案", "不同的案例"]
    twin = found[0]
    assert twin.reasons[0].startswith("Similar score profile (TF, ")
    assert "Shared risk: 数据质量" in twin.reasons
    assert "Both had a risk occur: Technology" in twin.reasons
    assert found[0].score > found[1].score


@pytest.mark.django_db
def test_another_units_case_is_never_similar_even_when_identical(alice, charlie, ada, cases):
    assert "审计处机密案例" not in {
        s.case.title for s in similar_cases(case=cases["mine"], user=alice)
    }
    assert [s.case.title for s in similar_cases(case=cases["secret"], user=charlie)] == []
    assert similar_cases(case=cases["mine"], user=ada)[0].case.title == "审计处机密案例"


@pytest.mark.django_db
def test_similar_cases_take_a_fixed_number_of_queries(
    alice, unit_a, tiny_version, cases, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as few:
        similar_cases(case=cases["mine"], user=alice)
    for n in range(6):
        scored_case(
            unit_a, alice, tiny_version, f"更多案例 {n}", {"TF-D1.1": n % 5}, [("性能不足", "open")]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(similar_cases(case=cases["mine"], user=alice)) == 5


@pytest.mark.django_db
def test_the_case_page_lists_similar_cases_with_why(alice, cases):
    client = Client()
    client.force_login(alice)
    page = client.get(cases["mine"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = page.split('data-testid="similar-cases"', 1)[1].split("</section>", 1)[0]
    assert "相似的旧案" in section and "Shared risk: 数据质量" in section
    assert "审计处机密案例" not in page


@pytest.mark.django_db
def test_the_database_preselects_the_nearest_profiles(alice, cases, monkeypatch):
    from casework import access
    from casework.readmodel import latest_rounds
    from casework.search import similar

    monkeypatch.setattr(similar, "CANDIDATES", 1)
    mine = list(latest_rounds().filter(case=cases["mine"]).select_related("score_snapshot"))
    others = latest_rounds().filter(
        case_id__in=access.cases_visible_to(alice).exclude(pk=cases["mine"].pk).values("pk")
    )
    assert similar._by_profile(mine, others) == {cases["twin"].pk}
    monkeypatch.setattr(similar, "CANDIDATES", 2)
    assert similar._by_profile(mine, others) == {cases["twin"].pk, cases["far"].pk}


@pytest.mark.django_db
def test_a_blind_second_analyst_gets_no_similar_cases_drawn_from_the_first_scoring(
    alice, bob, unit_a, cases
):
    """The reasons (score profile, shared risks) come from the first scoring she must not see."""
    erin = factories.make_user("erin", unit=unit_a, role=Role.ANALYST)
    first = cases["mine"].assessments.get()
    second_scoring_request(assessment=first, analyst=erin, user=bob)
    assert similar_cases(case=cases["mine"], user=erin) == []
    assert [s.case.title for s in similar_cases(case=cases["mine"], user=bob)][0] == "相似的旧案"

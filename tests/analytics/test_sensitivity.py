"""Sensitivity of the composite score: the worked example of docs/scoring.md and properties."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.analytics.sensitivity import (
    arithmetic,
    geometric,
    sensitivity,
    sensitivity_of,
)
from casework.scoring import DimensionSpec, ItemAnswer, Scale, score_assessment

SCALE = Scale(min=0, max=5)
DIMENSIONS = [DimensionSpec(code="D1", weight=1), DimensionSpec(code="D2", weight=2)]
ITEMS = [
    ItemAnswer(code="A", dimension="D1", weight=2, level=5),
    ItemAnswer(code="B", dimension="D1", weight=1, level=3),
    ItemAnswer(code="C", dimension="D1", weight=1, not_applicable=True, level=1),
    ItemAnswer(code="E", dimension="D2", weight=1, level=2),
    ItemAnswer(code="F", dimension="D2", weight=1),
]


def _by_code(result):
    return {(s["code"], s["dimension"]): s for s in result["scenarios"]}


def test_it_computes_every_scenario_of_the_worked_example():
    scenarios = _by_code(sensitivity(scale=SCALE, dimensions=DIMENSIONS, items=ITEMS, draws=200))
    assert scenarios[("framework", "")]["overall"] == pytest.approx(5 / 9)
    assert scenarios[("equal", "")]["overall"] == pytest.approx((2.6 / 3 + 0.4) / 2)
    # Equal item weights too: D1 becomes (1.0 + 0.6) / 2 = 0.8.
    assert scenarios[("equal_items", "")]["dimensions"]["D1"] == pytest.approx(0.8)
    assert scenarios[("equal_items", "")]["overall"] == pytest.approx(0.6)
    assert scenarios[("without", "D1")]["overall"] == pytest.approx(0.4)
    assert scenarios[("without", "D1")]["dimensions"] == {"D1": None, "D2": pytest.approx(0.4)}
    assert scenarios[("without", "D2")]["overall"] == pytest.approx(2.6 / 3)
    assert scenarios[("geometric", "")]["overall"] == pytest.approx(((2.6 / 3) * 0.4**2) ** (1 / 3))
    assert scenarios[("geometric", "")]["band"] == 3


def test_it_matches_the_scorer_under_the_frameworks_weights():
    result = sensitivity(scale=SCALE, dimensions=DIMENSIONS, items=ITEMS, draws=10)
    expected = score_assessment(scale=SCALE, dimensions=DIMENSIONS, items=ITEMS)
    assert result["scenarios"][0]["overall"] == expected.overall
    assert result["scenarios"][0]["band"] == expected.band


def test_it_gives_the_same_band_for_the_same_seed_and_another_for_another_seed():
    scores, weights = {"D1": 0.9, "D2": 0.2, "D3": 0.5}, {"D1": 1, "D2": 1, "D3": 2}
    first = sensitivity_of(scores=scores, weights=weights, scale=SCALE)["monte_carlo"]
    again = sensitivity_of(scores=scores, weights=weights, scale=SCALE)["monte_carlo"]
    other = sensitivity_of(scores=scores, weights=weights, scale=SCALE, seed=7)["monte_carlo"]
    assert (first["low"], first["high"]) == (again["low"], again["high"])
    assert (first["low"], first["high"]) != (other["low"], other["high"])
    assert first["draws"] == first["used"] == 1000


def test_it_reads_a_zero_dimension_as_a_zero_geometric_overall():
    assert geometric({"D1": 0.0, "D2": 1.0}, {"D1": 1, "D2": 1}) == 0.0
    assert geometric({"D1": None, "D2": 0.25}, {"D1": 1, "D2": 1}) == pytest.approx(0.25)


def test_it_calls_a_rating_robust_when_the_band_stays_in_one_maturity_band():
    steady = sensitivity_of(scores={"D1": 0.6, "D2": 0.62}, weights={"D1": 1, "D2": 1}, scale=SCALE)
    assert steady["robust"] is True
    assert steady["changed_band"] == 0
    shaky = sensitivity_of(scores={"D1": 1.0, "D2": 0.1}, weights={"D1": 1, "D2": 1}, scale=SCALE)
    assert shaky["robust"] is False
    assert shaky["changed_band"] > 0


def test_it_has_no_verdict_without_any_score():
    result = sensitivity_of(scores={"D1": None}, weights={"D1": 1}, scale=SCALE)
    assert result["robust"] is None
    assert result["monte_carlo"]["low"] is None
    assert result["scenarios"][0]["overall"] is None


def test_it_refuses_a_dimension_without_a_weight_and_a_bad_concentration():
    with pytest.raises(ValueError, match="no weight"):
        sensitivity_of(scores={"D1": 0.5}, weights={}, scale=SCALE)
    with pytest.raises(ValueError, match="concentration"):
        sensitivity_of(scores={"D1": 0.5}, weights={"D1": 1}, scale=SCALE, concentration=0)


score = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
weight = st.floats(min_value=0.05, max_value=20, allow_nan=False)
profiles = st.dictionaries(
    st.sampled_from(["D1", "D2", "D3", "D4", "D5"]), st.tuples(score, weight), min_size=1
)


def _split(profile):
    return {c: s for c, (s, _) in profile.items()}, {c: w for c, (_, w) in profile.items()}


@settings(max_examples=60, deadline=None)
@given(profile=profiles)
def test_it_reproduces_the_unweighted_mean_under_equal_weights(profile):
    scores, weights = _split(profile)
    result = sensitivity_of(scores=scores, weights=weights, scale=SCALE, draws=20)
    equal = _by_code(result)[("equal", "")]["overall"]
    assert equal == pytest.approx(sum(scores.values()) / len(scores))


@settings(max_examples=60, deadline=None)
@given(profile=profiles, factor=st.floats(min_value=0.01, max_value=100))
def test_it_changes_nothing_when_all_weights_scale_together(profile, factor):
    scores, weights = _split(profile)
    scaled = {code: w * factor for code, w in weights.items()}
    first = sensitivity_of(scores=scores, weights=weights, scale=SCALE, draws=50)
    second = sensitivity_of(scores=scores, weights=scaled, scale=SCALE, draws=50)
    for a, b in zip(first["scenarios"], second["scenarios"], strict=True):
        assert a["overall"] == pytest.approx(b["overall"], abs=1e-9)
    assert first["monte_carlo"]["low"] == pytest.approx(second["monte_carlo"]["low"], abs=1e-9)
    assert first["monte_carlo"]["high"] == pytest.approx(second["monte_carlo"]["high"], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(profile=profiles, extra_weight=weight)
def test_it_changes_nothing_when_the_dimension_left_out_scores_the_overall(profile, extra_weight):
    scores, weights = _split(profile)
    rest = arithmetic(scores, weights)
    scores["X"] = rest
    weights["X"] = extra_weight
    result = sensitivity_of(scores=scores, weights=weights, scale=SCALE, draws=5)
    assert _by_code(result)[("without", "X")]["overall"] == pytest.approx(
        result["scenarios"][0]["overall"], abs=1e-9
    )


@settings(max_examples=60, deadline=None)
@given(profile=profiles)
def test_it_keeps_every_overall_between_the_lowest_and_highest_dimension(profile):
    scores, weights = _split(profile)
    result = sensitivity_of(scores=scores, weights=weights, scale=SCALE, draws=100)
    low, high = min(scores.values()), max(scores.values())
    monte_carlo = result["monte_carlo"]
    assert low - 1e-12 <= monte_carlo["low"] <= monte_carlo["high"] <= high + 1e-12
    for scenario in result["scenarios"]:
        if scenario["overall"] is not None:
            assert low - 1e-12 <= scenario["overall"] <= high + 1e-12


@settings(max_examples=60, deadline=None)
@given(profile=profiles)
def test_it_never_puts_the_geometric_overall_above_the_arithmetic(profile):
    scores, weights = _split(profile)
    assert geometric(scores, weights) <= arithmetic(scores, weights) + 1e-12
    if len(set(scores.values())) == 1:
        assert geometric(scores, weights) == pytest.approx(arithmetic(scores, weights))


@settings(max_examples=30, deadline=None)
@given(value=score, weights=st.lists(weight, min_size=1, max_size=5))
def test_it_has_no_spread_when_every_dimension_scores_the_same(value, weights):
    codes = [f"D{i}" for i in range(len(weights))]
    result = sensitivity_of(
        scores=dict.fromkeys(codes, value),
        weights=dict(zip(codes, weights, strict=True)),
        scale=SCALE,
        draws=50,
    )
    assert result["monte_carlo"]["low"] == pytest.approx(value)
    assert result["monte_carlo"]["high"] == pytest.approx(value)
    assert result["robust"] is True
    assert all(math.isclose(s["overall"], value) for s in result["scenarios"] if s["overall"])

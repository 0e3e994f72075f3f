"""Rank stability in the portfolio: a hand-checked example and properties of the ranks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.analytics.rank_stability import rank_stability, ranks_of
from casework.analytics.sensitivity import sensitivity_of
from casework.scoring import Scale

SCALE = Scale(min=0, max=5)
WEIGHTS = {"D1": 1, "D2": 2}
# Hand-checked (weights D1 1, D2 2):
#          framework  equal  without D1  without D2  geometric
#   A       1.4/3      0.60     0.20        1.00     0.2^(2/3) = 0.342
#   B       1.4/3      0.45     0.50        0.40     0.4^(1/3)·0.5^(2/3) = 0.464
#   C       1.2/3      0.30     0.60        0.00     0 (a dimension at 0)
EXAMPLE = {
    "A": {"D1": 1.0, "D2": 0.2},
    "B": {"D1": 0.4, "D2": 0.5},
    "C": {"D1": 0.0, "D2": 0.6},
    "D": {"D1": None, "D2": None},
}


def test_it_ranks_the_hand_checked_example_under_every_scenario():
    result = rank_stability(EXAMPLE, WEIGHTS, SCALE, draws=200)

    assert [(s["code"], s["dimension"]) for s in result["scenarios"]] == [
        ("equal", ""),
        ("without", "D1"),
        ("without", "D2"),
        ("geometric", ""),
    ]
    a, b, c = (result["cases"][key] for key in "ABC")
    # A and B tie under the framework weights and share the better rank; C comes third.
    assert (a["rank"], b["rank"], c["rank"]) == (1, 1, 3)
    assert a["scenario_ranks"] == [1, 3, 1, 2]
    assert b["scenario_ranks"] == [2, 2, 2, 1]
    assert c["scenario_ranks"] == [3, 1, 3, 3]
    assert (a["best"], a["worst"]) == (1, 3)
    assert (b["best"], b["worst"]) == (1, 2)
    assert (c["best"], c["worst"]) == (1, 3)
    assert a["overall"] == pytest.approx(1.4 / 3)
    assert a["band"] == 2  # 0.4667 × 5 = 2.33
    for case in (a, b, c):
        assert 1 <= case["mc_low"] <= case["mc_high"] <= 3
        # Three cases can never be more than two places apart: all stable by the rule.
        assert case["stable"] is True


def test_a_case_without_any_score_is_not_ranked():
    result = rank_stability(EXAMPLE, WEIGHTS, SCALE, draws=20)

    assert "D" not in result["cases"]
    assert result["unranked"] == ["D"]


def test_the_verdict_is_unstable_when_the_ninety_percent_range_spans_more_than_two_ranks():
    # Ten cases spread from strong in D1 only to strong in D2 only: random weights reorder them.
    profiles = {i: {"D1": i / 9, "D2": 1 - i / 9} for i in range(10)}

    result = rank_stability(profiles, {"D1": 1, "D2": 1}, SCALE)

    verdicts = {key: case["stable"] for key, case in result["cases"].items()}
    assert verdicts[0] is False
    spans = [case["mc_high"] - case["mc_low"] for case in result["cases"].values()]
    assert all(
        (span <= 2) == case["stable"]
        for span, case in zip(spans, result["cases"].values(), strict=True)
    )


def test_the_monte_carlo_uses_the_seed_of_the_sensitivity_analysis():
    first = rank_stability(EXAMPLE, WEIGHTS, SCALE)
    second = rank_stability(EXAMPLE, WEIGHTS, SCALE)

    assert (first["draws"], first["used"], first["seed"]) == (1000, 1000, 20261201)
    assert first["cases"] == second["cases"]


def test_a_case_ahead_on_every_dimension_stays_first_under_every_weighting():
    profiles = {
        "top": {"D1": 0.9, "D2": 0.8},
        "mid": {"D1": 0.9, "D2": 0.1},
        "low": {"D1": 0.1, "D2": 0.5},
    }

    top = rank_stability(profiles, {"D1": 1, "D2": 1}, SCALE, draws=300)["cases"]["top"]

    assert (top["rank"], top["best"], top["worst"]) == (1, 1, 1)
    assert top["scenario_ranks"] == [1, 1, 1, 1]
    assert (top["mc_low"], top["mc_high"], top["stable"]) == (1, 1, True)


def test_ranks_of_gives_ties_the_better_rank_and_puts_missing_scores_last():
    ranks = ranks_of(np.array([[0.5, 0.9, 0.5, np.nan, 0.1]]))

    assert ranks.tolist() == [[2, 1, 2, 5, 4]]


score = st.one_of(st.none(), st.floats(min_value=0, max_value=1))
full_score = st.floats(min_value=0, max_value=1)
weight = st.floats(min_value=0.1, max_value=10)
CODES = ["D1", "D2", "D3"]
profiles_st = st.dictionaries(
    st.integers(0, 50), st.fixed_dictionaries(dict.fromkeys(CODES, score)), min_size=1, max_size=8
)
weights_st = st.fixed_dictionaries(dict.fromkeys(CODES, weight))


def _ranks(result):
    return {
        key: (c["rank"], c["scenario_ranks"], c["mc_low"], c["mc_high"])
        for key, c in result["cases"].items()
    }


@settings(max_examples=40, deadline=None)
@given(profiles_st, weights_st, st.floats(min_value=0.01, max_value=100))
def test_scaling_all_weights_together_changes_no_rank(profiles, weights, factor):
    scaled = {code: w * factor for code, w in weights.items()}

    first = rank_stability(profiles, weights, SCALE, draws=50)
    second = rank_stability(profiles, scaled, SCALE, draws=50)

    assert _ranks(first) == _ranks(second)


@settings(max_examples=40, deadline=None)
@given(profiles_st, st.floats(min_value=0.1, max_value=10))
def test_equal_weights_reproduce_the_base_ranks_of_an_equal_weight_framework(profiles, w):
    result = rank_stability(profiles, dict.fromkeys(CODES, w), SCALE, draws=10)

    for case in result["cases"].values():
        assert case["scenario_ranks"][0] == case["rank"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.fixed_dictionaries(dict.fromkeys(CODES, full_score)), min_size=1, max_size=6),
    st.fixed_dictionaries(dict.fromkeys(CODES, full_score)),
    st.fixed_dictionaries({c: st.floats(min_value=0, max_value=1) for c in CODES}),
    weights_st,
)
def test_a_case_better_on_every_dimension_never_ranks_below_the_other(
    others, weaker, gains, weights
):
    stronger = {c: min(1.0, weaker[c] + gains[c]) for c in CODES}
    profiles = dict(enumerate(others)) | {"weak": weaker, "strong": stronger}

    result = rank_stability(profiles, weights, SCALE, draws=50)

    strong, weak = result["cases"]["strong"], result["cases"]["weak"]
    assert strong["rank"] <= weak["rank"]
    assert all(
        s <= w for s, w in zip(strong["scenario_ranks"], weak["scenario_ranks"], strict=True)
    )
    assert strong["mc_low"] <= weak["mc_low"]
    assert strong["mc_high"] <= weak["mc_high"]


@settings(max_examples=30, deadline=None)
@given(profiles_st, weights_st)
def test_scenario_ranks_follow_the_overalls_of_the_sensitivity_analysis(profiles, weights):
    result = rank_stability(profiles, weights, SCALE, draws=5)

    keys = list(result["cases"])
    per_case = {
        key: sensitivity_of(scores=profiles[key], weights=weights, scale=SCALE, draws=1)
        for key in keys
    }
    for j, spec in enumerate(result["scenarios"]):
        for key in keys:
            mine = result["cases"][key]["scenario_ranks"][j]
            found = [
                s["overall"]
                for s in per_case[key]["scenarios"]
                if (s["code"], s["dimension"]) == (spec["code"], spec["dimension"])
            ]
            # sensitivity_of skips leaving out a dimension the case has no score in (no change).
            overall = found[0] if found else per_case[key]["scenarios"][0]["overall"]
            if overall is None:
                assert mine is None
                continue
            others = []
            for other in keys:
                hits = [
                    s["overall"]
                    for s in per_case[other]["scenarios"]
                    if (s["code"], s["dimension"]) == (spec["code"], spec["dimension"])
                ]
                value = hits[0] if hits else per_case[other]["scenarios"][0]["overall"]
                if value is not None:
                    others.append(value)
            # Float noise may decide near-ties either way, never a clear difference.
            surely_above = sum(v > overall + 1e-9 for v in others)
            maybe_above = sum(v > overall - 1e-9 for v in others) - 1  # the case itself
            assert 1 + surely_above <= mine <= 1 + maybe_above

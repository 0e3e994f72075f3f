"""Agreement statistics against published worked examples, scikit-learn and their properties."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.analytics.agreement import (
    agreement_summary,
    alpha_band,
    cohen_kappa,
    disagreements,
    exact_agreement,
    kappa_band,
    krippendorff_alpha,
)

N = None
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: four coders,
# twelve units, values 1..5, missing values shown as None.
KRIPPENDORFF_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
# Same paper, section A: two coders, ten units, binary data.
KRIPPENDORFF_A = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]


def _table(yes_yes, yes_no, no_yes, no_no):
    """Two raters' ratings from a 2x2 table (rows rater A, columns rater B)."""
    a = ["yes"] * (yes_yes + yes_no) + ["no"] * (no_yes + no_no)
    b = ["yes"] * yes_yes + ["no"] * yes_no + ["yes"] * no_yes + ["no"] * no_no
    return a, b


@pytest.mark.parametrize(
    ("level", "expected"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_it_reproduces_krippendorffs_worked_example_with_four_coders_and_missing_values(
    level, expected
):
    assert krippendorff_alpha(KRIPPENDORFF_C, level=level) == pytest.approx(expected, abs=5e-4)


def test_it_reproduces_krippendorffs_binary_example():
    assert krippendorff_alpha(KRIPPENDORFF_A, level="nominal") == pytest.approx(0.095, abs=5e-4)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ((20, 5, 10, 15), 0.4),  # po 0.70, pe 0.50
        ((45, 15, 25, 15), 0.1304),  # same agreement, different marginals
        ((25, 35, 5, 35), 0.2593),
    ],
)
def test_it_reproduces_textbook_two_by_two_kappas(table, expected):
    a, b = _table(*table)
    assert cohen_kappa(a, b) == pytest.approx(expected, abs=5e-5)


def test_it_counts_exact_agreement_over_items_both_raters_rated():
    assert exact_agreement([1, 2, 3, None], [1, 3, 3, 4]) == pytest.approx(2 / 3)
    assert exact_agreement([None], [1]) is None


def test_it_refuses_raters_with_different_numbers_of_items():
    with pytest.raises(ValueError, match="different numbers"):
        cohen_kappa([1, 2], [1])


def test_it_returns_none_when_kappa_is_undefined():
    assert cohen_kappa([3, 3, 3], [3, 3, 3]) is None
    assert cohen_kappa([], []) is None
    assert krippendorff_alpha([[1, N], [N, 2]]) is None


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (-0.1, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.21, "fair"),
        (0.5, "moderate"),
        (0.7, "substantial"),
        (0.81, "almost_perfect"),
        (1.0, "almost_perfect"),
        (None, None),
    ],
)
def test_it_reads_kappa_in_landis_and_koch_bands(value, band):
    assert kappa_band(value) == band


@pytest.mark.parametrize(
    ("value", "band"),
    [(0.9, "reliable"), (0.8, "reliable"), (0.7, "tentative"), (0.5, "unreliable"), (None, None)],
)
def test_it_reads_alpha_in_krippendorffs_bands(value, band):
    assert alpha_band(value) == band


def test_it_lists_disagreements_largest_first_and_skips_agreements():
    rows = disagreements({"A": [1, 1], "B": [0, 3], "C": [2, 3], "D": [4, None], "E": [1, 5]})
    assert [(row["item"], row["spread"]) for row in rows] == [("E", 4), ("B", 3), ("C", 1)]
    assert [row["item"] for row in disagreements({"B": [0, 3], "C": [2, 3]}, min_spread=2)] == ["B"]


def test_it_summarises_two_raters_with_bands():
    summary = agreement_summary([0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 4])
    assert summary["items"] == 6
    assert summary["exact"] == pytest.approx(5 / 6)
    assert summary["quadratic_kappa_band"] == "almost_perfect"
    assert summary["alpha_band"] == "reliable"


ratings = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=2, max_size=40).filter(
    lambda pairs: len({v for pair in pairs for v in pair}) >= 2
)


@settings(max_examples=150, deadline=None)
@given(pairs=ratings, weights=st.sampled_from([None, "linear", "quadratic"]))
def test_it_agrees_with_scikit_learn(pairs, weights):
    from sklearn.metrics import cohen_kappa_score

    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    ours = cohen_kappa(a, b, weights=weights, categories=range(6))
    if ours is None:
        return
    theirs = cohen_kappa_score(a, b, weights=weights, labels=list(range(6)))
    assert ours == pytest.approx(theirs, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(pairs=ratings, weights=st.sampled_from([None, "linear", "quadratic"]))
def test_it_gives_kappa_one_for_identical_ratings_and_is_symmetric(pairs, weights):
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    if len(set(a)) > 1:  # one category only: chance agreement is perfect, kappa undefined
        assert cohen_kappa(a, a, weights=weights) == pytest.approx(1.0)
    assert cohen_kappa(a, b, weights=weights) == pytest.approx(cohen_kappa(b, a, weights=weights))


@settings(max_examples=100, deadline=None)
@given(pairs=ratings, level=st.sampled_from(["nominal", "ordinal", "interval"]))
def test_it_gives_alpha_one_for_identical_ratings_and_ignores_rater_order(pairs, level):
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    if len(set(a)) > 1:
        assert krippendorff_alpha([a, a, a], level=level) == pytest.approx(1.0)
    assert krippendorff_alpha([a, b], level=level) == pytest.approx(
        krippendorff_alpha([b, a], level=level)
    )


@settings(max_examples=100, deadline=None)
@given(pairs=ratings)
def test_it_relates_two_rater_alpha_to_nominal_kappa_as_expected(pairs):
    # With two raters and no missing data, nominal alpha is Scott's pi corrected for sample
    # size: alpha = 1 - (1 - pi) * (2n - 1) / (2n), with pi computed from pooled marginals.
    from collections import Counter

    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    n = len(pairs)
    observed = sum(1 for x, y in pairs if x == y) / n
    pooled = Counter(a + b)
    expected = sum((count / (2 * n)) ** 2 for count in pooled.values())
    if expected == 1:
        return
    pi = (observed - expected) / (1 - expected)
    alpha = krippendorff_alpha([a, b], level="nominal")
    assert alpha == pytest.approx(1 - (1 - pi) * (2 * n - 1) / (2 * n), abs=1e-9)


def _from_table(table):
    """Two raters' levels from a contingency table (rows rater A's level, columns rater B's)."""
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [i] * count
            b += [j] * count
    return a, b


# A 3-level table worked by hand (n = 10; row totals 3, 5, 2; column totals 3, 4, 3):
#   po = 7/10; pe = (3·3 + 5·4 + 2·3)/100 = 0.35; kappa = (0.7 − 0.35)/0.65 = 0.538462
#   linear:    Do = 3·1/10 = 0.3; De = (12 + 18 + 15 + 15 + 12 + 8)/100 = 0.8; 1 − 0.3/0.8 = 0.625
#   quadratic: Do = 0.3; De = (12 + 36 + 15 + 15 + 24 + 8)/100 = 1.1; 1 − 0.3/1.1 = 0.727273
HAND_TABLE = [[2, 1, 0], [1, 3, 1], [0, 0, 2]]


@pytest.mark.parametrize(
    ("weights", "expected"), [(None, 0.538462), ("linear", 0.625), ("quadratic", 0.727273)]
)
def test_it_reproduces_a_three_level_table_worked_by_hand(weights, expected):
    a, b = _from_table(HAND_TABLE)
    assert cohen_kappa(a, b, weights=weights) == pytest.approx(expected, abs=5e-7)


def test_weighted_kappa_uses_the_whole_scale_when_categories_are_given():
    # Levels 0 and 5 are never used here, but the scale runs 0..5: with the scale given, the
    # positions (and so the weights) are those of the scale, as the agreement page passes them.
    a, b = _from_table(HAND_TABLE)
    a, b = [x + 1 for x in a], [y + 1 for y in b]
    assert cohen_kappa(a, b, weights="quadratic", categories=range(6)) == pytest.approx(
        0.727273, abs=5e-7
    )
    assert cohen_kappa(a, b, categories=range(6)) == pytest.approx(0.538462, abs=5e-7)

"""Two analysts' answers compared item by item: statuses, review order, figures per dimension."""

import pytest

from casework.analytics.double import (
    AGREED,
    FAR,
    MISSING,
    NA,
    NEAR,
    PairedItem,
    agreement,
    differs,
    item_status,
)

SCALE = list(range(6))
N = (None, False)  # unanswered
NA_ = (None, True)  # not applicable


def item(code, dimension, first, second):
    level = lambda v: v if isinstance(v, tuple) else (v, False)  # noqa: E731
    return PairedItem(code=code, dimension=dimension, first=level(first), second=level(second))


@pytest.mark.parametrize(
    ("first", "second", "status"),
    [
        ((3, False), (3, False), AGREED),
        ((1, False), (4, False), FAR),
        ((2, False), (4, False), FAR),
        ((2, False), (3, False), NEAR),
        ((2, False), NA_, NA),
        (NA_, NA_, AGREED),
        ((2, False), N, MISSING),
        (N, N, AGREED),
    ],
)
def test_it_names_how_two_answers_compare(first, second, status):
    assert item_status(first, second) == status
    assert differs(first, second) is (status != AGREED)


def test_it_lists_items_two_levels_apart_first_largest_gap_first_then_na_then_near():
    items = [
        item("A", "D1", 3, 3),
        item("B", "D1", 2, 3),
        item("C", "D1", 0, 2),
        item("D", "D2", 2, NA_),
        item("E", "D2", 0, 5),
        item("F", "D2", 1, N),
    ]
    result = agreement(items, categories=SCALE, dimensions=["D1", "D2"])
    assert [(r["item"].code, r["status"], r["gap"]) for r in result["items"]] == [
        ("E", FAR, 5),
        ("C", FAR, 2),
        ("D", NA, 0),
        ("B", NEAR, 1),
        ("F", MISSING, 0),
        ("A", AGREED, 0),
    ]


def test_it_leaves_na_and_unanswered_items_out_of_the_kappas_but_counts_them_to_decide():
    items = [
        item("A", "D1", 1, 1),
        item("B", "D1", 2, 3),
        item("C", "D1", 4, 4),
        item("D", "D1", 2, NA_),
    ]
    figures = agreement(items, categories=SCALE, dimensions=["D1"])["overall"]
    assert figures["items"] == 4 and figures["rated_by_both"] == 3
    assert figures["exact"] == pytest.approx(2 / 3)
    assert figures["to_decide"] == 2 and figures["far_apart"] == 0
    assert figures["quadratic_kappa"] > figures["kappa"]  # a near miss earns weighted credit


def test_it_gives_figures_per_dimension_even_for_a_dimension_without_items():
    items = [item("A", "D1", 1, 1), item("B", "D1", 2, 2)]
    result = agreement(items, categories=SCALE, dimensions=["D1", "D2"])
    assert result["dimensions"]["D1"]["kappa"] == pytest.approx(1.0)
    assert result["dimensions"]["D1"]["kappa_band"] == "almost_perfect"
    assert result["dimensions"]["D2"] == result["dimensions"]["D2"] | {"items": 0, "kappa": None}


def test_perfect_agreement_on_one_level_has_no_kappa_but_full_exact_agreement():
    items = [item("A", "D1", 3, 3), item("B", "D1", 3, 3)]
    figures = agreement(items, categories=SCALE, dimensions=["D1"])["overall"]
    # One level used by both: chance agreement is perfect too, so kappa is undefined.
    assert (
        figures["exact"] == 1.0 and figures["kappa"] is None and figures["kappa_band_label"] == ""
    )

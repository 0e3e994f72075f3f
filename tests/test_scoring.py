"""Specs for the pure scoring engine: no database, no Django."""

import math
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from casework.scoring import (
    AssessmentScore,
    DimensionSpec,
    ItemAnswer,
    Scale,
    band_for,
    score_assessment,
    to_percent,
)

SCALE = Scale()  # 0..5
ONE_DIMENSION = (DimensionSpec(code="D1"),)
PROPERTY = settings(max_examples=200, deadline=None)


def rated(code, dimension="D1", level=3, weight=1.0, confidence=""):
    return ItemAnswer(
        code=code, dimension=dimension, level=level, weight=weight, confidence=confidence
    )


def score(items, dimensions=ONE_DIMENSION, scale=SCALE) -> AssessmentScore:
    return score_assessment(scale=scale, dimensions=list(dimensions), items=list(items))


def all_scores(result: AssessmentScore):
    """The overall score and every dimension score, for before/after comparisons."""
    return result.overall, {code: d.score for code, d in result.dimensions.items()}


# Hand-computed examples


def test_a_criterion_score_is_its_level_normalised_over_the_scale():
    assert score([rated("A", level=3)]).items["A"].normalised == pytest.approx(0.6)
    one_to_four = score([rated("A", level=2)], scale=Scale(min=1, max=4))
    assert one_to_four.items["A"].normalised == pytest.approx(1 / 3)


def test_a_dimension_score_is_the_weighted_mean_of_its_criteria():
    result = score([rated("A", level=5, weight=2), rated("B", level=3, weight=1)])
    assert result.dimensions["D1"].score == pytest.approx((2 * 1.0 + 1 * 0.6) / 3)
    assert result.dimensions["D1"].percent() == 86.7


def test_the_overall_score_weighs_dimensions_by_their_weights():
    dimensions = [DimensionSpec(code="D1", weight=1), DimensionSpec(code="D2", weight=2)]
    items = [
        rated("A", "D1", level=5, weight=2),
        rated("B", "D1", level=3, weight=1),
        rated("C", "D2", level=2),
    ]
    result = score(items, dimensions)
    # D1 = 13/15, D2 = 0.4, overall = (1 * 13/15 + 2 * 0.4) / 3 = 5/9
    assert result.dimensions["D2"].score == pytest.approx(0.4)
    assert result.overall == pytest.approx(5 / 9)
    assert result.percent() == 55.6
    assert result.band == 3  # 5/9 * 5 = 2.78


def test_the_worked_example_in_docs_scoring_md():
    dimensions = [DimensionSpec(code="D1", weight=1), DimensionSpec(code="D2", weight=2)]
    items = [
        rated("A", "D1", level=5, weight=2),
        rated("B", "D1", level=3, weight=1),
        ItemAnswer(code="C", dimension="D1", not_applicable=True),
        rated("E", "D2", level=2),
        ItemAnswer(code="F", dimension="D2"),
    ]
    result = score(items, dimensions)
    d1, d2 = result.dimensions["D1"], result.dimensions["D2"]
    assert (d1.percent(), d1.band, d1.completeness) == (86.7, 4, 1.0)
    assert (d2.percent(), d2.band, d2.completeness) == (40.0, 2, 0.5)
    assert (result.percent(), result.band, result.completeness) == (55.6, 3, 0.8)


def test_na_items_do_not_move_the_dimension_score():
    before = score([rated("A", level=4)])
    na = ItemAnswer(code="B", dimension="D1", weight=5, not_applicable=True, level=0)
    after = score([rated("A", level=4), na])
    assert after.dimensions["D1"].score == before.dimensions["D1"].score == pytest.approx(0.8)
    assert after.items["B"].normalised is None


def test_item_weights_are_renormalised_over_the_rated_items():
    items = [
        rated("A", level=5, weight=3),
        rated("B", level=0, weight=1),
        ItemAnswer(code="C", dimension="D1", weight=100),  # unanswered
    ]
    assert score(items).dimensions["D1"].score == pytest.approx(0.75)


def test_a_dimension_with_nothing_rated_has_no_score_and_is_left_out_of_the_overall():
    dimensions = [DimensionSpec(code="D1", weight=1), DimensionSpec(code="D2", weight=9)]
    items = [rated("A", "D1", level=4), ItemAnswer(code="B", dimension="D2", not_applicable=True)]
    result = score(items, dimensions)
    assert result.dimensions["D2"].score is None
    assert result.dimensions["D2"].band is None
    assert result.dimensions["D2"].percent() is None
    assert result.overall == pytest.approx(0.8)


def test_nothing_rated_means_no_overall_score_and_no_band():
    result = score([ItemAnswer(code="A", dimension="D1")])
    assert result.overall is None
    assert result.band is None
    assert result.percent() is None


def test_observations_are_counted_but_never_scored():
    items = [
        rated("A", level=1),
        ItemAnswer(code="O1", dimension="D1", kind="observation", observation="present"),
        ItemAnswer(code="O2", dimension="D1", kind="observation", observation="absent"),
        ItemAnswer(code="O3", dimension="D1", kind="observation", observation="unknown"),
        ItemAnswer(code="O4", dimension="D1", kind="observation"),
    ]
    result = score(items)
    assert result.overall == pytest.approx(0.2)
    assert result.items["O1"].normalised is None
    expected = {"present": 1, "absent": 1, "unknown": 1, "unanswered": 1}
    assert result.dimensions["D1"].observations == expected
    assert result.observations == expected
    assert result.scored_total == 1


def test_completeness_counts_na_as_answered():
    items = [
        rated("A", level=2),
        ItemAnswer(code="B", dimension="D1", not_applicable=True),
        ItemAnswer(code="C", dimension="D1"),
        ItemAnswer(code="D", dimension="D1"),
    ]
    dimension = score(items).dimensions["D1"]
    assert (dimension.scored_total, dimension.answered) == (4, 2)
    assert (dimension.not_applicable, dimension.unanswered) == (1, 2)
    assert dimension.completeness == 0.5


def test_completeness_is_zero_when_there_is_nothing_to_score():
    dimensions = [DimensionSpec(code="D1"), DimensionSpec(code="D2")]
    observation = ItemAnswer(code="O", dimension="D2", kind="observation", observation="present")
    result = score([observation], dimensions)
    assert result.dimensions["D1"].completeness == 0.0
    assert result.dimensions["D2"].completeness == 0.0
    assert result.completeness == 0.0


def test_overall_completeness_pools_items_across_dimensions():
    dimensions = [DimensionSpec(code="D1"), DimensionSpec(code="D2")]
    items = [rated("A", "D1"), ItemAnswer(code="B", dimension="D2"), rated("C", "D2")]
    result = score(items, dimensions)
    assert result.completeness == pytest.approx(2 / 3)
    assert (result.scored_total, result.answered, result.unanswered) == (3, 2, 1)


def test_confidence_mix_counts_only_rated_items():
    items = [
        rated("A", confidence="low"),
        rated("B", confidence="high"),
        rated("C", confidence="high"),
        rated("D"),
        ItemAnswer(code="E", dimension="D1", not_applicable=True, confidence="low"),
        ItemAnswer(code="F", dimension="D1", confidence="medium"),
    ]
    result = score(items)
    expected = {"low": 1, "medium": 0, "high": 2, "unset": 1}
    assert result.dimensions["D1"].confidence == expected
    assert result.confidence == expected


def test_results_keep_the_order_given():
    dimensions = [DimensionSpec(code=code) for code in ("Z", "A", "M")]
    items = [rated("i2", "M"), rated("i9", "Z"), rated("i1", "A")]
    result = score(items, dimensions)
    assert list(result.dimensions) == ["Z", "A", "M"]
    assert list(result.items) == ["i2", "i9", "i1"]


def test_decimal_weights_from_the_database_are_accepted():
    items = [rated("A", level=5, weight=Decimal("2.00")), rated("B", level=3, weight=Decimal("1"))]
    dimensions = [DimensionSpec(code="D1", weight=Decimal("1.50"))]
    assert score(items, dimensions).overall == pytest.approx(13 / 15)


# Display and bands


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (None, None),
        (0.0, 0.0),
        (1.0, 100.0),
        (13 / 15, 86.7),
        (2 / 3, 66.7),
        (0.12345, 12.3),
        (0.8665, 86.7),
        (0.0125, 1.3),
        (0.5005, 50.1),  # 0.5005 * 1000 is 500.49999999999994 in floats
        (0.0005, 0.1),
        (0.00049, 0.0),
        (-0.0005, -0.1),
    ],
)
def test_to_percent_rounds_half_away_from_zero_to_one_decimal(raw, shown):
    assert to_percent(raw) == shown


def test_raw_scores_are_kept_unrounded():
    result = score([rated("A", level=5, weight=2), rated("B", level=3, weight=1)])
    assert result.overall == pytest.approx(13 / 15, abs=1e-12)
    assert result.overall != 0.867


@pytest.mark.parametrize(
    ("raw", "scale", "band"),
    [
        (None, SCALE, None),
        (0.5, SCALE, 3),  # 2.5: ties go up
        (0.49, SCALE, 2),  # 2.45
        (0.0, SCALE, 0),
        (1.0, SCALE, 5),
        (0.7, SCALE, 4),  # 3.5
        (0.5, Scale(min=1, max=4), 3),  # 2.5
        (0.1, Scale(min=1, max=4), 1),  # 1.3
    ],
)
def test_the_band_is_the_nearest_scale_level(raw, scale, band):
    assert band_for(raw, scale) == band


def test_an_exact_tie_goes_up_even_after_float_arithmetic():
    # (0.6 * 0 + 3 * 3) / 3.6 is 2.5 on paper, but 0.49999999999999994 * 5 in floats.
    result = score([rated("A", level=0, weight=0.6), rated("B", level=3, weight=3)])
    assert result.overall < 0.5
    assert result.band == 3


# Invalid input


def test_it_rejects_a_level_above_the_scale():
    with pytest.raises(ValueError, match="outside the scale 0..5"):
        score([rated("A", level=6)])


def test_it_rejects_a_level_below_the_scale():
    with pytest.raises(ValueError, match="outside the scale 1..4"):
        score([rated("A", level=0)], scale=Scale(min=1, max=4))


def test_it_rejects_an_out_of_scale_level_even_on_an_na_item():
    with pytest.raises(ValueError, match="outside the scale"):
        score([ItemAnswer(code="A", dimension="D1", level=9, not_applicable=True)])


def test_it_rejects_a_non_integer_level():
    with pytest.raises(ValueError, match="must be an integer"):
        rated("A", level=2.5)
    with pytest.raises(ValueError, match="must be an integer"):
        rated("A", level=True)


@pytest.mark.parametrize("weight", [0, -1, float("nan"), float("inf"), "heavy"])
def test_it_rejects_an_item_weight_that_is_not_positive(weight):
    with pytest.raises(ValueError, match="item 'A': weight"):
        rated("A", weight=weight)


@pytest.mark.parametrize("weight", [0, -0.5])
def test_it_rejects_a_dimension_weight_that_is_not_positive(weight):
    with pytest.raises(ValueError, match="dimension 'D1': weight must be greater than 0"):
        DimensionSpec(code="D1", weight=weight)


def test_it_rejects_an_item_naming_an_unknown_dimension():
    with pytest.raises(ValueError, match="item 'A' names unknown dimension 'D9'"):
        score([rated("A", "D9")])


def test_it_rejects_duplicate_item_codes():
    with pytest.raises(ValueError, match="duplicate item code 'A'"):
        score([rated("A"), rated("A", level=1)])


def test_it_rejects_duplicate_dimension_codes():
    with pytest.raises(ValueError, match="duplicate dimension code 'D1'"):
        score([], [DimensionSpec(code="D1"), DimensionSpec(code="D1", weight=2)])


@pytest.mark.parametrize(("low", "high"), [(0, 0), (5, 0)])
def test_it_rejects_a_scale_whose_max_is_not_above_its_min(low, high):
    with pytest.raises(ValueError, match="must be greater than scale min"):
        Scale(min=low, max=high)


def test_it_rejects_unknown_kinds_confidences_and_observations():
    with pytest.raises(ValueError, match="kind must be one of"):
        ItemAnswer(code="A", dimension="D1", kind="bonus")
    with pytest.raises(ValueError, match="unknown confidence 'sure'"):
        ItemAnswer(code="A", dimension="D1", level=1, confidence="sure")
    with pytest.raises(ValueError, match="unknown observation 'maybe'"):
        ItemAnswer(code="A", dimension="D1", kind="observation", observation="maybe")


# Properties

weights = st.floats(min_value=0.01, max_value=100, allow_nan=False, allow_infinity=False)
factors = st.floats(min_value=0.001, max_value=1000, allow_nan=False, allow_infinity=False)
scales = st.builds(
    lambda low, span: Scale(min=low, max=low + span), st.integers(-3, 3), st.integers(1, 7)
)


@st.composite
def items_for(draw, scale, dimension_codes, prefix="I", min_size=0, max_size=12):
    """Any mix of rated, N/A, unanswered and observation items."""
    items = []
    for i in range(draw(st.integers(min_size, max_size))):
        code, dimension = f"{prefix}{i}", draw(st.sampled_from(dimension_codes))
        state = draw(st.sampled_from(["rated", "rated", "rated", "na", "unanswered", "obs"]))
        if state == "obs":
            observation = draw(st.sampled_from(["present", "absent", "unknown", ""]))
            item = ItemAnswer(
                code=code, dimension=dimension, kind="observation", observation=observation
            )
        else:
            level = draw(st.integers(scale.min, scale.max))
            item = ItemAnswer(
                code=code,
                dimension=dimension,
                weight=draw(weights),
                level=None if state == "unanswered" else level,
                not_applicable=state == "na",
                confidence=draw(st.sampled_from(["", "low", "medium", "high"])),
            )
        items.append(item)
    return items


@st.composite
def assessments(draw):
    """A scale, one to four weighted dimensions, and items answered in every possible way."""
    scale = draw(scales)
    dimensions = [
        DimensionSpec(code=f"D{i}", weight=draw(weights)) for i in range(draw(st.integers(1, 4)))
    ]
    items = draw(items_for(scale, [d.code for d in dimensions]))
    return scale, dimensions, items


def run(scale, dimensions, items):
    return score_assessment(scale=scale, dimensions=dimensions, items=items)


def same_scores(a: AssessmentScore, b: AssessmentScore) -> bool:
    """Scores equal up to float rounding, and None in the same places."""
    pairs = [(a.overall, b.overall)] + [
        (a.dimensions[code].score, b.dimensions[code].score) for code in a.dimensions
    ]
    return all(
        (x is None and y is None) or (x is not None and y is not None and math.isclose(x, y))
        for x, y in pairs
    )


@PROPERTY
@given(assessments())
def test_scores_stay_between_zero_and_one(case):
    scale, dimensions, items = case
    result = run(scale, dimensions, items)
    values = [result.overall] + [d.score for d in result.dimensions.values()]
    values += [i.normalised for i in result.items.values()]
    assert all(0.0 <= v <= 1.0 for v in values if v is not None)
    bands = [result.band] + [d.band for d in result.dimensions.values()]
    assert all(scale.min <= b <= scale.max for b in bands if b is not None)


@PROPERTY
@given(assessments())
def test_the_overall_score_lies_between_the_lowest_and_highest_dimension_scores(case):
    result = run(*case)
    present = [d.score for d in result.dimensions.values() if d.score is not None]
    assert (result.overall is None) == (not present)
    if present:
        assert min(present) - 1e-12 <= result.overall <= max(present) + 1e-12


@PROPERTY
@given(assessments(), st.data())
def test_adding_an_na_item_to_any_dimension_leaves_every_score_unchanged(case, data):
    scale, dimensions, items = case
    na = ItemAnswer(
        code="NA",
        dimension=data.draw(st.sampled_from([d.code for d in dimensions])),
        weight=data.draw(weights),
        level=data.draw(st.none() | st.integers(scale.min, scale.max)),
        not_applicable=True,
    )
    before, after = run(scale, dimensions, items), run(scale, dimensions, [*items, na])
    assert all_scores(after) == all_scores(before)
    assert (after.band, after.not_applicable) == (before.band, before.not_applicable + 1)


@PROPERTY
@given(assessments(), factors)
def test_scaling_every_item_weight_changes_nothing(case, factor):
    scale, dimensions, items = case
    scaled = [replace(item, weight=item.weight * factor) for item in items]
    assert same_scores(run(scale, dimensions, items), run(scale, dimensions, scaled))


@PROPERTY
@given(assessments(), factors)
def test_scaling_every_dimension_weight_changes_nothing(case, factor):
    scale, dimensions, items = case
    scaled = [replace(d, weight=d.weight * factor) for d in dimensions]
    assert same_scores(run(scale, dimensions, items), run(scale, scaled, items))


@PROPERTY
@given(assessments(), st.data())
def test_raising_one_level_never_lowers_its_dimension_or_the_overall(case, data):
    scale, dimensions, items = case
    raisable = [i for i, item in enumerate(items) if item.is_rated and item.level < scale.max]
    assume(raisable)
    index = data.draw(st.sampled_from(raisable))
    target = items[index]
    higher = data.draw(st.integers(target.level + 1, scale.max))
    raised = [*items[:index], replace(target, level=higher), *items[index + 1 :]]
    before, after = run(scale, dimensions, items), run(scale, dimensions, raised)
    dimension = target.dimension
    assert after.dimensions[dimension].score >= before.dimensions[dimension].score
    assert after.overall >= before.overall


@PROPERTY
@given(assessments(), st.data())
def test_observations_never_change_a_score(case, data):
    scale, dimensions, items = case
    codes = [d.code for d in dimensions]
    extra = data.draw(items_for(scale, codes, prefix="X", min_size=1, max_size=6))
    observations = [
        replace(item, kind="observation", level=None, not_applicable=False) for item in extra
    ]
    before, after = run(scale, dimensions, items), run(scale, dimensions, items + observations)
    assert all_scores(after) == all_scores(before)
    assert after.completeness == before.completeness
    assert sum(after.observations.values()) == sum(before.observations.values()) + len(extra)


@PROPERTY
@given(assessments(), st.data())
def test_unanswered_items_do_not_change_scores_but_lower_completeness(case, data):
    scale, dimensions, items = case
    dimension = data.draw(st.sampled_from([d.code for d in dimensions]))
    blank = ItemAnswer(code="BLANK", dimension=dimension, weight=data.draw(weights))
    before, after = run(scale, dimensions, items), run(scale, dimensions, [*items, blank])
    assert all_scores(after) == all_scores(before)
    assert after.unanswered == before.unanswered + 1
    for old, new in [(before, after), (before.dimensions[dimension], after.dimensions[dimension])]:
        assert new.completeness <= old.completeness
        if old.answered:
            assert new.completeness < old.completeness


@PROPERTY
@given(assessments())
def test_counts_add_up_per_dimension_and_overall(case):
    result = run(*case)
    for part in [result, *result.dimensions.values()]:
        assert part.answered + part.unanswered == part.scored_total
        assert part.not_applicable <= part.answered
        assert sum(part.confidence.values()) == part.answered - part.not_applicable
    for field in ("scored_total", "answered", "not_applicable", "unanswered"):
        assert getattr(result, field) == sum(getattr(d, field) for d in result.dimensions.values())
    assert sum(result.observations.values()) == sum(
        1 for item in case[2] if item.kind == "observation"
    )

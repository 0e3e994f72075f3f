"""Indicator arithmetic: progress towards a target and whether it was met, in both directions."""

from decimal import Decimal

import pytest

from casework.indicators import indicator_met, indicator_progress


def test_progress_runs_from_baseline_to_target():
    assert indicator_progress(baseline=20, target=60, actual=50) == pytest.approx(0.75)


def test_progress_runs_downwards_when_lower_is_better():
    progress = indicator_progress(baseline=100, target=50, actual=80, higher_is_better=False)
    assert progress == pytest.approx(0.4)


def test_without_a_baseline_progress_is_measured_against_the_target_alone():
    # "availability 43 % against a target of 99 %" must not print a dash.
    assert indicator_progress(baseline=None, target=99, actual=43) == pytest.approx(43 / 99)


def test_lower_is_better_without_a_baseline_divides_the_other_way():
    progress = indicator_progress(baseline=None, target=5, actual=8, higher_is_better=False)
    assert progress == pytest.approx(5 / 8)


def test_progress_needs_a_target_and_a_value():
    assert indicator_progress(baseline=1, target=None, actual=3) is None
    assert indicator_progress(baseline=1, target=3, actual=None) is None


def test_decimals_are_accepted():
    assert indicator_progress(
        baseline=Decimal("0"), target=Decimal("10"), actual=Decimal("5")
    ) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("target", "actual", "higher_is_better", "met"),
    [
        (99, 43, True, False),
        (99, 99.5, True, True),
        (5, 8, False, False),
        (5, 3, False, True),
        (5, None, False, None),
    ],
)
def test_met_follows_the_direction(target, actual, higher_is_better, met):
    assert indicator_met(target=target, actual=actual, higher_is_better=higher_is_better) is met

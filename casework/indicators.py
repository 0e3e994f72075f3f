"""Indicator arithmetic, pure: how far a value has come towards its target, and whether it made it.

No ORM and no presentation: Decimal or float in, float or bool out. The report, the exports and
the model's `progress` property all read these, so "met" means the same thing everywhere.
"""

from __future__ import annotations

from decimal import Decimal

Number = Decimal | float | int


def indicator_progress(
    *,
    baseline: Number | None,
    target: Number | None,
    actual: Number | None,
    higher_is_better: bool = True,
) -> float | None:
    """Share of the way to the target the actual value has come (1 = on target; may pass 1).

    With a baseline, the way runs from baseline to target, whichever direction that is. With
    no baseline (or one equal to the target), progress is measured against the target alone:
    actual / target when higher is better, target / actual when lower is better.
    """
    if target is None or actual is None:
        return None
    target, actual = float(target), float(actual)
    if baseline is not None and float(baseline) != target:
        baseline = float(baseline)
        return (actual - baseline) / (target - baseline)
    if higher_is_better:
        return None if target == 0 else actual / target
    if actual <= 0:
        # Lower is better and the value is at or below zero: nothing left to reduce.
        return 1.0 if target >= actual else None
    return target / actual


def indicator_met(
    *, target: Number | None, actual: Number | None, higher_is_better: bool = True
) -> bool | None:
    """Whether the actual value reached the target in the good direction; None without both."""
    if target is None or actual is None:
        return None
    if higher_is_better:
        return float(actual) >= float(target)
    return float(actual) <= float(target)


def latest_value(*, actual: Number | None, measurements: list) -> Number | None:
    """The value an indicator stands at: its last dated measurement, else the `actual` field.

    `measurements` are values in date order.
    """
    return measurements[-1] if measurements else actual

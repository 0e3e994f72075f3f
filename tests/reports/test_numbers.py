"""Specs for casework.reports.numbers: numbers as people write them, no Django needed."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from casework.reports.numbers import format_number


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (494620.0, "", "494,620"),
        (43.0, "", "43"),
        (0.125, "", "0.125"),
        (Decimal("12.500"), "", "12.5"),
        (1234567.891, "", "1,234,567.891"),
        (2.00049, "", "2"),
        (-3500, "", "-3,500"),
        (-0.0001, "", "0"),
        (43, "%", "43 %"),
        (8.0, "s", "8 s"),
        (99.95, "ms", "99.95 ms"),
        (3, "天", "3天"),
        (120000, "元", "120,000元"),
        (45, "万人", "45万人"),
        (12000, "¥", "¥12,000"),
        (None, "", "—"),
        (None, "%", "—"),
        (float("nan"), "", "—"),
    ],
)
def test_it_writes_numbers_as_people_do(value, unit, expected):
    assert format_number(value, unit) == expected


def test_it_leaves_text_that_is_not_a_number_alone():
    assert format_number("n/a") == "n/a"


def test_it_is_a_template_filter():
    template = Template("{% load casework_tags %}{{ v|format_number:u }}|{{ w|format_number }}")

    assert template.render(Context({"v": 43.0, "u": "%", "w": None})) == "43 %|—"

"""Numbers in framework files are bounded and checked with arithmetic; error messages stay short.

A scale whose values lie far apart used to make the importer build a set over the whole range
(gigabytes of memory, or seconds and a message of hundreds of megabytes). These tests run the
parser under a memory cap, so that a regression fails with MemoryError instead of taking the
machine down.
"""

import contextlib
import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from frameworks.io import FrameworkFileError, parse_framework_file
from frameworks.io.limits import (
    MAX_ERROR_CHARS,
    MAX_ERRORS,
    RUBRIC_MAX_LEVELS,
    SCALE_VALUE_MAX,
    SCALE_VALUE_MIN,
)
from frameworks.services import framework_import
from tests.frameworks.helpers import row_counts, tiny_data, to_yaml

resource = pytest.importorskip("resource")


@contextlib.contextmanager
def memory_cap(extra_mb=300):
    """Let the process grow by at most `extra_mb` while the block runs."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    current = pages * resource.getpagesize()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = current + extra_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def errors_of(text, **kwargs) -> list[str]:
    with memory_cap(), pytest.raises(FrameworkFileError) as caught:
        parse_framework_file(text, **kwargs)
    return caught.value.errors


def tiny_with_scale(*values) -> dict:
    data = tiny_data()
    labels = data["scale"]
    data["scale"] = [
        {**copy.deepcopy(labels[index % len(labels)]), "value": value}
        for index, value in enumerate(values)
    ]
    return data


def assert_short(errors):
    assert 0 < len(errors) <= MAX_ERRORS + 1
    assert all(len(error) <= MAX_ERROR_CHARS for error in errors), [len(e) for e in errors]


@pytest.mark.django_db
def test_a_scale_value_of_minus_ten_to_the_thirty_is_refused_quickly_and_nothing_is_written(
    tmp_path,
):
    data = tiny_with_scale(-(10**30), 0, 1, 2, 3, 4, 5)
    text = to_yaml(data)
    before = row_counts()

    errors = errors_of(text)

    assert_short(errors)
    assert errors[0].startswith("scale[0]: value must be between -100 and 100")
    assert not any("contiguous" in error for error in errors)
    with memory_cap(), pytest.raises(FrameworkFileError):
        framework_import(data=data)
    path = tmp_path / "far-apart.yaml"
    path.write_text(text, encoding="utf-8")
    with memory_cap(), pytest.raises(CommandError) as caught:
        call_command("import_framework", str(path), stdout=StringIO(), stderr=StringIO())
    assert len(str(caught.value)) < 2000
    assert row_counts() == before


@pytest.mark.django_db
def test_a_typo_of_thirty_million_in_the_scale_is_refused_with_a_short_clear_error():
    data = tiny_with_scale(0, 1, 2, 3, 4, 30000000)
    before = row_counts()

    errors = errors_of(to_yaml(data))

    assert_short(errors)
    assert errors == ["scale[5]: value must be between -100 and 100; it is 30000000"]
    assert row_counts() == before


def test_gaps_are_named_as_ranges_not_listed_one_by_one():
    errors = errors_of(to_yaml(tiny_with_scale(-100, 0, 1, 2, 3, 4, 5, 100)))
    assert errors == ["scale values must be contiguous: missing -99–-1, 6–99"]


def test_a_long_list_of_gaps_is_cut_short():
    values = list(range(-100, 101, 2))
    errors = errors_of(to_yaml(tiny_with_scale(*values)))
    assert_short(errors)
    assert errors[0].startswith("scale values must be contiguous: missing -99, -97, ")
    assert errors[0].endswith("…")


def test_scale_values_at_the_limits_are_accepted():
    data = tiny_with_scale(*range(SCALE_VALUE_MIN, SCALE_VALUE_MIN + 6))
    for item in data["dimensions"][0]["items"]:
        item["levels"] = []
    parsed = parse_framework_file(to_yaml(data))
    assert parsed["scale"][0]["value"] == SCALE_VALUE_MIN
    data = tiny_with_scale(*range(SCALE_VALUE_MAX - 5, SCALE_VALUE_MAX + 1))
    for item in data["dimensions"][0]["items"]:
        item["levels"] = []
    assert parse_framework_file(to_yaml(data))["scale"][-1]["value"] == SCALE_VALUE_MAX


def test_rubric_values_are_bounded_even_when_the_scale_is_broken():
    data = tiny_data()
    data["scale"] = "not a list"
    data["dimensions"][0]["items"][0]["levels"][0]["value"] = 10**40
    errors = errors_of(to_yaml(data))
    assert_short(errors)
    assert any(
        "levels[0]: value must be between -100 and 100; it is a number with 41 digits" in error
        for error in errors
    )


def test_an_item_may_not_have_more_rubric_levels_than_a_scale_can():
    data = tiny_data()
    data["dimensions"][0]["items"][0]["levels"] = [
        {"value": 0, "description": {"zh": "一", "en": "one"}} for _ in range(RUBRIC_MAX_LEVELS + 1)
    ]
    errors = errors_of(to_yaml(data))
    assert_short(errors)
    assert f"levels has more than {RUBRIC_MAX_LEVELS} entries" in errors[0]


@pytest.mark.parametrize("weight", [10**30, -(10**30), 1e300])
def test_huge_weights_are_refused_with_a_short_message(weight):
    data = tiny_data()
    data["dimensions"][0]["items"][0]["weight"] = weight
    errors = errors_of(to_yaml(data))
    assert_short(errors)
    assert errors[0].startswith("dimensions[0].items[0] (TY-D1.1): weight must be")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_number_with_thousands_of_digits_is_refused_cleanly(fmt):
    text = to_yaml(tiny_data()) if fmt == "yaml" else json.dumps(tiny_data())
    marker = "value: 0" if fmt == "yaml" else '"value": 0'
    text = text.replace(marker, marker[:-1] + "9" * 6000, 1)
    errors = errors_of(text, fmt=fmt)
    assert_short(errors)
    assert "digits" in errors[0]


def test_values_quoted_in_messages_are_truncated():
    data = tiny_data()
    long_key = "k" * 100_000
    data["dimensions"][0]["items"][0][long_key] = 1
    data["dimensions"][0]["code"] = "C" * 100_000
    data["dimensions"][0]["registers"] = ["r" * 100_000]
    errors = errors_of(to_yaml(data))
    assert_short(errors)
    assert any("unknown key 'kkkk" in error and "…'" in error for error in errors)


def test_a_yaml_error_message_is_bounded_too():
    errors = errors_of("framework: " + "[" * 10 + "x" * 200_000 + ": {")
    assert_short(errors)


def test_too_many_dimensions_are_refused():
    data = tiny_data()
    data["dimensions"] = [copy.deepcopy(d) for _ in range(60) for d in data["dimensions"]]
    errors = errors_of(to_yaml(data))
    assert_short(errors)
    assert "dimensions has more than 100 entries" in errors[0]

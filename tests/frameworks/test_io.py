"""Parsing and validating framework files: every problem named, nothing dangerous executed."""

import json
import time

import pytest

from frameworks.io import (
    MAX_ERRORS,
    FrameworkFileError,
    dump_data,
    parse_framework_file,
    validate_framework_data,
)
from tests.factories import TINY_FRAMEWORK_YAML
from tests.frameworks.helpers import tiny_data, to_yaml


def errors_of(text, **kwargs) -> list[str]:
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework_file(text, **kwargs)
    return caught.value.errors


def test_tiny_file_parses_into_the_canonical_dict():
    data = parse_framework_file(TINY_FRAMEWORK_YAML)
    assert data["framework"]["code"] == "TY"
    assert data["version"]["label"] == "1.0"
    assert [level["value"] for level in data["scale"]] == [0, 1, 2, 3, 4, 5]
    first = data["dimensions"][0]["items"][0]
    assert first["code"] == "TY-D1.1"
    assert first["weight"] == 2
    assert [level["value"] for level in first["levels"]] == [0, 5]
    assert data["dimensions"][1]["informs"] == ["CA-1"]


def test_canonical_dict_dumps_and_parses_back_unchanged_in_yaml_and_json():
    data = parse_framework_file(TINY_FRAMEWORK_YAML)
    for fmt in ("yaml", "json"):
        assert parse_framework_file(dump_data(data, fmt), fmt=fmt) == data


def test_json_files_follow_the_same_schema():
    text = json.dumps(tiny_data(), ensure_ascii=False)
    assert parse_framework_file(text, filename="tiny.json") == parse_framework_file(
        TINY_FRAMEWORK_YAML
    )


def test_optional_texts_and_lists_may_be_left_out():
    data = tiny_data()
    item = data["dimensions"][0]["items"][1]
    for key in ("guidance", "recommendation", "levels", "weight"):
        del item[key]
    parsed = parse_framework_file(to_yaml(data))["dimensions"][0]["items"][1]
    assert parsed["guidance"] == {"zh": "", "en": ""}
    assert parsed["levels"] == []
    assert parsed["weight"] == 1


def test_malformed_yaml_is_refused_with_the_parsers_message():
    errors = errors_of("framework: [code: SF\nversion: {")
    assert len(errors) == 1
    assert errors[0].startswith("The file is not valid YAML")


def test_malformed_json_is_refused():
    errors = errors_of('{"framework": ', filename="x.json")
    assert errors[0].startswith("The file is not valid JSON")


def test_unknown_key_is_named_with_its_item():
    data = tiny_data()
    data["dimensions"][0]["items"][1]["wieght"] = 2
    assert errors_of(to_yaml(data)) == ["dimensions[0].items[1] (TY-D1.2): unknown key 'wieght'"]


def test_unknown_top_level_key_is_refused():
    data = tiny_data()
    data["extra"] = 1
    assert "unknown key 'extra'" in errors_of(to_yaml(data))[0]


def test_duplicate_item_codes_are_refused():
    data = tiny_data()
    data["dimensions"][1]["items"][0]["code"] = "TY-D1.1"
    assert "duplicate item code TY-D1.1" in errors_of(to_yaml(data))


def test_duplicate_dimension_codes_are_refused():
    data = tiny_data()
    data["dimensions"][1]["code"] = "TY-D1"
    assert "duplicate dimension code TY-D1" in errors_of(to_yaml(data))


@pytest.mark.parametrize("weight", [0, -1, -0.5])
def test_weights_must_be_greater_than_zero(weight):
    data = tiny_data()
    data["dimensions"][1]["items"][0]["weight"] = weight
    assert errors_of(to_yaml(data)) == [
        "dimensions[1].items[0] (TY-D2.1): weight must be greater than 0"
    ]


def test_dimension_weights_are_checked_too():
    data = tiny_data()
    data["dimensions"][0]["weight"] = "heavy"
    assert errors_of(to_yaml(data)) == ["dimensions[0] (TY-D1): weight must be a number"]


def test_weights_with_more_than_two_decimals_are_refused():
    data = tiny_data()
    data["dimensions"][0]["weight"] = 1.125
    assert "at most two decimal places" in errors_of(to_yaml(data))[0]


def test_gaps_in_the_scale_are_refused():
    data = tiny_data()
    data["scale"] = [level for level in data["scale"] if level["value"] != 3]
    # The rubric level 0 and 5 are still on the scale: only the gap is reported.
    assert errors_of(to_yaml(data)) == ["scale values must be contiguous: missing 3"]


def test_a_scale_needs_two_levels():
    data = tiny_data()
    data["scale"] = data["scale"][:1]
    data["dimensions"][0]["items"][0]["levels"] = []
    assert errors_of(to_yaml(data)) == ["scale: scale needs at least 2 entries"]


def test_duplicate_scale_values_are_refused():
    data = tiny_data()
    data["scale"][1]["value"] = 0
    assert "scale: duplicate scale value 0" in errors_of(to_yaml(data))


def test_kind_must_be_scored_or_observation():
    data = tiny_data()
    data["dimensions"][0]["items"][0]["kind"] = "rating"
    assert errors_of(to_yaml(data)) == [
        "dimensions[0].items[0] (TY-D1.1): kind must be scored or observation"
    ]


def test_rubric_levels_must_be_on_the_scale():
    data = tiny_data()
    data["dimensions"][0]["items"][0]["levels"][1]["value"] = 7
    assert errors_of(to_yaml(data)) == [
        "dimensions[0].items[0] (TY-D1.1): rubric level 7 is not on the scale"
    ]


def test_observation_items_have_no_rubric():
    data = tiny_data()
    data["dimensions"][0]["items"][2]["levels"] = [
        {"value": 1, "description": {"zh": "有", "en": "Some"}}
    ]
    assert errors_of(to_yaml(data)) == [
        "dimensions[0].items[2] (TY-D1.3): observation items can't have rubric levels"
    ]


def test_missing_chinese_title_is_named():
    data = tiny_data()
    data["dimensions"][1]["items"][0]["title"]["zh"] = "  "
    assert errors_of(to_yaml(data)) == ["dimensions[1].items[0] (TY-D2.1): missing Chinese title"]


def test_missing_english_name_is_named():
    data = tiny_data()
    del data["framework"]["name"]["en"]
    assert errors_of(to_yaml(data)) == ["framework: missing English name"]


def test_registers_must_be_known_ones():
    data = tiny_data()
    data["dimensions"][0]["registers"] = ["goals", "budgets"]
    errors = errors_of(to_yaml(data))
    assert len(errors) == 1
    assert "'budgets' is not one of goals, stakeholders, risks, indicators, phases" in errors[0]


def test_an_unquoted_label_must_be_quoted():
    data = tiny_data()
    data["version"]["label"] = 1.0
    assert errors_of(to_yaml(data)) == ["version: label must be text; put it in quotes"]


def test_texts_longer_than_the_database_allows_are_refused():
    data = tiny_data()
    data["dimensions"][0]["code"] = "X" * 31
    assert "code is longer than 30 characters" in errors_of(to_yaml(data))[0]


def test_every_problem_is_reported_at_once():
    data = tiny_data()
    data["dimensions"][0]["items"][0]["weight"] = 0
    data["dimensions"][0]["items"][1]["kind"] = "rating"
    data["dimensions"][1]["items"][0]["title"]["en"] = ""
    data["scale"].pop(2)
    errors = errors_of(to_yaml(data))
    assert len(errors) == 4


def test_the_error_list_is_capped():
    data = tiny_data()
    item = data["dimensions"][0]["items"][0]
    for n in range(80):
        item[f"bogus{n}"] = n
    errors = errors_of(to_yaml(data))
    assert len(errors) == MAX_ERRORS + 1
    assert errors[-1] == f"Too many errors; only the first {MAX_ERRORS} are shown."


def test_a_file_that_is_not_a_mapping_is_refused():
    assert "must be a mapping" in errors_of("- just\n- a list\n")[0]


def test_an_empty_file_is_refused():
    assert errors_of("  \n") == ["The file is empty."]


def test_non_utf8_bytes_are_refused():
    assert errors_of("framework: 框架".encode("gb18030")) == ["The file must be UTF-8 text."]


def test_duplicate_yaml_keys_are_refused():
    text = TINY_FRAMEWORK_YAML.replace("version:\n", "version:\n  label: '2.0'\n", 1)
    assert "the key 'label' appears twice" in errors_of(text)[0]


def test_duplicate_json_keys_are_refused():
    assert "the key 'a' appears twice" in errors_of('{"a": 1, "a": 2}', filename="x.json")[0]


def test_nan_in_json_is_refused():
    assert "NaN is not allowed" in errors_of('{"a": NaN}', filename="x.json")[0]


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_is_refused_without_expanding_anything():
    started = time.monotonic()
    errors = errors_of(BILLION_LAUGHS)
    assert time.monotonic() - started < 1
    assert errors == [
        "line 1: YAML anchors and aliases (& and *) are not allowed; write the content out in full"
    ]


def test_even_a_single_anchor_is_refused():
    text = TINY_FRAMEWORK_YAML.replace("weight: 2\n", "weight: &w 2\n", 1)
    assert "anchors and aliases" in errors_of(text)[0]


def test_python_tags_are_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    text = f'framework: !!python/object/apply:os.system ["touch {marker}"]\n'
    errors = errors_of(text)
    assert len(errors) == 1
    assert "unsupported YAML tag" in errors[0]
    assert "python/object/apply:os.system" in errors[0]
    assert not marker.exists()


def test_python_object_tag_is_refused():
    errors = errors_of("framework: !!python/object:collections.OrderedDict {}\n")
    assert "unsupported YAML tag" in errors[0]


def test_oversized_files_are_refused_before_parsing(settings, monkeypatch):
    settings.FRAMEWORK_IMPORT_MAX_BYTES = 1000

    def no_parsing(*args, **kwargs):
        raise AssertionError("the parser must not run on an oversized file")

    monkeypatch.setattr("frameworks.io.load.yaml.load", no_parsing)
    errors = errors_of("x" * 1001)
    assert errors == ["The file is too large: 1001 bytes; the limit is 1000 bytes."]


def test_size_is_counted_in_bytes_not_characters(settings):
    settings.FRAMEWORK_IMPORT_MAX_BYTES = 1000
    assert "too large" in errors_of("框" * 400)[0]  # 1200 bytes in UTF-8


def test_deeply_nested_files_are_refused_cleanly():
    errors = errors_of("[" * 5000 + "]" * 5000)
    assert len(errors) == 1


def test_validate_accepts_its_own_output():
    data = parse_framework_file(TINY_FRAMEWORK_YAML)
    assert validate_framework_data(data) == data


def test_error_messages_follow_the_active_language():
    from django.utils import translation

    data = tiny_data()
    data["dimensions"][0]["items"][0]["kind"] = "rating"
    with translation.override("zh-hans"):
        zh = errors_of(to_yaml(data))
    with translation.override("en"):
        en = errors_of(to_yaml(data))
    assert en == ["dimensions[0].items[0] (TY-D1.1): kind must be scored or observation"]
    assert zh[0].startswith("dimensions[0].items[0] (TY-D1.1): ")

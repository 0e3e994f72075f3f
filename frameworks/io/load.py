"""Reading a framework file: UTF-8 YAML or JSON into plain Python data, never running code.

YAML goes through a SafeLoader that also refuses anchors and aliases (no billion laughs) and
duplicate keys, and the size cap is checked before anything is parsed.
"""

import json

import yaml
from django.conf import settings
from django.utils.translation import gettext as _
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

from frameworks.io.limits import (
    MAX_NUMBER_DIGITS,
    FrameworkFileError,
    _too_many_digits,
    show,
)
from frameworks.io.schema import validate_framework_data

# libyaml's parser where PyYAML was built with it (its wheels are): reading the two framework
# files took 0.45 s of CPU through the pure-Python parser and 0.05 s through libyaml.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_anchors(text: str) -> None:
    """Refuse anchors and aliases before anything is built from the events (no billion laughs)."""
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, AliasEvent) or (
            isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor is not None
        ):
            line = event.start_mark.line + 1
            raise FrameworkFileError(
                [
                    _(
                        "line %(line)s: YAML anchors and aliases (& and *) are not allowed; write the content out in full"
                    )
                    % {"line": line}
                ]
            )


class _StrictLoader(_SafeLoader):
    """A safe loader that refuses duplicate keys and over-long numbers (anchors: _refuse_anchors)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise FrameworkFileError(
                    [
                        _("line %(line)s: the key '%(key)s' appears twice")
                        % {"line": key_node.start_mark.line + 1, "key": show(key)}
                    ]
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        # Python spends quadratic time on long digit strings and refuses more than 4,300.
        digits = len(node.value.lstrip("+-").replace("_", ""))
        if digits > MAX_NUMBER_DIGITS:
            raise _too_many_digits(node.start_mark.line + 1, digits)
        return super().construct_yaml_int(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def _load_yaml(text: str):
    try:
        _refuse_anchors(text)
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - _StrictLoader is a SafeLoader
    except yaml.constructor.ConstructorError as exc:
        tag = getattr(exc.problem_mark, "line", None)
        where = _("line %(line)s: ") % {"line": tag + 1} if tag is not None else ""
        raise FrameworkFileError(
            [
                where
                + _(
                    "unsupported YAML tag (%(problem)s); only plain mappings, lists, text and numbers are allowed"
                )
                % {"problem": exc.problem}
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise FrameworkFileError(
            [_("The file is not valid YAML: %(error)s") % {"error": exc}]
        ) from None
    except RecursionError:
        raise FrameworkFileError([_("The file is nested too deeply.")]) from None


def _load_json(text: str):
    def no_duplicates(pairs):
        result = {}
        for key, value in pairs:
            if key in result:
                raise FrameworkFileError(
                    [_("the key '%(key)s' appears twice") % {"key": show(key)}]
                )
            result[key] = value
        return result

    def no_constants(name):
        raise FrameworkFileError(
            [_("%(name)s is not allowed in a framework file") % {"name": name}]
        )

    def bounded_int(digits):
        count = len(digits.lstrip("-"))
        if count > MAX_NUMBER_DIGITS:
            raise _too_many_digits(None, count)
        return int(digits)

    try:
        return json.loads(
            text,
            object_pairs_hook=no_duplicates,
            parse_constant=no_constants,
            parse_int=bounded_int,
        )
    except json.JSONDecodeError as exc:
        raise FrameworkFileError(
            [_("The file is not valid JSON: %(error)s") % {"error": exc}]
        ) from None
    except RecursionError:
        raise FrameworkFileError([_("The file is nested too deeply.")]) from None


def guess_format(filename: str | None, text: str) -> str:
    """'json' or 'yaml', from the file name if it says, else from the first character."""
    name = (filename or "").lower()
    if name.endswith(".json"):
        return "json"
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    return "json" if text.lstrip().startswith(("{", "[")) else "yaml"


def parse_framework_file(
    raw: bytes | str, *, filename: str | None = None, fmt: str | None = None
) -> dict:
    """Parse and validate a framework file into the canonical plain dict, or raise FrameworkFileError."""
    data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    limit = settings.FRAMEWORK_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise FrameworkFileError(
            [
                _("The file is too large: %(size)s bytes; the limit is %(limit)s bytes.")
                % {"size": len(data), "limit": limit}
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FrameworkFileError([_("The file must be UTF-8 text.")]) from None
    if not text.strip():
        raise FrameworkFileError([_("The file is empty.")])
    fmt = fmt or guess_format(filename, text)
    loaded = _load_json(text) if fmt == "json" else _load_yaml(text)
    return validate_framework_data(loaded)

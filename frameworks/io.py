"""Framework files: parse and validate YAML or JSON into a plain dict, and dump a version back.

The plain dict is the canonical form: `parse_framework_file(dump_version(v, "yaml"))` equals
`version_to_dict(v)`, so export → import → export gives identical bytes. Parsing never runs
code: YAML goes through a SafeLoader that also refuses anchors and aliases (no billion laughs),
and the size cap is checked before anything is parsed.
"""

import json
from decimal import Decimal, InvalidOperation

import yaml
from django.conf import settings
from django.utils.translation import gettext as _
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

from frameworks.models import (
    Criterion,
    CriterionLevel,
    Dimension,
    Framework,
    FrameworkVersion,
    ScaleLevel,
)
from frameworks.registers import REGISTER_NAMES

MAX_ERRORS = 50
# Every message is cut to this many characters, and every value quoted in one to QUOTE_CHARS,
# so that a hostile or mistyped file can't produce an error list of megabytes.
MAX_ERROR_CHARS = 300
QUOTE_CHARS = 40
# Scale and rubric values: far inside the database's integer range, and wide enough for any
# real scale (0–5, 1–10, even 0–100 percent).
SCALE_VALUE_MIN = -100
SCALE_VALUE_MAX = 100
SCALE_MAX_LEVELS = SCALE_VALUE_MAX - SCALE_VALUE_MIN + 1
RUBRIC_MAX_LEVELS = SCALE_MAX_LEVELS
# List lengths: the file size cap bounds them too, but these keep the work per file small.
MAX_DIMENSIONS = 100
MAX_ITEMS_PER_DIMENSION = 500
MAX_REGISTER_CODES = 50
# Integers are read from their digits; longer ones are refused before Python converts them.
MAX_NUMBER_DIGITS = 100
REGISTERS = REGISTER_NAMES
KINDS = ("scored", "observation")
POLARITIES = ("positive", "negative", "neutral")
WEIGHT_MAX = Decimal("9999.99")  # max_digits=6, decimal_places=2

# Allowed keys, in the order a file lists them (and an export writes them).
TOP_KEYS = ("framework", "version", "scale", "dimensions")
FRAMEWORK_KEYS = ("code", "name", "description", "source")
SOURCE_KEYS = ("author", "title", "reference")
VERSION_KEYS = ("label", "notes")
SCALE_KEYS = ("value", "label", "description")
DIMENSION_KEYS = (
    "code",
    "title",
    "guidance",
    "source",
    "weight",
    "registers",
    "informs",
    "items",
)
ITEM_KEYS = (
    "code",
    "kind",
    "polarity",
    "title",
    "guidance",
    "weight",
    "source",
    "recommendation",
    "levels",
)
LEVEL_KEYS = ("value", "description")


class FrameworkFileError(Exception):
    """A framework file that can't be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = [shorten(str(error), MAX_ERROR_CHARS) for error in errors[: MAX_ERRORS + 1]]
        super().__init__("\n".join(self.errors))


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """`text` cut to `limit` characters, with … where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _digits(number: int) -> int:
    """How many decimal digits an integer has, counted without converting it to text."""
    number = abs(number)
    digits = max(1, int(number.bit_length() * 0.30102999566398))
    while 10**digits <= number:
        digits += 1
    while digits > 1 and 10 ** (digits - 1) > number:
        digits -= 1
    return digits


def show(value) -> str:
    """A value from the file as a message quotes it: short, whatever it is."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**QUOTE_CHARS:
        return _("a number with %(digits)s digits") % {"digits": _digits(value)}
    return shorten(str(value))


def _too_many_digits(line, digits) -> FrameworkFileError:
    where = _("line %(line)s: ") % {"line": line} if line is not None else ""
    return FrameworkFileError(
        [
            where
            + _("a number with %(digits)s digits is too long for a framework file")
            % {"digits": digits}
        ]
    )


# --- Parsing -----------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases and duplicate keys."""

    def compose_node(self, parent, index):
        event = self.peek_event()
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
        return super().compose_node(parent, index)

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


# --- Validation --------------------------------------------------------------------------


def _max_length(model, field):
    return model._meta.get_field(field).max_length


class _Validator:
    def __init__(self):
        self.errors: list[str] = []

    def error(self, where: str, message: str):
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(
                shorten(f"{where}: {message}" if where else message, MAX_ERROR_CHARS)
            )

    # Small readers: each returns a clean value (or a safe default) and records what is wrong.

    def mapping(self, value, where, keys, *, required=()):
        if not isinstance(value, dict):
            self.error(where, _("must be a mapping of keys to values"))
            return {}
        for key in value:
            if key not in keys:
                self.error(where, _("unknown key '%(key)s'") % {"key": show(key)})
        for key in required:
            if key not in value:
                self.error(where, _("missing '%(key)s'") % {"key": key})
        return value

    def text(self, value, where, field, *, required=False, max_length=None):
        if value is None:
            value = ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(where, _("%(field)s must be text") % {"field": field})
            return ""
        if not isinstance(value, str):
            self.error(where, _("%(field)s must be text; put it in quotes") % {"field": field})
            return ""
        value = value.strip()
        if required and not value:
            self.error(where, _("%(field)s must not be empty") % {"field": field})
        if max_length and len(value) > max_length:
            self.error(
                where,
                _("%(field)s is longer than %(max)s characters")
                % {"field": field, "max": max_length},
            )
        return value

    def bilingual(self, value, where, field, *, required=False, max_length=None):
        """A {zh, en} pair; with required=True both languages must be filled in."""
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.error(where, _("%(field)s must have a zh and an en text") % {"field": field})
            return {"zh": "", "en": ""}
        for key in value:
            if key not in ("zh", "en"):
                self.error(
                    where,
                    _("unknown key '%(key)s' in %(field)s") % {"key": show(key), "field": field},
                )
        result = {}
        for lang, missing in (
            ("zh", _("missing Chinese %(field)s")),
            ("en", _("missing English %(field)s")),
        ):
            raw = value.get(lang)
            text = self.text(raw, where, f"{field}.{lang}", max_length=max_length)
            if required and not text and (raw is None or isinstance(raw, str)):
                self.error(where, missing % {"field": field})
            result[lang] = text
        return result

    def integer(self, value, where, field, *, minimum, maximum):
        """A whole number from `minimum` to `maximum`, compared as numbers, never enumerated."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, _("%(field)s must be a whole number") % {"field": field})
            return None
        if not minimum <= value <= maximum:
            self.error(
                where,
                _("%(field)s must be between %(min)s and %(max)s; it is %(value)s")
                % {"field": field, "min": minimum, "max": maximum, "value": show(value)},
            )
            return None
        return value

    def weight(self, value, where):
        if value is None:
            return 1
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(where, _("weight must be a number"))
            return 1
        if isinstance(value, int) and abs(value) > WEIGHT_MAX:
            # Compared before Decimal(str(value)): a long integer is slow (or refused) as text.
            self.error(where, _("weight must be at most %(max)s") % {"max": WEIGHT_MAX})
            return 1
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.error(where, _("weight must be a number"))
            return 1
        if not number.is_finite():
            self.error(where, _("weight must be a number"))
            return 1
        if number <= 0:
            self.error(where, _("weight must be greater than 0"))
            return 1
        if number > WEIGHT_MAX:
            self.error(where, _("weight must be at most %(max)s") % {"max": WEIGHT_MAX})
            return 1
        if number != number.quantize(Decimal("0.01")):
            self.error(where, _("weight may have at most two decimal places"))
            return 1
        return canonical_weight(number)

    def string_list(self, value, where, field, *, choices=None, max_length=None):
        if value is None:
            return []
        value = self.items_list(value, where, field, maximum=MAX_REGISTER_CODES)
        result = []
        for entry in value:
            if not isinstance(entry, str) or not entry.strip():
                self.error(where, _("%(field)s may only contain codes (text)") % {"field": field})
                continue
            entry = entry.strip()
            if choices is not None and entry not in choices:
                self.error(
                    where,
                    _("%(field)s: '%(value)s' is not one of %(choices)s")
                    % {"field": field, "value": show(entry), "choices": ", ".join(choices)},
                )
                continue
            if max_length and len(entry) > max_length:
                self.error(
                    where,
                    _("%(field)s: '%(value)s' is longer than %(max)s characters")
                    % {"field": field, "value": show(entry), "max": max_length},
                )
                continue
            if entry in result:
                self.error(
                    where,
                    _("%(field)s lists '%(value)s' twice") % {"field": field, "value": show(entry)},
                )
                continue
            result.append(entry)
        return result

    def items_list(self, value, where, field, *, minimum=0, maximum):
        """A list of at least `minimum` entries; past `maximum`, the rest is not even read."""
        if value is None:
            value = []
        if not isinstance(value, list):
            self.error(where, _("%(field)s must be a list") % {"field": field})
            return []
        if len(value) < minimum:
            self.error(
                where,
                _("%(field)s needs at least %(count)s entries")
                % {"field": field, "count": minimum},
            )
        if len(value) > maximum:
            self.error(
                where,
                _("%(field)s has more than %(count)s entries") % {"field": field, "count": maximum},
            )
            return value[:maximum]
        return value

    # The sections of a file.

    def framework(self, raw):
        where = "framework"
        raw = self.mapping(raw, where, FRAMEWORK_KEYS, required=("code", "name"))
        code = self.text(
            raw.get("code"), where, "code", required=True, max_length=_max_length(Framework, "code")
        )
        if code and not all(c.isascii() and (c.isalnum() or c in "-_") for c in code):
            self.error(where, _("code may only use letters, digits, - and _"))
        source_raw = self.mapping(raw.get("source") or {}, f"{where}.source", SOURCE_KEYS)
        return {
            "code": code,
            "name": self.bilingual(
                raw.get("name"),
                where,
                "name",
                required=True,
                max_length=_max_length(FrameworkVersion, "name_zh"),
            ),
            "description": self.bilingual(
                raw.get("description"),
                where,
                "description",
                max_length=_max_length(FrameworkVersion, "description_zh"),
            ),
            "source": {
                "author": self.text(
                    source_raw.get("author"),
                    f"{where}.source",
                    "author",
                    max_length=_max_length(FrameworkVersion, "source_author"),
                ),
                "title": self.bilingual(
                    source_raw.get("title"),
                    f"{where}.source",
                    "title",
                    max_length=_max_length(FrameworkVersion, "source_title_zh"),
                ),
                "reference": self.text(
                    source_raw.get("reference"),
                    f"{where}.source",
                    "reference",
                    max_length=_max_length(FrameworkVersion, "source_reference"),
                ),
            },
        }

    def version(self, raw):
        where = "version"
        raw = self.mapping(raw, where, VERSION_KEYS, required=("label",))
        return {
            "label": self.text(
                raw.get("label"),
                where,
                "label",
                required=True,
                max_length=_max_length(FrameworkVersion, "label"),
            ),
            "notes": self.bilingual(
                raw.get("notes"),
                where,
                "notes",
                max_length=_max_length(FrameworkVersion, "notes_zh"),
            ),
        }

    def scale(self, raw):
        levels = []
        seen = set()
        entries = self.items_list(raw, "scale", "scale", minimum=2, maximum=SCALE_MAX_LEVELS)
        for index, entry in enumerate(entries):
            where = f"scale[{index}]"
            entry = self.mapping(entry, where, SCALE_KEYS, required=("value", "label"))
            value = self.integer(
                entry.get("value"), where, "value", minimum=SCALE_VALUE_MIN, maximum=SCALE_VALUE_MAX
            )
            if value is not None:
                where = f"{where} ({value})"
                if value in seen:
                    self.error("scale", _("duplicate scale value %(value)s") % {"value": value})
                seen.add(value)
            levels.append(
                {
                    "value": value,
                    "label": self.bilingual(
                        entry.get("label"),
                        where,
                        "label",
                        required=True,
                        max_length=_max_length(ScaleLevel, "label_zh"),
                    ),
                    "description": self.bilingual(
                        entry.get("description"),
                        where,
                        "description",
                        max_length=_max_length(ScaleLevel, "description_zh"),
                    ),
                }
            )
        gaps = _gaps(seen)
        if gaps:
            self.error(
                "",
                _("scale values must be contiguous: missing %(values)s") % {"values": gaps},
            )
        complete = [level for level in levels if level["value"] is not None]
        complete.sort(key=lambda level: level["value"])
        # With a value refused, rubric levels can't be checked against the scale: saying that
        # they are not on it would only repeat the scale's own error.
        return complete, seen if len(complete) == len(levels) else set()

    def dimensions(self, raw, scale_values):
        dimensions = []
        dimension_codes, item_codes = set(), set()
        entries = self.items_list(raw, "", "dimensions", minimum=1, maximum=MAX_DIMENSIONS)
        for dindex, entry in enumerate(entries):
            where = f"dimensions[{dindex}]"
            if isinstance(entry, dict) and isinstance(entry.get("code"), str):
                where = f"{where} ({show(entry['code'].strip())})"
            entry = self.mapping(
                entry, where, DIMENSION_KEYS, required=("code", "title", "source", "items")
            )
            code = self.text(
                entry.get("code"),
                where,
                "code",
                required=True,
                max_length=_max_length(Dimension, "code"),
            )
            if code:
                if code in dimension_codes:
                    self.error("", _("duplicate dimension code %(code)s") % {"code": show(code)})
                dimension_codes.add(code)
            dimensions.append(
                {
                    "code": code,
                    "title": self.bilingual(
                        entry.get("title"),
                        where,
                        "title",
                        required=True,
                        max_length=_max_length(Dimension, "title_zh"),
                    ),
                    "guidance": self.bilingual(
                        entry.get("guidance"),
                        where,
                        "guidance",
                        max_length=_max_length(Dimension, "guidance_zh"),
                    ),
                    "source": self.text(
                        entry.get("source"),
                        where,
                        "source",
                        required=True,
                        max_length=_max_length(Dimension, "source_ref"),
                    ),
                    "weight": self.weight(entry.get("weight"), where),
                    "registers": self.string_list(
                        entry.get("registers"), where, "registers", choices=REGISTERS
                    ),
                    "informs": self.string_list(
                        entry.get("informs"),
                        where,
                        "informs",
                        max_length=_max_length(Dimension, "code"),
                    ),
                    "items": [],
                }
            )
            # Items after the dimension's own fields, so that errors come out in file order.
            items = self.items_list(
                entry.get("items"), where, "items", minimum=1, maximum=MAX_ITEMS_PER_DIMENSION
            )
            for iindex, item in enumerate(items):
                dimensions[-1]["items"].append(
                    self.item(
                        item, f"{where.split(' ')[0]}.items[{iindex}]", scale_values, item_codes
                    )
                )
        return dimensions

    def item(self, entry, where, scale_values, item_codes):
        if isinstance(entry, dict) and isinstance(entry.get("code"), str):
            where = f"{where} ({show(entry['code'].strip())})"
        entry = self.mapping(entry, where, ITEM_KEYS, required=("code", "kind", "title", "source"))
        code = self.text(
            entry.get("code"),
            where,
            "code",
            required=True,
            max_length=_max_length(Criterion, "code"),
        )
        if code:
            if code in item_codes:
                self.error("", _("duplicate item code %(code)s") % {"code": show(code)})
            item_codes.add(code)
        kind = entry.get("kind")
        if kind not in KINDS:
            if "kind" in entry:
                self.error(where, _("kind must be scored or observation"))
            kind = "scored"
        levels = []
        seen = set()
        rubric = self.items_list(entry.get("levels"), where, "levels", maximum=RUBRIC_MAX_LEVELS)
        for lindex, level in enumerate(rubric):
            lwhere = f"{where} levels[{lindex}]"
            level = self.mapping(level, lwhere, LEVEL_KEYS, required=("value", "description"))
            value = self.integer(
                level.get("value"),
                lwhere,
                "value",
                minimum=SCALE_VALUE_MIN,
                maximum=SCALE_VALUE_MAX,
            )
            if value is not None:
                if scale_values and value not in scale_values:
                    self.error(
                        where, _("rubric level %(value)s is not on the scale") % {"value": value}
                    )
                if value in seen:
                    self.error(where, _("rubric level %(value)s appears twice") % {"value": value})
                seen.add(value)
            levels.append(
                {
                    "value": value,
                    "description": self.bilingual(
                        level.get("description"),
                        lwhere,
                        "description",
                        required=True,
                        max_length=_max_length(CriterionLevel, "description_zh"),
                    ),
                }
            )
        polarity = entry.get("polarity", "positive")
        if polarity not in POLARITIES:
            self.error(where, _("polarity must be positive, negative or neutral"))
            polarity = "positive"
        if polarity != "positive" and kind != "observation":
            self.error(where, _("only observation items can have a polarity"))
        if levels and kind == "observation":
            self.error(where, _("observation items can't have rubric levels"))
        levels = [level for level in levels if level["value"] is not None]
        levels.sort(key=lambda level: level["value"])
        return {
            "code": code,
            "kind": kind,
            "polarity": polarity,
            "title": self.bilingual(
                entry.get("title"),
                where,
                "title",
                required=True,
                max_length=_max_length(Criterion, "title_zh"),
            ),
            "guidance": self.bilingual(
                entry.get("guidance"),
                where,
                "guidance",
                max_length=_max_length(Criterion, "guidance_zh"),
            ),
            "weight": self.weight(entry.get("weight"), where),
            "source": self.text(
                entry.get("source"),
                where,
                "source",
                required=True,
                max_length=_max_length(Criterion, "source_ref"),
            ),
            "recommendation": self.bilingual(
                entry.get("recommendation"),
                where,
                "recommendation",
                max_length=_max_length(Criterion, "recommendation_zh"),
            ),
            "levels": levels,
        }


def _gaps(values: set[int]) -> str:
    """The values missing between the smallest and the largest, as ranges: "3, 6–9"."""
    ordered = sorted(values)
    parts = []
    for low, high in zip(ordered, ordered[1:], strict=False):
        if high - low == 2:
            parts.append(str(low + 1))
        elif high - low > 2:
            parts.append(f"{low + 1}–{high - 1}")
    return shorten(", ".join(parts), MAX_ERROR_CHARS // 2)


def validate_framework_data(data) -> dict:
    """Check a loaded file against the schema; the canonical dict, or FrameworkFileError with every problem."""
    if not isinstance(data, dict):
        raise FrameworkFileError(
            [
                _(
                    "The file must be a mapping with the keys framework, version, scale and dimensions."
                )
            ]
        )
    check = _Validator()
    data = check.mapping(data, "", TOP_KEYS, required=TOP_KEYS)
    framework = check.framework(data.get("framework"))
    version = check.version(data.get("version"))
    scale, scale_values = check.scale(data.get("scale"))
    dimensions = check.dimensions(data.get("dimensions"), scale_values)
    if check.errors:
        if len(check.errors) >= MAX_ERRORS:
            check.errors.append(
                _("Too many errors; only the first %(count)s are shown.") % {"count": MAX_ERRORS}
            )
        raise FrameworkFileError(check.errors)
    return {"framework": framework, "version": version, "scale": scale, "dimensions": dimensions}


# --- Dumping -----------------------------------------------------------------------------


def canonical_weight(number) -> int | float:
    """1.00 → 1, 1.50 → 1.5: the shortest number that reads back as the same decimal."""
    number = Decimal(str(number))
    return int(number) if number == number.to_integral_value() else float(number)


def _pair(obj, field):
    return {"zh": getattr(obj, f"{field}_zh"), "en": getattr(obj, f"{field}_en")}


def version_to_dict(version: FrameworkVersion) -> dict:
    """The canonical plain dict of a version (the same shape parse_framework_file returns)."""
    framework = version.framework
    criteria_by_dimension: dict[int, list] = {}
    criteria = (
        Criterion.objects.filter(version=version)
        .prefetch_related("levels")
        .order_by("dimension_id", "order", "code")
    )
    for criterion in criteria:
        criteria_by_dimension.setdefault(criterion.dimension_id, []).append(criterion)
    return {
        # The code is the framework's; the texts are the version's own.
        "framework": {
            "code": framework.code,
            "name": _pair(version, "name"),
            "description": _pair(version, "description"),
            "source": {
                "author": version.source_author,
                "title": _pair(version, "source_title"),
                "reference": version.source_reference,
            },
        },
        "version": {"label": version.label, "notes": _pair(version, "notes")},
        "scale": [
            {
                "value": level.value,
                "label": _pair(level, "label"),
                "description": _pair(level, "description"),
            }
            for level in version.scale_levels.order_by("value")
        ],
        "dimensions": [
            {
                "code": dimension.code,
                "title": _pair(dimension, "title"),
                "guidance": _pair(dimension, "guidance"),
                "source": dimension.source_ref,
                "weight": canonical_weight(dimension.weight),
                "registers": list(dimension.registers or []),
                "informs": list(dimension.informs or []),
                "items": [
                    {
                        "code": criterion.code,
                        "kind": criterion.kind,
                        # Written only when it says something, so older files round-trip.
                        **(
                            {"polarity": criterion.polarity}
                            if criterion.polarity != "positive"
                            else {}
                        ),
                        "title": _pair(criterion, "title"),
                        "guidance": _pair(criterion, "guidance"),
                        "weight": canonical_weight(criterion.weight),
                        "source": criterion.source_ref,
                        "recommendation": _pair(criterion, "recommendation"),
                        "levels": [
                            {"value": level.value, "description": _pair(level, "description")}
                            for level in sorted(criterion.levels.all(), key=lambda lv: lv.value)
                        ],
                    }
                    for criterion in criteria_by_dimension.get(dimension.pk, [])
                ],
            }
            for dimension in version.dimensions.order_by("order", "code")
        ],
    }


class _IndentedDumper(yaml.SafeDumper):
    """Indents lists under their key, as the hand-written fixture files do."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def dump_data(data: dict, fmt: str = "yaml") -> str:
    """The text of a canonical dict as YAML or JSON."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        # No line wrapping: one text, one line, so that files diff well in review.
        return yaml.dump(
            data,
            Dumper=_IndentedDumper,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=1_000_000,
        )
    raise ValueError(f"unknown format {fmt!r}")


def dump_version(version: FrameworkVersion, fmt: str = "yaml") -> str:
    """A version as the text of a framework file."""
    return dump_data(version_to_dict(version), fmt)


def export_filename(version: FrameworkVersion, fmt: str) -> str:
    return f"{version.framework.code}-v{version.number}.{'json' if fmt == 'json' else 'yaml'}"

"""The schema of a framework file: every key, type, range and cross-reference checked at once.

`validate_framework_data` turns loaded data into the canonical plain dict, or raises
FrameworkFileError naming each problem by its place in the file. The dimension, item and
rubric-level checks are in `schema_items`.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from frameworks.io.dump import canonical_weight
from frameworks.io.limits import (
    FRAMEWORK_KEYS,
    MAX_ERROR_CHARS,
    MAX_ERRORS,
    MAX_REGISTER_CODES,
    SCALE_KEYS,
    SCALE_MAX_LEVELS,
    SCALE_VALUE_MAX,
    SCALE_VALUE_MIN,
    SOURCE_KEYS,
    TOP_KEYS,
    VERSION_KEYS,
    WEIGHT_MAX,
    FrameworkFileError,
    shorten,
    show,
)
from frameworks.io.schema_items import ItemChecks, _max_length
from frameworks.models import Framework, FrameworkVersion, ScaleLevel


class _Validator(ItemChecks):
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

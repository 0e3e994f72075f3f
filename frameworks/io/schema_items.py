"""The schema of a framework file, part two: dimensions, their items and rubric levels.

Item codes are unique across the file; rubric levels must be on the scale; observation items
take a polarity and no rubric. Errors come out in file order, each named by its place.
"""

from django.utils.translation import gettext as _

from frameworks.io.limits import (
    DIMENSION_KEYS,
    ITEM_KEYS,
    KINDS,
    LEVEL_KEYS,
    MAX_DIMENSIONS,
    MAX_ITEMS_PER_DIMENSION,
    POLARITIES,
    REGISTERS,
    RUBRIC_MAX_LEVELS,
    SCALE_VALUE_MAX,
    SCALE_VALUE_MIN,
    show,
)
from frameworks.models import Criterion, CriterionLevel, Dimension


def _max_length(model, field):
    return model._meta.get_field(field).max_length


class ItemChecks:
    """The dimension and item checks of `schema._Validator`, which mixes them in: they use its
    value checks (`mapping`, `text`, `bilingual`, `integer`, `weight`, `string_list`,
    `items_list`) and its `error`."""

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

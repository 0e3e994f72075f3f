"""Writing a version back out: the canonical plain dict, and its YAML or JSON text.

`parse_framework_file(dump_version(v, "yaml"))` equals `version_to_dict(v)`, so
export → import → export gives identical bytes.
"""

import json
from decimal import Decimal

import yaml

from frameworks.models import Criterion, FrameworkVersion


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

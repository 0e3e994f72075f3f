"""A version diff as the framework admin's templates show it: labels translated, values as text.

`frameworks.services.framework_version_diff` computes the diff; this module only shapes it, so the
publish and diff pages (`frameworks/admin_views.py`) stay thin.
"""

from django.utils.translation import gettext_lazy as _

# Names of the fields a diff reports, as people read them.
FIELD_LABELS = {
    "label": _("label"),
    "notes.zh": _("change notes (Chinese)"),
    "notes.en": _("change notes (English)"),
    "label.zh": _("label (Chinese)"),
    "label.en": _("label (English)"),
    "title.zh": _("title (Chinese)"),
    "title.en": _("title (English)"),
    "guidance.zh": _("guidance (Chinese)"),
    "guidance.en": _("guidance (English)"),
    "description.zh": _("description (Chinese)"),
    "description.en": _("description (English)"),
    "recommendation.zh": _("recommendation (Chinese)"),
    "recommendation.en": _("recommendation (English)"),
    "weight": _("weight"),
    "kind": _("kind"),
    "polarity": _("polarity"),
    "source": _("source"),
    "registers": _("registers"),
    "informs": _("informs"),
    "levels": _("rubric levels"),
    "dimension": _("dimension"),
    "framework.name.zh": _("name (Chinese)"),
    "framework.name.en": _("name (English)"),
    "framework.description.zh": _("description (Chinese)"),
    "framework.description.en": _("description (English)"),
    "framework.source.author": _("source author"),
    "framework.source.title.zh": _("source title (Chinese)"),
    "framework.source.title.en": _("source title (English)"),
    "framework.source.reference": _("source reference"),
}


def _display(value) -> str:
    """A diffed value as text: rubric levels one per line, lists comma-separated."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "\n".join(
                f"{level['value']}: {level['description']['zh']} / {level['description']['en']}"
                for level in value
            )
        return ", ".join(str(v) for v in value)
    return str(value)


def field_rows(changes) -> list[dict]:
    """One row per changed field: its label as people read it, the old and the new value."""
    return [
        {
            "label": FIELD_LABELS.get(change.field, change.field),
            "old": _display(change.old),
            "new": _display(change.new),
        }
        for change in changes
    ]


def section_context(section_diff) -> dict:
    """One section of the diff (scale, dimensions or items): added, removed, changed, count."""
    return {
        "added": section_diff.added,
        "removed": section_diff.removed,
        "changed": [
            {"code": entry.code, "entry": entry.new, "fields": field_rows(entry.fields)}
            for entry in section_diff.changed
        ],
        "count": len(section_diff.added) + len(section_diff.removed) + len(section_diff.changed),
    }


def diff_context(diff, base) -> dict:
    """The diff shaped for the templates: labels translated, values as text."""
    return {
        "base": base,
        "diff": diff,
        "version_changes": field_rows(diff.version),
        "sections": [
            (_("Scale"), section_context(diff.scale)),
            (_("Dimensions"), section_context(diff.dimensions)),
            (_("Items"), section_context(diff.items)),
        ],
    }

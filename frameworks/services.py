"""Writes to frameworks: import a file as a draft, publish, retire, copy into a new draft; and diff.

A published version is never edited: changes go into a new draft, which is published in turn.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frameworks.io import FrameworkFileError, validate_framework_data, version_to_dict
from frameworks.models import (
    Criterion,
    CriterionLevel,
    Dimension,
    Framework,
    FrameworkVersion,
    ScaleLevel,
)


class FrameworkVersionError(Exception):
    """A lifecycle step that the version's state does not allow; `message` is safe to show."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def _next_number(framework: Framework) -> int:
    last = framework.versions.aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def _locked_version(version: FrameworkVersion) -> FrameworkVersion:
    """The stored row, locked for this transaction, so two admins can't publish at once."""
    return (
        FrameworkVersion.objects.select_for_update().select_related("framework").get(pk=version.pk)
    )


def _texts_of(meta: dict) -> dict:
    """The `framework:` section of a file as FrameworkTexts fields."""
    return {
        "name_zh": meta["name"]["zh"],
        "name_en": meta["name"]["en"],
        "description_zh": meta["description"]["zh"],
        "description_en": meta["description"]["en"],
        "source_author": meta["source"]["author"],
        "source_title_zh": meta["source"]["title"]["zh"],
        "source_title_en": meta["source"]["title"]["en"],
        "source_reference": meta["source"]["reference"],
    }


def _show_texts_of_latest(framework: Framework) -> None:
    """Give the framework the texts of its latest published version.

    Without one (a new framework, or all retired), the latest retired version, then the
    latest draft: something must name the framework in the admin until a version is published.
    """
    rank = {
        FrameworkVersion.Status.PUBLISHED: 0,
        FrameworkVersion.Status.RETIRED: 1,
        FrameworkVersion.Status.DRAFT: 2,
    }
    versions = list(framework.versions.all())
    if not versions:
        return
    shown = min(versions, key=lambda v: (rank[v.status], -v.number))
    texts = shown.texts()
    if framework.texts() != texts:
        for name, value in texts.items():
            setattr(framework, name, value)
        framework.save(update_fields=list(texts))


@transaction.atomic
def framework_import(*, data: dict, user=None) -> FrameworkVersion:
    """A new draft version from a parsed framework file; the framework is created if new.

    The draft carries the file's name, description and source. The framework itself shows
    those of its latest published version, so a draft renames nothing until it is published.
    Existing versions are never touched. The draft's parent is the latest published version.
    """
    data = validate_framework_data(data)
    meta = data["framework"]
    texts = _texts_of(meta)
    framework, _created = Framework.objects.select_for_update().get_or_create(
        code=meta["code"], defaults=texts
    )
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=_next_number(framework),
        label=data["version"]["label"],
        notes_zh=data["version"]["notes"]["zh"],
        notes_en=data["version"]["notes"]["en"],
        parent=framework.latest_published(),
        **texts,
    )
    _create_content(version, data)
    _show_texts_of_latest(framework)
    return version


def _create_content(version: FrameworkVersion, data: dict) -> None:
    ScaleLevel.objects.bulk_create(
        ScaleLevel(
            version=version,
            value=level["value"],
            label_zh=level["label"]["zh"],
            label_en=level["label"]["en"],
            description_zh=level["description"]["zh"],
            description_en=level["description"]["en"],
        )
        for level in data["scale"]
    )
    for dorder, dim in enumerate(data["dimensions"]):
        dimension = Dimension.objects.create(
            version=version,
            code=dim["code"],
            order=dorder,
            title_zh=dim["title"]["zh"],
            title_en=dim["title"]["en"],
            guidance_zh=dim["guidance"]["zh"],
            guidance_en=dim["guidance"]["en"],
            source_ref=dim["source"],
            weight=Decimal(str(dim["weight"])),
            registers=list(dim["registers"]),
            informs=list(dim["informs"]),
        )
        for iorder, item in enumerate(dim["items"]):
            criterion = Criterion.objects.create(
                dimension=dimension,
                code=item["code"],
                order=iorder,
                kind=item["kind"],
                polarity=item.get("polarity", "positive"),
                title_zh=item["title"]["zh"],
                title_en=item["title"]["en"],
                guidance_zh=item["guidance"]["zh"],
                guidance_en=item["guidance"]["en"],
                weight=Decimal(str(item["weight"])),
                source_ref=item["source"],
                recommendation_zh=item["recommendation"]["zh"],
                recommendation_en=item["recommendation"]["en"],
            )
            CriterionLevel.objects.bulk_create(
                CriterionLevel(
                    criterion=criterion,
                    value=level["value"],
                    description_zh=level["description"]["zh"],
                    description_en=level["description"]["en"],
                )
                for level in item["levels"]
            )


@transaction.atomic
def framework_version_publish(*, version: FrameworkVersion) -> FrameworkVersion:
    """Freeze a draft. Its content is checked against the file schema first (admins edit drafts)."""
    version = _locked_version(version)
    if not version.is_draft:
        raise FrameworkVersionError(_("Only a draft can be published."))
    try:
        validate_framework_data(version_to_dict(version))
    except FrameworkFileError as exc:
        raise FrameworkVersionError(
            _("This draft can't be published yet: %(errors)s") % {"errors": "; ".join(exc.errors)}
        ) from exc
    version.status = FrameworkVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save()
    _show_texts_of_latest(version.framework)
    return version


@transaction.atomic
def framework_version_retire(*, version: FrameworkVersion) -> FrameworkVersion:
    """Take a published version out of use for new assessments; existing ones keep it."""
    version = _locked_version(version)
    if version.status != FrameworkVersion.Status.PUBLISHED:
        raise FrameworkVersionError(_("Only a published version can be retired."))
    version.status = FrameworkVersion.Status.RETIRED
    version.save()
    _show_texts_of_latest(version.framework)
    return version


def _next_label(label: str) -> str:
    """1.0 → 1.1, 2026.1 → 2026.2; anything else is kept for the admin to rename."""
    match = re.fullmatch(r"(.*?)(\d+)", label)
    if not match:
        return label
    return f"{match.group(1)}{int(match.group(2)) + 1}"


@transaction.atomic
def framework_version_new_draft(*, version: FrameworkVersion) -> FrameworkVersion:
    """A draft copy of `version` (scale, dimensions, items, rubrics) with `version` as its parent."""
    source = FrameworkVersion.objects.select_related("framework").get(pk=version.pk)
    framework = Framework.objects.select_for_update().get(pk=source.framework_id)
    draft = FrameworkVersion.objects.create(
        framework=framework,
        number=_next_number(framework),
        label=_next_label(source.label),
        parent=source,
        **source.texts(),
    )
    data = version_to_dict(source)
    _create_content(draft, data)
    return draft


# --- Diff --------------------------------------------------------------------------------


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class EntryChange:
    code: str
    old: dict
    new: dict
    fields: list[FieldChange]


@dataclass
class SectionDiff:
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[EntryChange] = field(default_factory=list)

    def __bool__(self):
        return bool(self.added or self.removed or self.changed)


@dataclass
class VersionDiff:
    version: list[FieldChange]
    scale: SectionDiff
    dimensions: SectionDiff
    items: SectionDiff

    @property
    def is_empty(self) -> bool:
        return not (self.version or self.scale or self.dimensions or self.items)


def _flatten(entry: dict, prefix: str = "") -> dict:
    """{'title': {'zh': …}} → {'title.zh': …}; lists (rubric levels, registers) stay whole."""
    flat = {}
    for key, value in entry.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _compare(old: dict, new: dict, *, skip=()) -> list[FieldChange]:
    old_flat, new_flat = _flatten(old), _flatten(new)
    return [
        FieldChange(key, old_flat.get(key), new_flat.get(key))
        for key in dict.fromkeys([*old_flat, *new_flat])
        if key not in skip and old_flat.get(key) != new_flat.get(key)
    ]


def _section(old: dict, new: dict, *, skip=()) -> SectionDiff:
    diff = SectionDiff(
        added=[entry for key, entry in new.items() if key not in old],
        removed=[entry for key, entry in old.items() if key not in new],
    )
    for key, entry in new.items():
        if key in old:
            fields = _compare(old[key], entry, skip=skip)
            if fields:
                diff.changed.append(EntryChange(str(key), old[key], entry, fields))
    return diff


def _items_by_code(data: dict) -> dict:
    return {
        item["code"]: {**item, "dimension": dim["code"]}
        for dim in data["dimensions"]
        for item in dim["items"]
    }


def framework_version_diff(*, old: FrameworkVersion | None, new: FrameworkVersion) -> VersionDiff:
    """What changed from `old` to `new`: scale levels by value, dimensions and items by code."""
    new_data = version_to_dict(new)
    old_data = (
        version_to_dict(old) if old is not None else {"version": {}, "scale": [], "dimensions": []}
    )
    return VersionDiff(
        # The framework's texts are the version's own: a rename shows up as a change.
        version=_compare(old_data["version"], new_data["version"])
        + _compare(
            {"framework": old_data.get("framework", {})},
            {"framework": new_data["framework"]},
            skip=("framework.code",),
        ),
        scale=_section(
            {level["value"]: level for level in old_data["scale"]},
            {level["value"]: level for level in new_data["scale"]},
        ),
        dimensions=_section(
            {dim["code"]: dim for dim in old_data["dimensions"]},
            {dim["code"]: dim for dim in new_data["dimensions"]},
            skip=("items",),
        ),
        items=_section(_items_by_code(old_data), _items_by_code(new_data)),
    )

"""A framework version's structure (dimensions, items, rubrics, scale), read once per process.

A published (or retired) version is frozen: the models refuse any change to its dimensions,
items, rubrics and scale (frameworks/models.py). So its structure is loaded once per process and
kept, keyed by the version's id: the wizard, the autosave and the re-scoring read it without a
query. A draft is still being edited: its structure is read from the database on every call and
never kept, so an edit is seen at once.

    structure = version_structure(assessment.version_id)
    structure.dimensions              # in step order
    structure.criteria_in(dimension_id)
    structure.criterion("SF-1.1")     # by code, or None
    structure.scale                   # the scale's levels, lowest first

The objects it holds are shared between requests (and threads): read them, never set
attributes on them. `dimension_copies()` gives dimensions a page may annotate.
Saving or deleting a FrameworkVersion forgets what was kept for it (`forget`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save

from frameworks.models import (
    FROZEN_STATUSES,
    Criterion,
    CriterionLevel,
    Dimension,
    FrameworkVersion,
    ScaleLevel,
)


@dataclass(frozen=True)
class VersionStructure:
    """One version's dimensions, items (with their rubric levels) and scale, in display order."""

    version_id: int
    frozen: bool
    dimensions: tuple[Dimension, ...]
    criteria: tuple[Criterion, ...]
    scale: tuple[ScaleLevel, ...]
    _by_code: dict = field(default_factory=dict, repr=False, compare=False)
    _by_id: dict = field(default_factory=dict, repr=False, compare=False)
    _by_dimension: dict = field(default_factory=dict, repr=False, compare=False)

    def criterion(self, code: str) -> Criterion | None:
        return self._by_code.get(code)

    def criterion_by_id(self, pk: int) -> Criterion | None:
        return self._by_id.get(pk)

    def criteria_in(self, dimension_id: int) -> list[Criterion]:
        """The items of one dimension, in their order on the step."""
        return list(self._by_dimension.get(dimension_id, ()))

    def dimension_copies(self) -> list[Dimension]:
        """The dimensions as copies a caller may set attributes on (progress, numbers)."""
        return [copy.copy(d) for d in self.dimensions]

    @property
    def scale_values(self) -> list[int]:
        return [level.value for level in self.scale]

    def dimension_weights(self) -> list[tuple[str, Decimal]]:
        """(code, weight) of each dimension, in step order: what the scorer weighs them by."""
        return [(d.code, d.weight) for d in self.dimensions]


_KEPT: dict[int, VersionStructure] = {}


def version_structure(version_id: int) -> VersionStructure:
    """The structure of a version: kept after the first read when frozen, read anew when a draft."""
    kept = _KEPT.get(version_id)
    if kept is not None:
        return kept
    structure = _load(version_id)
    if structure.frozen:
        _KEPT[version_id] = structure
    return structure


def forget(version_id: int | None = None) -> None:
    """Drop what is kept for one version (or for all): the next read goes to the database."""
    if version_id is None:
        _KEPT.clear()
    else:
        _KEPT.pop(version_id, None)


def _load(version_id: int) -> VersionStructure:
    """Five queries: the version's status, its dimensions, items, their rubrics, the scale."""
    status = FrameworkVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()
    dimensions = tuple(Dimension.objects.filter(version_id=version_id).order_by("order", "code"))
    by_pk = {d.pk: d for d in dimensions}
    criteria = tuple(
        Criterion.objects.filter(version_id=version_id)
        .order_by("dimension__order", "dimension__code", "order", "code")
        .prefetch_related(Prefetch("levels", queryset=CriterionLevel.objects.order_by("value")))
    )
    by_dimension: dict[int, list[Criterion]] = {}
    for criterion in criteria:
        criterion.dimension = by_pk[criterion.dimension_id]  # spares a query on access
        by_dimension.setdefault(criterion.dimension_id, []).append(criterion)
    return VersionStructure(
        version_id=version_id,
        frozen=status in FROZEN_STATUSES,
        dimensions=dimensions,
        criteria=criteria,
        scale=tuple(ScaleLevel.objects.filter(version_id=version_id).order_by("value")),
        _by_code={c.code: c for c in criteria},
        _by_id={c.pk: c for c in criteria},
        _by_dimension={pk: tuple(items) for pk, items in by_dimension.items()},
    )


def _forget_version(sender, instance, **kwargs):
    # A new version may reuse the id of a deleted one (tests roll back and SQLite reuses ids);
    # a published one may retire. Either way the next read starts afresh.
    forget(instance.pk)


post_save.connect(_forget_version, sender=FrameworkVersion, dispatch_uid="structure_forget_save")
post_delete.connect(
    _forget_version, sender=FrameworkVersion, dispatch_uid="structure_forget_delete"
)

"""The one optimistic-lock save behind every editable row ("No lost edits", docs/architecture.md).

A save names the version it was loaded from. `lock_versioned` refuses early when the stored row
has moved on; `save_versioned` does the write with `filter(pk, version=expected).update(...)`,
so that of two saves from the same version exactly one wins, on SQLite and PostgreSQL alike.
"""

from django.utils import timezone

from casework.services.errors import EditConflict


def _same(name, stored, new) -> bool:
    return stored == new


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def lock_versioned(
    queryset, *, expected_version: int | None, version_field: str = "version", check=None
):
    """The one row of `queryset`, locked for update, if it is still at `expected_version`.

    Raises the model's DoesNotExist when there is no such row, EditConflict (with the stored row)
    when someone saved it since. `expected_version=None` locks without comparing. `check`, when
    given, is called with the locked row before the comparison: a refusal it raises (say, an
    archived case) comes first.
    """
    row = queryset.select_for_update().first()
    if row is None:
        raise queryset.model.DoesNotExist
    if check is not None:
        check(row)
    if expected_version is not None and getattr(row, version_field) != expected_version:
        raise EditConflict(current=row)
    return row


def save_versioned(
    row,
    *,
    expected_version: int,
    changes: dict,
    user=None,
    version_field: str = "version",
    skip_unchanged: bool = True,
    same=_same,
    record_history: bool = True,
    refetch=None,
) -> bool:
    """Write `changes` to `row` if its stored version is still `expected_version`.

    False (and nothing written) when `skip_unchanged` and every value is already stored, as
    judged by `same(name, stored, new)`. Otherwise the conditional UPDATE bumps the version, sets
    `updated_at` / `updated_by` where the model has them, and with `record_history` a save()
    leaves one history entry by `user`. The loser of a race gets EditConflict with the stored row
    (read through `refetch`, a queryset, when given).
    """
    if skip_unchanged and all(same(n, getattr(row, n), v) for n, v in changes.items()):
        return False
    model = type(row)
    stamps = {}
    if _has_field(model, "updated_at"):
        stamps["updated_at"] = timezone.now()
    if user is not None and _has_field(model, "updated_by"):
        stamps["updated_by"] = user
    won = model._default_manager.filter(pk=row.pk, **{version_field: expected_version}).update(
        **{version_field: expected_version + 1}, **stamps, **changes
    )
    if not won:
        source = refetch if refetch is not None else model._default_manager
        raise EditConflict(current=source.get(pk=row.pk))
    for name, value in {**changes, **stamps}.items():
        setattr(row, name, value)
    setattr(row, version_field, expected_version + 1)
    if record_history:
        # save() writes the same values again and makes simple-history record one entry by `user`.
        row._history_user = user
        row.save()
    return True

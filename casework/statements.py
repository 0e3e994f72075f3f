"""Plain SQL for the autosave's few statements: built once per process, values prepared by the
model fields.

An autosave runs about eight statements; through the ORM each costs more Python (building,
resolving and compiling the query) than the database takes to run it. These helpers write the
same SQL the ORM would, on SQLite and PostgreSQL alike (`INSERT ... ON CONFLICT ... DO UPDATE`
and `FOR UPDATE` exist on both, or are left out where SQLite's whole-database write lock
already does their work), with the table and column names read from the models and every value
put through its field's `get_db_prep_save`, as the ORM does (JSON, datetimes, booleans).
They run on `django.db.connection`, so they count as queries and take part in transactions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection, connections


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _field(model, name: str):
    return model._meta.get_field(name)


def column(model, name: str) -> str:
    """The quoted column of a model field."""
    return quote(_field(model, name).column)


def prepared(model, names, values) -> list:
    """The values as the database takes them, each through its model field."""
    db = connections[DEFAULT_DB_ALIAS]  # once: `connection` looks itself up on every use
    fields = model._meta.get_field
    return [
        fields(name).get_db_prep_save(value, db) for name, value in zip(names, values, strict=True)
    ]


def fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params) -> int:
    """Run one statement; returns the rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@cache
def _select_sql(vendor: str, model, names: tuple, where: tuple, lock: bool) -> str:
    table = quote(model._meta.db_table)
    columns = ", ".join(column(model, n) for n in names)
    conditions = " AND ".join(f"{column(model, n)} = %s" for n in where)
    sql = f"SELECT {columns} FROM {table} WHERE {conditions}"
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    return sql


def select(model, names: tuple, where: dict, *, lock: bool = False) -> list[tuple]:
    """Rows of `names` (raw database values) where each of `where` equals its value.

    `lock=True` locks them for update where the database can (PostgreSQL); SQLite's write
    transaction (IMMEDIATE, casework.settings) already holds the whole database.
    """
    keys = tuple(where)
    sql = _select_sql(connection.vendor, model, tuple(names), keys, lock)
    return fetch(sql, prepared(model, keys, where.values()))


@cache
def _update_sql(vendor: str, model, names: tuple, where: tuple) -> str:
    table = quote(model._meta.db_table)
    sets = ", ".join(f"{column(model, n)} = %s" for n in names)
    conditions = " AND ".join(f"{column(model, n)} = %s" for n in where)
    return f"UPDATE {table} SET {sets} WHERE {conditions}"


def update(model, values: dict, where: dict) -> int:
    """UPDATE `values` where each of `where` equals its value; returns the rows changed."""
    sql = _update_sql(connection.vendor, model, tuple(values), tuple(where))
    params = prepared(model, values, values.values()) + prepared(model, where, where.values())
    return execute(sql, params)


@cache
def _insert_sql(vendor: str, model, names: tuple, rows: int, unique: tuple, update: tuple) -> str:
    table = quote(model._meta.db_table)
    columns = ", ".join(column(model, n) for n in names)
    row = "(" + ", ".join(["%s"] * len(names)) + ")"
    sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * rows)}"
    if unique:
        targets = ", ".join(column(model, n) for n in unique)
        sets = ", ".join(f"{column(model, n)} = excluded.{column(model, n)}" for n in update)
        sql += f" ON CONFLICT ({targets}) DO UPDATE SET {sets}"
    return sql


def insert(model, names: tuple, rows: list, *, unique: tuple = (), update: tuple = ()) -> None:
    """INSERT `rows` (tuples of `names`); with `unique`, rows that exist get `update` instead.

    The upsert bulk_create(update_conflicts=True) writes, without reading ids back.
    """
    if not rows:
        return
    names = tuple(names)
    sql = _insert_sql(connection.vendor, model, names, len(rows), tuple(unique), tuple(update))
    params = []
    for row in rows:
        params += prepared(model, names, row)
    execute(sql, params)


@cache
def _converters(vendor: str, model, names: tuple) -> list:
    """Per column that has any, the converters the ORM would apply to its raw value (backend,
    then field), as (index, column, converters)."""
    found = []
    for index, name in enumerate(names):
        column = _field(model, name).get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if converters:
            found.append((index, column, converters))
    return found


def converted(model, names: tuple, row) -> list:
    """A raw row of `names` as the ORM would hand it over (booleans, datetimes, JSON)."""
    db = connections[DEFAULT_DB_ALIAS]
    values = list(row)
    for index, column, converters in _converters(db.vendor, model, names):
        value = values[index]
        for converter in converters:
            value = converter(value, column, db)
        values[index] = value
    return values


@cache
def _objects_sql(vendor: str, model, where: tuple, order: tuple) -> tuple[str, tuple, tuple]:
    """The SELECT of a model's whole rows, with the field names and attnames it reads."""
    fields = model._meta.concrete_fields
    names = tuple(f.name for f in fields)
    table = quote(model._meta.db_table)
    columns = ", ".join(column(model, n) for n in names)
    conditions = " AND ".join(f"{column(model, n)} = %s" for n in where)
    sql = f"SELECT {columns} FROM {table} WHERE {conditions}"
    if order:
        sql += " ORDER BY " + ", ".join(column(model, n) for n in order)
    return sql, names, tuple(f.attname for f in fields)


def rows(model, where: dict, *, order: tuple = ()) -> list[list]:
    """`objects`' rows as values (every concrete field, in `model._meta.concrete_fields`'
    order, converted), for a caller that makes instances of only some (`instance`)."""
    keys = tuple(where)
    sql, names, _ = _objects_sql(connection.vendor, model, keys, tuple(order))
    return [
        converted(model, names, row) for row in fetch(sql, prepared(model, keys, where.values()))
    ]


def instance(model, values: list):
    """A model instance of one of `rows`' rows, as the ORM makes it (`Model.from_db`)."""
    attnames = _attnames(model)
    return model.from_db(connections[DEFAULT_DB_ALIAS].alias, attnames, values)


@cache
def _attnames(model) -> tuple:
    return tuple(f.attname for f in model._meta.concrete_fields)


def objects(model, where: dict, *, order: tuple = ()) -> list:
    """`model._base_manager.filter(**where).order_by(*order)` as model instances, from SQL
    built once per process: every concrete field, converted as the ORM converts it, and
    made by `Model.from_db` (so deferred loading, `_state` and `refresh_from_db` behave).

    For the hot reads of whole rows by a key or two; no related objects are loaded.
    """
    keys = tuple(where)
    sql, names, attnames = _objects_sql(connection.vendor, model, keys, tuple(order))
    alias = connections[DEFAULT_DB_ALIAS].alias
    return [
        model.from_db(alias, attnames, converted(model, names, row))
        for row in fetch(sql, prepared(model, keys, where.values()))
    ]


@dataclass(frozen=True)
class _Join:
    """One model of a joined read: where it hangs (`parent` index, the relation's field) and
    the slice of the row its columns take."""

    model: type
    parent: int | None
    relation: object
    start: int
    names: tuple
    attnames: tuple


@cache
def _joined_sql(vendor: str, model, related: tuple, where: tuple) -> tuple[str, tuple]:
    """The SELECT of `model`'s rows with `related` (select_related's paths: forward foreign
    keys and one-to-ones, reverse one-to-ones), each model's whole row, joined as the ORM
    joins them: INNER where the relation cannot be missing, LEFT OUTER where it can."""
    joins, columns, clauses = [], [], []
    by_path: dict[str, int] = {}

    def add(model, parent, relation, alias) -> int:
        fields = model._meta.concrete_fields
        joins.append(
            _Join(
                model,
                parent,
                relation,
                len(columns),
                tuple(f.name for f in fields),
                tuple(f.attname for f in fields),
            )
        )
        columns.extend(f"{alias}.{quote(f.column)}" for f in fields)
        return len(joins) - 1

    add(model, None, None, "t0")
    outer = {0: False}
    for path in sorted(related, key=lambda p: p.count("__")):
        head, _, name = path.rpartition("__")
        parent = by_path[head] if head else 0
        parent_model, parent_alias = joins[parent].model, f"t{parent}"
        relation = parent_model._meta.get_field(name)
        alias = f"t{len(joins)}"
        table = quote(relation.related_model._meta.db_table)
        if relation.concrete:  # forward: this row's key names the other's
            target = relation.target_field
            on = f"{alias}.{quote(target.column)} = {parent_alias}.{quote(relation.column)}"
            left = outer[parent] or relation.null
        else:  # reverse one-to-one: the other row's key names this one
            remote = relation.field
            on = (
                f"{alias}.{quote(remote.column)} = "
                f"{parent_alias}.{quote(remote.target_field.column)}"
            )
            left = True
        clauses.append(f"{'LEFT OUTER' if left else 'INNER'} JOIN {table} {alias} ON {on}")
        index = add(relation.related_model, parent, relation, alias)
        outer[index] = left
        by_path[path] = index
    conditions = " AND ".join(f"t0.{column(model, n)} = %s" for n in where)
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} t0 "
        f"{' '.join(clauses)} WHERE {conditions}"
    )
    return sql, tuple(joins)


def joined(model, related: tuple, where: dict) -> list:
    """`model._base_manager.select_related(*related).filter(**where)` as model instances, from
    SQL built once per process: each related object made by `Model.from_db` and cached on its
    parent as select_related caches it (a missing one as None: a reverse one-to-one then
    raises DoesNotExist, a nullable key reads None)."""
    keys = tuple(where)
    sql, joins = _joined_sql(connection.vendor, model, tuple(related), keys)
    alias = connections[DEFAULT_DB_ALIAS].alias
    found = []
    for row in fetch(sql, prepared(model, keys, where.values())):
        made = []
        for join in joins:
            values = row[join.start : join.start + len(join.names)]
            pk_index = join.attnames.index(join.model._meta.pk.attname)
            if values[pk_index] is None:
                obj = None
            else:
                obj = join.model.from_db(
                    alias, join.attnames, converted(join.model, join.names, values)
                )
            made.append(obj)
            if join.parent is None:
                continue
            parent = made[join.parent]
            if parent is None:
                continue
            join.relation.set_cached_value(parent, obj)
            if obj is not None and not join.relation.concrete:
                join.relation.field.set_cached_value(obj, parent)  # the reverse's own key
        found.append(made[0])
    return found

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
    """Per column, the converters the ORM would apply to its raw value (backend, then field)."""
    found = []
    for name in names:
        column = _field(model, name).get_col(model._meta.db_table)
        found.append(
            (
                column,
                connection.ops.get_db_converters(column) + column.get_db_converters(connection),
            )
        )
    return found


def converted(model, names: tuple, row) -> list:
    """A raw row of `names` as the ORM would hand it over (booleans, datetimes, JSON)."""
    db = connections[DEFAULT_DB_ALIAS]
    values = []
    for value, (column, converters) in zip(row, _converters(db.vendor, model, names), strict=True):
        for converter in converters:
            value = converter(value, column, db)
        values.append(value)
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

"""The two full-text engines behind one interface: SQLite FTS5 and PostgreSQL text search.

Both read the pre-segmented `SearchEntry.text` (casework/search/segment.py) and only split it
on spaces, so a query matches the same rows on either database. Scope and filters stay a Django
queryset; the engine adds "matches the query" and the rank.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from casework.search import segment

TABLE = "search_searchentry"
FTS = "search_searchentry_fts"

SQLITE_SETUP = [
    # External content: FTS5 keeps only its index; the text lives in the entry table.
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5("
    f"text, content='{TABLE}', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_insert AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_delete AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_update AFTER UPDATE OF text ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {FTS}(rowid, text) VALUES (new.id, new.text); END",
]
SQLITE_TEARDOWN = [
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TABLE IF EXISTS {FTS}",
]
# A stored tsvector column that Django does not know about: PostgreSQL fills it on every write,
# so neither the GIN index's recheck nor the rank re-parses the text (a search over 20,000
# entries took 5–8 s with an expression index, 0.17 s with this column).
POSTGRES_INDEX = "search_entry_vector_gin"
POSTGRES_VECTOR = f'"{TABLE}"."vector"'
POSTGRES_SETUP = [
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED",
    f"CREATE INDEX IF NOT EXISTS {POSTGRES_INDEX} ON {TABLE} USING gin (vector)",
]
POSTGRES_TEARDOWN = [
    f"DROP INDEX IF EXISTS {POSTGRES_INDEX}",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS vector",
]


def install(schema_editor=None) -> None:
    """Create the engine's index (idempotent): from the migration and `reindex_search`."""
    conn = schema_editor.connection if schema_editor else connection
    statements = {"sqlite": SQLITE_SETUP, "postgresql": POSTGRES_SETUP}.get(conn.vendor, [])
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # Even CREATE INDEX IF NOT EXISTS fails in a transaction with pending FK checks.
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [POSTGRES_INDEX])
            if cursor.fetchone():
                return
        for statement in statements:
            cursor.execute(statement)


def uninstall(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor else connection
    statements = {"sqlite": SQLITE_TEARDOWN, "postgresql": POSTGRES_TEARDOWN}.get(conn.vendor, [])
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def rebuild() -> None:
    """Re-read every entry into the engine's index (FTS5 only; PostgreSQL indexes as it writes)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")


def matching(entries: QuerySet, terms: list[segment.Term]) -> QuerySet:
    """The entries whose text holds every term.

    The match is a subquery of its own on both engines, never a condition on the outer row's
    column, so that the result may sit inside another query (the search folds copies in one).
    """
    if connection.vendor == "sqlite":
        ids = RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", (segment.fts5_query(terms),))
    else:
        ids = RawSQL(
            f"SELECT id FROM {TABLE} WHERE vector @@ to_tsquery('simple', %s)",
            (segment.tsquery(terms),),
        )
    return entries.filter(pk__in=ids)


def ranked_ids(entries: QuerySet, terms: list[segment.Term], *, offset: int, limit: int) -> list:
    """Ids of the matching entries, best first, one page of them."""
    if connection.vendor == "sqlite":
        scope_sql, scope_params = entries.values("pk").query.sql_with_params()
        # "+rowid": without the plus SQLite hands the id list to FTS5, which then runs the
        # match once per id (74 s instead of 57 ms for 1,600 matches among 20,000 entries).
        sql = (
            f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s AND +rowid IN ({scope_sql}) "
            "ORDER BY rank, rowid DESC LIMIT %s OFFSET %s"
        )
        params = (segment.fts5_query(terms), *scope_params, limit, offset)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]
    rank = RawSQL(
        f"ts_rank({POSTGRES_VECTOR}, to_tsquery('simple', %s))",
        (segment.tsquery(terms),),
        output_field=FloatField(),
    )
    page = (
        matching(entries, terms)
        .annotate(rank=rank)
        .order_by(F("rank").desc(), "-pk")
        .values_list("pk", flat=True)
    )
    return list(page[offset : offset + limit])

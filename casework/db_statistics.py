"""The query planner's statistics on SQLite: gathered when a process first connects, again
every hour it runs, and after bulk loads.

SQLite keeps no statistics unless ANALYZE is run, and without them it guesses that an equality
on any indexed column is selective. At 10,000 cases that guess turns the "latest round with
this status" subquery (readmodel.latest_rounds) and the case list's sort by score into
scans of every round for every round: 10–20 s each, against 4–30 ms with statistics
(bench/RESULTS.md). ANALYZE with `analysis_limit` samples a bounded number of rows per index,
so it costs about 70 ms at 10,000 cases and does not grow with the data.

PostgreSQL gathers its own statistics (autovacuum), so all of this is SQLite only.
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, connections
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

ANALYSIS_LIMIT = 400  # rows sampled per index (SQLite's own recommended value)
EVERY_SECONDS = 3600
_last_run: dict[str, float] = {}  # database alias → time.monotonic() of this process's last run


def refresh(using: str = "default") -> bool:
    """Gather the planner's statistics now; True when it ran (SQLite only)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
    except DatabaseError:  # a read-only file, a database locked past the timeout
        logger.warning("ANALYZE failed; the query planner keeps its old statistics", exc_info=True)
        return False
    _last_run[using] = time.monotonic()
    return True


def _on_connect(sender, connection, **kwargs) -> None:
    """On a new SQLite connection: gather statistics if this process has not for an hour.

    A connection is made per request when connections are not kept, so the check is a clock
    read; the ANALYZE itself runs once per process start and then at most once an hour.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    last = _last_run.get(connection.alias)
    if last is not None and time.monotonic() - last < EVERY_SECONDS:
        return
    _last_run[connection.alias] = time.monotonic()  # also when it fails: don't retry per request
    refresh(connection.alias)


def connect() -> None:
    connection_created.connect(_on_connect, dispatch_uid="casework.db_statistics")

"""SQLite's query planner gets statistics: when a process first connects, hourly, after loads."""

import pytest
from django.db import connection

from casework import db_statistics

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL gathers its own statistics"
)


def stat_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return set()
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


@sqlite_only
@pytest.mark.django_db
def test_refresh_gathers_statistics_for_the_tables_that_hold_rows(alice_case):
    assert db_statistics.refresh() is True
    assert {"casework_case", "casework_orgunit"} <= stat_tables()


@pytest.mark.django_db
def test_refresh_is_left_to_postgresql_itself(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    assert db_statistics.refresh() is False


@sqlite_only
@pytest.mark.django_db
def test_a_new_connection_gathers_them_once_then_not_again_within_the_hour(monkeypatch):
    runs = []
    monkeypatch.setattr(db_statistics, "refresh", runs.append)
    monkeypatch.setattr(db_statistics, "_last_run", {})
    clock = iter([1000.0, 1000.0 + 60, 1000.0 + 3601, 1000.0 + 3601])
    monkeypatch.setattr(db_statistics.time, "monotonic", lambda: next(clock))

    def connect():
        db_statistics._on_connect(sender=None, connection=FakeSQLite())

    connect()  # first connection of the process: gathers
    connect()  # a minute later: nothing
    connect()  # an hour later: gathers again
    assert runs == ["default", "default"]


class FakeSQLite:
    vendor = "sqlite"
    alias = "default"
    in_atomic_block = False

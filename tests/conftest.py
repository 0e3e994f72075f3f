"""Shared fixtures. The personas, as in every test of this project:

- alice: analyst in the Digital Government Office (unit "dgo")
- bob: manager in the same unit
- charlie: analyst in another unit ("audit"), who must never see alice's cases
- diana: manager in charlie's unit
- ada: administrator (superuser)
"""

import pytest
from django.conf import settings
from django.test import override_settings

from casework.models import Role
from tests import factories


def pytest_collection_modifyitems(items):
    """The longest tests first: the accessibility walk's parts, then the other browser tests.

    `make test` runs two workers that take work from each other's queue when theirs runs out
    (`--dist worksteal`). Started last, one 40-second walk would leave the other worker idle
    at the end; started first, the short tests that follow fill in the gaps. The sort is
    stable, so each module's tests stay together and in their order.
    """

    def cost(item):
        path = str(item.path).replace("\\", "/")
        if "/tests/browser/" not in path:
            return 2
        return 0 if path.endswith("/test_accessibility.py") else 1

    items.sort(key=cost)


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """A cheap hasher for tests: each persona's PBKDF2 hash cost seconds on a busy machine,
    and most of the slowest tests' time was their setup hashing passwords."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def no_collected_static_files(tmp_path_factory):
    """Tests never read the collected static files (`make serve` collects them into
    staticfiles/). whitenoise indexes that directory each time a test client builds its
    middleware: with it present, the API fuzz test took 40 s instead of 17 s."""
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("staticfiles")):
        yield


@pytest.fixture(autouse=True, scope="session")
def seeded_rows_come_back_after_a_flush():
    """The managed sectors, which migration 0008 seeds, are there in every test.

    After a transactional test (the browser tests, the migration tests) Django empties every
    table and sends post_migrate, which brings back content types and permissions but runs no
    data migration. Without this, a test that reads the sectors passed or failed depending on
    whether a transactional test had run before it on the same worker.
    """
    from django.db.models.signals import post_migrate

    def reseed(sender, **kwargs):
        if sender.label == "casework":
            factories.ensure_sectors()

    post_migrate.connect(reseed, dispatch_uid="tests.reseed_sectors")
    yield
    post_migrate.disconnect(dispatch_uid="tests.reseed_sectors")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """The test database: a file on SQLite; on PostgreSQL, commits that don't wait for the disk.

    SQLite: Django's default test database is in memory, and the live server's threads then
    share its one connection. Two requests at once from a browser test (an autosave and the
    step it sits in) could meet on it: "cannot open savepoint - SQL statements in progress",
    or "database table is locked", as flaky 500s and 503s. In a file (one per worker), every
    thread has its own connection and waits on the busy timeout, as the app does.

    PostgreSQL: the test database is thrown away, so a commit's wait for the disk buys nothing
    there. On this machine it was about 4 ms a commit; a browser test commits each save, and
    the tables it filled are emptied and content types and permissions written back after
    it. The app's own connections keep PostgreSQL's default (a commit is on disk before the
    user is told).
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("database") / "test.sqlite3"
        )
    if "postgresql" in database["ENGINE"]:
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(autouse=True, scope="session")
def quick_flush_on_postgresql():
    """Empty the tables after a transactional test with DELETE, not TRUNCATE, on PostgreSQL.

    Django empties every table after each transactional test (the browser tests, the
    migration tests). On PostgreSQL that is one TRUNCATE of every table, which makes new files
    for each table and index: 1.6 s a test on this machine, against 10 ms for DELETE on tables
    that hold a test's few rows (SQLite's flush is DELETE already). The foreign keys are
    deferred, so the order of the DELETEs does not matter; sequences are left alone, as
    Django's own flush leaves them after a test.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    operations = type(connection.ops)
    truncate = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        deletes = [f"DELETE FROM {self.quote_name(table)}" for table in tables]
        return ["SET CONSTRAINTS ALL DEFERRED", *deletes]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "sql_flush", sql_flush)
        yield


@pytest.fixture
def unit_a(db):
    return factories.make_unit("dgo", "数字政府办公室", "Digital Government Office")


@pytest.fixture
def unit_b(db):
    return factories.make_unit("audit", "审计与评估处", "Audit and Evaluation Division")


@pytest.fixture
def alice(unit_a):
    return factories.make_user("alice", unit=unit_a, role=Role.ANALYST)


@pytest.fixture
def bob(unit_a):
    return factories.make_user("bob", unit=unit_a, role=Role.MANAGER)


@pytest.fixture
def charlie(unit_b):
    return factories.make_user("charlie", unit=unit_b, role=Role.ANALYST)


@pytest.fixture
def diana(unit_b):
    return factories.make_user("diana", unit=unit_b, role=Role.MANAGER)


@pytest.fixture
def ada(db):
    return factories.make_user("ada", superuser=True)


@pytest.fixture
def tiny_version(db):
    """A published two-dimension framework version: D1 (weight 1: two scored items, one observation), D2 (weight 2: one scored item)."""
    return factories.make_tiny_framework()


@pytest.fixture
def alice_case(alice, unit_a):
    return factories.make_case(unit=unit_a, owner=alice)


@pytest.fixture
def frameworks(db):
    """Both real frameworks loaded from fixtures/frameworks: {code: published version}."""
    from io import StringIO

    from django.core.management import call_command

    from frameworks.models import FrameworkVersion

    call_command("load_frameworks", stdout=StringIO())
    return {
        version.framework.code: version
        # Ordered by number, so that the latest published version of each framework wins.
        for version in FrameworkVersion.objects.select_related("framework")
        .filter(status=FrameworkVersion.Status.PUBLISHED)
        .order_by("number")
    }


@pytest.fixture(autouse=True)
def report_files(tmp_path_factory):
    """Rendered report files go to a fresh directory per test, never into the work tree."""
    from django.test import override_settings

    location = tmp_path_factory.mktemp("reports")
    storages = {
        **settings.STORAGES,
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
        # Uploaded source documents too (tests/casework/test_documents*.py).
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("documents"))},
        },
    }
    with override_settings(STORAGES=storages):
        yield location


@pytest.fixture(autouse=True)
def forget_framework_structures():
    """Each test starts without kept framework structures: a rolled-back test's version id
    may come back as another version in the next test."""
    from frameworks.structure import forget

    forget()
    yield
    forget()

"""Data that a whole test module reads, written once and undone when the module is done."""

from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction


@contextmanager
def rolled_back(django_db_blocker):
    """Write inside a transaction that is rolled back afterwards (from a module-scoped fixture).

    The module's tests run inside it: each test's own transaction is a savepoint of this one,
    so a test's writes are undone after it and the shared data after the module.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
    cache.clear()

"""A SQLite lock that outlasts the busy timeout: retried briefly, then a 503, never a 500."""

import sqlite3
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from casework import errors
from casework.models import Goal
from casework.services.assessments import assessment_start
from tests.security import locked_urls

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def locked_file(tmp_path):
    """A SQLite file whose write lock another connection holds until the test releases it."""
    path = str(tmp_path / "locked.sqlite3")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE notes (text)")
    holder.execute("BEGIN IMMEDIATE")
    yield path, holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


@pytest.fixture
def no_retry_wait(monkeypatch):
    """Retries without waiting for the lock (deterministic: the lock is held or released)."""

    @contextmanager
    def no_wait():
        yield

    monkeypatch.setattr("casework.middleware.short_busy_timeout", no_wait)


@pytest.mark.urls("tests.security.locked_urls")
@pytest.mark.django_db
def test_a_lock_that_stays_is_retried_then_answered_with_a_503_page(
    client, alice, locked_file, no_retry_wait, settings
):
    path, _holder = locked_file
    locked_urls.calls.clear()
    client.force_login(alice)
    response = client.post(f"/locked/?db={path}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert 'lang="en"' in page and 'data-testid="error-503"' in page
    assert "The database is busy" in page
    assert len(locked_urls.calls) == 1 + settings.DATABASE_LOCKED_RETRIES


@pytest.mark.urls("tests.security.locked_urls")
@pytest.mark.django_db
def test_for_htmx_the_503_is_a_fragment_the_wizard_can_retry_on(
    client, alice, locked_file, no_retry_wait
):
    path, _holder = locked_file
    client.force_login(alice)
    with translation.override("en"):
        response = client.post(f"/locked/?db={path}", **HTMX)
    assert response.status_code == 503
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-cw-error="busy"' in html and 'data-cw-retry-after="2"' in html
    assert response["HX-Trigger"] == '{"cw:retry": {"after": 2}}'


@pytest.mark.urls("tests.security.locked_urls")
@pytest.mark.django_db
def test_a_lock_released_meanwhile_is_saved_by_the_retry(client, alice, locked_file, monkeypatch):
    path, holder = locked_file

    @contextmanager
    def the_other_writer_finishes():
        holder.execute("ROLLBACK")
        yield

    monkeypatch.setattr("casework.middleware.short_busy_timeout", the_other_writer_finishes)
    client.force_login(alice)
    response = client.post(f"/locked/?db={path}")
    assert response.status_code == 200
    assert sqlite3.connect(path).execute("SELECT text FROM notes").fetchall() == [("saved",)]


@pytest.mark.django_db(transaction=True)
def test_a_wizard_save_on_the_locked_app_database_gives_a_503_and_saves_nothing(
    client, alice, alice_case, tiny_version, settings
):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL locks rows, not the database")
    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    client.force_login(alice)
    settings.DATABASE_LOCKED_RETRY_WAIT_MS = 1
    connection.ensure_connection()
    connection.connection.execute("PRAGMA busy_timeout = 1")
    holder = sqlite3.connect(connection.settings_dict["NAME"], uri=True, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        url = reverse("wizard_register", args=[assessment.pk, "goals"])
        response = client.post(url, {"statement": "建成电子证照库"}, **HTMX)
        assert response.status_code == 503
        assert 'data-cw-error="busy"' in response.content.decode()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not Goal.objects.exists()
    assert client.post(url, {"statement": "建成电子证照库"}, **HTMX).status_code == 200
    assert Goal.objects.count() == 1


def test_a_lock_outside_any_view_is_a_503_too():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = errors.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"]


def test_other_database_errors_stay_errors():
    assert not errors.is_database_locked(OperationalError("no such table: casework_case"))
    assert errors.is_database_locked(OperationalError("database is locked"))

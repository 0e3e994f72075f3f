"""Specs for the production shape: /healthz/ and static files served with DEBUG=False."""

import pytest
from django.test import override_settings
from django.urls import reverse

from casework.views import home

REDIS_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}


@pytest.mark.django_db
def test_healthz_checks_the_database_only_when_nothing_else_is_configured(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": {"ok": True}}}


@pytest.mark.django_db
@override_settings(CACHES=REDIS_CACHE, QUEUE_URL="redis://queue.invalid:6379/0")
def test_healthz_checks_cache_and_queue_when_configured(client, monkeypatch):
    monkeypatch.setattr(home, "check_cache", lambda: None)
    monkeypatch.setattr(home, "check_queue", lambda: None)

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "cache", "queue"}


@pytest.mark.django_db
@override_settings(CACHES=REDIS_CACHE, QUEUE_URL="redis://queue.invalid:6379/0")
@pytest.mark.parametrize("failing", ["cache", "queue"])
def test_healthz_answers_503_when_a_check_fails(client, monkeypatch, failing):
    def down():
        raise ConnectionError("connection refused")

    monkeypatch.setattr(home, "check_cache", down if failing == "cache" else lambda: None)
    monkeypatch.setattr(home, "check_queue", down if failing == "queue" else lambda: None)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"][failing] == {"ok": False, "error": "ConnectionError"}
    assert body["checks"]["database"] == {"ok": True}


@override_settings(DEBUG=False, WHITENOISE_USE_FINDERS=True)
def test_whitenoise_serves_static_files_with_debug_off(client):
    response = client.get("/static/js/jobs.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"data-job-start" in b"".join(response.streaming_content)

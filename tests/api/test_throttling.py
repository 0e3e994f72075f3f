"""Throttling counts requests per token: one script's burst does not block another's."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_throttles_each_token_on_its_own(settings, client, alice, key_for):
    settings.API_THROTTLE_RATE = "3/min"
    first, second = key_for(alice), key_for(alice)
    statuses = [
        client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {first}").status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {first}")
    assert refused["Content-Type"] == "application/problem+json"
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["type"] == "urn:casework:problem:throttled"
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200


def test_the_session_is_throttled_per_user(settings, client, alice):
    settings.API_THROTTLE_RATE = "2/min"
    client.force_login(alice)
    assert [client.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 429]

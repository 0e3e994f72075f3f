"""Personal API tokens: shown once, stored hashed, expiring, revocable by the user and the admin."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from casework.api.models import ApiToken
from casework.api.tokens import token_create, token_revoke

pytestmark = pytest.mark.django_db


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_settings_page_shows_a_new_token_once_and_stores_only_its_digest(client, alice):
    client.force_login(alice)
    response = client.post("/account/api-tokens/", {"name": "dashboard", "days": 30})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("cw_") and key in response.content.decode()
    token = ApiToken.objects.get(user=alice)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.name, token.prefix, token.digest}
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    listed = client.get("/account/api-tokens/")
    assert "dashboard" in listed.content.decode()
    assert key not in listed.content.decode()
    assert client.get("/api/v1/me", **bearer(key)).json()["username"] == "alice"


def test_the_settings_page_needs_a_login_and_a_csrf_token(client, alice):
    assert client.get("/account/api-tokens/").status_code == 302
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post("/account/api-tokens/", {"name": "x", "days": 30}).status_code == 403


def test_a_user_revokes_their_token_and_it_stops_working(client, alice):
    created = token_create(user=alice, name="script", days=30)
    assert client.get("/api/v1/me", **bearer(created.key)).status_code == 200
    client.force_login(alice)
    response = client.post(f"/account/api-tokens/{created.token.pk}/revoke/")
    assert response.status_code == 302
    client.logout()
    refused = client.get("/api/v1/me", **bearer(created.key))
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"


def test_nobody_revokes_another_users_token(client, alice, charlie):
    created = token_create(user=alice, name="script", days=30)
    client.force_login(charlie)
    assert client.post(f"/account/api-tokens/{created.token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=created.token.pk).revoked_at is None


def test_expired_tokens_are_refused(client, alice):
    created = token_create(user=alice, name="old", days=1)
    ApiToken.objects.filter(pk=created.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/api/v1/me", **bearer(created.key)).status_code == 401


def test_wrong_and_tampered_keys_are_refused_without_falling_back_to_the_session(client, alice):
    created = token_create(user=alice, name="script", days=30)
    client.force_login(alice)
    for key in ("nonsense", created.key[:-1] + "x", "cw_" + created.token.prefix + "_guess"):
        assert client.get("/api/v1/me", **bearer(key)).status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(client, alice):
    created = token_create(user=alice, name="script", days=30)
    alice.is_active = False
    alice.save()
    assert client.get("/api/v1/me", **bearer(created.key)).status_code == 401


def test_the_admin_lists_and_revokes_tokens(client, ada, alice):
    created = token_create(user=alice, name="script", days=30)
    client.force_login(ada)
    listing = client.get("/admin/api/apitoken/")
    assert listing.status_code == 200
    assert "script" in listing.content.decode()
    response = client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [created.token.pk]},
    )
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=created.token.pk).revoked_at is not None


def test_the_admin_token_list_is_for_administrators_only(client, bob):
    client.force_login(bob)
    assert client.get("/admin/api/apitoken/").status_code == 403


def test_revoking_twice_keeps_the_first_time(alice):
    created = token_create(user=alice, name="script", days=30)
    first = token_revoke(token=created.token).revoked_at
    assert token_revoke(token=created.token).revoked_at == first


def test_the_session_works_with_a_csrf_token_on_writes(alice, draft):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.get("/api/v1/me").status_code == 200
    path = f"/api/v1/assessments/{draft.pk}/submit"
    refused = strict.post(path, "{}", content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:casework:problem:csrf"
    strict.get("/account/api-tokens/")  # sets the CSRF cookie
    token = strict.cookies["csrftoken"].value
    accepted = strict.post(path, "{}", content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200, accepted.content

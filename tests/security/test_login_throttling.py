"""Login throttling (django-axes): lock-out per username and per address, message, admin unlock."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Dozens of logins per test: the real hasher's cost is not what is tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client, username, password, address="10.0.0.1", **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_it_locks_a_username_out_after_repeated_failures_even_with_the_right_password(
    client, alice
):
    for attempt in range(LIMIT):
        # From a new address each time: the username alone is what gets locked.
        response = log_in(client, "alice", "wrong", address=f"10.0.1.{attempt}")
        assert response.status_code in (200, 429)
    response = log_in(client, "alice", "pass-alice", address="10.0.2.1", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert not is_logged_in(client)
    page = response.content.decode()
    assert 'data-testid="locked-out"' in page
    assert "Too many failed logins" in page
    assert 'name="username"' in page and 'value="alice"' in page  # the form is still there


def test_it_locks_an_address_out_after_failures_for_any_usernames(client, alice, bob):
    for attempt in range(LIMIT):
        log_in(client, f"nobody{attempt}", "wrong", address="10.0.3.3")
    assert log_in(client, "alice", "pass-alice", address="10.0.3.3").status_code == 429
    assert not is_logged_in(client)
    # The username itself is not locked: from another address alice gets in.
    response = log_in(client, "alice", "pass-alice", address="10.0.4.4")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_few_failures_then_success_resets_the_count(client, alice):
    for _ in range(LIMIT - 1):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", "pass-alice").status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", "pass-alice").status_code == 302


def test_the_lock_out_message_speaks_the_users_language(client, alice):
    for _ in range(LIMIT):
        log_in(client, "alice", "wrong")
    chinese = log_in(client, "alice", "pass-alice").content.decode()
    assert 'lang="zh-hans"' in chinese and 'data-testid="locked-out"' in chinese
    english = log_in(client, "alice", "pass-alice", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in english and "Too many failed logins" in english


def test_behind_the_proxy_the_address_is_the_one_the_proxy_wrote(client, alice, settings):
    settings.BEHIND_PROXY = True
    for attempt in range(LIMIT):
        # A client that makes up X-Forwarded-For entries still comes from the same address.
        log_in(client, f"x{attempt}", "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{attempt}, 10.0.5.5")
    response = log_in(client, "alice", "pass-alice", HTTP_X_FORWARDED_FOR="9.9.9.9, 10.0.5.5")
    assert response.status_code == 429


def test_an_administrator_sees_the_failed_logins_and_unlocks_them(client, alice, ada):
    for _ in range(LIMIT):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", "pass-alice").status_code == 429

    admin = type(client)()
    admin.force_login(ada)
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = admin.get(changelist)
    assert page.status_code == 200
    assert "alice" in page.content.decode()
    with translation.override("en"):
        response = admin.post(
            changelist,
            {
                "action": "unlock",
                "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            },
        )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert log_in(client, "alice", "pass-alice").status_code == 302


def test_analysts_and_managers_cannot_see_the_failed_logins(client, alice, bob):
    for user in (alice, bob):
        client.force_login(user)
        assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403

"""Password reset by e-mail and the password change page, in the layout and both languages."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_login_page_links_to_password_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_the_user_menu_links_to_the_password_change_page(client, alice):
    client.force_login(alice)
    assert reverse("password_change") in client.get(reverse("case_list")).content.decode()


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client, alice):
    response = client.post(
        reverse("password_reset"), {"email": "alice@example.org"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert 'data-testid="reset-sent"' in client.get(response["Location"]).content.decode()
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "Casework" in message.subject
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert 'name="new_password1"' in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Quiet-river-2031", "new_password2": "Quiet-river-2031"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("Quiet-river-2031")
    # The link works once.
    assert 'data-testid="reset-link-invalid"' in client.get(link, follow=True).content.decode()


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, alice):
    response = client.post(reverse("password_reset"), {"email": "who@example.org"}, follow=True)
    assert 'data-testid="reset-sent"' in response.content.decode()
    assert mail.outbox == []


def test_a_user_changes_their_password(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pass-alice",
            "new_password1": "Quiet-river-2031",
            "new_password2": "Quiet-river-2031",
        },
        follow=True,
    )
    assert 'data-testid="password-changed"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password("Quiet-river-2031")


def test_the_password_change_page_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["password_reset", "password_reset_done", "password_change"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_account_pages_are_in_the_layout_and_the_users_language(client, alice, name, language):
    client.force_login(alice)
    page = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'lang="{language}"' in page
    assert 'id="main"' in page and "language-form" in page  # the site's own layout

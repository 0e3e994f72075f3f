"""The base layout: login page, language switcher, static assets, health check."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse


@pytest.mark.django_db
def test_login_page_speaks_chinese_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_login_page_speaks_english_when_asked(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="en"' in response.content.decode()
    assert "Log in to Casework" in response.content.decode()


@pytest.mark.django_db
def test_language_switcher_posts_with_csrf_and_remembers_the_choice(client):
    page = client.get(reverse("login")).content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert "csrfmiddlewaretoken" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert 'lang="en"' in client.get(reverse("login")).content.decode()


def test_bootstrap_htmx_and_plotly_are_served_from_static_files():
    for path in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/htmx/htmx.min.js",
        "vendor/plotly/plotly.min.js",
    ):
        assert finders.find(path), path


@pytest.mark.django_db
def test_health_check_answers_ok(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == {"ok": True}


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

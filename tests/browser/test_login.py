"""A person opens the app, switches language and logs in."""

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_switches_between_chinese_and_english(page):
    page.goto(page.base_url + "/accounts/login/")
    assert "登录" in page.locator("h1").inner_text()
    # The select submits its form on change: wait for that navigation, not the current page.
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("h1").inner_text() == "Log in to Casework"


def test_wrong_password_keeps_the_username_and_explains(page, alice):
    log_in(page, "alice", "wrong")
    assert page.input_value("input[name=username]") == "alice"
    assert page.locator(".alert, .invalid-feedback, .errorlist").count() >= 1

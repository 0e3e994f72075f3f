"""The wizard's keyboard shortcuts and its side panels: while a panel is open, keys are its own."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_fast_entry import open_step, sources, tiny_assessment  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_n_and_number_keys_leave_the_cards_alone_while_the_sources_panel_is_open(
    page,
    tiny_assessment,  # noqa: F811
    sources,  # noqa: F811
):
    open_step(page, tiny_assessment)
    page.get_by_test_id("sources-open").click()
    panel = page.locator("#sources-panel")
    expect(panel).to_have_class(re.compile(r"\bshow\b"))
    close = panel.locator(".btn-close")
    close.focus()

    page.keyboard.press("n")
    page.keyboard.press("3")
    page.keyboard.press("?")

    expect(close).to_be_focused()
    assert page.evaluate("window.scrollY") == 0  # the page behind did not jump to an item
    expect(page.locator(".cw-item input[type=radio]:checked")).to_have_count(0)
    expect(page.locator("#cw-keys-help")).not_to_be_visible()

    page.keyboard.press("Escape")
    expect(panel).not_to_be_visible()
    page.locator("h1").click()
    page.keyboard.press("n")  # the shortcut works again once the panel is closed
    expect(page.locator(".cw-item").first.locator("input[type=radio]").first).to_be_focused()

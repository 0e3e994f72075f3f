"""The character counter beside a text box with a limit: visible always, spoken near the limit."""

import re

import pytest
from playwright.sync_api import expect

from casework.services.assessments import assessment_start
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_comment_box_counts_and_speaks_only_near_the_limit(
    page, alice, alice_case, tiny_version
):
    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    log_in(page, "alice", "pass-alice")
    page.goto(f"{page.base_url}/assessments/{assessment.pk}/")

    box = page.locator("textarea[name=body]")
    counter = page.locator(f"#{box.get_attribute('id')}-chars")
    live = page.locator(f"#{box.get_attribute('id')}-chars-live")
    expect(counter).to_have_text("0 / 5000")
    assert counter.get_attribute("id") in box.get_attribute("aria-describedby")
    assert live.get_attribute("aria-live") == "polite"

    box.press_sequentially("请补充证据")
    expect(counter).to_have_text("5 / 5000")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'body'")
    expect(live).to_have_text("")  # far from the limit: nothing is announced

    box.fill("证" * 4990)
    expect(counter).to_have_text("4990 / 5000")
    expect(live).to_have_text(re.compile(r"\b10\b"))

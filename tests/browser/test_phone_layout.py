"""On a 390 px phone the merged features fit the screen: no page wider than the phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_fast_entry import card, open_step, sources, tiny_assessment  # noqa: F401
from tests.browser.test_reports_flow import LEVELS, TITLE, scored_case

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_cited_chip_with_its_page_and_quote_fields_stays_inside_the_card_on_a_phone(
    page,
    tiny_assessment,  # noqa: F811
    sources,  # noqa: F811
):
    page.set_viewport_size(PHONE)
    open_step(page, tiny_assessment)
    item = card(page, "TF-D1.1")
    source = sources[1]  # the longest title
    chip = item.locator(f".cw-chip[data-cw-chip$='-src-{source.pk}']")
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 200):
        chip.click()
    item.locator(".cw-quote-toggle:visible").click()
    quote = item.locator(f"[name='TF-D1.1-quote-{source.pk}']")
    expect(quote).to_be_focused()

    assert page_width(page) <= PHONE["width"]
    card_box = item.bounding_box()
    for field in (item.locator(f"[name='TF-D1.1-locator-{source.pk}']"), quote):
        box = field.bounding_box()
        assert box["x"] + box["width"] <= card_box["x"] + card_box["width"]
    assert quote.bounding_box()["width"] >= 90  # room to type, not a sliver


def test_an_item_title_keeps_a_readable_width_beside_its_status_on_a_phone(
    page,
    tiny_assessment,  # noqa: F811
):
    page.set_viewport_size(PHONE)
    open_step(page, tiny_assessment)
    item = card(page, "TF-D1.1")
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 200):
        item.locator(".cw-levels label").nth(2).click()
    expect(item.locator(".cw-status")).not_to_be_empty()
    title = item.locator("h2").first.bounding_box()
    assert title["width"] >= 0.6 * item.bounding_box()["width"]


def test_the_benchmark_page_is_no_wider_than_a_phone(page, frameworks, unit_a, alice, bob):
    ca = scored_case(title=TITLE, owner=alice, manager=bob, unit=unit_a, levels=LEVELS)["CA"]
    page.set_viewport_size(PHONE)
    # English: the longer dimension titles.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    log_in(page, "bob", "pass-bob")
    page.wait_for_url(re.compile(r"/cases/"))
    page.goto(f"{page.base_url}/assessments/{ca.pk}/benchmark/")
    expect(page.get_by_test_id("benchmark")).to_be_visible()
    assert page_width(page) <= PHONE["width"]

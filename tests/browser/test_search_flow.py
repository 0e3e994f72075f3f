"""An analyst searches the library from the navigation bar, narrows the results, opens a case."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from casework.search.services import search_index_case
from casework.services.assessments import assessment_start
from tests import factories
from tests.browser.conftest import log_in
from tests.search.conftest import add_risk, say

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/e2e")


@pytest.fixture
def library(alice, alice_case, charlie, unit_b, tiny_version):
    mine = assessment_start(case=alice_case, version=tiny_version, user=alice)
    say(mine, alice, "TF-D1.1", level=1, evidence="历史数据质量差，迁移后记录对不上。<b>原文</b>")
    add_risk(mine, alice, "数据质量责任不落实", status="occurred", outcome="回退旧系统")
    secret = factories.make_case(unit=unit_b, owner=charlie, title="审计处机密案例")
    search_index_case(case_id=secret.pk)
    theirs = assessment_start(case=secret, version=tiny_version, user=charlie)
    add_risk(theirs, charlie, "数据质量 机密风险", status="occurred")
    return mine


def test_an_analyst_finds_earlier_text_narrows_it_and_opens_the_case(page, alice, library):
    log_in(page, "alice", "pass-alice")
    page.wait_for_url(re.compile(r"/cases/"))
    page.fill("#nav-search", "数据质量")
    page.press("#nav-search", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))

    hits = page.locator("[data-testid=search-hit]")
    expect(hits).to_have_count(2)
    expect(page.locator("[data-testid=search-snippet] mark").first).to_have_text("数据质量")
    # The evidence's markup is shown as text, never rendered.
    expect(page.locator("[data-testid=search-snippet] b")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("<b>原文</b>")
    expect(page.locator("main")).not_to_contain_text("机密")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "search-results.png"), full_page=True)

    page.select_option("#id_outcome", "occurred")
    page.click("[data-testid=search-form] button[type=submit]")
    page.wait_for_url(re.compile(r"outcome=occurred"))
    expect(hits).to_have_count(1)
    expect(hits.first).to_have_attribute("data-kind", "risk")
    expect(page.locator("[data-testid=facet-risk]")).to_have_text("1")

    hits.first.locator("h2 a").click()
    page.wait_for_url(re.compile(rf"/cases/{library.case_id}/$"))
    expect(page.locator("[data-testid=similar-cases]")).to_be_visible()

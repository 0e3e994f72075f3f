"""A manager asks for a blind second scoring, reads the agreement and adjudicates in the browser."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from casework.models import Answer, Assessment
from casework.services.assessments import assessment_submit
from tests.browser.conftest import log_in
from tests.casework import test_double_scoring as double
from tests.casework.test_double_scoring import ALICE, ERIN, fill

# The double-scoring fixtures, shared with the service tests.
erin, version, first = double.erin, double.version, double.first

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/e2e")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def item(page, code):
    return page.locator(f"[data-testid=adjudicate-item][data-code='{code}']")


def test_manager_asks_for_a_second_scoring_then_adjudicates_and_approves(
    page, first, alice, bob, erin
):
    log_in(page, "bob", "pass-bob")
    page.wait_for_url(re.compile(r"/cases/"))
    page.goto(page.base_url + f"/assessments/{first.pk}/")
    page.locator("[data-testid=request-second]").click()
    page.wait_for_url(re.compile(r"/second-scoring/$"))
    page.select_option("select[name=analyst]", str(erin.pk))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/assessments/{first.pk}/$"))
    second = Assessment.objects.get(second_of=first)

    # Both analysts score on their own and submit.
    fill(first, alice, {**ALICE, "D2.4": 2})
    fill(second, erin, ERIN, na=["D2.4"])
    assessment_submit(assessment=first, user=alice)
    assessment_submit(assessment=second, user=erin)

    page.reload()
    page.locator("[data-testid=agreement-link]").click()
    page.wait_for_url(re.compile(r"/agreement/$"))
    expect(page.locator("[data-testid=exact]")).to_contain_text("75")
    rows = page.locator("[data-testid=agreement-items] tbody tr")
    expect(rows.first).to_have_attribute("data-code", "DS-D1.1")
    expect(rows.first).to_have_attribute("data-status", "far")
    shot(page, "double-agreement-zh")

    page.goto(page.base_url + f"/assessments/{first.pk}/adjudication/")
    expect(page.locator("[data-testid=undecided]")).to_contain_text("3")
    # Taking the second analyst's level without a reason is refused, with the choice kept.
    d11 = item(page, "DS-D1.1")
    d11.locator("input[value=second]").check()
    d11.locator("[data-testid='save-DS-D1.1']").click()
    d11 = item(page, "DS-D1.1")
    expect(d11.locator(".invalid-feedback")).to_be_visible()
    expect(d11.locator("input[value=second]")).to_be_checked()
    d11.locator("textarea").fill("第二位分析员引用了验收报告，证据更直接。")
    d11.locator("[data-testid='save-DS-D1.1']").click()
    expect(item(page, "DS-D1.1").locator("[data-testid=decided]")).to_be_visible()

    d12 = item(page, "DS-D1.2")
    d12.locator("input[value=set]").check()
    d12.locator("select").select_option("2")
    d12.locator("textarea").fill("两人各有依据，取较稳妥的等级。")
    d12.locator("[data-testid='save-DS-D1.2']").click()
    expect(item(page, "DS-D1.2").locator("[data-testid=decided]")).to_be_visible()

    d24 = item(page, "DS-D2.4")
    d24.locator("input[value=first]").check()
    d24.locator("textarea").fill("该事项在本案中适用，保留第一评分人的等级。")
    d24.locator("[data-testid='save-DS-D2.4']").click()
    expect(item(page, "DS-D2.4").locator("[data-testid=decided]")).to_be_visible()
    expect(page.locator("[data-testid=undecided]")).to_contain_text("0")
    shot(page, "double-adjudication-zh")

    levels = dict(
        Answer.objects.filter(
            assessment=first, criterion__code__in=["DS-D1.1", "DS-D1.2"]
        ).values_list("criterion__code", "level")
    )
    assert levels == {"DS-D1.1": 4, "DS-D1.2": 2}

    page.goto(page.base_url + f"/assessments/{first.pk}/approve/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/assessments/{first.pk}/$"))
    first.refresh_from_db()
    assert first.status == Assessment.Status.APPROVED

    page.goto(page.base_url + f"/assessments/{first.pk}/report/")
    expect(page.locator("[data-testid=agreement-method]")).to_contain_text("kappa")

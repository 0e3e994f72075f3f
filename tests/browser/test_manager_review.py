"""A manager reviews a submitted assessment in the browser: return with a comment, then approve."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from casework.models import Answer, Assessment
from casework.services.answers import answer_save
from casework.services.assessments import assessment_start, assessment_submit
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/e2e")
RETURNED = re.compile(r"Returned|已退回|退回")
APPROVED = re.compile(r"Approved|已批准|批准|通过")
SUBMITTED = re.compile(r"Submitted|已提交")
COMMENT = "请补充“最多跑一次”改革的量化指标来源，并核实 CA-1.2.1 的证据。"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def status_badge(page):
    return page.locator("main h1").locator("xpath=..").locator(".badge").last


@pytest.fixture
def submitted(alice_case, alice, tiny_version):
    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    for answer in Answer.objects.filter(assessment=assessment).select_related("criterion"):
        data = {"level": 4} if answer.criterion.is_scored else {"observation": "present"}
        answer_save(
            assessment=assessment,
            criterion_code=answer.criterion.code,
            user=alice,
            data=data,
            expected_version=answer.version,
        )
    return assessment_submit(assessment=assessment, user=alice)


def test_manager_returns_with_a_required_comment_then_approves_the_resubmission(
    page, bob, alice, submitted
):
    log_in(page, "bob", "pass-bob")
    page.wait_for_url(re.compile(r"/cases/"))
    page.goto(page.base_url + f"/assessments/{submitted.pk}/")
    expect(status_badge(page)).to_contain_text(SUBMITTED)
    actions = page.locator("[data-testid=workflow-actions]")
    # A manager reviews; he doesn't score.
    expect(actions.locator("a[href$='/submit/']")).to_have_count(0)

    actions.locator("a[href$='/return/']").click()
    page.wait_for_url(re.compile(r"/return/$"))
    submit = page.locator("main form button[type=submit]")

    # Without a comment: an error beside the field, and nothing happens.
    submit.click()
    error = page.locator("main form .invalid-feedback, main form .errorlist")
    expect(error.first).to_be_visible()
    expect(page.locator("main form textarea[name=comment]")).to_have_class(re.compile("is-invalid"))
    shot(page, "10-return-without-comment")
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED

    page.fill("main form textarea[name=comment]", COMMENT)
    submit.click()
    page.wait_for_url(re.compile(rf"/assessments/{submitted.pk}/$"))
    expect(status_badge(page)).to_contain_text(RETURNED)
    returned = page.locator("#comments li[data-kind=returned]")
    expect(returned).to_contain_text(COMMENT)
    expect(returned).to_contain_text("bob")
    expect(page.locator("[data-testid=status-history]")).to_contain_text(RETURNED)
    shot(page, "11-returned")
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.RETURNED
    assert submitted.reviewed_by == bob

    # Alice answers the comment and submits again (through the service).
    assessment_submit(assessment=submitted, user=alice, comment="已补充来源。")

    page.reload()
    expect(status_badge(page)).to_contain_text(SUBMITTED)
    page.locator("[data-testid=workflow-actions] a[href$='/approve/']").click()
    page.wait_for_url(re.compile(r"/approve/$"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/assessments/{submitted.pk}/$"))
    expect(status_badge(page)).to_contain_text(APPROVED)
    expect(page.locator("#comments li[data-kind=returned]")).to_contain_text(COMMENT)
    expect(page.locator("#comments")).to_contain_text("已补充来源。")
    # Approved without words: a step of the status history, not an empty comment.
    expect(page.locator("#comments li[data-kind=approved]")).to_have_count(0)
    expect(page.locator("[data-testid=status-history]")).to_contain_text(APPROVED)
    # Approved is final: no review buttons, no scoring.
    expect(page.locator("[data-testid=workflow-actions] a[href$='/approve/']")).to_have_count(0)
    expect(page.locator("[data-testid=workflow-actions] a[href$='/return/']")).to_have_count(0)
    shot(page, "12-approved")
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.APPROVED

    # The case page shows the new status too.
    page.goto(page.base_url + f"/cases/{submitted.case_id}/")
    expect(page.locator("[data-framework=TF] tbody tr").first).to_contain_text(APPROVED)


def test_analyst_cannot_open_the_review_pages(page, alice, submitted):
    log_in(page, "alice", "pass-alice")
    page.wait_for_url(re.compile(r"/cases/"))
    page.goto(page.base_url + f"/assessments/{submitted.pk}/")
    expect(page.locator("[data-testid=workflow-actions] a[href$='/approve/']")).to_have_count(0)
    response = page.goto(page.base_url + f"/assessments/{submitted.pk}/return/")
    assert response.status == 403
    expect(page.locator("[data-testid=error-403]")).to_be_visible()

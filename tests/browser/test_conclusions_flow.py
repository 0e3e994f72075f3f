"""An analyst writes the Conclusions step and the action plan at human pace, in the browser.

The UI may be in Chinese or still in English (translations come last), so the test finds
things by name and test id, and checks what the database holds.
"""

import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from casework.models import Action, Answer, Assessment, CaseSource, DimensionFinding
from casework.services.assessments import assessment_start
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/e2e")
CONCLUSION = "改革总体达到预期：网上可办率从四成升到八成。\n\n但跨部门数据共享拖慢了进度。"
LESSONS = "先做试点，再全面推开。"
FINDING = "市领导亲自推动，但牵头部门权限不足。"


def saved_with(page, path, field, value):
    """Wait for the autosave POST to `path` that carried `value` in `field` to come back 200."""

    def match(response):
        request = response.request
        if request.method != "POST" or not response.url.endswith(path):
            return False
        data = parse_qs(request.post_data or "", keep_blank_values=True)
        return response.status == 200 and data.get(field, [None])[0] == value

    return page.expect_response(match)


def leave(page, textarea, path):
    """Move on from a textarea the way a person does; its change event saves once more."""
    with posted(page, path):
        textarea.press("Tab")


def posted(page, path):
    return page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(path) and r.status == 200
    )


def test_analyst_writes_conclusions_and_the_action_plan(page, alice, alice_case, tiny_version):
    CaseSource.objects.create(case=alice_case, title="市政府工作报告 2024")
    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    levels = {"TF-D1.1": 1, "TF-D1.2": 4, "TF-D2.1": 2}
    for code, level in levels.items():
        Answer.objects.filter(assessment=assessment, criterion__code=code).update(level=level)
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_default_timeout(30_000)  # patience on a busy machine; every wait is for a state

    log_in(page, "alice", "pass-alice")
    page.wait_for_url(re.compile(r"/cases/"))
    # From the last dimension, Next leads to Conclusions.
    page.goto(page.base_url + f"/assessments/{assessment.pk}/step/2/")
    page.locator("button[name=go][value=next]").click()
    page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/step/3/$"))
    base = f"/assessments/{assessment.pk}"

    # Perspective, conclusion and lessons autosave as they are typed.
    with saved_with(page, f"{base}/conclusions/", "conclusions-perspective", "retrospective"):
        page.locator("#conclusions-perspective-retrospective").check()
    expect(page.locator("#plan-wording")).to_contain_text(re.compile(r"Lessons to apply|经验"))
    conclusion = page.locator("#conclusions-conclusion")
    with saved_with(page, f"{base}/conclusions/", "conclusions-conclusion", CONCLUSION):
        conclusion.click()
        for number, paragraph in enumerate(CONCLUSION.split("\n\n")):
            if number:
                conclusion.press("Enter")
                conclusion.press("Enter")
            conclusion.press_sequentially(paragraph, delay=25)
    leave(page, conclusion, f"{base}/conclusions/")
    lessons = page.locator("#conclusions-lessons")
    with saved_with(page, f"{base}/conclusions/", "conclusions-lessons", LESSONS):
        lessons.press_sequentially(LESSONS, delay=25)
    leave(page, lessons, f"{base}/conclusions/")
    finding = page.locator("#finding-TF-D1-text")
    with saved_with(page, f"{base}/findings/TF-D1/", "finding-TF-D1-text", FINDING):
        finding.press_sequentially(FINDING, delay=25)
    leave(page, finding, f"{base}/findings/TF-D1/")
    expect(page.locator("#finding-TF-D1 .cw-status")).to_contain_text(re.compile(r"Saved|保存"))

    # Suggestions from the gaps: D1.1 (level 1) and D2.1 (level 2), not D1.2 (level 4).
    rows = page.locator("#action-list form[data-testid=action]")
    with posted(page, f"{base}/actions/suggest/"):
        page.locator("[data-testid=suggest-actions]").click()
    expect(rows).to_have_count(2)
    expect(page.locator("[data-testid=plan-notice]")).to_be_visible()

    # Keep and complete the first suggestion.
    first = rows.nth(0)
    first.locator("[name$='-owner']").press_sequentially("市数据局", delay=25)
    first.locator("[name$='-priority']").select_option("high")
    first.locator("[name$='-due_on']").fill("2026-06-30")
    first.locator("[name$='-status']").select_option("agreed")
    with posted(page, f"{base}/actions/{Action.objects.order_by('pk').first().pk}/"):
        first.locator("button[type=submit]:not([formaction])").click()
    expect(rows.nth(0)).to_contain_text(re.compile(r"Saved|保存"))

    # Drop the second: it stays on record as not pursued.
    second = rows.nth(1)
    second.locator("[name$='-status']").select_option("dropped")
    with posted(page, f"{base}/actions/{Action.objects.order_by('pk').last().pk}/"):
        second.locator("button[type=submit]:not([formaction])").click()
    expect(rows.nth(1)).to_have_class(re.compile(r"is-dropped"))

    # Add two lessons of the analyst's own, then delete one of them.
    new = page.locator("#action-new")
    for text in ("建立跨部门数据共享协调机制", "这一条稍后删除"):
        new = page.locator("#action-new")
        new.locator("[name='action-new-text']").press_sequentially(text, delay=25)
        new.locator("[name='action-new-owner']").fill("市政府办公厅")
        with posted(page, f"{base}/actions/"):
            new.locator("button[type=submit]").click()
        expect(page.locator("#action-list")).to_contain_text(text)
        expect(page.locator("#action-new [name='action-new-text']")).to_have_value("")
    expect(rows).to_have_count(4)
    doomed = rows.filter(has_text="这一条稍后删除")
    with posted(page, "/delete/"):
        doomed.locator("button[formaction]").click()
    expect(rows).to_have_count(3)
    page.screenshot(path=str(_shot("05-conclusions-step")), full_page=True)

    # What the database holds.
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.perspective, stored.conclusion, stored.lessons) == (
        "retrospective",
        CONCLUSION,
        LESSONS,
    )
    assert DimensionFinding.objects.get(assessment=assessment, dimension_code="TF-D1").text == (
        FINDING
    )
    actions = list(Action.objects.filter(assessment=assessment).select_related("criterion"))
    summary = [
        (a.criterion.code if a.criterion else "", a.status, a.owner, a.priority) for a in actions
    ]
    assert summary == [
        ("TF-D1.1", "agreed", "市数据局", "high"),
        ("TF-D2.1", "dropped", "", "medium"),
        ("", "proposed", "市政府办公厅", "medium"),
    ]
    assert str(actions[0].due_on) == "2026-06-30"
    assert actions[2].text == "建立跨部门数据共享协调机制"

    # A reload shows everything from the server.
    page.evaluate("localStorage.clear()")
    page.reload()
    expect(page.locator("#conclusions-perspective-retrospective")).to_be_checked()
    expect(page.locator("#conclusions-lessons")).to_have_value(LESSONS)
    expect(page.locator("#finding-TF-D1-text")).to_have_value(FINDING)
    expect(rows).to_have_count(3)

    # The report opens its summary with the conclusion and carries the plan.
    page.goto(page.base_url + f"{base}/report/")
    expect(page.locator("[data-testid=conclusion-TF]")).to_contain_text("改革总体达到预期")
    plan = page.locator("[data-testid=actions-TF]")
    expect(plan).to_contain_text("建立跨部门数据共享协调机制")
    expect(plan).to_contain_text("市数据局")
    expect(plan).not_to_contain_text("这一条稍后删除")
    page.screenshot(path=str(_shot("06-report-conclusions")), full_page=True)


def _shot(name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"

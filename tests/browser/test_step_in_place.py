"""Moving between the wizard's steps swaps the step in place, and confidence carries along.

No full page load between steps: the address, the title and the step list follow, Back and
Forward work, the heading takes the focus, and typing not yet sent is saved before the step
goes. Each test waits for a state (a request answered, a URL, a focused element), never a time.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from casework.models import Answer
from casework.services.assessments import assessment_start
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SETTLED = "() => !document.querySelector('.htmx-request, .htmx-added, .htmx-settling')"
EVIDENCE = "工作报告写明该做法已在全市推开。"


@pytest.fixture
def tiny_assessment(alice, alice_case, tiny_version):
    alice_case.sources.create(title="市政府工作报告", reference="https://example.org/r")
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


def stored(assessment, code):
    return Answer.objects.get(assessment=assessment, criterion__code=code)


def autosave(page, code):
    return page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(f"/answers/{code}/") and r.ok
    )


def open_step(page, assessment, n=1):
    """Sign in, open step n, and from then on count the full page loads."""
    log_in(page, "alice", "pass-alice")
    page.wait_for_url(re.compile(r"/cases/"))
    page.goto(page.base_url + f"/assessments/{assessment.pk}/step/{n}/")
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    return loads


def arrived(page, n, heading):
    """The step n is in place: its address, its heading focused, nothing left in flight."""
    page.wait_for_url(re.compile(rf"/step/{n}/(#.*)?$"))
    expect(page.locator("#cw-step-page h1")).to_contain_text(heading)
    expect(page.locator("#cw-step-page h1")).to_be_focused()
    page.wait_for_function(SETTLED)


def test_next_saves_the_typing_first_and_the_new_step_autosaves_back_and_forward_work(
    page, tiny_assessment
):
    loads = open_step(page, tiny_assessment)
    page.locator("label[for='item-TF-D1-1-level-3']").click()
    # Typed and at once Next: the debounce has not sent it yet; leaving the step sends it.
    page.locator("#item-TF-D1-1-evidence").fill(EVIDENCE)
    page.locator(".cw-wizard-nav button[name=go][value=next]").click()
    arrived(page, 2, "维度 D2")
    assert stored(tiny_assessment, "TF-D1.1").evidence == EVIDENCE
    expect(page).to_have_title(re.compile(r"^TF-D2 · 维度 D2"))
    expect(page.locator(".cw-step.active")).to_contain_text("维度 D2")
    assert page.evaluate("() => window.scrollY") == 0
    page.screenshot(path="/tmp/h10nav/step-2-in-place-zh.png", full_page=False)

    # The swapped-in step works like a loaded one: level, counter, autosave of typing.
    with autosave(page, "TF-D2.1"):
        page.locator("label[for='item-TF-D2-1-level-2']").click()
    with autosave(page, "TF-D2.1"):
        page.locator("#item-TF-D2-1-evidence").fill("第二步的证据")
    expect(page.locator("#item-TF-D2-1-evidence-count")).to_contain_text("6 /")
    assert stored(tiny_assessment, "TF-D2.1").evidence == "第二步的证据"

    page.go_back()
    arrived(page, 1, "维度 D1")
    expect(page.locator("#item-TF-D1-1-evidence")).to_have_value(EVIDENCE)
    page.go_forward()
    arrived(page, 2, "维度 D2")
    expect(page.locator("#item-TF-D2-1-evidence")).to_have_value("第二步的证据")

    # The step list leads to Conclusions and back, in place too; its card autosaves.
    page.locator(".cw-step-conclusions .cw-step").click()
    page.wait_for_url(re.compile(r"/step/3/$"))
    expect(page.locator("#cw-step-page h1")).to_be_focused()
    page.locator("#conclusions-conclusion").fill("总体达到预期。")
    page.locator(".cw-step-list .cw-step").first.click()
    arrived(page, 1, "维度 D1")
    tiny_assessment.refresh_from_db()
    assert tiny_assessment.conclusion == "总体达到预期。"
    assert loads == [], f"full page loads between steps: {loads}"


def test_the_next_item_key_crosses_to_the_next_step_in_place_and_lands_on_its_first_item(
    page, tiny_assessment
):
    loads = open_step(page, tiny_assessment)
    page.keyboard.press("n")
    for code in ("TF-D1.1", "TF-D1.2"):
        with autosave(page, code):
            page.keyboard.press("3")
        page.keyboard.press("n")
    with autosave(page, "TF-D1.3"):
        page.keyboard.press("1")
    # Every item has its level; the two scored ones still lack evidence, so n visits them
    # before it crosses to the next step.
    page.keyboard.press("n")
    page.keyboard.press("n")
    page.keyboard.press("n")
    page.wait_for_url(re.compile(r"/step/2/$"))
    expect(page.locator("#item-TF-D2-1-level-0")).to_be_focused()
    with autosave(page, "TF-D2.1"):
        page.keyboard.press("4")
    assert stored(tiny_assessment, "TF-D2.1").level == 4
    assert loads == []


def test_a_level_chosen_without_confidence_carries_the_confidence_of_the_item_above(
    page, tiny_assessment
):
    open_step(page, tiny_assessment)
    with autosave(page, "TF-D1.1"):
        page.locator("label[for='item-TF-D1-1-level-3']").click()
    with autosave(page, "TF-D1.1"):
        page.locator("label[for='item-TF-D1-1-conf-high']").click()

    with autosave(page, "TF-D1.2"):
        page.locator("label[for='item-TF-D1-2-level-2']").click()
    second = page.locator("#item-TF-D1-2")
    expect(second.locator("#item-TF-D1-2-conf-high")).to_be_checked()
    expect(second.get_by_test_id("confidence-carried")).to_contain_text("TF-D1.1")
    second.screenshot(path="/tmp/h10nav/confidence-carried.png")
    answer = stored(tiny_assessment, "TF-D1.2")
    assert (answer.level, answer.confidence) == (2, "high")

    # l / m / h choose the confidence on the focused item; the carried note goes.
    page.locator("#item-TF-D1-2-level-2").focus()
    with autosave(page, "TF-D1.2"):
        page.keyboard.press("l")
    expect(second.get_by_test_id("confidence-carried")).to_have_count(0)
    assert stored(tiny_assessment, "TF-D1.2").confidence == "low"

    # A level changed on an item that has its confidence leaves that confidence alone.
    with autosave(page, "TF-D1.1"):
        page.locator("label[for='item-TF-D1-1-level-1']").click()
    assert stored(tiny_assessment, "TF-D1.1").confidence == "high"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_step_swapped_in_place_has_no_serious_accessibility_violation(
    browser, live_server, tiny_assessment, language
):
    # axe is injected as a script of its own: only this context lets it past the CSP.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    open_step(page, tiny_assessment)
    page.locator(".cw-wizard-nav button[name=go][value=next]").click()
    arrived(page, 2, "D2")
    page.screenshot(path=f"/tmp/h10nav/step-2-in-place-{language}.png", full_page=True)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """() => axe.run(document, {resultTypes: ["violations"], runOnly: {type: "tag",
             values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
           .then(r => r.violations.filter(v => ["critical", "serious"].includes(v.impact))
           .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", ")))"""
    )
    context.close()
    assert violations == []


def test_a_register_reached_in_place_adds_its_row_like_a_loaded_one(
    page, alice, alice_case, frameworks
):
    from casework.models import Goal

    assessment = assessment_start(case=alice_case, version=frameworks["CA"], user=alice)
    loads = open_step(page, assessment, 2)
    page.locator(".cw-wizard-nav button[name=go][value=back]").click()
    page.wait_for_url(re.compile(r"/step/1/$"))
    page.wait_for_function(SETTLED)
    section = page.locator("#register-goals")
    section.locator("a[href$='?new=1']").click()
    form = section.locator("tr.cw-row-edit form")
    expect(form.locator("[name=statement]")).to_be_focused()
    form.locator("[name=statement]").fill("两年内实现80%事项网上可办")
    form.locator("button[type=submit]").click()
    expect(section.locator("tr.cw-row-edit")).to_have_count(0)
    assert Goal.objects.get(assessment=assessment).statement == "两年内实现80%事项网上可办"
    assert loads == []


def test_a_message_waiting_for_the_next_step_shows_when_it_comes_in_place(page, tiny_assessment):
    loads = open_step(page, tiny_assessment)
    # The step form saved without JavaScript (here: from another tab) leaves its message for
    # the next page the analyst sees, which is the step that Next brings in place.
    token = page.locator("#step-form input[name=csrfmiddlewaretoken]").input_value()
    saved = page.request.post(
        page.base_url + f"/assessments/{tiny_assessment.pk}/step/1/",
        form={
            "csrfmiddlewaretoken": token,
            "TF-D1.1-version": "0",
            "TF-D1.1-level": "2",
            "TF-D1.2-version": "0",
            "TF-D1.3-version": "0",
            "go": "stay",
        },
        max_redirects=0,
    )
    assert saved.status == 302
    page.locator(".cw-wizard-nav button[name=go][value=next]").click()
    arrived(page, 2, "维度 D2")
    live = page.locator("#cw-step-messages")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live.get_by_role("alert")).to_contain_text("您的答复已保存。")
    expect(page.locator("#cw-step-page [data-cw-messages]")).to_have_count(0)
    # The next step brings no message: the last one goes.
    page.locator(".cw-wizard-nav button[name=go][value=next]").click()
    page.wait_for_url(re.compile(r"/step/3/$"))
    expect(live.get_by_role("alert")).to_have_count(0)
    assert loads == []

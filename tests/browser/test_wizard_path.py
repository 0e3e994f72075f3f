"""The analyst's path through the wizard: the defects that cost typing, and the keyboard.

Each test waits for a state (a request seen, a class set, a row saved), never for a time.
"""

import re

import pytest
from playwright.sync_api import expect

from casework.models import Goal
from casework.services.assessments import assessment_start
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

GOAL = "两年内实现80%事项网上可办"


@pytest.fixture
def ca_assessment(alice, alice_case, frameworks):
    """Round 1 of alice's case on the real CA framework: step 1 carries the goals register."""
    return assessment_start(case=alice_case, version=frameworks["CA"], user=alice)


def open_step(page, assessment, n=1):
    log_in(page, "alice", "pass-alice")
    page.wait_for_url(re.compile(r"/cases/"))
    page.goto(page.base_url + f"/assessments/{assessment.pk}/step/{n}/")


def open_new_row(page, register):
    """Click "Add row" and wait until htmx has swapped in the row's form."""
    section = page.locator(f"#register-{register}")
    section.locator("a[href$='?new=1']").click()
    form = section.locator("tr.cw-row-edit form")
    expect(form).to_be_visible()
    return form


COUNT_HINT_REQUESTS = """() => {
  window.__cwHints = {sent: 0, done: 0};
  const isHint = (e) => e.detail.elt.matches && e.detail.elt.matches("[hx-get*='hints=']");
  document.body.addEventListener("htmx:beforeRequest", (e) => { if (isHint(e)) window.__cwHints.sent++; });
  document.body.addEventListener("htmx:afterOnLoad", (e) => { if (isHint(e)) window.__cwHints.done++; });
}"""


def test_a_smart_box_ticked_while_hints_are_on_their_way_stays_ticked_and_is_stored(
    page, ca_assessment
):
    """Type a goal, leave the field, tick "Specific" before the hint replies land."""
    held = []
    page.route(re.compile(r"/registers/goals/\?.*hints="), lambda route: held.append(route))
    open_step(page, ca_assessment)
    page.evaluate(COUNT_HINT_REQUESTS)
    form = open_new_row(page, "goals")
    statement = form.locator("[name=statement]")
    statement.fill(GOAL)
    statement.press("Tab")  # leaving the field asks for hints at once
    page.wait_for_function("() => window.__cwHints.sent >= 1")  # its reply is on its way
    specific = form.locator("[name=specific]")
    specific.check()

    # The reply to what was sent before the tick lands after it.
    for route in list(held):
        route.continue_()
    page.wait_for_function("() => window.__cwHints.done >= 1")
    page.unroute(re.compile(r"/registers/goals/\?.*hints="))
    expect(form.locator(".cw-smart .cw-hint").first).to_be_visible()  # the hints did arrive
    expect(specific).to_be_checked()

    form.locator("button[type=submit]").click()
    expect(page.locator("#register-goals tr.cw-row-edit")).to_have_count(0)
    goal = Goal.objects.get(assessment=ca_assessment)
    assert goal.statement == GOAL
    assert goal.specific is True


UNDER_THE_BAR = """() => {
  const bar = document.querySelector(".cw-wizard-nav").getBoundingClientRect();
  const el = document.activeElement;
  if (!el || el.closest(".cw-wizard-nav")) return null;
  const box = el.getBoundingClientRect();
  return {tag: el.tagName, id: el.id || el.name || "", bottom: box.bottom, barTop: bar.top,
          hidden: box.bottom > bar.top + 1 && box.top < bar.bottom};
}"""


def test_the_sticky_bar_never_covers_the_field_that_has_the_focus(page, ca_assessment):
    """Tab through the whole step: each focused field sits above the Save/Next bar."""
    page.set_viewport_size({"width": 1366, "height": 700})
    open_step(page, ca_assessment)
    page.locator("h1").click()
    seen = 0
    for _ in range(400):
        page.keyboard.press("Tab")
        state = page.evaluate(UNDER_THE_BAR)
        if state is None:
            if page.evaluate("() => !!document.activeElement.closest('.cw-wizard-nav')"):
                break  # reached the bar itself: every field before it was checked
            continue
        seen += 1
        assert not state["hidden"], f"{state['tag']} {state['id']} is under the sticky bar"
    assert seen > 20


def test_a_new_register_row_and_its_save_button_open_above_the_sticky_bar(page, ca_assessment):
    page.set_viewport_size({"width": 1366, "height": 700})
    open_step(page, ca_assessment)
    form = open_new_row(page, "goals")
    expect(form.locator("[name=statement]")).to_be_focused()
    # Once the row has settled (its hints may arrive after it opens), its Save button sits
    # above the bar: wait for that state rather than read the layout mid-swap.
    page.wait_for_function(
        """() => {
          const save = document.querySelector("tr.cw-row-edit form button[type=submit]");
          const bar = document.querySelector(".cw-wizard-nav");
          return save && bar
            && save.getBoundingClientRect().bottom <= bar.getBoundingClientRect().top;
        }""",
        timeout=5_000,
    )
    page.screenshot(path="/tmp/e2e/wizard-new-row-above-bar.png")


@pytest.fixture
def tiny_assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


def autosave(page, code):
    return page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(f"/answers/{code}/") and r.ok
    )


def focused_card(page):
    return page.evaluate("() => (document.activeElement.closest('.cw-item') || {}).id || ''")


def test_an_analyst_scores_a_step_from_the_keyboard_and_moves_on_to_the_next(page, tiny_assessment):
    from casework.models import Answer

    open_step(page, tiny_assessment)
    page.keyboard.press("n")  # the first item that is left
    expect(page.locator("#item-TF-D1-1-level-0")).to_be_focused()
    with autosave(page, "TF-D1.1"):
        page.keyboard.press("3")
    expect(page.locator("#item-TF-D1-1-level-3")).to_be_checked()

    page.keyboard.press("n")
    assert focused_card(page) == "item-TF-D1-2"
    with autosave(page, "TF-D1.2"):
        page.keyboard.press("2")
    page.keyboard.press("Shift+N")  # back to the one before, still left for its evidence
    assert focused_card(page) == "item-TF-D1-1"
    page.keyboard.press("n")
    page.keyboard.press("n")
    assert focused_card(page) == "item-TF-D1-3"
    with autosave(page, "TF-D1.3"):
        page.keyboard.press("1")  # an observation: the first choice, present
    stored = {
        a.criterion.code: a
        for a in Answer.objects.filter(assessment=tiny_assessment).select_related("criterion")
    }
    assert stored["TF-D1.1"].level == 3 and stored["TF-D1.2"].level == 2
    assert stored["TF-D1.3"].observation == "present"

    # Nothing left after this item on the step: n goes on to the next step's first open item.
    page.keyboard.press("n")
    page.wait_for_url(re.compile(r"/step/2/$"))
    expect(page.locator("#item-TF-D2-1-level-0")).to_be_focused()

    # While typing, digits are text, not levels.
    evidence = page.locator("#item-TF-D2-1-evidence")
    evidence.click()
    page.keyboard.type("5 个区县")
    expect(evidence).to_have_value("5 个区县")
    expect(page.locator("#item-TF-D2-1 .cw-levels input:checked")).to_have_count(0)

    # Alt+↑ works from inside a text field too; ? lists the keys.
    page.keyboard.press("Alt+ArrowUp")
    page.wait_for_url(re.compile(r"/step/1/$"))
    page.keyboard.press("?")
    help_box = page.locator("#cw-keys-help")
    expect(help_box).to_be_visible()
    expect(help_box).to_contain_text(re.compile(r"Keyboard shortcuts|键盘"))
    page.screenshot(path="/tmp/e2e/wizard-keys-help.png")


def test_a_link_of_what_is_left_puts_the_cursor_in_the_missing_field(page, tiny_assessment, alice):
    from casework.services.answers import answer_save

    answer_save(
        assessment=tiny_assessment,
        criterion_code="TF-D1.2",
        user=alice,
        data={"level": 4},
        expected_version=0,
    )
    open_step(page, tiny_assessment)
    left = page.locator("#cw-left")
    left.locator("summary").click()
    left.locator("a[data-cw-jump='item-TF-D1-2']").click()
    expect(page.locator("#item-TF-D1-2-evidence")).to_be_focused()
    page.screenshot(path="/tmp/e2e/wizard-what-is-left.png")


def test_a_pending_not_applicable_survives_a_reload_until_its_reason_is_given(
    page, tiny_assessment
):
    """Nothing is stored as N/A yet, so this browser keeps the switch (and the evidence) for it."""
    from casework.models import Answer

    open_step(page, tiny_assessment)
    item = page.locator("#item-TF-D1-1")
    with autosave(page, "TF-D1.1"):
        item.locator("textarea[name$='-evidence']").fill("平台已上线")
        item.locator(".cw-na-toggle").check()
    expect(item).to_have_class(re.compile("is-na-pending"))
    page.reload()
    item = page.locator("#item-TF-D1-1")
    expect(item.locator(".cw-na-toggle")).to_be_checked()
    expect(item).to_have_class(re.compile("is-na-pending"))
    expect(item.locator("textarea[name$='-evidence']")).to_have_value("平台已上线")
    answer = Answer.objects.get(assessment=tiny_assessment, criterion__code="TF-D1.1")
    assert not answer.not_applicable and answer.evidence == "平台已上线"

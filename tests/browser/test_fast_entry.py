"""Fast entry in the wizard, in a real browser: citation chips, same sources, observation sweep."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from casework.models import Answer, CaseSource
from casework.services.answers import answer_save
from casework.services.assessments import assessment_start
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/e2e")
SAVED = re.compile(r"Saved|已保存|保存")


def shot(locator, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(SHOTS / f"{name}.png"))


def card(page, code):
    return page.locator("#item-" + re.sub(r"[^0-9A-Za-z]", "-", code))


def autosave(page, code):
    """Wrap an action: wait for the card's autosave POST to come back 200."""
    path = f"/answers/{code}/"
    return page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(path) and r.status == 200
    )


def stored(assessment, code):
    return Answer.objects.get(assessment=assessment, criterion__code=code)


@pytest.fixture
def sources(alice_case):
    return [
        CaseSource.objects.create(case=alice_case, title="市政府工作报告 2024", order=1),
        CaseSource.objects.create(
            case=alice_case, title="“一网通办”改革第三方评估报告（2024 年度）", order=2
        ),
        CaseSource.objects.create(
            case=alice_case, title="Interview notes, service centre", order=3
        ),
    ]


@pytest.fixture
def tiny_assessment(alice, alice_case, tiny_version, sources):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


def watch_violations(page):
    """Content-Security-Policy reports in the console: the chips and the sweep must raise none."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def open_step(page, assessment, n=1, user="alice"):
    if getattr(page, "no_js", False):
        # Without JS the language switcher's <noscript> button is the page's first submit.
        page.goto(page.base_url + "/accounts/login/")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", "pass-" + user)
        page.click("main button[type=submit]")
    else:
        log_in(page, user, "pass-" + user)
    page.wait_for_url(re.compile(r"/cases/"))
    page.goto(page.base_url + f"/assessments/{assessment.pk}/step/{n}/")


def test_one_click_on_a_chip_cites_the_source_and_stores_the_page_typed_beside_it(
    page, tiny_assessment, sources
):
    report, evaluation, interview = sources
    violations = watch_violations(page)
    open_step(page, tiny_assessment)
    item = card(page, "TF-D1.1")
    chip = item.locator(f".cw-chip[data-cw-chip$='-src-{evaluation.pk}']")
    expect(chip).to_have_attribute("aria-pressed", "false")
    expect(item.locator(".cw-cite-box").first).to_be_hidden()  # the chips replace the boxes

    with autosave(page, "TF-D1.1"):
        chip.click()
    expect(chip).to_have_attribute("aria-pressed", "true")
    page_field = item.locator(f"[name='TF-D1.1-locator-{evaluation.pk}']")
    expect(page_field).to_be_visible()  # the page field shows beside the pressed chip only
    expect(page_field).to_be_focused()  # and the cursor waits in it: no click to get there
    expect(item.locator(f"[name='TF-D1.1-locator-{report.pk}']")).to_be_hidden()
    page.keyboard.type("p. 12")
    with autosave(page, "TF-D1.1"):
        page_field.press("Tab")
    expect(item.locator(".cw-status")).to_contain_text(SAVED)
    assert stored(tiny_assessment, "TF-D1.1").citations == [
        {"source": evaluation.pk, "locator": "p. 12", "quote": ""}
    ]

    # By keyboard: focus the third chip and press Space.
    third = item.locator(f".cw-chip[data-cw-chip$='-src-{interview.pk}']")
    third.focus()
    with autosave(page, "TF-D1.1"):
        page.keyboard.press("Space")
    expect(third).to_have_attribute("aria-pressed", "true")
    assert [c["source"] for c in stored(tiny_assessment, "TF-D1.1").citations] == [
        evaluation.pk,
        interview.pk,
    ]
    shot(item.locator(".cw-citations"), "chips-zh")
    assert violations == []


def test_same_sources_as_the_previous_item_copies_its_sources_but_not_its_pages(
    page, alice, tiny_assessment, sources
):
    report, evaluation, _interview = sources
    answer_save(
        assessment=tiny_assessment,
        criterion_code="TF-D1.1",
        user=alice,
        data={"citations": [{"source": report.pk, "locator": "p. 3"}, evaluation.pk]},
        expected_version=0,
    )
    open_step(page, tiny_assessment)
    second = card(page, "TF-D1.2")
    with autosave(page, "TF-D1.2"):
        second.locator("[data-cw-same-sources]").click()
    expect(second.locator(".cw-chip[aria-pressed=true]")).to_have_count(2)
    assert stored(tiny_assessment, "TF-D1.2").citations == [
        {"source": report.pk, "locator": "", "quote": ""},
        {"source": evaluation.pk, "locator": "", "quote": ""},
    ]

    # The first item of the next step copies what the last step cited last.
    page.goto(page.base_url + f"/assessments/{tiny_assessment.pk}/step/2/")
    with autosave(page, "TF-D2.1"):
        card(page, "TF-D2.1").locator("[data-cw-same-sources]").click()
    assert [c["source"] for c in stored(tiny_assessment, "TF-D2.1").citations] == [
        report.pk,
        evaluation.pk,
    ]


def test_a_chip_pressed_on_a_stale_card_shows_the_conflict_and_keep_mine_saves_it(
    page, unit_a, tiny_assessment, sources
):
    report, evaluation, _interview = sources
    open_step(page, tiny_assessment)
    item = card(page, "TF-D1.1")
    expect(item.locator(".cw-chip").first).to_be_visible()
    # Someone else cites the report on the same item after this page was loaded.
    answer_save(
        assessment=tiny_assessment,
        criterion_code="TF-D1.1",
        user=factories.make_user("alina", unit=unit_a),
        data={"citations": [report.pk]},
        expected_version=0,
    )
    chip = item.locator(f".cw-chip[data-cw-chip$='-src-{evaluation.pk}']")
    chip.click()
    conflict = item.locator(".cw-conflict")
    expect(conflict).to_contain_text("alina")
    # The swapped-in card still shows this analyst's choice, pressed.
    expect(item.locator(f".cw-chip[data-cw-chip$='-src-{evaluation.pk}']")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert [c["source"] for c in stored(tiny_assessment, "TF-D1.1").citations] == [report.pk]

    with autosave(page, "TF-D1.1"):
        conflict.locator("[data-cw-keep]").click()
    expect(item.locator(".cw-conflict")).to_have_count(0)
    answer = stored(tiny_assessment, "TF-D1.1")
    assert [c["source"] for c in answer.citations] == [evaluation.pk]
    assert answer.version == 2


def test_a_source_added_elsewhere_on_the_page_appears_as_a_chip_without_a_reload(
    page, alice_case, tiny_assessment
):
    open_step(page, tiny_assessment)
    item = card(page, "TF-D1.1")
    expect(item.locator(".cw-chip")).to_have_count(3)
    added = CaseSource.objects.create(case=alice_case, title="审计报告", order=9)
    # What the sources panel does after it adds a source.
    page.evaluate(
        "() => document.body.dispatchEvent(new CustomEvent('cw:sources-changed', {bubbles: true}))"
    )
    chip = item.locator(f".cw-chip[data-cw-chip='item-TF-D1-1-src-{added.pk}']")
    expect(chip).to_contain_text("4审计报告")
    with autosave(page, "TF-D1.1"):
        chip.click()
    item.locator(f"[name='TF-D1.1-locator-{added.pk}']").fill("§2")
    with autosave(page, "TF-D1.1"):
        item.locator(f"[name='TF-D1.1-locator-{added.pk}']").press("Tab")
    assert stored(tiny_assessment, "TF-D1.1").citations == [
        {"source": added.pk, "locator": "§2", "quote": ""}
    ]

    # A source removed elsewhere: its chip goes where nothing cites it; numbers follow.
    first_source = alice_case.sources.order_by("order", "id").first()
    first_source.delete()
    page.evaluate(
        "() => document.body.dispatchEvent(new CustomEvent('cw:sources-changed', {bubbles: true}))"
    )
    expect(item.locator(".cw-chip")).to_have_count(3)
    expect(chip).to_contain_text("3审计报告")


def test_without_javascript_the_sources_are_plain_checkboxes_saved_with_the_step(
    browser, live_server, tiny_assessment, sources
):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.base_url, page.no_js = live_server.url, True
    open_step(page, tiny_assessment)
    item = card(page, "TF-D1.1")
    expect(item.locator(".cw-chip").first).to_be_hidden()
    item.locator(f"#item-TF-D1-1-src-{sources[1].pk}").check()
    item.locator(f"[name='TF-D1.1-locator-{sources[1].pk}']").fill("第 5 页")
    page.locator("button[name=go][value=next]").click()
    page.wait_for_url(re.compile(r"/step/2/$"))
    context.close()
    assert stored(tiny_assessment, "TF-D1.1").citations == [
        {"source": sources[1].pk, "locator": "第 5 页", "quote": ""}
    ]


@pytest.fixture
def sweep_assessment(alice, alice_case):
    items = [("D1.s1", "scored", 1)] + [(f"D1.o{i}", "observation", 1) for i in range(1, 6)]
    version = factories.make_tiny_framework(
        "SW", dimensions=(("D1", 1, items), ("D2", 1, [("D2.1", "scored", 1)]))
    )
    return assessment_start(case=alice_case, version=version, user=alice)


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_sweeps_own_page_sets_every_observation_of_a_step_in_one_save(
    browser, live_server, sweep_assessment, locale
):
    """The page the step's link leads to without htmx (the step opens it in place otherwise)."""
    context = browser.new_context(locale=locale, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.base_url = live_server.url
    violations = watch_violations(page)
    open_step(page, sweep_assessment)
    page.goto(page.base_url + f"/assessments/{sweep_assessment.pk}/step/1/observations/")

    page.locator("#obs-SW-D1-o1-present").check()
    page.locator("#obs-SW-D1-o4-present").check()
    # The rows still blank get "absent" from the column's header: one click for three rows.
    page.locator("[data-cw-fill=absent]").click()
    choices = ["present", "absent", "absent", "present", "absent"]
    for number, value in enumerate(choices, start=1):
        expect(page.locator(f"#obs-SW-D1-o{number}-{value}")).to_be_checked()
        expect(page.locator(f"#obs-SW-D1-o{number}")).to_have_class(re.compile("is-changed"))
    row = page.locator("#obs-SW-D1-o2")
    row.locator("summary").click()  # the note, on demand
    row.locator("textarea").fill("评估报告未提及")
    shot(page.locator("main"), f"sweep-{locale}")

    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/step/1/$"))
    expect(page.locator(".alert-success")).to_contain_text("5")
    context.close()

    assert violations == []
    assert len(posts) == 1  # one save for the whole table
    assert [stored(sweep_assessment, f"SW-D1.o{i}").observation for i in range(1, 6)] == choices
    assert stored(sweep_assessment, "SW-D1.o2").note == "评估报告未提及"

"""An analyst works a case end to end in the browser: create, score, registers, submit.

The UI may be in Chinese (once the translations are compiled) or still in English, so
visible strings are matched with both spellings.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from casework.models import Answer, Assessment, Case, Role
from casework.services.answers import answer_save
from frameworks.models import Criterion
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/e2e")
SAVED = re.compile(r"Saved|已保存|保存")
SUBMITTED = re.compile(r"Submitted|已提交")
GOAL = "两年内实现80%事项网上可办"


def shot(page, name, *, full_page=True):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def logged_in(page, username):
    log_in(page, username, "pass-" + username)
    page.wait_for_url(re.compile(r"/cases/"))


def card(page, code):
    return page.locator("#item-" + re.sub(r"[^0-9A-Za-z]", "-", code))


def wait_saved(item):
    expect(item.locator(".cw-status")).to_contain_text(SAVED)


def autosave(page, code):
    """Wrap an action: wait for the card's autosave POST to come back 200."""
    path = f"/answers/{code}/"
    return page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(path) and r.status == 200
    )


def answer_rest(assessment, user):
    """Answer every item still open, through the same service the wizard uses."""
    answers = {a.criterion_id: a for a in Answer.objects.filter(assessment=assessment)}
    for criterion in Criterion.objects.filter(version=assessment.version).order_by("code"):
        answer = answers.get(criterion.pk)
        if answer is not None and answer.is_answered:
            continue
        data = {"level": 3} if criterion.is_scored else {"observation": "present"}
        answer_save(
            assessment=assessment,
            criterion_code=criterion.code,
            user=user,
            data=data,
            expected_version=answer.version if answer else 0,
        )


def open_new_row(page, register):
    """Click "Add row" and wait until htmx has swapped in the row's form and wired it up."""
    page.evaluate(
        """() => { window.__cwSettled = new Promise(resolve =>
            document.body.addEventListener("htmx:afterSettle", () => resolve(true), {once: true})); }"""
    )
    section = page.locator(f"#register-{register}")
    section.locator("a[href$='?new=1']").click()
    page.evaluate("() => window.__cwSettled")
    form = section.locator("tr.cw-row-edit form")
    expect(form).to_be_visible()
    return form


def add_register_row(page, register, fill):
    """Open the register's empty row, fill it with `fill(form)`, save, and return the saved row."""
    section = page.locator(f"#register-{register}")
    form = open_new_row(page, register)
    fill(form)
    form.locator("button[type=submit]").click()
    expect(section.locator("tr.cw-row-edit")).to_have_count(0)
    return section.locator("tbody tr").last


def create_case_through_form(page):
    page.goto(page.base_url + "/cases/new/")
    page.fill("#id_title", "杭州市“最多跑一次”改革")
    page.fill("#id_body", "杭州市人民政府办公厅")
    page.select_option("#id_level", "municipal")
    page.fill("#id_region", "浙江")
    # "Other…" reveals the text field; typed text naming a listed sector is saved as that sector.
    expect(page.locator("#id_sector")).to_be_hidden()
    page.select_option("#id_sector_ref", "other")
    page.fill("#id_sector", "政务服务")
    page.fill("#id_period_start", "2023-01-01")
    page.fill("#id_period_end", "2025-06-30")
    page.fill("#id_summary", "以群众办事“最多跑一次”为目标，推进政务服务一网通办。")
    page.fill("#id_tags", "一网通办，最多跑一次")
    page.fill("#id_sources-0-title", "浙江省政府工作报告")
    page.fill("#id_sources-0-reference", "https://example.org/report")
    page.fill("#id_sources-0-published_on", "2024-01-15")
    page.fill("#id_sources-1-title", "改革评估白皮书")
    page.fill("#id_sources-1-reference", "内部资料 2024-03")
    page.locator("main form button[type=submit].btn-primary").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    return Case.objects.get(title="杭州市“最多跑一次”改革")


def test_analyst_creates_a_case_scores_it_through_the_wizard_and_submits_it(
    page, alice, frameworks
):
    page.set_default_timeout(8_000)
    logged_in(page, "alice")
    case = create_case_through_form(page)
    assert case.unit_id == alice.membership.unit_id
    assert case.sources.count() == 2
    assert case.tags == ["一网通办", "最多跑一次"]
    assert (case.sector_ref.code, case.sector) == ("government-services", "")
    for code in ("SF", "CA"):
        group = page.locator(f"[data-framework={code}]")
        expect(group).to_be_visible()
        expect(group.locator("tbody tr")).to_have_count(1)
        expect(group.locator("tbody tr")).to_contain_text(re.compile(r"Round 1|第\s*1\s*轮"))
    shot(page, "01-case-detail")

    ca = Assessment.objects.get(case=case, framework__code="CA")
    sf = Assessment.objects.get(case=case, framework__code="SF")
    page.locator("[data-framework=CA] a.btn-primary").click()
    page.wait_for_url(re.compile(rf"/assessments/{ca.pk}/step/1/$"))

    # Step 1, item by item: a level, evidence (autosaved), a citation and a confidence.
    first = card(page, "CA-1.2.1")
    with autosave(page, "CA-1.2.1"):
        first.locator("#item-CA-1-2-1-level-3").check()
    wait_saved(first)
    with autosave(page, "CA-1.2.1"):
        first.locator("textarea[name$='-evidence']").fill("市政府2023年工作报告明确提出两年目标。")
    wait_saved(first)
    with autosave(page, "CA-1.2.1"):
        first.locator(".cw-chip").first.click()  # a citation chip: one click cites
    with autosave(page, "CA-1.2.1"):
        first.locator("label[for='item-CA-1-2-1-conf-high']").click()
    wait_saved(first)
    second = card(page, "CA-1.2.2")
    with autosave(page, "CA-1.2.2"):
        second.locator("#item-CA-1-2-2-level-2").check()
    wait_saved(second)

    # Not applicable, with its reason.
    third = card(page, "CA-1.2.3")
    third.locator(".cw-na-toggle").check()
    # Switching N/A on waits for the reason (no error); then the reason saves it.
    expect(third.locator(".cw-na-pending-hint")).to_be_visible()
    reason = third.locator("textarea[name$='-na_reason']")
    with autosave(page, "CA-1.2.3"):
        reason.fill("本案例只涉及市级层面，不涉及该事项。")
    wait_saved(card(page, "CA-1.2.3"))

    # Observation items.
    observations = Criterion.objects.filter(
        version=ca.version, dimension__code="CA-1", kind=Criterion.Kind.OBSERVATION
    ).order_by("order")
    for criterion in observations:
        item = card(page, criterion.code)
        with autosave(page, criterion.code):
            item.locator("label[for$='-obs-present']").click()
        wait_saved(item)

    # A goal: the SMART hints light up for a measurable, time-bound statement.
    goals = page.locator("#register-goals")
    goal_form = open_new_row(page, "goals")
    goal_form.locator("[name=statement]").fill(GOAL)
    expect(goal_form.locator(".cw-smart .cw-hint").first).to_be_visible()
    hinted = goal_form.locator(".cw-smart .cw-hint").count()
    assert hinted >= 2, "expected hints for at least measurable and time-bound"
    expect(goal_form.locator(".cw-smart")).to_contain_text("80%")
    expect(goal_form.locator(".cw-smart")).to_contain_text("两年内")
    goals.screenshot(path=str(SHOTS / "02-goal-smart-hints.png"))
    goal_form.locator("[name=owner]").fill("市数据资源管理局")
    goal_form.locator("button[type=submit]").click()
    expect(goals.locator("tr.cw-row-edit")).to_have_count(0)
    expect(goals.locator("tbody")).to_contain_text(GOAL)

    stored = {
        a.criterion.code: a
        for a in Answer.objects.filter(assessment=ca).select_related("criterion")
    }
    assert stored["CA-1.2.1"].level == 3
    assert stored["CA-1.2.1"].confidence == "high"
    assert len(stored["CA-1.2.1"].citations) == 1
    assert stored["CA-1.2.3"].not_applicable and stored["CA-1.2.3"].na_reason

    # Reload with no local drafts: everything comes back from the server.
    page.evaluate("localStorage.clear()")
    page.reload()
    expect(page.locator("#item-CA-1-2-1-level-3")).to_be_checked()
    expect(page.locator("#item-CA-1-2-2-level-2")).to_be_checked()
    expect(card(page, "CA-1.2.1").locator("textarea[name$='-evidence']")).to_have_value(
        "市政府2023年工作报告明确提出两年目标。"
    )
    expect(page.locator("#item-CA-1-2-1-conf-high")).to_be_checked()
    expect(card(page, "CA-1.2.1").locator("input[name$='-citations']").first).to_be_checked()
    expect(page.locator("#item-CA-1-2-3-na")).to_be_checked()
    expect(page.locator("#register-goals tbody")).to_contain_text(GOAL)

    # Step 2 has no register; steps 3–6 each get a row.
    page.locator("button[name=go][value=next]").click()
    page.wait_for_url(re.compile(r"/step/2/$"))
    page.locator("button[name=go][value=next]").click()
    page.wait_for_url(re.compile(r"/step/3/$"))

    def stakeholder(form):
        form.locator("[name=name]").fill("市民代表")
        form.locator("[name=group]").select_option("public")
        form.locator("input[name=influence][value='3'] + label").click()
        form.locator("input[name=interest][value='5'] + label").click()

    add_register_row(page, "stakeholders", stakeholder)
    expect(page.locator("#register-stakeholders tbody")).to_contain_text("市民代表")
    page.evaluate("localStorage.clear()")
    page.reload()
    expect(page.locator("#register-stakeholders tbody")).to_contain_text("市民代表")

    page.locator("button[name=go][value=next]").click()
    page.wait_for_url(re.compile(r"/step/4/$"))

    def phase(form):
        form.locator("[name=name]").fill("试点阶段")
        form.locator("[name=start]").fill("2023-01-01")
        form.locator("[name=end]").fill("2023-06-30")
        form.locator("[name=is_pilot]").check()

    add_register_row(page, "phases", phase)
    expect(page.locator("#register-phases tbody")).to_contain_text("试点阶段")

    page.locator("button[name=go][value=next]").click()
    page.wait_for_url(re.compile(r"/step/5/$"))

    def risk(form):
        form.locator("[name=category]").select_option("technology")
        form.locator("[name=description]").fill("系统对接失败")
        form.locator("input[name=likelihood][value='2'] + label").click()
        form.locator("input[name=impact][value='4'] + label").click()

    add_register_row(page, "risks", risk)
    expect(page.locator("#register-risks tbody")).to_contain_text("系统对接失败")

    page.locator("button[name=go][value=next]").click()
    page.wait_for_url(re.compile(r"/step/6/$"))

    def indicator(form):
        form.locator("[name=family]").select_option("service")
        form.locator("[name=name]").fill("网上可办率")
        form.locator("[name=unit]").fill("%")
        form.locator("[name=baseline]").fill("40")
        form.locator("[name=target]").fill("80")
        form.locator("[name=actual]").fill("60")

    row = add_register_row(page, "indicators", indicator)
    expect(row).to_contain_text("网上可办率")
    expect(row).to_contain_text("50%")
    shot(page, "03-wizard-step6-indicators")

    assert ca.goals.count() == ca.stakeholders.count() == ca.phases.count() == 1
    assert ca.risks.count() == ca.indicators.count() == 1

    # Step 1 of SF through the UI too.
    page.goto(page.base_url + f"/assessments/{sf.pk}/step/1/")
    for criterion in Criterion.objects.filter(version=sf.version, dimension__code="SF-1"):
        item = card(page, criterion.code)
        with autosave(page, criterion.code):
            item.locator(f"#{item_id(criterion.code)}-level-4").check()
        wait_saved(item)
    assert Answer.objects.filter(assessment=sf, level=4).count() == 4

    # The rest, quickly, through the answer service.
    answer_rest(ca, alice)
    answer_rest(sf, alice)

    for assessment in (ca, sf):
        page.goto(page.base_url + f"/assessments/{assessment.pk}/")
        page.locator("[data-testid=workflow-actions] a.btn-success").click()
        page.wait_for_url(re.compile(r"/submit/$"))
        expect(page.locator("main .alert-warning")).to_have_count(0)  # all answered
        page.locator("main form button[type=submit].btn-success").click()
        page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/$"))
        expect(page.locator("main h1 .badge, main h1 ~ .badge").last).to_contain_text(SUBMITTED)
    shot(page, "04-assessment-submitted")
    assert Assessment.objects.get(pk=ca.pk).status == Assessment.Status.SUBMITTED

    page.goto(page.base_url + f"/assessments/{ca.pk}/step/1/")
    expect(page.locator("[data-testid=read-only]")).to_be_visible()
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.locator(".cw-item[hx-post]")).to_have_count(0)
    expect(page.locator("#register-goals a[href$='?new=1']")).to_have_count(0)
    expect(card(page, "CA-1.2.1").locator(".cw-readonly")).to_contain_text(
        "市政府2023年工作报告明确提出两年目标。"
    )
    shot(page, "05-wizard-read-only")


def item_id(code):
    return "item-" + re.sub(r"[^0-9A-Za-z]", "-", code)


@pytest.fixture
def tiny_assessment(alice_case, alice, tiny_version):
    """Round 1 of alice's case on the tiny framework, with one source to cite."""
    from casework.services.assessments import assessment_start

    alice_case.sources.create(title="市政府工作报告", reference="https://example.org/r")
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


def test_not_applicable_waits_for_its_reason_without_an_error_and_keeps_the_evidence(
    page, tiny_assessment
):
    logged_in(page, "alice")
    page.goto(page.base_url + f"/assessments/{tiny_assessment.pk}/step/1/")
    item = card(page, "TF-D1.1")
    evidence = "网上办事大厅上线了 1200 个事项。"
    with autosave(page, "TF-D1.1"):
        item.locator("textarea[name$='-evidence']").fill(evidence)
        item.locator(".cw-na-toggle").check()

    # A waiting state, not an error: the reason box has the focus and the status says so.
    expect(item).to_have_class(re.compile("is-na-pending"))
    expect(item.locator(".cw-na-pending-hint")).to_be_visible()
    expect(item.locator(".cw-status")).to_contain_text(re.compile(r"Reason needed|需.*理由|原因"))
    expect(item.locator(".cw-status")).not_to_have_class(re.compile("is-error"))
    expect(item.locator(".invalid-feedback")).to_have_count(0)
    expect(item.locator("textarea[name$='-na_reason']")).to_be_focused()
    expect(item.locator("textarea[name$='-evidence']")).to_have_value(evidence)
    expect(item.locator(".cw-na-toggle")).to_be_checked()
    shot(page, "06-na-waiting-for-reason")
    answer = Answer.objects.get(assessment=tiny_assessment, criterion__code="TF-D1.1")
    assert not answer.not_applicable and not answer.is_answered
    assert answer.evidence == evidence

    # Giving the reason saves the N/A, and only then is the item answered.
    with autosave(page, "TF-D1.1"):
        item.locator("textarea[name$='-na_reason']").fill("该事项由省级统一办理。")
    wait_saved(card(page, "TF-D1.1"))
    expect(item).not_to_have_class(re.compile("is-na-pending"))
    answer.refresh_from_db()
    assert answer.not_applicable and answer.is_answered
    assert answer.evidence == evidence
    assert answer.na_reason == "该事项由省级统一办理。"


def test_two_analysts_editing_one_item_see_the_conflict_and_keep_mine_saves_over_it(
    page, browser, unit_a, tiny_assessment
):
    factories.make_user("alina", unit=unit_a, role=Role.ANALYST)
    other = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    try:
        page2 = other.new_page()
        page2.set_default_timeout(10_000)
        page2.base_url = page.base_url
        logged_in(page, "alice")
        logged_in(page2, "alina")
        step = f"/assessments/{tiny_assessment.pk}/step/1/"
        page.goto(page.base_url + step)
        page2.goto(page.base_url + step)

        # Both start typing on the same item; alice's autosave lands first.
        mine = card(page, "TF-D1.1")
        mine.locator("textarea[name$='-evidence']").fill("爱丽丝：平台已上线。")
        wait_saved(mine)

        theirs = card(page2, "TF-D1.1")
        theirs.locator("textarea[name$='-evidence']").fill("阿琳娜：平台仍在试运行。")
        conflict = theirs.locator(".cw-conflict")
        expect(conflict).to_be_visible()
        expect(conflict).to_contain_text("爱丽丝：平台已上线。")
        expect(conflict).to_contain_text("阿琳娜：平台仍在试运行。")
        expect(conflict).to_contain_text("alice")
        # Alina's own text stays in her textarea.
        expect(theirs.locator("textarea[name$='-evidence']")).to_have_value(
            "阿琳娜：平台仍在试运行。"
        )
        shot(page2, "07-conflict")

        answer = Answer.objects.get(assessment=tiny_assessment, criterion__code="TF-D1.1")
        assert answer.evidence == "爱丽丝：平台已上线。"
        seen_version = answer.version

        conflict.locator("[data-cw-keep]").click()
        wait_saved(card(page2, "TF-D1.1"))
        expect(card(page2, "TF-D1.1").locator(".cw-conflict")).to_have_count(0)
        answer.refresh_from_db()
        assert answer.evidence == "阿琳娜：平台仍在试运行。"
        assert answer.version == seen_version + 1
        assert answer.updated_by.username == "alina"
    finally:
        other.close()


def test_analyst_of_another_unit_gets_404_for_the_case_and_analysts_get_403_for_admin(
    page, alice_case, tiny_assessment, charlie
):
    logged_in(page, "charlie")
    expect(page.locator("main")).not_to_contain_text(alice_case.title)
    response = page.goto(page.base_url + f"/cases/{alice_case.pk}/")
    assert response.status == 404
    expect(page.locator("[data-testid=error-404]")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(alice_case.title)
    shot(page, "08-charlie-404")
    for path in ("/", "/step/1/", "/report/"):
        response = page.goto(page.base_url + f"/assessments/{tiny_assessment.pk}{path}")
        assert response.status == 404, path

    page.context.clear_cookies()
    logged_in(page, "alice")
    response = page.goto(page.base_url + f"/cases/{alice_case.pk}/")
    assert response.status == 200
    response = page.goto(page.base_url + "/admin/")
    assert response.status == 403
    expect(page.locator("[data-testid=error-403]")).to_be_visible()
    shot(page, "09-alice-admin-403")


def test_reason_typed_while_the_na_autosave_is_in_flight_is_not_lost(page, tiny_assessment):
    logged_in(page, "alice")
    page.goto(page.base_url + f"/assessments/{tiny_assessment.pk}/step/1/")
    held = []
    answers_url = re.compile(r".*/answers/TF-D1\.1/$")

    def hold_first(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(answers_url, hold_first)
    item = card(page, "TF-D1.1")
    item.locator(".cw-na-toggle").check()
    page.wait_for_function("() => true")  # let the held request reach the route handler
    assert len(held) == 1
    # A slow connection: the user types (an IME commits the phrase at once) before the reply.
    item.locator("textarea[name$='-na_reason']").fill("该事项由省级统一办理。")
    # The first reply says "N/A needs a reason" about the values it was sent; the reason typed
    # meanwhile must survive that error card and be saved right after it.
    held[0].continue_()
    # The reason's own autosave follows the first reply: the card comes back at version 1.
    expect(card(page, "TF-D1.1").locator("input[name='TF-D1.1-version']")).to_have_value(
        "1", timeout=20_000
    )
    expect(card(page, "TF-D1.1").locator("textarea[name$='-na_reason']")).to_have_value(
        "该事项由省级统一办理。"
    )
    # ...and it is saved, not just shown: the card comes back clean and the answer holds it.
    expect(card(page, "TF-D1.1").locator(".invalid-feedback")).to_have_count(0)
    answer = Answer.objects.get(assessment=tiny_assessment, criterion__code="TF-D1.1")
    assert answer.not_applicable is True
    assert answer.na_reason == "该事项由省级统一办理。"

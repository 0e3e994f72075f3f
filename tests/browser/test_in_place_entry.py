"""The sweep and the register import inside the wizard step, in a real browser: no page loads."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from casework.models import Risk
from casework.services.answers import answer_save
from tests import factories
from tests.browser import test_fast_entry, test_register_fast_entry
from tests.browser.conftest import log_in
from tests.browser.test_fast_entry import card, stored
from tests.browser.test_register_fast_entry import SHEET

pytestmark = pytest.mark.django_db(transaction=True)

# The same assessments as the fast-entry tests: a step of five observations, a risk register.
sweep_assessment = test_fast_entry.sweep_assessment
risk_assessment = test_register_fast_entry.risk_assessment

SHOTS = Path("/tmp/h10fast")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SETTLED = "() => !document.querySelector('.htmx-request, .htmx-added, .htmx-settling')"
RUN_AXE = """() => axe.run(document, {
  resultTypes: ["violations"],
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
}).then(result => result.violations
  .filter(v => ["critical", "serious"].includes(v.impact))
  .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", ")))"""


class Visit:
    """A logged-in tab on a step that counts its page loads and POSTs, and its CSP reports."""

    def __init__(self, browser, live_server, *, width=1366, locale="zh-CN", bypass_csp=False):
        self.context = browser.new_context(
            locale=locale, viewport={"width": width, "height": 900}, bypass_csp=bypass_csp
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.page.base_url = live_server.url
        self.loads, self.posts, self.csp = 0, [], []
        self.page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def open_step(self, assessment, n=1):
        log_in(self.page, "alice", "pass-alice")
        self.page.wait_for_url(re.compile(r"/cases/"))
        self.page.goto(self.page.base_url + f"/assessments/{assessment.pk}/step/{n}/")
        self.page.on("load", lambda _page: setattr(self, "loads", self.loads + 1))
        self.page.on("request", lambda r: r.method == "POST" and self.posts.append(r.url))

    def settle(self):
        self.page.wait_for_function(SETTLED)

    def shot(self, name, locator=None):
        SHOTS.mkdir(parents=True, exist_ok=True)
        (locator or self.page).screenshot(path=str(SHOTS / f"{name}.png"))

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, live_server):
    opened = []

    def make(**options):
        opened.append(Visit(browser, live_server, **options))
        return opened[-1]

    yield make
    for one in opened:
        one.close()


def item(code):
    return "#obs-" + re.sub(r"[^0-9A-Za-z]", "-", code)


# --- The observation sweep -------------------------------------------------------------------


def open_sweep(page):
    page.get_by_test_id("sweep-link").click()
    expect(page.get_by_test_id("sweep-panel")).to_be_visible()
    expect(page.locator("#cw-sweep-title")).to_be_focused()


def test_the_sweep_opens_and_saves_inside_the_step_without_a_page_load(visit, sweep_assessment):
    tab = visit()
    page = tab.page
    tab.open_step(sweep_assessment)
    open_sweep(page)
    page.locator(f"{item('SW-D1.o1')}-present").check()
    page.locator(f"{item('SW-D1.o4')}-present").check()
    page.locator("#cw-sweep-panel [data-cw-fill=absent]").click()  # the three blank rows
    note = page.locator(item("SW-D1.o2"))
    note.locator("summary").click()
    note.locator("textarea").fill("评估报告未提及")
    tab.shot("sweep-in-place-zh", page.locator("main"))

    page.get_by_test_id("sweep-save").click()
    expect(page.get_by_test_id("sweep-saved")).to_contain_text("5")
    tab.settle()
    tab.shot("sweep-saved-in-place-zh", page.locator("main"))

    choices = ["present", "absent", "absent", "present", "absent"]
    for number, value in enumerate(choices, start=1):
        # The step's own cards show what the table saved, each at its new version.
        code = f"SW-D1.o{number}"
        expect(card(page, code).locator(f"input[value={value}]")).to_be_checked()
        expect(card(page, code).locator(f"input[name='{code}-version']")).to_have_value("1")
    expect(card(page, "SW-D1.o2").locator("textarea")).to_have_value("评估报告未提及")
    expect(page.get_by_test_id("overall-progress")).to_have_text(re.compile(r"^5/"))
    expect(page.get_by_test_id("what-is-left")).not_to_contain_text("SW-D1.o3")
    assert tab.loads == 0 and len(tab.posts) == 1 and tab.csp == []
    assert [stored(sweep_assessment, f"SW-D1.o{i}").observation for i in range(1, 6)] == choices
    assert stored(sweep_assessment, "SW-D1.o2").note == "评估报告未提及"


def test_a_row_saved_meanwhile_comes_back_marked_with_my_choice_kept(
    visit, sweep_assessment, alice, unit_a
):
    tab = visit(locale="en-GB")
    page = tab.page
    tab.open_step(sweep_assessment)
    open_sweep(page)
    answer_save(
        assessment=sweep_assessment,
        criterion_code="SW-D1.o2",
        user=factories.make_user("alice2", unit=unit_a),
        data={"observation": "unknown"},
        expected_version=0,
    )
    page.locator(f"{item('SW-D1.o1')}-present").check()
    page.locator(f"{item('SW-D1.o2')}-absent").check()
    with page.expect_response(lambda r: r.request.method == "POST") as reply:
        page.get_by_test_id("sweep-save").click()
    assert reply.value.status == 409
    expect(page.get_by_test_id("sweep-conflict")).to_contain_text("Unknown")
    expect(page.get_by_test_id("sweep-problems")).to_be_focused()
    expect(page.locator(f"{item('SW-D1.o2')}-absent")).to_be_checked()  # my choice, kept
    assert stored(sweep_assessment, "SW-D1.o1").observation == "present"  # the others saved

    page.get_by_test_id("sweep-save").click()  # again: mine wins, on their version
    expect(page.get_by_test_id("sweep-saved")).to_be_visible()
    assert stored(sweep_assessment, "SW-D1.o2").observation == "absent"
    assert tab.loads == 0


def test_close_empties_the_panel_and_gives_the_focus_back(visit, sweep_assessment):
    tab = visit()
    tab.open_step(sweep_assessment)
    open_sweep(tab.page)
    tab.page.locator("[data-cw-sweep-close]").click()
    expect(tab.page.get_by_test_id("sweep-panel")).to_have_count(0)
    expect(tab.page.get_by_test_id("sweep-link")).to_be_focused()


def test_an_open_note_keeps_the_sweep_inside_a_phone(visit, sweep_assessment):
    tab = visit(width=390)
    page = tab.page
    tab.open_step(sweep_assessment)
    open_sweep(page)
    row = page.locator(item("SW-D1.o3"))
    row.locator("summary").click()
    expect(row.locator("textarea")).to_be_visible()
    scroller = page.locator("#cw-sweep-panel .table-responsive")
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth")  # no sideways scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = row.locator("textarea").bounding_box()
    assert box["width"] > 300  # the note takes the table's full width
    tab.shot("sweep-in-place-390-zh", page.get_by_test_id("sweep-panel"))


# --- The register import ---------------------------------------------------------------------


def open_import(page):
    page.get_by_test_id("register-import-link").click()
    expect(page.locator("#register-risks textarea[name=text]")).to_be_focused()


def test_pasted_rows_are_previewed_then_imported_inside_the_register_box(visit, risk_assessment):
    tab = visit()
    page = tab.page
    tab.open_step(risk_assessment)
    open_import(page)
    page.locator("#register-risks textarea[name=text]").fill(SHEET)
    page.get_by_test_id("import-preview-button").click()
    preview = page.locator("#register-risks").get_by_test_id("import-preview")
    expect(preview.get_by_test_id("preview-row")).to_have_count(3)
    tab.settle()
    tab.shot("import-preview-in-place-zh", page.locator("#register-risks"))
    assert not Risk.objects.exists()  # nothing written before the confirm

    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("3")
    body = page.locator("#register-risks tbody")
    expect(body.locator("tr[id]")).to_have_count(3)
    expect(body).to_contain_text("窗口人员不熟悉新流程")
    expect(page.get_by_test_id("import-panel")).to_have_count(0)
    tab.settle()
    tab.shot("import-done-in-place-zh", page.locator("#register-risks"))
    assert Risk.objects.count() == 3
    assert tab.loads == 0 and len(tab.posts) == 2 and tab.csp == []


def test_a_paste_with_an_error_is_shown_in_place_and_cancel_returns_to_the_table(
    visit, risk_assessment
):
    tab = visit()
    page = tab.page
    tab.open_step(risk_assessment)
    open_import(page)
    page.locator("#register-risks textarea[name=text]").fill(SHEET.replace("\t4\t4\t", "\t4\t九\t"))
    page.get_by_test_id("import-preview-button").click()
    expect(page.get_by_test_id("cell-error")).to_contain_text("九")
    expect(page.get_by_test_id("import-confirm")).to_have_count(0)
    expect(page.locator("#register-risks textarea[name=text]")).to_have_value(re.compile("九"))

    page.locator("[data-cw-import-cancel]").click()
    expect(page.get_by_test_id("import-panel")).to_have_count(0)
    expect(page.get_by_test_id("register-import-link")).to_be_focused()
    assert not Risk.objects.exists() and tab.loads == 0


def test_an_uploaded_xlsx_is_previewed_and_imported_in_place(visit, risk_assessment, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    for line in SHEET.strip().split("\n"):
        book.active.append(line.split("\t"))
    path = tmp_path / "risks.xlsx"
    book.save(path)
    tab = visit()
    page = tab.page
    tab.open_step(risk_assessment)
    open_import(page)
    page.locator("#register-risks input[type=file]").set_input_files(str(path))
    page.get_by_test_id("import-preview-button").click()
    expect(page.get_by_test_id("preview-row")).to_have_count(3)
    page.get_by_test_id("import-confirm").click()
    expect(page.locator("#register-risks tbody tr[id]")).to_have_count(3)
    assert Risk.objects.count() == 3 and tab.loads == 0


def test_the_import_preview_fits_a_phone_inside_the_step(visit, risk_assessment):
    tab = visit(width=390)
    page = tab.page
    tab.open_step(risk_assessment)
    open_import(page)
    page.locator("#register-risks textarea[name=text]").fill(SHEET)
    page.get_by_test_id("import-preview-button").click()
    expect(page.get_by_test_id("preview-row")).to_have_count(3)
    tab.settle()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    tab.shot("import-preview-in-place-390-zh", page.locator("#register-risks"))


# --- Accessibility with the panels open --------------------------------------------------------


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_the_open_panels_have_no_critical_or_serious_axe_violation(
    visit, sweep_assessment, risk_assessment, locale
):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci`")
    found = []
    for width in (1280, 390):
        tab = visit(width=width, locale=locale, bypass_csp=True)
        page = tab.page
        tab.open_step(sweep_assessment)
        open_sweep(page)
        page.locator(item("SW-D1.o1")).locator("summary").click()
        page.add_script_tag(path=str(AXE))
        found += [f"{width}px sweep: {v}" for v in page.evaluate(RUN_AXE)]
        page.goto(page.base_url + f"/assessments/{risk_assessment.pk}/step/1/")
        open_import(page)
        page.locator("#register-risks textarea[name=text]").fill(
            SHEET.replace("\t2\t5\t", "\t2\t六\t")
        )
        page.get_by_test_id("import-preview-button").click()
        expect(page.get_by_test_id("preview-row")).to_have_count(3)
        tab.settle()
        page.add_script_tag(path=str(AXE))
        found += [f"{width}px import: {v}" for v in page.evaluate(RUN_AXE)]
    assert found == []

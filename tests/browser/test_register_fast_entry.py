"""Register fast entry in the browser: paste rows from a sheet, preview, confirm; click scores."""

import re

import pytest
from playwright.sync_api import expect

from casework.models import Risk
from casework.services.assessments import assessment_start
from frameworks.models import Dimension, FrameworkVersion
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SHEET = (
    "类别\t描述\t可能性\t影响\t负责人\n"
    "技术\t统一身份认证平台宕机\t2\t5\t信息中心\n"
    "管理\t跨部门数据共享协调困难\t4\t4\t数据局\n"
    "业务\t窗口人员不熟悉新流程\t3\t2\t政务服务中心\n"
)


@pytest.fixture
def risk_assessment(alice, alice_case):
    """An assessment whose first step holds the risk register."""
    version = factories.make_tiny_framework("RK", publish=False)
    Dimension.objects.filter(version=version, code="RK-D1").update(registers=["risks"])
    version.status = FrameworkVersion.Status.PUBLISHED
    version.save()
    return assessment_start(case=alice_case, version=version, user=alice)


def open_step(page, assessment):
    log_in(page, "alice", "pass-alice")
    page.wait_for_url(re.compile(r"/cases/"))
    page.goto(page.base_url + f"/assessments/{assessment.pk}/step/1/")


def a_risk(assessment, likelihood, impact) -> Risk:
    return Risk.objects.create(
        assessment=assessment,
        category="policy",
        description="政策调整",
        likelihood=likelihood,
        impact=impact,
    )


def click_score(page, risk, name, value):
    page.locator(f"label[for=risks-row-{risk.pk}-{name}-{value}]").click()


def expect_version(page, risk, version):
    # A save waits for the server: on a loaded machine that can take longer than expect's 5 s.
    field = page.locator(f"#risks-row-{risk.pk} input[name=version]").first
    expect(field).to_have_value(version, timeout=20_000)


def test_pasted_rows_are_previewed_then_imported_on_confirm(page, risk_assessment):
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    open_step(page, risk_assessment)
    page.goto(page.base_url + f"/assessments/{risk_assessment.pk}/registers/risks/import/")
    page.locator("textarea[name=text]").fill(SHEET)
    page.get_by_test_id("import-preview-button").click()

    preview = page.get_by_test_id("import-preview")
    expect(preview.get_by_test_id("preview-row")).to_have_count(3)
    expect(preview).to_contain_text("跨部门数据共享协调困难")
    assert not Risk.objects.exists()  # nothing written before the confirm

    page.get_by_test_id("import-confirm").click()
    page.wait_for_url(re.compile(r"/step/1/"))
    body = page.locator("#register-risks tbody")
    expect(body.locator("tr")).to_have_count(3)
    expect(body).to_contain_text("窗口人员不熟悉新流程")
    assert list(Risk.objects.order_by("order").values_list("likelihood", "impact")) == [
        (2, 5),
        (4, 4),
        (3, 2),
    ]
    assert violations == []  # the import page and the score buttons run under the strict CSP


def test_a_paste_with_an_error_names_the_cell_and_offers_no_import(page, risk_assessment):
    open_step(page, risk_assessment)
    page.goto(page.base_url + f"/assessments/{risk_assessment.pk}/registers/risks/import/")
    page.locator("textarea[name=text]").fill(SHEET.replace("\t4\t4\t", "\t4\t九\t"))
    page.get_by_test_id("import-preview-button").click()
    expect(page.get_by_test_id("cell-error")).to_have_count(1)
    expect(page.get_by_test_id("cell-error")).to_contain_text("九")
    expect(page.get_by_test_id("import-confirm")).to_have_count(0)
    expect(page.locator("textarea[name=text]")).to_have_value(re.compile("九"))


def test_a_score_clicked_or_typed_in_the_table_is_saved_at_once(page, risk_assessment, alice):
    risk = a_risk(risk_assessment, 2, 3)
    open_step(page, risk_assessment)
    row = page.locator(f"#risks-row-{risk.pk}")
    click_score(page, risk, "likelihood", 4)
    expect_version(page, risk, "1")
    expect(row).to_contain_text("12")  # severity 4 × 3
    # The fresh row has settled (htmx has wired up its forms), as it has long before a person
    # could press a key.
    page.wait_for_function("() => !document.querySelector('.htmx-added, .htmx-settling')")
    # The number keys choose a score on a focused control.
    page.locator(f"#risks-row-{risk.pk}-impact-3").focus()
    page.keyboard.press("5")
    expect_version(page, risk, "2")
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.updated_by) == (4, 5, alice)


def test_two_quick_clicks_on_one_row_both_stick(page, risk_assessment):
    risk = a_risk(risk_assessment, 2, 2)
    open_step(page, risk_assessment)
    # The second click may land while the first is still saving: it is sent with the new version.
    click_score(page, risk, "likelihood", 5)
    click_score(page, risk, "impact", 1)
    expect_version(page, risk, "2")
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact) == (5, 1)


def test_a_score_clicked_on_a_stale_row_shows_their_value_then_keeps_mine(page, risk_assessment):
    risk = a_risk(risk_assessment, 2, 2)
    open_step(page, risk_assessment)
    # Someone else saves the row after this page was loaded.
    Risk.objects.filter(pk=risk.pk).update(impact=4, version=5)
    click_score(page, risk, "impact", 1)
    expect(page.locator(f"#risks-row-{risk.pk} [role=alert]")).to_be_visible()
    expect(page.locator(f"#risks-row-{risk.pk}-impact-4")).to_be_checked()  # their value
    assert Risk.objects.get(pk=risk.pk).impact == 4
    click_score(page, risk, "impact", 1)  # mine, on purpose
    expect_version(page, risk, "6")
    assert Risk.objects.get(pk=risk.pk).impact == 1


def test_the_preview_fits_a_phone_its_table_scrolling_in_its_own_box(
    browser, live_server, alice, risk_assessment
):
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 800})
    phone = context.new_page()
    phone.base_url = live_server.url
    try:
        log_in(phone, "alice", "pass-alice")
        phone.wait_for_url(re.compile(r"/cases/"))
        phone.goto(phone.base_url + f"/assessments/{risk_assessment.pk}/registers/risks/import/")
        phone.locator("textarea[name=text]").fill(SHEET)
        phone.get_by_test_id("import-preview-button").click()
        expect(phone.get_by_test_id("preview-row")).to_have_count(3)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_an_open_row_form_saves_each_change_and_keeps_the_focus(page, risk_assessment):
    risk = a_risk(risk_assessment, 2, 2)
    open_step(page, risk_assessment)
    page.locator(f"#risks-row-{risk.pk} a[href$='?edit=1']").click()
    form = page.locator(f"#risks-row-{risk.pk} form[data-cw-autosave]")
    form.locator("[name=owner]").fill("信息中心")
    form.locator("[name=response]").click()  # leaving the field saves it
    expect(form.locator(".cw-row-status")).to_have_text(re.compile("已保存|Saved"))
    expect(form.locator("input[name=version]")).to_have_value("1")
    form.locator("[name=response]").fill("双活部署，切换演练")
    form.locator("input[name=impact][value='5'] + label").click()
    expect(form.locator("input[name=version]")).to_have_value("3")
    expect(form.locator("[name=response]")).to_have_value("双活部署，切换演练")  # still editing
    risk.refresh_from_db()
    assert (risk.owner, risk.response, risk.impact) == ("信息中心", "双活部署，切换演练", 5)
    form.get_by_role("button", name=re.compile("保存|Save")).click()
    expect(page.locator(f"#risks-row-{risk.pk}")).to_contain_text("双活部署")
    assert Risk.objects.get(pk=risk.pk).version == 4

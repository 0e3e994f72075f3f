"""An analyst adds a source with its document from inside the wizard, sees it listed, and
downloads it again, without leaving the step."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from casework.models import CaseSource, Role
from casework.services.assessments import assessment_start
from tests import documents as samples
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/e2e")


def test_a_document_is_uploaded_from_the_wizard_panel_listed_and_downloaded(page, tmp_path):
    unit = factories.make_unit("dgo", "数字政府办公室", "Digital Government Office")
    alice = factories.make_user("alice", unit=unit, role=Role.ANALYST)
    case = factories.make_case(unit=unit, owner=alice)
    assessment = assessment_start(case=case, version=factories.make_tiny_framework(), user=alice)
    step = f"/assessments/{assessment.pk}/step/1/"
    log_in(page, "alice", "pass-alice")
    page.wait_for_url(re.compile(r"/cases/"))
    page.goto(page.base_url + step)
    # Record the event the panel sends, as another part of the page would listen for it.
    page.evaluate(
        "window.cwChanges = []; document.body.addEventListener('cw:sources-changed',"
        " e => window.cwChanges.push(e.detail.count))"
    )

    page.get_by_test_id("sources-open").click()
    panel = page.locator("#sources-panel")
    expect(panel).to_be_visible()
    panel.locator("input[name='source-title']").fill("市审计局审计报告")
    panel.locator("input[name='source-publisher']").fill("市审计局")

    # A web page dressed as a PDF is refused in the panel; the typing stays.
    panel.locator("input[name='source-document']").set_input_files(
        {"name": "报告.pdf", "mimeType": "application/pdf", "buffer": samples.REFUSED["html"]}
    )
    panel.get_by_test_id("source-add").click()
    expect(panel.locator(".invalid-feedback, .text-danger").first).to_be_visible()
    expect(panel.locator("input[name='source-title']")).to_have_value("市审计局审计报告")
    assert not CaseSource.all_objects.exists()

    data = samples.pdf()
    panel.locator("input[name='source-document']").set_input_files(
        {"name": "2025年 审计报告.pdf", "mimeType": "application/pdf", "buffer": data}
    )
    panel.get_by_test_id("source-add").click()
    listed = panel.get_by_test_id("source-list")
    expect(listed).to_contain_text("市审计局审计报告")
    link = listed.get_by_test_id("document-link")
    expect(link).to_have_text("2025年 审计报告.pdf")
    expect(page.locator("#cw-sources-count")).to_have_text("1")
    expect(panel.locator("input[name='source-title']")).to_have_value("")
    # The panel announces the change once the swap has settled (a moment after the list shows).
    page.wait_for_function("() => window.cwChanges.length > 0")
    assert page.evaluate("window.cwChanges") == [1]
    assert page.url.endswith(step)  # still on the step
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "wizard-sources-panel.png"))

    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "2025年 审计报告.pdf"
    saved = tmp_path / "download.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == data

    page.goto(page.base_url + case.get_absolute_url())
    expect(page.get_by_test_id("case-sources")).to_contain_text("2025年 审计报告.pdf")
    page.screenshot(path=str(SHOTS / "case-sources.png"), full_page=True)


def test_a_file_over_the_limit_is_refused_in_the_browser_before_it_is_sent(page, settings):
    settings.DOCUMENT_MAX_BYTES = 2048
    unit = factories.make_unit("dgo", "数字政府办公室", "Digital Government Office")
    alice = factories.make_user("alice", unit=unit, role=Role.ANALYST)
    case = factories.make_case(unit=unit, owner=alice)
    log_in(page, "alice", "pass-alice")
    page.wait_for_url(re.compile(r"/cases/"))
    page.goto(page.base_url + case.get_absolute_url())
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    page.locator(".cw-source-add summary").click()
    page.locator("input[name='source-title']").fill("大文件")
    page.locator("input[name='source-document']").set_input_files(
        {"name": "big.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-" + b"0" * 8000}
    )
    error = page.locator("#sources-panel-body .cw-sources-error")
    expect(error).to_contain_text("8 KB")
    expect(error).to_contain_text("2 KB")
    page.get_by_test_id("source-add").click()
    expect(error).to_contain_text("8 KB")
    assert posts == [] and not CaseSource.all_objects.exists()
    expect(page.locator("input[name='source-title']")).to_have_value("大文件")

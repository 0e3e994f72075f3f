"""A manager clicks "Download PDF": a job starts, its progress shows, the file downloads."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from casework.jobs import renderers, services, tasks
from casework.jobs.models import ReportJob
from tests.browser.conftest import log_in
from tests.jobs.conftest import FakeRenderer
from tests.reports.conftest import add_registers, score_tiny

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def assessment(alice_case, tiny_version, alice):
    from casework.services.assessments import assessment_start

    started = assessment_start(case=alice_case, version=tiny_version, user=alice)
    score_tiny(started)
    add_registers(started)
    return started


@pytest.fixture
def fake_pdf(monkeypatch):
    fake = FakeRenderer()
    monkeypatch.setitem(renderers.RENDERERS, "pdf", fake)
    return fake


@pytest.fixture
def with_a_queue(monkeypatch):
    """As with Redis: jobs wait for a worker. The test plays the worker."""
    handed_over = []
    monkeypatch.setattr(services, "queue_is_immediate", lambda: False)
    monkeypatch.setattr(tasks, "run_report_job", handed_over.append)
    return handed_over


def open_report(page, assessment):
    # Resolving the URL loads the URL configuration here, before the live server's first
    # request would have to (it imports the report modules).
    url = reverse("report_assessment", args=[assessment.pk])
    log_in(page, "bob", "pass-bob")
    page.wait_for_url(re.compile(r"/cases/"))
    page.goto(page.base_url + url)


def test_download_pdf_shows_the_job_waiting_then_downloads_when_the_worker_is_done(
    page,
    bob,
    assessment,
    fake_pdf,
    with_a_queue,
):
    open_report(page, assessment)

    page.get_by_test_id("download-pdf").click()
    panel = page.get_by_test_id("job-panel")
    expect(panel).to_have_attribute("data-status", "queued")
    expect(panel.locator("progress")).to_have_attribute("value", "0")
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.QUEUED and with_a_queue == [job.pk]

    with page.expect_download() as info:
        services.report_job_run(job_id=job.pk)  # the worker
    download = info.value

    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as stored:
        assert stored.read() == b"%PDF-1.7 fake report 1"
    expect(panel).to_have_attribute("data-status", "done")
    expect(panel.locator("progress")).to_have_attribute("value", "100")


def test_a_second_download_of_an_unchanged_report_is_served_at_once(
    page,
    bob,
    assessment,
    fake_pdf,
):
    open_report(page, assessment)

    for _attempt in range(2):
        with page.expect_download() as info:
            page.get_by_test_id("download-pdf").click()
        assert info.value.suggested_filename.endswith(".pdf")

    assert len(fake_pdf.calls) == 1
    assert ReportJob.objects.count() == 1

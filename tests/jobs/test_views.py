"""Specs for the job pages: start, progress JSON and page, download, direct PDF URLs, access."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from casework.jobs import renderers, services
from casework.jobs.models import ReportJob
from casework.jobs.renderers import Target
from tests.jobs.conftest import FakeRenderer

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def pdf_url(assessment):
    return reverse("report_assessment_pdf", args=[assessment.pk])


def a_queued_job(assessment, user):
    return ReportJob.objects.create(
        requested_by=user,
        case=assessment.case,
        assessment=assessment,
        kind="pdf",
        language="en",
        version_key=services.version_key(
            "pdf", Target(case=assessment.case, assessment=assessment)
        ),
    )


def test_the_direct_pdf_url_serves_the_file_rendered_by_the_job(
    client, alice, scored_assessment, fake_pdf
):
    client.force_login(alice)

    first = client.get(pdf_url(scored_assessment))
    second = client.get(pdf_url(scored_assessment))

    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"].startswith("attachment; filename=")
    assert first.content == second.content == b"%PDF-1.7 fake report 1"
    assert len(fake_pdf.calls) == 1


def test_the_case_pdf_url_goes_through_a_job_too(client, alice, scored_assessment, fake_pdf):
    client.force_login(alice)

    response = client.get(reverse("report_case_pdf", args=[scored_assessment.case_id]))

    assert response.status_code == 200
    assert ReportJob.objects.get().assessment is None


def test_a_report_still_rendering_sends_the_direct_url_to_the_progress_page(
    client, alice, scored_assessment, fake_pdf
):
    job = a_queued_job(scored_assessment, alice)
    client.force_login(alice)

    response = client.get(pdf_url(scored_assessment))

    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk]) + "?auto=1"
    assert fake_pdf.calls == []


def test_the_progress_page_refreshes_itself_without_javascript_until_ready(
    client, alice, scored_assessment
):
    job = a_queued_job(scored_assessment, alice)
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("jobs:detail", args=[job.pk]) + "?auto=1").content.decode()

    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert "Waiting for a free worker" in html
    assert 'src="/static/js/jobs.js"' in html
    assert "<script>" not in html and "onclick" not in html


def test_a_ready_job_page_sends_the_file_by_itself_without_javascript(
    client, alice, scored_assessment, fake_pdf
):
    client.force_login(alice)
    job = ReportJob.objects.get(pk=client.post(pdf_url(scored_assessment), **JSON).json()["id"])

    html = client.get(reverse("jobs:detail", args=[job.pk]) + "?auto=1").content.decode()
    download = reverse("jobs:download", args=[job.pk])

    assert f'<meta http-equiv="refresh" content="0;url={download}">' in html
    assert client.get(download).content == b"%PDF-1.7 fake report 1"


def test_the_status_endpoint_reports_progress_as_json(client, alice, scored_assessment):
    job = a_queued_job(scored_assessment, alice)
    ReportJob.objects.filter(pk=job.pk).update(status="running", progress=40)
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    state = client.get(reverse("jobs:status", args=[job.pk])).json()

    assert state == {
        "id": job.pk,
        "kind": "pdf",
        "status": "running",
        "finished": False,
        "progress": 40,
        "message": "Preparing the report…",
        "error": "",
        "status_url": reverse("jobs:status", args=[job.pk]),
        "page_url": reverse("jobs:detail", args=[job.pk]),
        "download_url": "",
    }


def test_the_download_script_posts_with_csrf_and_gets_the_job_state(
    alice, scored_assessment, fake_pdf
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get(reverse("report_assessment", args=[scored_assessment.pk])).content.decode()
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)

    refused = client.post(pdf_url(scored_assessment), **JSON)
    state = client.post(pdf_url(scored_assessment), HTTP_X_CSRFTOKEN=token, **JSON).json()

    assert refused.status_code == 403
    assert state["status"] == "done"
    assert state["download_url"] == reverse("jobs:download", args=[state["id"]])
    assert 'data-job-start data-testid="download-pdf"' in page


def test_the_generic_start_endpoint_starts_an_xlsx_export(
    client, alice, scored_assessment, monkeypatch
):
    fake = FakeRenderer()
    monkeypatch.setitem(renderers.RENDERERS, "xlsx", fake)
    client.force_login(alice)

    response = client.post(
        reverse("jobs:start"), {"target": "assessment", "pk": scored_assessment.pk, "kind": "xlsx"}
    )

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk]) + "?auto=1"
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Type"] == renderers.XLSX_TYPE
    assert download["Content-Disposition"].endswith(".xlsx")


def test_a_kind_a_report_does_not_have_is_refused(client, alice, scored_assessment):
    client.force_login(alice)

    response = client.post(
        reverse("jobs:start"), {"target": "case", "pk": scored_assessment.case_id, "kind": "xlsx"}
    )

    assert response.status_code == 400
    assert not ReportJob.objects.exists()


def test_a_failed_job_shows_its_message_in_the_users_language(
    client, alice, scored_assessment, monkeypatch
):
    monkeypatch.setitem(renderers.RENDERERS, "pdf", FakeRenderer(error=ValueError("secret")))
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    response = client.get(pdf_url(scored_assessment))

    html = response.content.decode()
    assert response.status_code == 503
    assert "Something went wrong while preparing the report" in html
    assert "secret" not in html
    assert "refresh" not in html


def test_another_units_jobs_are_404(client, alice, charlie, scored_assessment, fake_pdf):
    client.force_login(alice)
    job_id = client.post(pdf_url(scored_assessment), **JSON).json()["id"]
    client.force_login(charlie)

    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client.get(reverse(name, args=[job_id])).status_code == 404, name
    assert client.get(pdf_url(scored_assessment)).status_code == 404
    started = client.post(
        reverse("jobs:start"), {"target": "assessment", "pk": scored_assessment.pk, "kind": "pdf"}
    )
    assert started.status_code == 404
    assert ReportJob.objects.count() == 1


def test_anonymous_users_are_sent_to_log_in(client, alice, scored_assessment):
    job = a_queued_job(scored_assessment, alice)

    for url in (
        reverse("jobs:detail", args=[job.pk]),
        reverse("jobs:status", args=[job.pk]),
        reverse("jobs:download", args=[job.pk]),
        pdf_url(scored_assessment),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

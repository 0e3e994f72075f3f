"""Specs for the portfolio workbook as a job: progress page, shared file, its requester alone."""

import io

import pytest
from django.urls import reverse

from casework.jobs import services
from casework.jobs.models import ReportJob
from casework.models import Assessment
from tests.reports.conftest import score_tiny

pytestmark = pytest.mark.django_db


def xlsx_url(**query):
    from django.utils.http import urlencode

    return reverse("export_portfolio") + "?" + urlencode({"format": "xlsx", **query})


def sheet_rows(data: bytes) -> list[tuple]:
    """The first sheet's column keys (its second header row), then its rows."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    _labels, *rows = workbook.worksheets[0].iter_rows(values_only=True)
    return rows


def test_without_a_queue_the_workbook_is_made_in_process_and_sent(client, bob, scored_assessment):
    client.force_login(bob)

    response = client.get(xlsx_url())

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "_portfolio_" in response["Content-Disposition"]
    header, row = sheet_rows(response.content)
    assert row[header.index("case_id")] == scored_assessment.case_id
    assert row[header.index("overall")] == 62.2
    job = ReportJob.objects.get()
    assert (job.kind, job.case, job.requested_by) == ("xlsx", None, bob)


def test_the_same_portfolio_is_made_once_until_a_score_changes(client, bob, scored_assessment):
    client.force_login(bob)

    client.get(xlsx_url(level="municipal"))
    client.get(xlsx_url(level="municipal"))
    assert ReportJob.objects.count() == 1

    score_tiny(scored_assessment, d11=5, d12=5, d21=5)
    changed = client.get(xlsx_url(level="municipal"))

    assert ReportJob.objects.count() == 2
    header, row = sheet_rows(changed.content)
    assert row[header.index("overall")] == 100.0


def test_other_filters_make_another_workbook(client, bob, scored_assessment):
    client.force_login(bob)

    client.get(xlsx_url())
    client.get(xlsx_url(status="approved"))

    assert sorted(ReportJob.objects.values_list("query", flat=True)) == ["", "status=approved"]


def test_with_a_queue_the_manager_sees_the_progress_page(
    client, bob, scored_assessment, monkeypatch
):
    handed = []
    monkeypatch.setattr(services, "queue_is_immediate", lambda: False)
    monkeypatch.setattr(services, "_hand_over", lambda task, job_id: handed.append(job_id))
    client.force_login(bob)
    client.cookies["django_language"] = "en"

    response = client.get(xlsx_url(level="municipal"), follow=True)

    job = ReportJob.objects.get()
    assert response.redirect_chain == [(reverse("jobs:detail", args=[job.pk]) + "?auto=1", 302)]
    html = response.content.decode()
    assert "Portfolio workbook (XLSX)" in html
    assert reverse("portfolio") + "?level=municipal" in html


def test_a_portfolio_job_is_its_requesters_alone(client, bob, diana, ada, scored_assessment):
    client.force_login(bob)
    client.get(xlsx_url())
    job = ReportJob.objects.get()

    for other in (diana, ada):
        client.force_login(other)
        assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
        assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 404
    client.force_login(bob)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200


def test_analysts_cannot_ask_for_the_workbook(client, alice, scored_assessment):
    client.force_login(alice)

    assert client.get(xlsx_url()).status_code == 403
    assert not ReportJob.objects.exists()


def test_the_workbook_holds_only_what_its_requester_may_see(client, diana, scored_assessment):
    client.force_login(diana)  # another unit's manager

    header, *rows = sheet_rows(client.get(xlsx_url()).content)

    assert rows == []
    assert Assessment.objects.count() == 1


def test_the_csv_export_stays_immediate(client, bob, scored_assessment):
    client.force_login(bob)

    response = client.get(reverse("export_portfolio"), {"format": "csv"})

    assert response.status_code == 200
    assert not ReportJob.objects.exists()

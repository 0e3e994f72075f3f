"""Specs for pre-rendering: approving an assessment queues its PDFs once the approval commits."""

import pytest
from django.test import override_settings

from casework.jobs.models import ReportJob
from casework.services.assessments import assessment_approve

pytestmark = pytest.mark.django_db


@override_settings(JOB_PRERENDER_ON_APPROVAL=True)
def test_approval_prerenders_the_assessment_and_case_pdfs_after_commit(
    submitted, bob, fake_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assessment_approve(assessment=submitted, user=bob)
        assert not ReportJob.objects.exists()  # nothing before the commit

    assert len(callbacks) == 1
    jobs = ReportJob.objects.order_by("pk")
    assert [(j.assessment_id, j.kind, j.status) for j in jobs] == [
        (submitted.pk, "pdf", "done"),
        (None, "pdf", "done"),
    ]
    assert {j.requested_by for j in jobs} == {bob}
    assert len(fake_pdf.calls) == 2


@override_settings(JOB_PRERENDER_ON_APPROVAL=True)
def test_a_rolled_back_approval_prerenders_nothing(
    submitted, bob, fake_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assessment_approve(assessment=submitted, user=bob)

    assert len(callbacks) == 1  # waiting for a commit that, here, never comes
    assert not ReportJob.objects.exists()


@override_settings(JOB_PRERENDER_ON_APPROVAL=False)
def test_without_a_queue_approval_renders_nothing_ahead(
    submitted, bob, fake_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assessment_approve(assessment=submitted, user=bob)

    assert not ReportJob.objects.exists()
    assert fake_pdf.calls == []


@override_settings(JOB_PRERENDER_ON_APPROVAL=True)
def test_a_prerender_that_cannot_start_does_not_fail_the_approval(
    submitted, bob, monkeypatch, django_capture_on_commit_callbacks
):
    from casework.jobs import services

    def broken(**kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr(services, "report_job_request", broken)

    with django_capture_on_commit_callbacks(execute=True):
        approved = assessment_approve(assessment=submitted, user=bob)

    assert approved.status == "approved"

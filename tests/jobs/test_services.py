"""Specs for the job lifecycle: request, run, store once, reuse, fail safely, time limit."""

import pytest
from django.test import override_settings
from django.utils import translation

from casework import access
from casework.jobs import presenters, services
from casework.jobs.models import ReportJob
from casework.jobs.renderers import Target
from casework.services.assessments import assessment_touch
from tests.jobs.conftest import FakeRenderer

pytestmark = pytest.mark.django_db


def target_of(assessment):
    return Target(case=assessment.case, assessment=assessment)


def request_pdf(assessment, user, language="en"):
    return services.report_job_request(
        user=user, kind="pdf", target=target_of(assessment), language=language
    )


def test_it_runs_a_job_in_process_from_queued_to_done_and_stores_the_file(
    scored_assessment, alice, fake_pdf, report_files
):
    job = request_pdf(scored_assessment, alice)

    assert job.status == ReportJob.Status.DONE
    assert job.progress == 100
    assert job.requested_by == alice and job.language == "en" and job.kind == "pdf"
    assert job.started_at <= job.finished_at
    assert job.version_key.startswith("pdf:")
    stored = report_files / job.file_name
    assert stored.read_bytes() == b"%PDF-1.7 fake report 1"
    assert len(fake_pdf.calls) == 1


def test_it_stores_one_file_per_report_version_and_reuses_it(
    scored_assessment, alice, bob, fake_pdf, report_files
):
    first = request_pdf(scored_assessment, alice)
    second = request_pdf(scored_assessment, bob)

    assert second.pk == first.pk
    assert len(fake_pdf.calls) == 1
    assert [p.name for p in report_files.rglob("*.pdf")] == [first.file_name.rsplit("/", 1)[1]]


def test_it_renders_again_after_an_edit_or_in_another_language(scored_assessment, alice, fake_pdf):
    first = request_pdf(scored_assessment, alice)
    chinese = request_pdf(scored_assessment, alice, language="zh-hans")
    assessment_touch(assessment_id=scored_assessment.pk)
    scored_assessment.refresh_from_db()
    edited = request_pdf(scored_assessment, alice)

    assert len({first.pk, chinese.pk, edited.pk}) == 3
    assert len({first.file_name, chinese.file_name, edited.file_name}) == 3
    assert len(fake_pdf.calls) == 3


def test_a_failing_renderer_fails_the_job_with_a_safe_message_and_keeps_no_file(
    scored_assessment, alice, monkeypatch, report_files
):
    from casework.jobs import renderers

    monkeypatch.setitem(
        renderers.RENDERERS, "pdf", FakeRenderer(error=RuntimeError("secret /etc/passwd"))
    )

    job = request_pdf(scored_assessment, alice)

    assert job.status == ReportJob.Status.FAILED
    assert job.error == ReportJob.Error.INTERNAL
    assert job.file_name == ""
    assert list(report_files.rglob("*.pdf")) == []
    with translation.override("en"):
        message = presenters.error_message(job)
    assert "Something went wrong" in message
    assert "secret" not in message


def test_a_failed_job_is_tried_again_on_the_next_request(scored_assessment, alice, monkeypatch):
    from casework.jobs import renderers

    monkeypatch.setitem(renderers.RENDERERS, "pdf", FakeRenderer(error=RuntimeError("boom")))
    failed = request_pdf(scored_assessment, alice)
    fixed = FakeRenderer()
    monkeypatch.setitem(renderers.RENDERERS, "pdf", fixed)

    retried = request_pdf(scored_assessment, alice)

    assert retried.pk != failed.pk and retried.status == ReportJob.Status.DONE


def queued_job(assessment, user):
    """A job row as the web process leaves it for a worker (not yet run)."""
    return ReportJob.objects.create(
        requested_by=user,
        case=assessment.case,
        assessment=assessment,
        kind="pdf",
        language="en",
        version_key=services.version_key("pdf", target_of(assessment)),
    )


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@override_settings(JOB_TIME_LIMIT=5)
def test_a_job_past_its_time_limit_is_stopped_at_its_next_step(
    scored_assessment, alice, monkeypatch, report_files
):
    from casework.jobs import renderers

    clock = FakeClock()
    slow = FakeRenderer()
    # The renderer's first stage takes "6 seconds": its step(50) finds the time is up.
    monkeypatch.setitem(
        renderers.RENDERERS, "pdf", lambda target, step: clock.advance(6) or slow(target, step)
    )
    job = queued_job(scored_assessment, alice)

    services.report_job_run(job_id=job.pk, clock=clock)

    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error == ReportJob.Error.TIME_LIMIT
    assert list(report_files.rglob("*")) == []
    with translation.override("en"):
        assert "longer than 5 seconds" in presenters.error_message(job)


@override_settings(JOB_TIME_LIMIT=5)
def test_a_file_finished_after_the_time_limit_is_not_kept(
    scored_assessment, alice, monkeypatch, report_files
):
    from casework.jobs import renderers

    clock = FakeClock()
    monkeypatch.setitem(
        renderers.RENDERERS, "pdf", FakeRenderer(before_return=lambda: clock.advance(6))
    )
    job = queued_job(scored_assessment, alice)

    services.report_job_run(job_id=job.pk, clock=clock)

    job.refresh_from_db()
    assert (job.status, job.error, job.file_name) == ("failed", "time_limit", "")
    assert list(report_files.rglob("*")) == []


@override_settings(JOB_MAX_REGISTER_ROWS=3)
def test_registers_too_large_to_render_fail_before_any_rendering(
    scored_assessment, alice, fake_pdf
):
    job = request_pdf(scored_assessment, alice)  # the fixture has 9 register rows

    assert (job.status, job.error) == ("failed", "too_large")
    assert fake_pdf.calls == []
    with translation.override("en"):
        assert "more than 3 rows" in presenters.error_message(job)


def test_a_job_already_taken_by_another_worker_is_not_run_twice(scored_assessment, alice, fake_pdf):
    job = queued_job(scored_assessment, alice)
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING)

    services.report_job_run(job_id=job.pk)

    assert fake_pdf.calls == []


def test_with_a_queue_the_job_waits_for_the_commit_then_goes_to_the_worker(
    scored_assessment, alice, fake_pdf, monkeypatch, django_capture_on_commit_callbacks
):
    from casework.jobs import tasks

    sent = []
    monkeypatch.setattr(services, "queue_is_immediate", lambda: False)
    monkeypatch.setattr(tasks, "run_report_job", sent.append)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = request_pdf(scored_assessment, alice)
        assert sent == []

    assert len(callbacks) == 1
    assert sent == [job.pk]
    assert job.status == ReportJob.Status.QUEUED
    assert fake_pdf.calls == []


def test_a_stored_file_that_went_missing_is_rendered_again(
    scored_assessment, alice, fake_pdf, report_files
):
    first = request_pdf(scored_assessment, alice)
    (report_files / first.file_name).unlink()

    second = request_pdf(scored_assessment, alice)

    assert second.pk != first.pk and second.status == ReportJob.Status.DONE
    assert (report_files / second.file_name).exists()
    assert len(fake_pdf.calls) == 2


def test_the_case_report_is_a_job_of_its_own(scored_assessment, alice, fake_pdf):
    case_job = services.report_job_request(
        user=alice, kind="pdf", target=Target(case=scored_assessment.case), language="en"
    )
    assessment_job = request_pdf(scored_assessment, alice)

    assert case_job.assessment is None and case_job.case == scored_assessment.case
    assert case_job.version_key != assessment_job.version_key
    assert len(fake_pdf.calls) == 2


def test_renaming_the_analyst_makes_a_new_report_version(scored_assessment, alice, fake_pdf):
    first = request_pdf(scored_assessment, alice)

    # The report names the analyst; a rename writes the user only, not the assessment.
    alice.first_name, alice.last_name = "Renée", "Nouveau-Nom"
    alice.save()
    second = request_pdf(scored_assessment, alice)

    assert second.version_key != first.version_key
    assert len(fake_pdf.calls) == 2


def test_renaming_the_analyst_makes_a_new_case_report_version(scored_assessment, alice):
    target = Target(case=scored_assessment.case)
    before = services.version_key("docx", target)

    alice.first_name = "Renée"
    alice.save()

    assert services.version_key("docx", target) != before


def test_a_report_version_costs_one_query(scored_assessment, alice, django_assert_num_queries):
    # As the download views load it: with its case's unit.
    target = target_of(access.get_assessment_for_user(alice, scored_assessment.pk))

    # The case's rounds, with the names the report shows.
    with django_assert_num_queries(1):
        services.version_key("pdf", target)

"""Report jobs: ask for a report file (start or reuse a job) and run a job.

A report version is rendered once: the job for it and its stored file are shared by every
user and process that asks for the same report (same objects, revisions, language, code).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from casework.jobs.models import ReportJob
from casework.jobs.renderers import RENDERERS, Target, extension, register_rows

logger = logging.getLogger(__name__)

Error = ReportJob.Error
Status = ReportJob.Status


class JobFailed(Exception):
    """Stops a job; carries the ReportJob.Error code the user is shown."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def report_storage():
    return storages["reports"]


def queue_is_immediate() -> bool:
    from huey.contrib.djhuey import HUEY

    return HUEY.immediate


def version_key(kind: str, target: Target) -> str:
    """`<kind>:<code version>:<hash>` of the report version (render's cache key, per kind)."""
    from casework.reports import render as report_render

    if target.is_portfolio:
        from django.http import QueryDict

        from casework.reports import portfolio

        filters = portfolio.PortfolioFilters.from_query(QueryDict(target.query))
        version = portfolio.portfolio_version(target.user, filters)
        language = translation.get_language() or ""
        return f"{kind}:{report_render.code_version()}:portfolio:{language}:{version}"
    if target.assessment is not None:
        key = report_render.assessment_report_key(target.assessment)
    else:
        key = report_render.case_report_key(target.case)
    return f"{kind}:{key.removeprefix('report-pdf:')}"


def _file_name(job: ReportJob) -> str:
    digest = hashlib.sha256(job.version_key.encode()).hexdigest()[:40]
    return f"reports/{job.kind}/{digest}.{extension(job.kind)}"


# --- asking for a report ----------------------------------------------------------------


def report_job_request(*, user, kind: str, target: Target, language: str) -> ReportJob:
    """The job for this report version: a done or pending one if any, else a new one, started."""
    with translation.override(language):
        key = version_key(kind, target)
    now = timezone.now()
    job = ReportJob.objects.filter(version_key=key, status__in=ReportJob.LIVE).first()
    if job is not None and (job.is_stale(now) or not _file_is_there(job)):
        _fail(job, Error.INTERRUPTED)
        job = None
    if job is not None:
        return job
    try:
        with transaction.atomic():
            job = ReportJob.objects.create(
                requested_by=user if user is not None and user.is_authenticated else None,
                case=target.case,
                assessment=target.assessment,
                query=target.query,
                kind=kind,
                language=language,
                version_key=key,
            )
    except IntegrityError:
        # Someone else started the same version a moment ago: share theirs.
        return ReportJob.objects.get(version_key=key, status__in=ReportJob.LIVE)
    _enqueue(job.pk)
    job.refresh_from_db()
    return job


def _file_is_there(job: ReportJob) -> bool:
    return job.status != Status.DONE or report_storage().exists(job.file_name)


def _enqueue(job_id: int) -> None:
    from casework.jobs.tasks import run_report_job

    if queue_is_immediate():
        # No queue (make run, tests): the job runs here and now, and the caller waits.
        run_report_job(job_id)
    else:
        # The worker must find the row: hand the job over once it is committed.
        transaction.on_commit(lambda: _hand_over(run_report_job, job_id))


def _hand_over(task, job_id: int) -> None:
    try:
        task(job_id)
    except Exception:
        # The queue is down: say so now rather than leave the job waiting for nobody.
        logger.exception("could not queue report job %s", job_id)
        ReportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
            status=Status.FAILED, error=Error.INTERRUPTED, finished_at=timezone.now()
        )


def report_jobs_prerender(*, assessment_id: int, user_id: int | None, language: str) -> None:
    """Render the PDFs of an approved assessment and of its case ahead of any request."""
    from django.contrib.auth import get_user_model

    from casework.models import Assessment

    if not settings.JOB_PRERENDER_ON_APPROVAL:
        return
    assessment = Assessment.objects.select_related("case").filter(pk=assessment_id).first()
    if assessment is None:
        return
    user = get_user_model().objects.filter(pk=user_id).first()
    for target in (Target(case=assessment.case, assessment=assessment), Target(assessment.case)):
        try:
            report_job_request(user=user, kind="pdf", target=target, language=language)
        except Exception:
            # Ahead-of-time work: a failure here must not fail the approval that caused it.
            logger.exception("could not pre-render the reports of assessment %s", assessment_id)


# --- running a job ----------------------------------------------------------------------


class Deadline:
    """The job's time limit, read from an injectable clock (tests pass a fake one)."""

    def __init__(self, seconds: float, clock: Callable[[], float]):
        self.clock = clock
        self.ends = clock() + seconds

    def check(self) -> None:
        if self.clock() > self.ends:
            raise JobFailed(Error.TIME_LIMIT)


def report_job_run(*, job_id: int, clock: Callable[[], float] = time.monotonic) -> None:
    """Render a queued job's file and store it; any failure leaves the job failed, no file."""
    claimed = ReportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), progress=5
    )
    if not claimed:
        return  # already taken by another worker, or no longer wanted
    job = ReportJob.objects.select_related("case", "assessment", "requested_by").get(pk=job_id)
    deadline = Deadline(settings.JOB_TIME_LIMIT, clock)

    def step(percent: int) -> None:
        deadline.check()
        ReportJob.objects.filter(pk=job_id).update(progress=percent)

    try:
        with translation.override(job.language):
            data = _render(job, step)
        deadline.check()  # a result that came too late is not kept
        name = _store(job, data)
    except JobFailed as failure:
        _fail(job, failure.code)
    except Exception as error:
        _fail(job, _error_code(error))
    else:
        ReportJob.objects.filter(pk=job_id).update(
            status=Status.DONE, progress=100, file_name=name, finished_at=timezone.now()
        )


def job_target(job: ReportJob) -> Target:
    """What the job renders; a portfolio workbook shows what its requester may see."""
    if job.is_portfolio:
        if job.requested_by is None:  # the requester's account is gone: nobody to render for
            raise JobFailed(Error.INTERRUPTED)
        return Target(user=job.requested_by, query=job.query)
    return Target(case=job.case, assessment=job.assessment)


def _render(job: ReportJob, step) -> bytes:
    target = job_target(job)
    if register_rows(target) > settings.JOB_MAX_REGISTER_ROWS:
        raise JobFailed(Error.TOO_LARGE)
    return RENDERERS[job.kind](target, step)


def _store(job: ReportJob, data: bytes) -> str:
    storage = report_storage()
    name = _file_name(job)
    # A file left by a run that died while writing is never served (no job is done with
    # it): replace it rather than saving beside it under another name.
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(data))


def _error_code(error: Exception) -> str:
    from huey.exceptions import TaskTimeout

    from casework.reports.static_charts import ChartEngineUnavailable

    if isinstance(error, TaskTimeout):  # the worker's hard limit (SIGALRM) struck mid-step
        return Error.TIME_LIMIT
    if isinstance(error, ChartEngineUnavailable):
        return Error.NO_CHART_ENGINE
    if isinstance(error, MemoryError):
        return Error.TOO_LARGE
    logger.exception("report job failed")
    return Error.INTERNAL


def _fail(job: ReportJob, code: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        status=Status.FAILED, error=code, file_name="", finished_at=timezone.now()
    )
    job.status, job.error, job.file_name = Status.FAILED, code, ""

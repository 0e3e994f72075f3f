"""A report job as the progress page and the status JSON show it, in the reader's language."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.jobs.models import ReportJob

Error = ReportJob.Error


def error_message(job: ReportJob) -> str:
    """Why the job failed, in words safe to show (never the exception's own text)."""
    if not job.error:
        return ""
    messages = {
        Error.TIME_LIMIT: _(
            "The report took longer than %(seconds)d seconds to prepare and was stopped. "
            "Try again later, or download the XLSX export instead."
        )
        % {"seconds": settings.JOB_TIME_LIMIT},
        Error.TOO_LARGE: _(
            "The report is too large to prepare as a file: its registers hold more than "
            "%(rows)d rows. Download the XLSX export instead, or split the assessment."
        )
        % {"rows": settings.JOB_MAX_REGISTER_ROWS},
        Error.NO_CHART_ENGINE: _(
            "PDF reports are unavailable on this server: no Chromium could be started to "
            "draw the charts. The HTML report still works."
        ),
        Error.INTERRUPTED: _("The report was interrupted before it was ready. Try again."),
    }
    return messages.get(
        job.error, _("Something went wrong while preparing the report. Try again later.")
    )


def status_text(job: ReportJob) -> str:
    return {
        ReportJob.Status.QUEUED: _("Waiting for a free worker…"),
        ReportJob.Status.RUNNING: _("Preparing the report…"),
        ReportJob.Status.DONE: _("The report is ready."),
        ReportJob.Status.FAILED: _("The report could not be prepared."),
    }[job.status]


def job_state(job: ReportJob) -> dict:
    """The JSON the progress script polls (and the progress page shows)."""
    done = job.status == ReportJob.Status.DONE
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "finished": job.is_finished,
        "progress": 100 if done else job.progress,
        "message": status_text(job),
        "error": error_message(job),
        "status_url": reverse("jobs:status", args=[job.pk]),
        "page_url": reverse("jobs:detail", args=[job.pk]),
        "download_url": reverse("jobs:download", args=[job.pk]) if done else "",
    }

"""The responses a report job gives on the web, shared by the jobs' own views and the report pages.

A report's direct URL (`stored_or_started`), the progress page, the failure page and the file
itself. Views import these; no view module imports another.
"""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from casework.jobs import presenters
from casework.jobs.models import ReportJob
from casework.jobs.renderers import CONTENT_TYPES, Target, extension
from casework.jobs.services import report_job_request, report_storage


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def page_url(job: ReportJob) -> str:
    # auto=1: once ready, the page sends the file by itself (meta refresh, or the script).
    return reverse("jobs:detail", args=[job.pk]) + "?auto=1"


def started(request, job: ReportJob):
    if wants_json(request):
        return JsonResponse(presenters.job_state(job), status=200 if job.is_finished else 202)
    return redirect(page_url(job))


def stored_or_started(request, *, kind: str, target: Target):
    """A report's direct URL: its stored file when ready, else the job and its progress page.

    The caller has loaded the target through the access helpers. A POST with
    `Accept: application/json` (the download script) gets the job's state instead.
    """
    job = report_job_request(user=request.user, kind=kind, target=target, language=get_language())
    if request.method == "POST":
        return started(request, job)
    if job.status == ReportJob.Status.DONE:
        return file_response(job)
    if job.status == ReportJob.Status.FAILED:
        return failed_page(request, job)
    return redirect(page_url(job))


def job_page(request, job: ReportJob, status: int = 200):
    return render(
        request,
        "jobs/job.html",
        {
            "job": job,
            "state": presenters.job_state(job),
            "auto": request.GET.get("auto") == "1",
            "report_url": report_url(job),
        },
        status=status,
    )


def failed_page(request, job: ReportJob):
    if job.error == ReportJob.Error.NO_CHART_ENGINE:
        return render(request, "reports/chart_engine_missing.html", {"detail": ""}, status=503)
    return job_page(request, job, status=503)


def report_url(job: ReportJob) -> str:
    if job.is_portfolio:
        return reverse("portfolio") + (f"?{job.query}" if job.query else "")
    if job.assessment_id is not None:
        return reverse("report_assessment", args=[job.assessment_id])
    return reverse("report_case", args=[job.case_id])


def name_part(job: ReportJob) -> str:
    """What the file is, in its name: each kind of download gets a name of its own."""
    what = {ReportJob.Kind.XLSX: "workbook", ReportJob.Kind.REDACTED_PDF: "redacted"}.get(
        job.kind, "report"
    )
    if job.is_portfolio:
        return ""
    if job.assessment_id is None:
        return what
    return f"{job.assessment.framework.code}-R{job.assessment.round}_{what}"


def file_response(job: ReportJob) -> HttpResponse:
    from casework.reports.render import content_disposition

    # Read whole (reports are megabytes at most: the register guard sees to that) so that a
    # missing or unreadable file is an error here, before any header has gone out.
    with report_storage().open(job.file_name, "rb") as stored:
        response = HttpResponse(stored.read(), content_type=CONTENT_TYPES[job.kind])
    if job.is_portfolio:
        named = {"id": 0, "title": "portfolio"}  # as the synchronous export names it
    else:
        named = {"id": job.case_id, "title": job.case.title}
    response["Content-Disposition"] = content_disposition(
        named,
        on=timezone.localdate(job.finished_at),
        extension=extension(job.kind),
        kind=name_part(job),
    )
    return response

"""Report jobs on the web: start one, watch its progress (page or JSON), download its file."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access
from casework.jobs import presenters
from casework.jobs.access import get_report_job_for_user
from casework.jobs.forms import JobStartForm
from casework.jobs.models import ReportJob
from casework.jobs.renderers import Target, supports
from casework.jobs.responses import failed_page, file_response, job_page, page_url, started
from casework.jobs.services import report_job_request


@login_required
@require_POST
def job_start(request):
    """Start (or reuse) the job for one file of one report: target, pk and kind in the POST."""
    form = JobStartForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            _("Unknown report or file type."), status=400, content_type="text/plain"
        )
    data = form.cleaned_data
    if data["target"] == "assessment":
        assessment = access.get_assessment_for_user(request.user, data["pk"])
        target = Target(case=assessment.case, assessment=assessment)
    else:
        target = Target(case=access.get_case_for_user(request.user, data["pk"]))
    if not supports(data["kind"], target):
        return HttpResponse(
            _("Unknown report or file type."), status=400, content_type="text/plain"
        )
    job = report_job_request(
        user=request.user, kind=data["kind"], target=target, language=get_language()
    )
    return started(request, job)


@login_required
def job_detail(request, pk):
    """The progress page: refreshes itself without JavaScript until the file is ready."""
    job = get_report_job_for_user(request.user, pk)
    if job.status == ReportJob.Status.FAILED:
        return failed_page(request, job)
    return job_page(request, job)


@login_required
def job_status(request, pk):
    job = get_report_job_for_user(request.user, pk)
    return JsonResponse(presenters.job_state(job))


@login_required
def job_download(request, pk):
    job = get_report_job_for_user(request.user, pk)
    if job.status != ReportJob.Status.DONE:
        return redirect(page_url(job))
    return file_response(job)

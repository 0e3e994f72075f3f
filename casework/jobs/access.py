"""Who may see a report job: whoever may see its assessment (or its case). Else a 404."""

from django.http import Http404

from casework import access
from casework.jobs.models import ReportJob


def get_report_job_for_user(user, pk) -> ReportJob:
    job = ReportJob.objects.filter(pk=pk).only("pk", "case_id", "assessment_id").first()
    if job is None:
        raise Http404
    if job.assessment_id is not None:
        access.get_assessment_for_user(user, job.assessment_id)
    else:
        access.get_case_for_user(user, job.case_id, whole=True)
    return ReportJob.objects.select_related("case", "assessment").get(pk=pk)

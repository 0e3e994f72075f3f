"""Who may see a report job: whoever may see its assessment (or its case), and a portfolio
workbook only the manager who asked for it. Else a 404."""

from django.http import Http404

from casework import access
from casework.jobs.models import ReportJob


def get_report_job_for_user(user, pk) -> ReportJob:
    job = (
        ReportJob.objects.filter(pk=pk)
        .only("pk", "case_id", "assessment_id", "requested_by_id")
        .first()
    )
    if job is None:
        raise Http404
    if job.is_portfolio:
        # A portfolio workbook holds what its requester may see: theirs alone, while a manager.
        if job.requested_by_id != user.pk or not access.is_manager(user):
            raise Http404
    elif job.assessment_id is not None:
        access.get_assessment_for_user(user, job.assessment_id)
    else:
        access.get_case_for_user(user, job.case_id, whole=True)
    return ReportJob.objects.select_related("case", "assessment").get(pk=pk)

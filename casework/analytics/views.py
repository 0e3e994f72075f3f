"""Analytics pages: where one assessment stands among its peers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from casework import access
from casework.analytics.cohorts import cohort_percentiles
from casework.reports.context import assessment_context


@login_required
def benchmark(request, pk):
    """Percentiles of one assessment among the approved assessments the user may see."""
    assessment = access.get_assessment_for_user(request.user, pk)
    report = assessment_context(assessment, with_registers=False)
    cohorts = cohort_percentiles(assessment, request.user, report=report)
    return render(
        request,
        "reports/benchmark.html",
        {
            "assessment": assessment,
            "report": report,
            "cohorts": cohorts,
            "not_approved": assessment.status != assessment.Status.APPROVED,
            "title": _("Benchmark"),
        },
    )


@login_required
def report_assessment_redacted(request, pk):
    """The assessment's PDF with people's names replaced by pseudonyms (a job, like the PDF)."""
    from casework.jobs import responses as job_responses
    from casework.jobs.renderers import Target

    assessment = access.get_assessment_for_user(request.user, pk)
    target = Target(case=assessment.case, assessment=assessment)
    return job_responses.stored_or_started(request, kind="rpdf", target=target)


@login_required
def report_case_redacted(request, pk):
    from casework.jobs import responses as job_responses
    from casework.jobs.renderers import Target

    case = access.get_case_for_user(request.user, pk)
    return job_responses.stored_or_started(request, kind="rpdf", target=Target(case=case))

"""The huey task that runs report jobs (on a worker, or in-process without a queue)."""

from django.conf import settings
from huey.contrib.djhuey import db_task

from casework.jobs.services import report_job_run

# The worker's hard stop (SIGALRM in a process worker) comes a little after the job's own
# limit, which the job checks between its stages: it only strikes a stage that hangs.
HARD_LIMIT_GRACE = 10


@db_task(timeout=settings.JOB_TIME_LIMIT + HARD_LIMIT_GRACE, name="casework.report_job")
def run_report_job(job_id: int) -> None:
    report_job_run(job_id=job_id)

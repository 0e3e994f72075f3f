"""A report job: one rendering of one report version (PDF, DOCX or XLSX) and its stored file.

Also the portfolio workbook, which can take seconds for thousands of cases.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportJob(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word"
        XLSX = "xlsx", "XLSX"
        REDACTED_PDF = "rpdf", _("Redacted PDF")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting in the queue")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Error(models.TextChoices):
        # Codes, not sentences: the page words them in the reader's language (see messages).
        TIME_LIMIT = "time_limit", _("time limit")
        TOO_LARGE = "too_large", _("too large")
        NO_CHART_ENGINE = "no_chart_engine", _("no chart engine")
        INTERRUPTED = "interrupted", _("interrupted")
        INTERNAL = "internal", _("internal error")

    LIVE = (Status.QUEUED, Status.RUNNING, Status.DONE)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The case for a case or assessment report (access goes through it), the assessment for an
    # assessment report. A portfolio workbook has neither: it is its requester's alone, and
    # `query` holds the portfolio filters it was asked with.
    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    assessment = models.ForeignKey(
        "casework.Assessment",
        verbose_name=_("assessment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=16)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.CharField(_("error"), max_length=32, choices=Error.choices, blank=True)
    # The file's name in the "reports" storage (STORAGES["reports"]), set when done.
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    version_key = models.CharField(_("report version"), max_length=160, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at"]
        constraints = [
            # One queued, running or done job per report version: two clicks, two users or
            # two web processes asking for the same report share one rendering and one file.
            models.UniqueConstraint(
                fields=["version_key"],
                condition=~Q(status="failed"),
                name="jobs_one_live_job_per_report_version",
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_portfolio(self) -> bool:
        return self.case_id is None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def is_stale(self, now) -> bool:
        """A job whose worker died: running past its limit, or queued for far too long."""
        limit = timedelta(seconds=settings.JOB_TIME_LIMIT)
        if self.status == self.Status.RUNNING and self.started_at:
            return now - self.started_at > limit + timedelta(seconds=60)
        if self.status == self.Status.QUEUED:
            return now - self.created_at > limit * 10
        return False

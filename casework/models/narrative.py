"""The analyst's judgement on an assessment: findings per dimension and the action plan."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.assessments import Assessment
from casework.models.fields import BoundedTextField
from frameworks.models import Criterion


class DimensionFinding(models.Model):
    """What the analyst concludes about one dimension, in a paragraph or two."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="findings", verbose_name=_("assessment")
    )
    # A code, not a foreign key: findings follow the dimension when the assessment moves to a
    # new framework version, as answers follow their item's code.
    dimension_code = models.CharField(_("dimension"), max_length=30)
    text = BoundedTextField(_("findings"), max_length=8000, blank=True)
    version = models.PositiveIntegerField(_("edit version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["assessment", "dimension_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension_code"], name="unique_dimension_finding"
            )
        ]
        verbose_name = _("dimension findings")
        verbose_name_plural = _("dimension findings")

    def __str__(self):
        return f"{self.assessment} · {self.dimension_code}"


class Action(models.Model):
    """One step of the action plan (or, for a retrospective case, one lesson to apply)."""

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        AGREED = "agreed", _("Agreed")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN = (Status.PROPOSED, Status.AGREED, Status.IN_PROGRESS)

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="actions", verbose_name=_("assessment")
    )
    # The criterion whose gap the action answers; empty for an action the analyst added freely.
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item"),
    )
    text = BoundedTextField(_("action"), max_length=2000)
    owner = models.CharField(_("owner"), max_length=120, blank=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    # The same action in the round before, when a new round carried it over.
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried over from"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("edit version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["assessment", "order", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

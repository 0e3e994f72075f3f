from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.assessments import Assessment
from casework.models.fields import BoundedTextField
from frameworks.models import Criterion


class Adjudication(models.Model):
    """The reviewer's agreed answer to one item of a double-scored assessment, and why.

    The agreed level is also written into the first assessment's answer (with history), so
    reports read it like any answer; this row keeps the two raters' original values, which
    the agreement figures are computed from.
    """

    class Choice(models.TextChoices):
        FIRST = "first", _("First analyst's answer")
        SECOND = "second", _("Second analyst's answer")
        SET = "set", _("Another level")

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="adjudications",
        verbose_name=_("assessment"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    choice = models.CharField(_("agreed answer"), max_length=8, choices=Choice.choices)
    level = models.IntegerField(_("agreed level"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    # The raters' answers as they stood when the item was first adjudicated.
    first_level = models.IntegerField(_("first analyst's level"), null=True, blank=True)
    first_not_applicable = models.BooleanField(default=False)
    second_level = models.IntegerField(_("second analyst's level"), null=True, blank=True)
    second_not_applicable = models.BooleanField(default=False)
    reason = BoundedTextField(_("reason"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(_("edit version"), default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "criterion__dimension__order", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="unique_adjudication")
        ]
        verbose_name = _("adjudication")
        verbose_name_plural = _("adjudications")

    def __str__(self):
        return f"{self.assessment} · {self.criterion.code}"

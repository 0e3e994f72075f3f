from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models.assessments import Assessment
from casework.scoring import to_percent


class ScoreSnapshot(models.Model):
    """An assessment's scores as casework.scoring computes them, kept current by the services.

    Rewritten in the same transaction as every write to the assessment's answers
    (casework.readmodel.scores_refresh, called by assessment_touch), so that the case list can
    filter and sort on scores and the portfolio can read them without re-scoring any answer.
    """

    assessment = models.OneToOneField(
        Assessment,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="score_snapshot",
        verbose_name=_("assessment"),
    )
    # Unrounded 0..1, None when no dimension has a score (or the scorer refused the data).
    overall = models.FloatField(_("overall score"), null=True)
    band = models.IntegerField(_("maturity band"), null=True)
    scored_total = models.PositiveIntegerField(_("scored items"), default=0)
    answered = models.PositiveIntegerField(_("answered items"), default=0)
    not_applicable = models.PositiveIntegerField(_("not applicable items"), default=0)
    completeness = models.FloatField(_("completeness"), default=0.0)
    # {dimension code: unrounded 0..1 score or None}, in the version's dimension order.
    dimensions = models.JSONField(_("dimension scores"), default=dict)
    # The assessment's revision when this was computed: a cheap check that it is current.
    revision = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        indexes = [
            models.Index(fields=["band"], name="score_snapshot_band"),
            models.Index(fields=["overall"], name="score_snapshot_overall"),
        ]
        verbose_name = _("score snapshot")
        verbose_name_plural = _("score snapshots")

    def __str__(self):
        return f"{self.assessment_id}: {self.percent()}"

    @property
    def unanswered(self) -> int:
        return self.scored_total - self.answered

    def percent(self) -> float | None:
        """The overall score on 0..100, rounded for display."""
        return to_percent(self.overall)

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


class SnapshotScore(models.Model):
    """One score of a snapshot (the overall one, or a dimension's) in whole tenths of a point.

    The same numbers as ScoreSnapshot.overall and .dimensions, rounded as to_percent rounds,
    one row each: the portfolio sums and counts them in the database (integers, no JSON to
    unpack per request). A score that is None is a row with no tenths. Written with the
    snapshot (casework.readmodel.scores_refresh).
    """

    snapshot = models.ForeignKey(
        ScoreSnapshot,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("score snapshot"),
    )
    # A dimension's code, or "" for the overall score (casework.readmodel.OVERALL).
    code = models.CharField(_("code"), max_length=30, blank=True)
    tenths = models.IntegerField(_("score in tenths of a point"), null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "code"], name="snapshot_score_once")
        ]
        indexes = [
            # The portfolio's histograms in the order of their GROUP BY (code, score), covering
            # the snapshot: SQLite, which cannot hash a GROUP BY, reads them without a sort.
            models.Index(fields=["code", "tenths", "snapshot"], name="snapshot_score_histogram")
        ]
        verbose_name = _("snapshot score")
        verbose_name_plural = _("snapshot scores")

    def __str__(self):
        return f"{self.snapshot_id} {self.code or 'overall'}: {self.tenths / 10}"

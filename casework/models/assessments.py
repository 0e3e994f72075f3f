from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.cases import Case
from casework.models.fields import BoundedTextField, evidence_max_chars
from frameworks.models import Criterion, Framework, FrameworkVersion


class Assessment(models.Model):
    """One round of scoring a case against one published framework version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    class Perspective(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing: the change is still under way")
        RETROSPECTIVE = "retrospective", _("Retrospective: looking back on a finished change")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("case")
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="+", verbose_name=_("framework")
    )
    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("framework version"),
    )
    round = models.PositiveIntegerField(_("round"), default=1)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous round"),
    )
    # Set on a second, blind scoring of the same round by another analyst (created_by): its own
    # answers, scored in the same wizard, compared with and adjudicated into `second_of`.
    second_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="second_rating",
        verbose_name=_("second scoring of"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    perspective = models.CharField(
        _("perspective"), max_length=14, choices=Perspective.choices, default=Perspective.ONGOING
    )
    # The analyst's own judgement, written in the wizard's Conclusions step.
    conclusion = BoundedTextField(_("overall conclusion"), max_length=8000, blank=True)
    lessons = BoundedTextField(_("key lessons"), max_length=8000, blank=True)
    # Guards the Conclusions step the way Answer.version guards an item.
    narrative_version = models.PositiveIntegerField(_("conclusions edit version"), default=0)
    # Bumped by every write to the assessment, its answers or registers: reports cache on it.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("analyst"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["case", "framework__code", "-round"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "framework", "round"],
                condition=models.Q(second_of__isnull=True),
                name="unique_assessment_round",
            )
        ]
        indexes = [models.Index(fields=["status"])]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.case} · {self.framework.code} · R{self.round}"

    def get_absolute_url(self):
        return reverse("assessment_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_second_rating(self) -> bool:
        return self.second_of_id is not None


class Answer(models.Model):
    """An analyst's answer to one item; `version` guards against silent overwrites."""

    # The fields an analyst edits, in the order the history shows them; a new round copies them.
    EDITABLE_FIELDS = (
        "level",
        "not_applicable",
        "na_reason",
        "observation",
        "evidence",
        "citations",
        "confidence",
        "note",
    )

    class Observation(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        UNKNOWN = "unknown", _("Unknown")

    class Confidence(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("assessment")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("criterion")
    )
    level = models.IntegerField(_("level"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    na_reason = BoundedTextField(_("reason it does not apply"), max_length=2000, blank=True)
    observation = models.CharField(
        _("observation"), max_length=10, choices=Observation.choices, blank=True
    )
    evidence = BoundedTextField(
        _("evidence"), blank=True, validators=[MaxLengthValidator(evidence_max_chars)]
    )
    citations = models.JSONField(_("cited sources"), default=list, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=8, choices=Confidence.choices, blank=True
    )
    note = BoundedTextField(_("note"), max_length=4000, blank=True)
    version = models.PositiveIntegerField(_("edit version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["assessment", "criterion__dimension__order", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="unique_answer")
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.assessment} · {self.criterion.code}"

    @property
    def is_answered(self) -> bool:
        from casework.readmodel import is_answered

        return is_answered(
            kind=self.criterion.kind,
            level=self.level,
            not_applicable=self.not_applicable,
            observation=self.observation,
        )


class Comment(models.Model):
    """A review remark on an assessment, or on one of its items."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Comment")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="comments", verbose_name=_("assessment")
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    body = BoundedTextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.author} · {self.created_at:%Y-%m-%d}"

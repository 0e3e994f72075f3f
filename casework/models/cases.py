from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.fields import BoundedTextField
from casework.models.org import OrgUnit
from casework.sectors import sector_key
from frameworks.models import Localized


class Sector(models.Model):
    """A managed sector or service area, so that cases group into proper cohorts."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    order = models.PositiveIntegerField(_("order"), default=0)
    # An inactive sector is no longer offered for new choices; cases keep it.
    active = models.BooleanField(_("active"), default=True)

    name = Localized()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name


class Case(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        MUNICIPAL = "municipal", _("Municipal")
        COUNTY = "county", _("County")

    # The facts a user edits, in form order: the case form shows them, case_update writes them.
    EDITABLE_FIELDS = (
        "title",
        "body",
        "level",
        "region",
        "sector_ref",
        "sector",
        "period_start",
        "period_end",
        "summary",
        "context",
        "tags",
    )

    title = models.CharField(_("title"), max_length=200)
    body = models.CharField(_("government body"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    region = models.CharField(_("region"), max_length=120, blank=True)
    sector_ref = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("sector"),
    )
    # The free-text "other" sector, used when no managed sector fits.
    sector = models.CharField(_("other sector"), max_length=120, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    summary = BoundedTextField(_("summary"), max_length=4000, blank=True)
    # The background a reader needs: a few plain paragraphs, separated by blank lines.
    context = BoundedTextField(_("context"), max_length=20000, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("unit")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        verbose_name=_("owner"),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # Bumped by every edit of the case's facts, so that two people editing at once can't
    # silently overwrite each other.
    version = models.PositiveIntegerField(_("edit version"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="case_period_in_order",
            )
        ]
        indexes = [models.Index(fields=["unit", "archived_at"])]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("case_detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def sector_label(self) -> str:
        """The managed sector's name in the active language, else the typed "other" text."""
        return self.sector_ref.name if self.sector_ref_id else self.sector

    @property
    def sector_key(self) -> str:
        """What cohorts group by: the sector code, or "other:<normalised text>"."""
        return sector_key(self.sector_ref.code if self.sector_ref_id else None, self.sector)


class LiveSourceManager(models.Manager):
    """The sources still in use: a removed source is out of every list, form and report."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class CaseSource(models.Model):
    """A document the analysis rests on; answers cite these.

    Removing a source keeps its row (`removed_at`), because answers cite sources by id inside
    their JSON and their history: the citation then reads "source removed" instead of
    pointing at nothing. The uploaded document itself is deleted with the removal.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="sources", verbose_name=_("case")
    )
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher or author"), max_length=200, blank=True)
    reference = models.CharField(_("link or reference"), max_length=500, blank=True)
    published_on = models.DateField(_("date"), null=True, blank=True)
    accessed_on = models.DateField(_("accessed"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # One uploaded document, in the "documents" storage under a generated name. The name the
    # user's file had is kept as data only (for the download's file name), never as a path.
    document_file = models.CharField(_("stored file"), max_length=200, blank=True, editable=False)
    document_name = models.CharField(_("document name"), max_length=255, blank=True)
    document_type = models.CharField(_("document type"), max_length=100, blank=True)
    document_size = models.PositiveBigIntegerField(_("document size"), default=0)
    document_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    document_uploaded_at = models.DateTimeField(_("document uploaded"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    version = models.PositiveIntegerField(_("edit version"), default=0)

    # Every row, removed ones too: for reading what an answer cites.
    all_objects = models.Manager()
    objects = LiveSourceManager()

    class Meta:
        ordering = ["case", "order", "id"]
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title

    @property
    def has_document(self) -> bool:
        return bool(self.document_file)

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class CaseEvent(models.Model):
    """A dated event in the case's own history: the timeline a report opens with."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    happened_on = models.DateField(_("date"))
    title = models.CharField(_("event"), max_length=200)
    description = BoundedTextField(_("description"), max_length=2000, blank=True)

    class Meta:
        ordering = ["case", "happened_on", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def __str__(self):
        return f"{self.happened_on:%Y-%m-%d} {self.title}"

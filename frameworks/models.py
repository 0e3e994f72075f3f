"""Frameworks as versioned data: a framework, its versions, their scales, dimensions and items.

A published version is frozen: the models refuse to save or delete anything that belongs to
it, so an assessment always reads the exact checklist it was made with.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def pick_language(zh: str, en: str) -> str:
    """The text in the active language, falling back to the other one."""
    lang = (get_language() or "zh-hans").lower()
    first, second = (en, zh) if lang.startswith("en") else (zh, en)
    return first or second


class Localized:
    """Descriptor: `obj.title` reads `title_zh` or `title_en` for the active language."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return pick_language(getattr(obj, f"{self.name}_zh"), getattr(obj, f"{self.name}_en"))


class VersionLocked(ValidationError):
    """Raised on any attempt to change a version that is no longer a draft."""


FROZEN_STATUSES = ("published", "retired")


def _locked_error():
    return VersionLocked(
        _("A published version can no longer be changed; make a new draft instead.")
    )


class FrozenQuerySet(models.QuerySet):
    """Bulk updates and deletes skip save() and delete(), so they check the versions too."""

    def _refuse_if_frozen(self):
        lookup = f"{self.model.frozen_version_lookup}__status__in"
        if self.filter(**{lookup: FROZEN_STATUSES}).exists():
            raise _locked_error()

    def update(self, **kwargs):
        self._refuse_if_frozen()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_frozen()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        version_ids = {obj.owning_version().pk for obj in objs}
        if FrameworkVersion.objects.filter(pk__in=version_ids, status__in=FROZEN_STATUSES).exists():
            raise _locked_error()
        return super().bulk_create(objs, *args, **kwargs)


class FrozenWhenPublished(models.Model):
    """Refuses writes once the owning framework version has left the draft state."""

    # Path from this model to its FrameworkVersion, for queries.
    frozen_version_lookup = "version"

    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_editable()
        return super().delete(*args, **kwargs)

    def owning_version(self) -> "FrameworkVersion":
        raise NotImplementedError

    def _check_editable(self):
        versions = [self.owning_version()]
        if self.pk:
            # The stored row counts too: moving an item out of a published version changes it.
            stored_id = (
                type(self)
                ._base_manager.filter(pk=self.pk)
                .values_list(self.frozen_version_lookup, flat=True)
                .first()
            )
            if stored_id is not None and stored_id != versions[0].pk:
                versions.append(FrameworkVersion.objects.get(pk=stored_id))
        for version in versions:
            if version is not None and version.pk and version.is_frozen_in_db():
                # Name the stored status: the in-memory copy may be stale.
                version = FrameworkVersion.objects.select_related("framework").get(pk=version.pk)
                raise VersionLocked(
                    _(
                        "Version %(version)s of %(framework)s is %(status)s and can no longer be changed; make a new draft instead."
                    )
                    % {
                        "version": version.number,
                        "framework": version.framework.code,
                        "status": version.get_status_display(),
                    }
                )


class FrameworkTexts(models.Model):
    """A framework's name, description and source article, in both languages."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_zh = models.TextField(_("description (Chinese)"), max_length=4000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=4000, blank=True)
    source_author = models.CharField(_("source author"), max_length=200, blank=True)
    source_title_zh = models.CharField(_("source title (Chinese)"), max_length=300, blank=True)
    source_title_en = models.CharField(_("source title (English)"), max_length=300, blank=True)
    source_reference = models.CharField(_("source reference"), max_length=500, blank=True)

    name = Localized()
    description = Localized()
    source_title = Localized()

    # Field names, for copying the texts from one holder to another.
    TEXT_FIELDS = (
        "name_zh",
        "name_en",
        "description_zh",
        "description_en",
        "source_author",
        "source_title_zh",
        "source_title_en",
        "source_reference",
    )

    class Meta:
        abstract = True

    def texts(self) -> dict:
        return {name: getattr(self, name) for name in self.TEXT_FIELDS}


class Framework(FrameworkTexts):
    """A checklist people know by its code; its texts are those of its latest published version.

    Every version carries its own copy of the texts, so an assessment shows the name its
    version had, and an imported draft renames the framework only once it is published.
    """

    code = models.SlugField(_("code"), max_length=20, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self):
        return f"{self.code} · {self.name}"

    def latest_published(self):
        return (
            self.versions.filter(status=FrameworkVersion.Status.PUBLISHED)
            .order_by("-number")
            .first()
        )


class FrameworkVersionQuerySet(models.QuerySet):
    """Bulk updates and deletes skip save() and delete(), so they refuse frozen versions too."""

    def _refuse_if_frozen(self):
        if self.filter(status__in=FROZEN_STATUSES).exists():
            raise _locked_error()

    def update(self, **kwargs):
        self._refuse_if_frozen()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_frozen()
        return super().delete()


class FrameworkVersion(FrameworkTexts):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="versions", verbose_name=_("framework")
    )
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(
        _("label"), max_length=40, help_text=_("The name people use for this version, e.g. 2026.1")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("made from"),
    )
    notes_zh = models.TextField(_("change notes (Chinese)"), max_length=4000, blank=True)
    notes_en = models.TextField(_("change notes (English)"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    notes = Localized()

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["framework__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="unique_version_number")
        ]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")

    def __str__(self):
        return f"{self.framework.code} v{self.number} ({self.label}, {self.get_status_display()})"

    def save(self, *args, **kwargs):
        # The only change a frozen version accepts is its lifecycle: published → retired.
        if self.pk and self.is_frozen_in_db():
            stored = FrameworkVersion.objects.get(pk=self.pk)
            allowed = stored.status == self.Status.PUBLISHED and self.status == self.Status.RETIRED
            changed = any(
                getattr(stored, f.attname) != getattr(self, f.attname)
                for f in self._meta.concrete_fields
                if f.name != "status"
            )
            if changed or not (allowed or stored.status == self.status):
                raise _locked_error()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and self.is_frozen_in_db():
            raise VersionLocked(_("A published version can't be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def is_frozen_in_db(self) -> bool:
        """True when the stored row is published or retired (the in-memory status may be stale)."""
        stored = (
            FrameworkVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        )
        return stored is not None and stored != self.Status.DRAFT


class ScaleLevel(FrozenWhenPublished):
    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.CASCADE,
        related_name="scale_levels",
        verbose_name=_("version"),
    )
    value = models.IntegerField(_("value"))
    label_zh = models.CharField(_("label (Chinese)"), max_length=60)
    label_en = models.CharField(_("label (English)"), max_length=60)
    description_zh = models.TextField(_("description (Chinese)"), max_length=2000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=2000, blank=True)

    label = Localized()
    description = Localized()

    class Meta:
        ordering = ["version", "value"]
        constraints = [
            models.UniqueConstraint(fields=["version", "value"], name="unique_scale_value")
        ]
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")

    def __str__(self):
        return f"{self.value} · {self.label}"

    def owning_version(self):
        return self.version


class Dimension(FrozenWhenPublished):
    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.CASCADE,
        related_name="dimensions",
        verbose_name=_("version"),
    )
    code = models.CharField(_("code"), max_length=30)
    order = models.PositiveIntegerField(_("order"), default=0)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    guidance_zh = models.TextField(_("guidance (Chinese)"), max_length=8000, blank=True)
    guidance_en = models.TextField(_("guidance (English)"), max_length=8000, blank=True)
    source_ref = models.CharField(
        _("source"), max_length=40, help_text=_("Article section, e.g. 001 §5")
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    registers = models.JSONField(
        _("registers"),
        default=list,
        blank=True,
        help_text=_(
            "Registers edited in this step: goals, stakeholders, risks, indicators, phases"
        ),
    )
    informs = models.JSONField(
        _("informs"),
        default=list,
        blank=True,
        help_text=_("Codes of the success factors this dimension informs (cross-walk)"),
    )

    title = Localized()
    guidance = Localized()

    class Meta:
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_dimension_code")
        ]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self):
        return f"{self.code} · {self.title}"

    def owning_version(self):
        return self.version


class Criterion(FrozenWhenPublished):
    class Kind(models.TextChoices):
        SCORED = "scored", _("Scored on the scale")
        OBSERVATION = "observation", _("Observation (present / absent / unknown)")

    class Polarity(models.TextChoices):
        # Which way is good for an observation: a present "cost overrun" is a problem.
        POSITIVE = "positive", _("Present is good")
        NEGATIVE = "negative", _("Present is a problem")
        NEUTRAL = "neutral", _("Neither: context only")

    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("dimension")
    )
    # Copied from the dimension so that codes are unique per version and one query reads them all.
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="criteria", editable=False
    )
    code = models.CharField(_("code"), max_length=30)
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SCORED)
    polarity = models.CharField(
        _("polarity"),
        max_length=10,
        choices=Polarity.choices,
        default=Polarity.POSITIVE,
        help_text=_("For observations: whether the item being present is good news or a problem."),
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    guidance_zh = models.TextField(_("guidance (Chinese)"), max_length=8000, blank=True)
    guidance_en = models.TextField(_("guidance (English)"), max_length=8000, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    source_ref = models.CharField(
        _("source"), max_length=40, help_text=_("Article section, e.g. 000 §4.2")
    )
    recommendation_zh = models.TextField(_("recommendation (Chinese)"), max_length=4000, blank=True)
    recommendation_en = models.TextField(_("recommendation (English)"), max_length=4000, blank=True)

    title = Localized()
    guidance = Localized()
    recommendation = Localized()

    class Meta:
        ordering = ["dimension__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_criterion_code")
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return f"{self.code} · {self.title}"

    def save(self, *args, **kwargs):
        self.version_id = self.dimension.version_id
        super().save(*args, **kwargs)

    def owning_version(self):
        return self.dimension.version

    @property
    def is_scored(self) -> bool:
        return self.kind == self.Kind.SCORED


class CriterionLevel(FrozenWhenPublished):
    """An item's own descriptor for one level of the scale (a rubric)."""

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="levels", verbose_name=_("criterion")
    )

    frozen_version_lookup = "criterion__version"
    value = models.IntegerField(_("value"))
    description_zh = models.TextField(_("description (Chinese)"), max_length=2000)
    description_en = models.TextField(_("description (English)"), max_length=2000)

    description = Localized()

    class Meta:
        ordering = ["criterion", "value"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "value"], name="unique_rubric_value")
        ]
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")

    def __str__(self):
        return f"{self.criterion.code} · {self.value}"

    def owning_version(self):
        return self.criterion.dimension.version

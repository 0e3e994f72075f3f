from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from frameworks.models import Localized


class OrgUnit(models.Model):
    """A team or department; analysts see the cases of their own unit only."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    name = Localized()

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ANALYST = "analyst", _("Analyst")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


class Membership(models.Model):
    """A user's unit and role; a superuser counts as an admin whatever is stored here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="members", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.ANALYST)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"

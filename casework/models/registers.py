"""The registers the case-analysis framework asks for: goals, stakeholders, risks, indicators, phases."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.indicators import indicator_progress
from casework.models.assessments import Assessment
from casework.models.fields import BoundedTextField

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class RegisterRow(models.Model):
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        verbose_name=_("assessment"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("edit version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Names the register in URLs, the wizard and the YAML `registers:` list.
    register_name = ""

    class Meta:
        abstract = True
        ordering = ["order", "id"]


class Goal(RegisterRow):
    statement = BoundedTextField(_("goal statement"), max_length=2000)
    owner = models.CharField(_("owner"), max_length=120, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    target = models.CharField(_("target"), max_length=200, blank=True)
    specific = models.BooleanField(_("specific"), default=False)
    measurable = models.BooleanField(_("measurable"), default=False)
    achievable = models.BooleanField(_("achievable"), default=False)
    relevant = models.BooleanField(_("relevant"), default=False)
    time_bound = models.BooleanField(_("time-bound"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    register_name = "goals"

    class Meta(RegisterRow.Meta):
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.statement[:60]


class Stakeholder(RegisterRow):
    class Group(models.TextChoices):
        LEADERS = "leaders", _("Internal: leaders")
        BUSINESS_STAFF = "business_staff", _("Internal: business staff")
        TECHNICAL_STAFF = "technical_staff", _("Internal: technical staff")
        PUBLIC = "public", _("External: the public")
        ENTERPRISES = "enterprises", _("External: enterprises")
        OTHER_DEPARTMENTS = "other_departments", _("External: other government departments")
        SUPPLIERS = "suppliers", _("Suppliers")
        REGULATORS = "regulators", _("Regulators and auditors")

    class Attitude(models.TextChoices):
        CHAMPION = "champion", _("Champion")
        SUPPORTIVE = "supportive", _("Supportive")
        NEUTRAL = "neutral", _("Neutral")
        SCEPTICAL = "sceptical", _("Sceptical")
        RESISTANT = "resistant", _("Resistant")

    name = models.CharField(_("name"), max_length=200)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    influence = models.PositiveSmallIntegerField(_("influence (1–5)"), validators=ONE_TO_FIVE)
    interest = models.PositiveSmallIntegerField(_("interest (1–5)"), validators=ONE_TO_FIVE)
    attitude = models.CharField(
        _("attitude"), max_length=12, choices=Attitude.choices, default=Attitude.NEUTRAL
    )
    approach = BoundedTextField(_("communication approach"), max_length=2000, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    register_name = "stakeholders"

    class Meta(RegisterRow.Meta):
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self):
        return self.name


class Risk(RegisterRow):
    class Category(models.TextChoices):
        TECHNOLOGY = "technology", _("Technology")
        MANAGEMENT = "management", _("Management")
        BUSINESS = "business", _("Business")
        POLICY = "policy", _("Policy")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MITIGATING = "mitigating", _("Being mitigated")
        CLOSED = "closed", _("Closed")
        OCCURRED = "occurred", _("Occurred")

    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = BoundedTextField(_("description"), max_length=2000)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–5)"), validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(_("impact (1–5)"), validators=ONE_TO_FIVE)
    response = BoundedTextField(_("response"), max_length=2000, blank=True)
    owner = models.CharField(_("owner"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    # For a risk that happened: what it did to the programme, and how it was handled.
    outcome = BoundedTextField(_("what happened"), max_length=4000, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    register_name = "risks"

    class Meta(RegisterRow.Meta):
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self):
        return self.description[:60]

    @property
    def severity(self) -> int:
        return self.likelihood * self.impact


class Indicator(RegisterRow):
    class Family(models.TextChoices):
        EFFICIENCY = "efficiency", _("Efficiency")
        COST = "cost", _("Cost")
        SERVICE = "service", _("Service")
        TECHNOLOGY = "technology", _("Technology")

    family = models.CharField(_("family"), max_length=12, choices=Family.choices)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    actual = models.DecimalField(
        _("actual"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    higher_is_better = models.BooleanField(_("higher is better"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    register_name = "indicators"

    class Meta(RegisterRow.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    @property
    def progress(self) -> float | None:
        """Share of the way to the target that the actual value has come (see indicators.py)."""
        return indicator_progress(
            baseline=self.baseline,
            target=self.target,
            actual=self.actual,
            higher_is_better=self.higher_is_better,
        )


class Measurement(models.Model):
    """A dated value of an indicator: "at launch", "a year later" and so on."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["indicator", "measured_on", "id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self):
        return f"{self.indicator} {self.measured_on:%Y-%m-%d}: {self.value}"


class Phase(RegisterRow):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    is_pilot = models.BooleanField(_("pilot"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    register_name = "phases"

    class Meta(RegisterRow.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="phase_end_after_start"
            )
        ]
        verbose_name = _("implementation phase")
        verbose_name_plural = _("implementation phases")

    def __str__(self):
        return self.name


# In the order of frameworks.registers.REGISTER_NAMES, the one list a framework step may name
# (tests/casework/test_register_names.py checks that both agree).
REGISTER_MODELS = {m.register_name: m for m in (Goal, Stakeholder, Risk, Indicator, Phase)}

"""The registers a wizard step can hold: one list, read by the framework files, the admin and casework."""

from django.utils.translation import gettext_lazy as _

REGISTER_CHOICES = (
    ("goals", _("Goals")),
    ("stakeholders", _("Stakeholders")),
    ("risks", _("Risks")),
    ("indicators", _("Indicators")),
    ("phases", _("Phases")),
)
REGISTER_NAMES = tuple(name for name, _label in REGISTER_CHOICES)

from django import forms
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [
    (7, _("7 days")),
    (30, _("30 days")),
    (90, _("90 days")),
    (365, _("1 year")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “portfolio dashboard”."),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"), choices=EXPIRY_CHOICES, coerce=int, initial=90
    )

"""Forms of double scoring: pick the second analyst; decide one item's agreed answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import Adjudication
from casework.models.fields import text_limit


class SecondScoringForm(forms.Form):
    analyst = forms.ModelChoiceField(
        label=_("Second analyst"),
        queryset=None,
        empty_label=None,
        help_text=_(
            "Another analyst of the unit. They score the same items without seeing these answers."
        ),
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        ids = [m.user_id for m in memberships]
        self.fields["analyst"].queryset = (
            get_user_model().objects.filter(pk__in=ids).order_by("username")
        )
        self.fields["analyst"].label_from_instance = lambda u: u.get_full_name() or u.username


class AdjudicationForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Agreed answer"),
        choices=Adjudication.Choice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pick an answer.")},
    )
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, required=False, empty_value=None)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=text_limit(Adjudication, "reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, scale, prefix_code, **kwargs):
        super().__init__(*args, prefix=f"i-{prefix_code}", **kwargs)
        self.fields["level"].choices = [("", "—")] + [
            (lv.value, f"{lv.value} · {lv.label}") for lv in scale
        ]
        self.code = prefix_code

    def clean(self):
        data = super().clean()
        if data.get("choice") == Adjudication.Choice.SET and data.get("level") is None:
            self.add_error("level", _("Pick the agreed level."))
        return data

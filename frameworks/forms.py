"""Admin forms for frameworks: they validate and convert; the services write."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from frameworks.io import FrameworkFileError, parse_framework_file
from frameworks.models import Criterion, Dimension
from frameworks.registers import REGISTER_CHOICES, REGISTER_NAMES


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file (YAML or JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.FRAMEWORK_IMPORT_MAX_BYTES
        if upload.size > limit:
            # Refused before anything is read or parsed.
            raise forms.ValidationError(
                gettext("The file is too large: %(size)s bytes; the limit is %(limit)s bytes.")
                % {"size": upload.size, "limit": limit}
            )
        try:
            self.cleaned_data["data"] = parse_framework_file(
                upload.read(limit + 1), filename=upload.name
            )
        except FrameworkFileError as exc:
            raise forms.ValidationError(exc.errors) from None
        return upload


class WeightedForm(forms.ModelForm):
    """Weights must be positive, as in a framework file."""

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is not None and weight <= 0:
            raise forms.ValidationError(gettext("weight must be greater than 0"))
        return weight


class UniqueCodesFormSet(forms.BaseInlineFormSet):
    """Two rows of one page can't share a code (the database would refuse the second)."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            code = form.cleaned_data.get("code")
            if code in seen:
                form.add_error("code", gettext("The code %(code)s is used twice.") % {"code": code})
            seen.add(code)


class DimensionForm(WeightedForm):
    registers = forms.MultipleChoiceField(
        label=_("registers"),
        choices=REGISTER_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Registers analysts fill in at this step of the wizard."),
    )
    informs = forms.CharField(
        label=_("informs"),
        required=False,
        help_text=_("Codes of the success factors this dimension informs, separated by commas."),
    )

    class Meta:
        model = Dimension
        fields = (
            "code",
            "order",
            "title_zh",
            "title_en",
            "guidance_zh",
            "guidance_en",
            "source_ref",
            "weight",
            "registers",
            "informs",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["informs"] = ", ".join(self.instance.informs or [])

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = Dimension.objects.filter(version_id=self.instance.version_id, code=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                gettext("This version already has a dimension %(code)s.") % {"code": code}
            )
        return code

    def clean_registers(self):
        chosen = self.cleaned_data["registers"]
        return [name for name in REGISTER_NAMES if name in chosen]

    def clean_informs(self):
        codes = [c.strip() for c in self.cleaned_data["informs"].replace("，", ",").split(",")]
        return list(dict.fromkeys(c for c in codes if c))


class CriterionForm(WeightedForm):
    def clean_code(self):
        # The version is not on the form (it follows the dimension), so Django can't check
        # the (version, code) constraint itself.
        code = self.cleaned_data["code"]
        version_id = (
            Dimension.objects.filter(pk=self.instance.dimension_id)
            .values_list("version_id", flat=True)
            .first()
        )
        taken = Criterion.objects.filter(version_id=version_id, code=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                gettext("This version already has an item %(code)s.") % {"code": code}
            )
        return code

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Scored items have no polarity, so a form that leaves it out means "positive".
        if "polarity" in self.fields:
            self.fields["polarity"].required = False

    def clean_polarity(self):
        return self.cleaned_data.get("polarity") or Criterion.Polarity.POSITIVE

    def clean(self):
        cleaned = super().clean()
        polarity = cleaned.get("polarity") or Criterion.Polarity.POSITIVE
        if cleaned.get("kind") != Criterion.Kind.OBSERVATION and polarity != "positive":
            self.add_error(
                "polarity", gettext("Only observation items can be marked as a problem or neutral.")
            )
        return cleaned

    class Meta:
        model = Criterion
        fields = (
            "code",
            "order",
            "kind",
            "polarity",
            "weight",
            "source_ref",
            "title_zh",
            "title_en",
            "guidance_zh",
            "guidance_en",
            "recommendation_zh",
            "recommendation_en",
        )

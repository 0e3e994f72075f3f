"""The search form: a query and three filters, all bounded; invalid values are shown, not used."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.search.models import SearchEntry
from casework.search.presenters import outcome_choices
from casework.search.segment import MAX_QUERY_CHARS
from casework.services.cases import latest_published_versions
from frameworks.models import Criterion, Dimension


def item_choices() -> list:
    """Dimensions and items of each framework's latest published version, grouped (2 queries)."""
    versions = latest_published_versions()
    ids = [v.pk for v in versions]
    dimensions = Dimension.objects.filter(version_id__in=ids).order_by("version_id", "order")
    criteria: dict[int, list] = {}
    for criterion in Criterion.objects.filter(version_id__in=ids).order_by("order", "code"):
        criteria.setdefault(criterion.dimension_id, []).append(criterion)
    choices: list = [("", _("Any framework item"))]
    for dimension in dimensions:
        options = [(dimension.code, f"{dimension.code} {dimension.title}")]
        options += [(c.code, f"· {c.code} {c.title}") for c in criteria.get(dimension.pk, [])]
        choices.append((f"{dimension.code} {dimension.title}", options))
    return choices


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_CHARS)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Everything"))] + list(SearchEntry.Kind.choices),
    )
    item = forms.ChoiceField(label=_("Framework item"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Chinese or English")), ("zh", _("Chinese")), ("en", _("English"))],
    )
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=10_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = item_choices()
        self.fields["outcome"].choices = outcome_choices()
        for name in ("kind", "item", "outcome", "language"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["q"].widget.attrs.update(
            # A search box needs no "n / 200" counter (static/js/char-counter.js).
            {"class": "form-control", "type": "search", "autofocus": True, "data-no-counter": ""}
        )

    def filters(self) -> dict:
        """Keyword arguments for `selectors.search`; nothing when the form is invalid."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"].strip(),
            "kind": data["kind"],
            "item": data["item"],
            "outcome": data["outcome"],
            "language": data["language"],
            "page": data["page"] or 1,
        }

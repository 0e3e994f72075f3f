"""Forms of the sources panel: add a source (with an optional document), attach a document."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms.cases import DateInput
from casework.models import CaseSource

# A hint for the browser's file picker only: the server judges a file by its content.
ACCEPT = ".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.txt,.md,.csv"


class DocumentField(forms.FileField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": ACCEPT, "class": "form-control form-control-sm"})


class SourceForm(forms.ModelForm):
    """A new source: what it is, where it comes from, and optionally the document itself."""

    prefix = "source"
    document = DocumentField(
        label=_("Document (optional)"),
        required=False,
        help_text=_("PDF, Word, Excel, PNG/JPEG or plain text."),
    )

    class Meta:
        model = CaseSource
        fields = ["title", "publisher", "reference", "published_on"]
        widgets = {
            "published_on": DateInput(),
            "reference": forms.TextInput(attrs={"placeholder": "https://…"}),
        }
        labels = {"reference": _("Link or reference")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "document":
                field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def source_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class DocumentForm(forms.Form):
    """A document for an existing source, from the version of the source the page showed."""

    document = DocumentField(label=_("Document"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


class SourceVersionForm(forms.Form):
    """Just the version the page showed, for removing a source or its document."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

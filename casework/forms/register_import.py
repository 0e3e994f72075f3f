"""The paste-or-upload form of a register import: it reads and checks, it writes nothing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.register_import import (
    MAX_PASTE_CHARS,
    MAX_UPLOAD_BYTES,
    ImportProblem,
    parse_table,
    read_text,
    read_upload,
)


class RegisterImportForm(forms.Form):
    text = forms.CharField(
        label=_("Paste rows from a spreadsheet"),
        required=False,
        strip=False,
        max_length=MAX_PASTE_CHARS,
        widget=forms.Textarea(
            # Rows of a sheet stay one line each, so that the columns line up as pasted.
            attrs={"rows": 8, "wrap": "off", "class": "form-control font-monospace small"}
        ),
        help_text=_(
            "Copy the cells in Excel or WPS and paste them here. A header row is optional: "
            "columns are matched by name in English or Chinese, otherwise taken in the order shown."
        ),
    )
    file = forms.FileField(
        label=_("or upload a CSV or XLSX file"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".csv,.xlsx,.txt,.tsv"}
        ),
    )

    def __init__(self, *args, register: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.register = register
        if not self.is_bound:
            # The page is for pasting: the cursor waits in the box (not on a preview page,
            # where it would scroll past the preview).
            self.fields["text"].widget.attrs["autofocus"] = True

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("text") or "", cleaned.get("file")
        if self.errors:
            return cleaned
        try:
            if upload is not None:
                # One byte past the cap is enough to tell that the file is too large.
                table = read_upload(upload.name, upload.read(MAX_UPLOAD_BYTES + 1))
            elif text.strip():
                table = read_text(text)
            else:
                raise ImportProblem(_("Paste some rows or choose a file."))
            cleaned["preview"] = parse_table(self.register, table)
        except ImportProblem as problem:
            raise forms.ValidationError(str(problem)) from None
        return cleaned

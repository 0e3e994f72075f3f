"""What a file is, judged by its bytes (casework/documents.py): no database, no request."""

import io

import pytest
from django.utils import translation

from casework import documents
from tests import documents as samples


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (samples.pdf, documents.PDF),
        (samples.docx, documents.DOCX),
        (samples.xlsx, documents.XLSX),
        (lambda: samples.image("PNG"), documents.PNG),
        (lambda: samples.image("JPEG"), documents.JPEG),
        (samples.text, documents.TEXT),
    ],
)
def test_each_accepted_kind_is_recognised_by_its_content(make, kind):
    assert documents.sniff(io.BytesIO(make())) is kind


@pytest.mark.parametrize("name", sorted(samples.REFUSED))
def test_executables_markup_macros_and_unknown_types_are_refused(name):
    with pytest.raises(documents.Rejected):
        documents.sniff(io.BytesIO(samples.REFUSED[name]))


def test_the_name_does_not_matter_a_pdf_called_txt_is_a_pdf_and_html_called_pdf_is_refused():
    assert documents.sniff(io.BytesIO(samples.pdf())) is documents.PDF
    with pytest.raises(documents.Rejected):
        documents.sniff(io.BytesIO(samples.REFUSED["html"]))


def test_refusals_say_why_in_the_users_language():
    with translation.override("en"), pytest.raises(documents.Rejected) as refused:
        documents.sniff(io.BytesIO(samples.REFUSED["exe"]))
    assert "Programs and scripts" in str(refused.value.message)
    with translation.override("en"), pytest.raises(documents.Rejected) as refused:
        documents.sniff(io.BytesIO(samples.REFUSED["svg"]))
    assert "SVG" in str(refused.value.message)
    with translation.override("en"), pytest.raises(documents.Rejected) as refused:
        documents.sniff(io.BytesIO(b""))
    assert "empty" in str(refused.value.message)


@pytest.mark.parametrize(
    ("original", "kind", "expected"),
    [
        ("审计报告.pdf", documents.PDF, "审计报告.pdf"),
        ("../../etc/passwd", documents.TEXT, "passwd.txt"),
        ("C:\\Users\\x\\访谈.docx", documents.DOCX, "访谈.docx"),
        ('a"b;c\r\nd.xlsx', documents.XLSX, "a b c d.xlsx"),
        ("photo.exe", documents.PNG, "photo.png"),
        ("", documents.PDF, "document.pdf"),
        ("...", documents.PDF, "document.pdf"),
        ("x" * 300 + ".pdf", documents.PDF, "x" * 100 + ".pdf"),
    ],
)
def test_download_names_are_plain_file_names_with_the_extension_of_their_content(
    original, kind, expected
):
    assert documents.download_name(original, kind) == expected


def test_sizes_read_in_kilobytes_or_megabytes():
    with translation.override("en"):
        assert documents.size_text(500) == "1 KB"
        assert documents.size_text(820 * 1024) == "820 KB"
        assert documents.size_text(3 * 1024 * 1024 + 400 * 1024) == "3.4 MB"
        assert documents.size_text(20 * 1024 * 1024) == "20 MB"

"""Uploaded source documents: what a file is (by its content, never its name), and safe names.

Pure logic, no ORM: `sniff` reads the bytes of an open file and answers one of the accepted
kinds or raises `Rejected` with a message for the user; `download_name` turns whatever name
the user's file had into one that is safe in a Content-Disposition header.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# How much of [Content_Types].xml we read to tell a Word file from a workbook.
CONTENT_TYPES_MAX_BYTES = 256 * 1024
READ_CHUNK = 64 * 1024
NAME_MAX_CHARS = 100


@dataclass(frozen=True)
class Kind:
    mime: str
    extension: str
    label: object  # lazy: shown in the user's language


PDF = Kind("application/pdf", "pdf", "PDF")
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word"
)
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel")
PNG = Kind("image/png", "png", "PNG")
JPEG = Kind("image/jpeg", "jpg", "JPEG")
TEXT = Kind("text/plain", "txt", gettext_lazy("Text"))
KINDS = {kind.mime: kind for kind in (PDF, DOCX, XLSX, PNG, JPEG, TEXT)}

# The main part of an Office Open XML package names what the package is. Macro-enabled
# variants (docm, xlsm) have other content types, so they are refused like any other.
OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"#!",  # a script
)
MARKUP_START = re.compile(rb"^\s*<", re.DOTALL)


class Rejected(ValueError):
    """The file is not one the app accepts; `message` says why, in the user's language."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def accepted_types_text() -> str:
    return _("PDF, Word (.docx), Excel (.xlsx), PNG or JPEG images, or plain UTF-8 text")


def _unsupported() -> Rejected:
    return Rejected(
        _("This type of file can't be attached. Accepted: %(types)s.")
        % {"types": accepted_types_text()}
    )


def _office_kind(file) -> Kind | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package:
            names = set(package.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise Rejected(_("Office files with macros can't be attached."))
            info = package.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX_BYTES:
                return None
            listing = package.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError):
        return None
    for content_type, kind in OOXML_MAIN_PARTS.items():
        if f'ContentType="{content_type}"' in listing:
            return kind
    return None


def _is_utf8_text(file, first: bytes) -> bool:
    file.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        while chunk := file.read(READ_CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff(file) -> Kind:
    """The kind of an open binary file, judged by its bytes; raises Rejected otherwise."""
    file.seek(0)
    head = file.read(8)
    if not head:
        raise Rejected(_("The file is empty."))
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        kind = _office_kind(file)
        if kind is None:
            raise _unsupported()
        return kind
    if head.startswith(EXECUTABLE_MAGIC):
        raise Rejected(_("Programs and scripts can't be attached."))
    if _is_utf8_text(file, head):
        file.seek(0)
        start = file.read(1024).removeprefix(codecs.BOM_UTF8)
        if MARKUP_START.match(start):
            # HTML, SVG or XML would run as a page if a browser ever opened it inline.
            raise Rejected(_("Web pages, SVG and other markup files can't be attached."))
        return TEXT
    raise _unsupported()


UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f"*/:<>?\\|;]+')


def download_name(original: str, kind: Kind) -> str:
    """A file name for the download: the user's name cleaned, with the extension of its kind."""
    name = unicodedata.normalize("NFKC", original or "")
    name = re.split(r"[/\\]", name)[-1]  # never a path, whichever way it was written
    name = UNSAFE_NAME_CHARS.sub(" ", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem = name.rsplit(".", 1)[0].strip(" .") if "." in name else name
    stem = stem[:NAME_MAX_CHARS].strip(" .") or "document"
    return f"{stem}.{kind.extension}"


def size_text(size: int) -> str:
    """A size as people read it: "820 KB", "3.4 MB"."""
    if size < 1024 * 1024:
        return _("%(size)s KB") % {"size": max(1, round(size / 1024))}
    return _("%(size)s MB") % {"size": f"{size / (1024 * 1024):.1f}".removesuffix(".0")}


def kind_of(mime: str) -> Kind | None:
    return KINDS.get(mime)

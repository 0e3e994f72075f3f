"""Tiny real files of every kind the sources panel takes (and some it refuses), made in memory."""

import io
import zipfile


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("办件时间压缩到三个工作日。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["指标", "数值"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def image(kind: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (31, 79, 138)).save(buffer, format=kind)
    return buffer.getvalue()


def text() -> bytes:
    return "访谈记录\n第 12 页：平均办理时间从 20 天降到 3 天。\n".encode()


def zip_with(content_types: str, extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", content_types)
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


def docm() -> bytes:
    """A macro-enabled Word file: its main part has another content type, and a VBA project."""
    content_types = (
        '<Types><Override PartName="/word/document.xml" '
        'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
    )
    return zip_with(content_types, {"word/vbaProject.bin": b"\x00" * 16})


REFUSED = {
    "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48,
    "elf": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56,
    "script": b"#!/bin/sh\nrm -rf /\n",
    "html": b"<!doctype html><html><script>alert(1)</script></html>",
    "svg": b'\xef\xbb\xbf  <svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "xml": b'<?xml version="1.0"?><a/>',
    "plain zip": zip_with("<Types/>", {"readme.txt": b"hi"}),
    "docm": docm(),
    "latin-1 text": "café, naïve".encode("latin-1"),
    "text with NUL": b"abc\x00def",
    "gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
}

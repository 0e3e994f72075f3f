"""The PDF's font stack covers CJK Extension B (𪚥, U+2A6A5) and emoji.

A character no font has comes out as an empty box, and the PDF then embeds no font whose
character map holds it. So: render a report whose evidence holds both, and look for them in
the character maps of the fonts the PDF embeds. Charts are left out (they need Chromium and
say nothing about the fonts of the text).
"""

import io
import shutil
import subprocess

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from casework.models import Answer
from casework.reports import render

EXTENSION_B = "\U0002a6a5"  # 𪚥
EMOJI = "\U0001f600"  # 😀


def _fonts_cover(codepoint: int) -> bool:
    if not shutil.which("fc-list"):
        return False
    found = subprocess.run(
        ["fc-list", f":charset={codepoint:x}", "family"],
        capture_output=True,
        text=True,
        check=False,
    )
    return bool(found.stdout.strip())


pytestmark = pytest.mark.skipif(
    not (_fonts_cover(ord(EXTENSION_B)) and _fonts_cover(ord(EMOJI))),
    reason="needs fonts-hanazono and fonts-noto-color-emoji (make setup installs them)",
)


def embedded_codepoints(data: bytes) -> dict[str, set[int]]:
    """{font name: the characters its embedded program maps} for every font in the PDF."""
    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            program = font
            if "/DescendantFonts" in font:
                program = font["/DescendantFonts"][0].get_object()
            descriptor = program["/FontDescriptor"].get_object()
            stream = next(
                (
                    descriptor[k]
                    for k in ("/FontFile2", "/FontFile3", "/FontFile")
                    if k in descriptor
                ),
                None,
            )
            if stream is None:
                continue
            try:
                cmap = TTFont(io.BytesIO(stream.get_object().get_data())).getBestCmap() or {}
            except Exception:  # noqa: BLE001 - a Type 1 program has no cmap to read
                cmap = {}
            fonts.setdefault(str(font["/BaseFont"]), set()).update(cmap)
    return fonts


@pytest.mark.django_db
def test_a_pdf_with_extension_b_and_an_emoji_embeds_fonts_that_have_them(
    scored_assessment, monkeypatch
):
    Answer.objects.filter(assessment=scored_assessment, criterion__code="TF-D1.1").update(
        evidence=f"窗口合并为一个 {EXTENSION_B} 字号的综合窗口 {EMOJI}"
    )
    monkeypatch.setattr(render, "chart_images", lambda figures: {})

    data = render.assessment_pdf(scored_assessment)

    fonts = embedded_codepoints(data)
    having = {name for name, codepoints in fonts.items() if ord(EXTENSION_B) in codepoints}
    assert having, f"no embedded font maps U+2A6A5: {sorted(fonts)}"
    having = {name for name, codepoints in fonts.items() if ord(EMOJI) in codepoints}
    assert having, f"no embedded font maps U+1F600: {sorted(fonts)}"


def test_the_print_stylesheet_names_the_fonts():
    from pathlib import Path

    from django.conf import settings

    template = Path(settings.BASE_DIR, "templates", "reports", "print.html").read_text()
    stacks = [line for line in template.splitlines() if "font-family" in line]
    assert any('"HanaMinB"' in line for line in stacks)
    # Emoji come from the system's fallback: named, the emoji font would draw the digits.
    assert not any("Emoji" in line for line in stacks)


@pytest.mark.django_db
def test_numbers_are_never_drawn_with_the_emoji_font(scored_assessment, monkeypatch):
    # The emoji font has digits too (for keycaps); listed plainly, it drew "2022" as wide
    # emoji digits. Limited to emoji ranges, a report without emoji embeds it not at all.
    Answer.objects.filter(assessment=scored_assessment, criterion__code="TF-D1.1").update(
        evidence="2022 年 10 月上线，可用率 43%，投资 4,946.2 万元。"
    )
    monkeypatch.setattr(render, "chart_images", lambda figures: {})

    fonts = embedded_codepoints(render.assessment_pdf(scored_assessment))

    assert not [name for name in fonts if "Emoji" in name], sorted(fonts)

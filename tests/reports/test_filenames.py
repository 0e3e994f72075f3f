"""Download file names carry the case title, never characters that disguise or break a name."""

from datetime import date

import pytest

from casework.reports.render import content_disposition, report_filenames

ON = date(2026, 12, 1)


@pytest.mark.parametrize(
    "hidden",
    ["\u202e", "\u202d", "\u2066", "\u200b", "\u200f", "\ufeff", "\x00", "\x0b", "\x1f", "\x85"],
)
def test_bidi_and_control_characters_never_reach_a_file_name(hidden):
    case = {"id": 7, "title": f"整改{hidden}复盘fdp.exe"}

    fallback, name = report_filenames(case, on=ON, kind="report")

    assert hidden not in name and hidden not in fallback
    assert name == "Casework_整改复盘fdp.exe_report_2026-12-01.pdf"


def test_a_title_of_nothing_but_hidden_characters_falls_back_to_the_case_number():
    _, name = report_filenames({"id": 7, "title": "\u202e\u200b"}, on=ON)

    assert name == "Casework_case-7_2026-12-01.pdf"


def test_the_header_quotes_the_unicode_name_and_keeps_an_ascii_fallback():
    header = content_disposition({"id": 7, "title": "整改\u202e复盘"}, on=ON, extension="docx")

    assert header.startswith('attachment; filename="Casework_case-7_2026-12-01.docx"')
    assert "%E2%80%AE" not in header  # the encoded right-to-left override

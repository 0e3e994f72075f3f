"""A sheet (columns and rows) and its CSV and XLSX writers.

A sheet is a list of columns (a stable machine key, a label in the user's language, a kind
that picks the number format) and rows. XLSX writes the label row and, below it, the key row;
CSV writes the keys only, so scripts reading it do not depend on the language. Every text cell
is cleaned of characters a spreadsheet cannot hold and defused against formula injection.
openpyxl is imported where it is used: this module is imported by the URL conf.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Control characters other than tab, newline and carriage return (XML 1.0 cannot hold
# U+0000–U+001F, and U+007F–U+009F are invisible C1 controls), lone surrogates (not valid
# UTF-8) and the two non-characters XML forbids. A superset of openpyxl's ILLEGAL_CHARACTERS_RE.
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Excel refuses these in sheet names.
SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
HEADER_ROWS = 2  # the label row and the machine-key row
# Number formats by column kind.
SCORE_FORMAT = "0.0"
PERCENT_FORMAT = '0.0" %"'  # values are 0–100, as in the report
INTEGER_FORMAT = "#,##0"  # whole register values; ids and counts stay General
DECIMAL_FORMAT = "#,##0.0##"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
WIDTHS = {"text": 18, "long": 50, "int": 9, "score": 9, "percent": 11, "number": 12, "date": 12}
MAX_WIDTH = 60
WIDTH_SAMPLE = 200


def clean_text(value: str) -> str:
    """Text without the characters XML 1.0 and spreadsheets cannot hold."""
    return UNSAFE_CHARACTERS.sub("", value)


def defuse(value):
    """A cell value that no spreadsheet will evaluate: risky text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def cell_value(value):
    """Text cleaned and defused; naive local datetimes (spreadsheets have no time zones)."""
    if isinstance(value, str):
        return defuse(clean_text(value))
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, float) and value != value:  # NaN from pandas
        return None
    return value


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text, long, int, score, percent, number, date, bool


@dataclass
class Sheet:
    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)

    def add(self, values: dict) -> None:
        self.rows.append([values.get(column.key) for column in self.columns])


def _csv_value(value):
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(sheet: Sheet) -> bytes:
    """The sheet with its machine keys as the header, UTF-8 with a BOM (Excel reads Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell_value(column.key) for column in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name: no []:*?/\\ or control characters, 31 characters."""
    name = SHEET_NAME_UNSAFE.sub(" ", clean_text(str(title))).strip().strip("'")
    name = name[:SHEET_NAME_MAX].strip() or "Sheet"
    candidate, n = name, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate = name[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(candidate.casefold())
    return candidate


def _display_width(text: str) -> int:
    # Chinese characters take about two columns.
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _column_width(column: Column, values: list) -> float:
    base = WIDTHS.get(column.kind, WIDTHS["text"])
    longest = max([_display_width(column.label), _display_width(column.key)])
    if column.kind in ("text", "long"):
        for value in values[:WIDTH_SAMPLE]:
            if isinstance(value, str):
                longest = max(longest, _display_width(value.split("\n", 1)[0]))
        limit = WIDTHS["long"] if column.kind == "long" else MAX_WIDTH // 2
        return float(min(max(longest + 2, 8), limit))
    return float(min(max(base, longest + 2), MAX_WIDTH))


def _styled(ws, number_format: str | None = None, alignment=None):
    """A reusable write-only cell with a style: set .value, append, repeat."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    if number_format:
        cell.number_format = number_format
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _converter(ws, column: Column, wrap):
    """A function from a raw value to what the row holds: the value, or a styled cell.

    Write-only mode writes a row out as soon as it is appended, so one styled cell per
    column (and format) is reused for every row: no per-cell style objects for 20,000 rows.
    """
    kind = column.kind
    if kind in ("text", "long"):
        holder = _styled(ws, alignment=wrap) if kind == "long" else None

        def text(value):
            if not isinstance(value, str):
                return cell_value(value)
            value = defuse(clean_text(value))
            if holder is None:
                return value
            holder.value = value
            return holder

        return text
    if kind in ("score", "percent"):
        holder = _styled(ws, SCORE_FORMAT if kind == "score" else PERCENT_FORMAT)

        def number(value):
            if value is None or isinstance(value, bool) or value != value:
                return None
            holder.value = value
            return holder

        return number
    if kind == "number":
        whole, fraction = _styled(ws, INTEGER_FORMAT), _styled(ws, DECIMAL_FORMAT)

        def grouped(value):
            if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
                return cell_value(value)
            holder = whole if float(value).is_integer() else fraction
            holder.value = value
            return holder

        return grouped
    if kind == "date":
        day, moment = _styled(ws, DATE_FORMAT), _styled(ws, DATETIME_FORMAT)

        def dated(value):
            if isinstance(value, datetime):
                moment.value = cell_value(value)
                return moment
            if isinstance(value, date):
                day.value = value
                return day
            return cell_value(value)

        return dated
    return cell_value  # int, bool: as they are


def to_xlsx(sheets: list[Sheet]) -> bytes:
    """A workbook: per sheet a label row and a key row (frozen, filtered), then the rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    # Write-only mode streams rows: several times faster than pandas' to_excel for a
    # 20,000-row portfolio.
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    label_font = Font(bold=True)
    key_font = Font(italic=True, color="5F6B7A", size=9)
    header_fill = PatternFill("solid", fgColor="E8EDF3")
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet_name(sheet.title, taken))
        width = len(sheet.columns)
        last = get_column_letter(max(width, 1))
        ws.freeze_panes = f"A{HEADER_ROWS + 1}"
        if width:
            ws.auto_filter.ref = f"A{HEADER_ROWS}:{last}{HEADER_ROWS + len(sheet.rows)}"
        for index, column in enumerate(sheet.columns):
            values = [row[index] for row in sheet.rows[:WIDTH_SAMPLE]]
            ws.column_dimensions[get_column_letter(index + 1)].width = _column_width(column, values)
        labels, keys = [], []
        for column in sheet.columns:
            label = WriteOnlyCell(ws, value=cell_value(column.label))
            label.font, label.fill, label.alignment = label_font, header_fill, wrap
            key = WriteOnlyCell(ws, value=cell_value(column.key))
            key.font, key.fill = key_font, header_fill
            labels.append(label)
            keys.append(key)
        ws.append(labels)
        ws.append(keys)
        converters = [_converter(ws, column, wrap) for column in sheet.columns]
        for row in sheet.rows:
            ws.append([convert(value) for convert, value in zip(converters, row, strict=True)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

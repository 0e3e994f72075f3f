"""Rows pasted from a spreadsheet or read from CSV/XLSX, checked cell by cell for one register.

Pure: text or bytes in, a `Preview` out (no database, no request). The header row is optional;
columns are matched by name in English or Chinese, or taken in the register's column order.
Nothing here writes: `casework.services.register_import` does, after checking the rows again.
"""

import csv
import datetime
import functools
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from casework.forms.registers import DIRECTION_CHOICES, REGISTER_FORM_FIELDS
from casework.models import REGISTER_MODELS
from casework.services.registers import clean_row_data

MAX_ROWS = 200
MAX_COLUMNS = 30
MAX_PASTE_CHARS = 200_000
MAX_UPLOAD_BYTES = 1_000_000
# An XLSX is a zip: refuse one that would unpack to far more than any sheet of 200 rows needs.
MAX_XLSX_UNPACKED_BYTES = 20_000_000
MAX_CELL_CHARS = 5_000
ENCODINGS = ("utf-8-sig", "gb18030")

_CHINESE_DIGITS = dict(zip("一二三四五", "12345", strict=True))
_YES = {"1", "y", "yes", "true", "x", "✓", "✔", "是", "对", "√"}
_NO = {"", "0", "n", "no", "false", "否", "不", "×"}


class ImportProblem(Exception):
    """The text or file as a whole cannot be read; the message is safe to show."""


@dataclass
class Cell:
    text: str
    error: str = ""


@dataclass
class ParsedRow:
    line: int
    raw: dict[str, str]
    cells: list[Cell] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not any(c.error for c in self.cells)


@dataclass
class Preview:
    register: str
    columns: list[str]
    labels: list[str]
    rows: list[ParsedRow] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    header_found: bool = False

    @property
    def error_count(self) -> int:
        return sum(not row.ok for row in self.rows)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.error_count

    def stored(self) -> list[dict]:
        """What to keep until the analyst confirms: the raw cells, checked again then."""
        return [{"line": row.line, "raw": row.raw} for row in self.rows]


# --- Reading text and files ---------------------------------------------------------------------


def decode_text(content: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else GB18030 (Excel's Chinese CSV)."""
    if b"\x00" in content:
        raise ImportProblem(_("This file is not CSV text. Save the sheet as CSV or XLSX."))
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportProblem(_("The file's characters cannot be read: save it as UTF-8 CSV or XLSX."))


def read_text(text: str) -> list[list[str]]:
    """Cells of pasted or CSV text: tabs (a spreadsheet copy), else commas or semicolons."""
    if len(text) > MAX_PASTE_CHARS:
        raise ImportProblem(
            _("This is limited to %(limit)s characters; paste fewer rows at a time.")
            % {"limit": MAX_PASTE_CHARS}
        )
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else (";" if first.count(";") > first.count(",") else ",")
    try:
        table = []
        for cells in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter):
            table.append(cells)
            if len(table) > MAX_ROWS + 1:
                break
        return table
    except csv.Error:
        raise ImportProblem(
            _("The text cannot be read as a table: check for a quote mark that is never closed.")
        ) from None


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(content: bytes) -> list[list[str]]:
    """Cells of the first sheet, as stored: formulas come back as their text, never evaluated."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            raise ImportProblem(_("This workbook is too large to import."))
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except ImportProblem:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ImportProblem(_("This file cannot be read as an XLSX workbook.")) from None
    try:
        sheet = book.worksheets[0]
        table = []
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            table.append([_xlsx_cell(v) for v in values])
            if len(table) > MAX_ROWS + 1:
                break
        return table
    finally:
        book.close()


def read_upload(name: str, content: bytes) -> list[list[str]]:
    """Cells of an uploaded CSV or XLSX, told apart by their content, not by their name."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportProblem(
            _("The file is larger than %(limit)s KB.") % {"limit": MAX_UPLOAD_BYTES // 1000}
        )
    if content.startswith(b"PK\x03\x04"):
        return read_xlsx(content)
    return read_text(decode_text(content))


# --- Columns ------------------------------------------------------------------------------------


def _key(text) -> str:
    """A header reduced for matching: no case, spaces, punctuation or "(1–5)"."""
    text = re.sub(r"[(（].*?[)）]", "", str(text)).casefold()
    return re.sub(r"[\s_\-–:：*]+", "", text)


def _field_label(model, name) -> str:
    return (
        _("Direction") if name == "higher_is_better" else model._meta.get_field(name).verbose_name
    )


# Other words a sheet often uses for a column.
_SYNONYMS = {
    "name": ("姓名", "名字"),
    "statement": ("goal", "目标"),
    "description": ("risk", "风险"),
    "family": ("category", "type", "类别", "类型"),
    "likelihood": ("probability", "概率", "发生概率", "可能性"),
    "impact": ("影响", "影响度"),
    "influence": ("power", "权力"),
    "interest": ("利益", "关注", "兴趣"),
}


def column_labels(register: str) -> list[str]:
    """The register's columns as the analyst reads them, in the order used without a header."""
    model = REGISTER_MODELS[register]
    return [str(_field_label(model, name)) for name in REGISTER_FORM_FIELDS[register]]


@functools.cache
def _aliases(register: str) -> dict[str, str]:
    model = REGISTER_MODELS[register]
    aliases = {}
    for name in REGISTER_FORM_FIELDS[register]:
        aliases[_key(name)] = name
        for word in _SYNONYMS.get(name, ()):
            aliases[_key(word)] = name
        for language in ("en", "zh-hans"):
            with translation.override(language):
                aliases.setdefault(_key(_field_label(model, name)), name)
                aliases.setdefault(_key(model._meta.get_field(name).verbose_name), name)
    return aliases


@functools.cache
def _choices(model, name) -> dict[str, str]:
    """What a cell may say for a choice field, in either language, mapped to the stored code."""
    if name == "higher_is_better":
        pairs = [(code == "True", label) for code, label in DIRECTION_CHOICES]
    else:
        pairs = list(model._meta.get_field(name).choices)
    accepted = {}
    for value, label in pairs:
        accepted[_key(value)] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                accepted[_key(label)] = value
                # "External: the public" may be written as just "the public".
                accepted.setdefault(_key(str(label).split(":")[-1].split("：")[-1]), value)
    if name == "higher_is_better":
        for word in ("higher", "up", "越高越好", "高"):
            accepted[_key(word)] = True
        for word in ("lower", "down", "越低越好", "低"):
            accepted[_key(word)] = False
    return accepted


# --- Cells --------------------------------------------------------------------------------------


def _convert(model, name, text: str):
    """A cell's text as the value the service expects; ValueError with a message if it is not."""
    model_field = model._meta.get_field(name)
    if name == "higher_is_better" or model_field.choices:
        if not text and not model_field.has_default():
            return ""
        if not text:
            return model_field.get_default()
        accepted = _choices(model, name)
        value = accepted.get(_key(text))
        if value is None and len(_key(text)) >= 2:
            # "公众" for "外部：社会公众": a part of one label only, so there is no doubt.
            near = {v for label, v in accepted.items() if _key(text) in label}
            value = near.pop() if len(near) == 1 else None
        if value is None:
            labels = [str(label) for _v, label in (model_field.choices or DIRECTION_CHOICES)]
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": text, "choices": "; ".join(labels)}
            )
        return value
    if isinstance(model_field, models.BooleanField):
        word = text.strip().casefold()
        if word in _YES:
            return True
        if word in _NO:
            return False
        raise ValueError(_("“%(value)s” is not yes or no.") % {"value": text})
    if isinstance(model_field, models.PositiveSmallIntegerField):
        if not text:
            raise ValueError(_("Give a score from 1 to 5."))
        digits = unicodedata.normalize("NFKC", text).strip()  # "３" typed full-width
        digits = _CHINESE_DIGITS.get(digits, digits)
        try:
            number = float(digits)
        except ValueError:
            number = None
        if number is None or not number.is_integer():
            raise ValueError(
                _("“%(value)s” is not a whole number from 1 to 5.") % {"value": text}
            ) from None
        return int(number)
    if isinstance(model_field, models.DateField):
        if not text and model_field.null:
            return None
        candidate = text.strip().split(" ")[0].split("T")[0].replace("/", "-").replace(".", "-")
        try:
            parsed = parse_date(candidate)
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValueError(_("Enter the date as YYYY-MM-DD."))
        return parsed
    return text


def check_row(register: str, raw: dict[str, str], line: int) -> ParsedRow:
    """One row's cells converted and checked; every problem named by its column."""
    model = REGISTER_MODELS[register]
    names = REGISTER_FORM_FIELDS[register]
    row = ParsedRow(line=line, raw=raw)
    data, errors = {}, {}
    for name in names:
        text = str(raw.get(name, "")).strip()
        if len(text) > MAX_CELL_CHARS:
            errors[name] = _("This is limited to %(limit)s characters; the text has %(count)s.") % {
                "limit": MAX_CELL_CHARS,
                "count": len(text),
            }
            continue
        try:
            data[name] = _convert(model, name, text)
        except ValueError as error:
            errors[name] = str(error)
    try:
        # Every column is present (blank or not), so "partial" checks them all but those
        # whose text could not be read, which already have their message.
        data = clean_row_data(model, data, partial=True)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages[0])
    start, end = data.get("start"), data.get("end")
    if not errors and start and end and end < start:
        errors["end"] = _("The end date must not be before the start date.")
    row.cells = [Cell(str(raw.get(name, "")), errors.pop(name, "")) for name in names]
    row.errors = [str(message) for message in errors.values()]
    row.data = data
    return row


def parse_table(register: str, table: list[list[str]]) -> Preview:
    """A preview of `table` (rows of cell texts) as rows of `register`."""
    if register not in REGISTER_MODELS:
        raise ImportProblem(_("There is no register %(name)s.") % {"name": register})
    names = REGISTER_FORM_FIELDS[register]
    # (line in the source, cells), blank lines left out
    lines = [(n, [str(c).strip() for c in cells[:MAX_COLUMNS]]) for n, cells in enumerate(table, 1)]
    lines = [(n, cells) for n, cells in lines if any(cells)]
    preview = Preview(register, list(names), column_labels(register))
    if not lines:
        raise ImportProblem(_("There are no rows to import."))
    aliases = _aliases(register)
    first = lines[0][1]
    matched = [aliases.get(_key(c)) for c in first]
    filled = [c for c in first if c]
    found = sum(m is not None for m in matched)
    preview.header_found = found > 0 and found * 2 >= len(filled)
    if preview.header_found:
        columns, seen = [], set()
        for text, name in zip(first, matched, strict=True):
            if name is None or name in seen:
                columns.append(None)
                if text:
                    preview.ignored.append(text)
            else:
                columns.append(name)
                seen.add(name)
        body = lines[1:]
    else:
        columns, body = list(names), lines
    if len(body) > MAX_ROWS:
        raise ImportProblem(
            _("There are more than %(limit)s rows: import at most %(limit)s at a time.")
            % {"limit": MAX_ROWS}
        )
    for line, cells in body:
        raw = {n: c for n, c in zip(columns, cells, strict=False) if n is not None}
        preview.rows.append(check_row(register, raw, line))
    if not preview.rows:
        raise ImportProblem(_("There are no rows to import."))
    return preview


def recheck(register: str, stored: list[dict]) -> Preview:
    """The preview again from what was kept, checked afresh (nothing trusted from before)."""
    names = REGISTER_FORM_FIELDS[register]
    preview = Preview(register, list(names), column_labels(register))
    for item in stored[:MAX_ROWS]:
        raw = {n: str(v) for n, v in dict(item.get("raw") or {}).items() if n in names}
        preview.rows.append(check_row(register, raw, int(item.get("line") or 0)))
    return preview

"""CSV and XLSX exports of an assessment's answers and scores, and of the portfolio."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.reports.render import content_disposition

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """A cell value that no spreadsheet will evaluate: risky text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def defuse_frame(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    frame = frame.copy()
    for column in frame.columns:
        # pandas 3 stores text in its own string dtype, older pandas as object.
        series = frame[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            frame[column] = series.map(defuse)
    frame.columns = [defuse(str(column)) for column in frame.columns]
    return frame


def answers_frame(report: dict) -> pd.DataFrame:
    """One row per item of an assessment, with its answer and item score (0–100)."""
    import pandas as pd

    rows = []
    framework = report["framework"]
    for dimension in report["dimensions"]:
        for item in dimension["items"] + dimension["observation_items"]:
            rows.append(
                {
                    "framework": framework["code"],
                    "version": framework["version_label"],
                    "round": report["assessment"]["round"],
                    "dimension": dimension["code"],
                    "dimension_title": dimension["title"],
                    "item": item["code"],
                    "item_title": item["title"],
                    "kind": item["kind"],
                    "weight": item["weight"],
                    "level": item["level"],
                    "level_label": item["level_label"],
                    "not_applicable": item["not_applicable"],
                    "na_reason": item["na_reason"],
                    "observation": item["observation"],
                    "confidence": item["confidence"],
                    "evidence": item["evidence"],
                    "citations": "; ".join(item["citations"]),
                    "item_score": item["percent"],
                }
            )
    return pd.DataFrame(rows)


def scores_frame(report: dict) -> pd.DataFrame:
    """The overall score and each dimension's score (0–100), band and counts."""
    import pandas as pd

    overall = report["overall"]
    counts = report["counts"]
    rows = [
        {
            "dimension": "overall",
            "title": report["framework"]["name"],
            "weight": None,
            "score": overall["percent"],
            "band": overall["band"],
            "band_label": overall["band_label"],
            "completeness": counts["completeness_percent"],
            "answered": counts["answered"],
            "scored_total": counts["scored_total"],
            "not_applicable": counts["not_applicable"],
        }
    ]
    for d in report["dimensions"]:
        rows.append(
            {
                "dimension": d["code"],
                "title": d["title"],
                "weight": d["weight"],
                "score": d["percent"],
                "band": d["band"],
                "band_label": d["band_label"],
                "completeness": d["completeness_percent"],
                "answered": d["answered"],
                "scored_total": d["scored_total"],
                "not_applicable": d["not_applicable"],
            }
        )
    return pd.DataFrame(rows)


def portfolio_frame(data: dict) -> pd.DataFrame:
    """One row per case and framework: the latest round's overall and dimension scores."""
    import pandas as pd

    rows = []
    for framework in data["frameworks"]:
        for row in framework["rows"]:
            rows.append(
                {
                    "framework": framework["code"],
                    "case_id": row["case_id"],
                    "case": row["case_title"],
                    "unit": row["unit"],
                    "level": row["level"],
                    "sector": row["sector"],
                    "assessment_id": row["assessment_id"],
                    "round": row["round"],
                    "status": row["status"],
                    "version": row["version_label"],
                    "overall": row["percent"],
                    "band": row["band"],
                    "band_label": row["band_label"],
                    **row["dimensions"],
                }
            )
    return pd.DataFrame(rows)


def to_csv(frame: pd.DataFrame) -> bytes:
    # The BOM tells Excel the file is UTF-8, so Chinese text opens correctly.
    return defuse_frame(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    from openpyxl import Workbook

    # openpyxl's write-only mode streams rows: several times faster than pandas' to_excel
    # for a 20,000-row portfolio.
    workbook = Workbook(write_only=True)
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(title=name[:31])
        frame = defuse_frame(frame)
        sheet.append([str(column) for column in frame.columns])
        columns = [
            [None if value is None or value != value else value for value in frame[c].tolist()]
            for c in frame.columns
        ]
        for row in zip(*columns, strict=True):
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _response(data: bytes, kind: str, case_like: dict) -> HttpResponse:
    content_type = "text/csv; charset=utf-8" if kind == "csv" else XLSX_TYPE
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        case_like, on=timezone.localdate(), extension=kind
    )
    return response


def assessment_export_response(report: dict, kind: str, *, table: str = "answers") -> HttpResponse:
    """The assessment's answers (CSV: answers or scores table; XLSX: both sheets)."""
    case = dict(report["case"])
    case["title"] = (
        f"{case['title']}_{report['framework']['code']}_R{report['assessment']['round']}"
    )
    if kind == "csv":
        frame = scores_frame(report) if table == "scores" else answers_frame(report)
        return _response(to_csv(frame), kind, case)
    sheets = {"scores": scores_frame(report), "answers": answers_frame(report)}
    return _response(to_xlsx(sheets), kind, case)


def portfolio_export_response(data: dict, kind: str) -> HttpResponse:
    name = {"id": 0, "title": _("portfolio")}
    if kind == "csv":
        return _response(to_csv(portfolio_frame(data)), kind, name)
    sheets = {}
    for framework in data["frameworks"]:
        frame = portfolio_frame({"frameworks": [framework]})
        sheets[framework["code"]] = frame
    if not sheets:
        sheets["portfolio"] = portfolio_frame(data)
    return _response(to_xlsx(sheets), kind, name)

"""CSV and XLSX exports of an assessment (scores, answers, citations, registers, action plan)
and of the portfolio: which sheets, which columns, and the download responses.

The sheet model and the CSV/XLSX writers are in `casework/reports/workbook.py`.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.reports.render import content_disposition
from casework.reports.workbook import (
    XLSX_TYPE,
    Column,
    Sheet,
    to_csv,
    to_xlsx,
)

FORMATS = ("csv", "xlsx")


# --- sheets -----------------------------------------------------------------------------


def _sheet(key: str, title: str, columns: list[tuple], rows: list[dict]) -> Sheet:
    sheet = Sheet(key, title, [Column(*spec) for spec in columns])
    for row in rows:
        sheet.add(row)
    return sheet


def _citation_text(citations: list[dict]) -> str:
    return "; ".join(f"{c['label']} {c['title']}" for c in citations)


def scores_sheet(report: dict) -> Sheet:
    """The overall score and each dimension's score (0–100), band, counts and findings."""
    overall, counts = report["overall"], report["counts"]
    rows = [
        {
            "dimension": "overall",
            "title": report["framework"]["name"],
            "score": overall["percent"],
            "band": overall["band"],
            "band_label": overall["band_label"],
            "completeness": counts["completeness_percent"],
            "answered": counts["answered"],
            "scored_total": counts["scored_total"],
            "not_applicable": counts["not_applicable"],
            "findings": report["assessment"]["conclusion"],
        }
    ]
    for d in report["dimensions"]:
        rows.append(
            {
                "dimension": d["code"],
                "title": d["title"],
                "weight": d["weight"],
                "score": d["percent"],
                "previous_score": d["previous_percent"],
                "band": d["band"],
                "band_label": d["band_label"],
                "completeness": d["completeness_percent"],
                "answered": d["answered"],
                "scored_total": d["scored_total"],
                "not_applicable": d["not_applicable"],
                "findings": d["findings"],
            }
        )
    return _sheet(
        "scores",
        _("Scores"),
        [
            ("dimension", _("Dimension")),
            ("title", _("Title")),
            ("weight", _("Weight"), "number"),
            ("score", _("Score"), "score"),
            ("previous_score", _("Previous round"), "score"),
            ("band", _("Band"), "int"),
            ("band_label", _("Band name")),
            ("completeness", _("Completeness"), "percent"),
            ("answered", _("Answered"), "int"),
            ("scored_total", _("Scored items"), "int"),
            ("not_applicable", _("Not applicable"), "int"),
            ("findings", _("Findings"), "long"),
        ],
        rows,
    )


def answers_sheet(report: dict) -> Sheet:
    """One row per item: its answer, observation note, citations and item score (0–100)."""
    framework = report["framework"]
    rows = []
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
                    "observation_label": item["observation_label"],
                    "tone": item["tone"],
                    "confidence": item["confidence"],
                    "evidence": item["evidence"],
                    "note": item["note"],
                    "citations": _citation_text(item["citations"]),
                    "item_score": item["percent"],
                }
            )
    return _sheet(
        "answers",
        _("Answers"),
        [
            ("framework", _("Framework")),
            ("version", _("Version")),
            ("round", _("Round"), "int"),
            ("dimension", _("Dimension")),
            ("dimension_title", _("Dimension title")),
            ("item", _("Item")),
            ("item_title", _("Item title")),
            ("kind", _("Kind")),
            ("weight", _("Weight"), "number"),
            ("level", _("Level"), "int"),
            ("level_label", _("Level name")),
            ("not_applicable", _("Not applicable"), "bool"),
            ("na_reason", _("Reason for N/A")),
            ("observation", _("Observation")),
            ("observation_label", _("Observation name")),
            ("tone", _("Tone")),
            ("confidence", _("Confidence")),
            ("evidence", _("Evidence"), "long"),
            ("note", _("Note"), "long"),
            ("citations", _("Sources"), "long"),
            ("item_score", _("Item score"), "score"),
        ],
        rows,
    )


def citations_sheet(report: dict) -> Sheet:
    """One row per citation of an answer: the source's number and title, where, and the quote."""
    rows = [
        {
            "item": item["code"],
            "item_title": item["title"],
            "source_number": citation["number"],
            "source_title": citation["title"],
            "locator": citation["locator"],
            "quote": citation["quote"],
            "label": citation["label"],
        }
        for dimension in report["dimensions"]
        for item in dimension["items"] + dimension["observation_items"]
        for citation in item["citations"]
    ]
    return _sheet(
        "citations",
        _("Citations"),
        [
            ("item", _("Item")),
            ("item_title", _("Item title")),
            ("source_number", _("Source number"), "int"),
            ("source_title", _("Source")),
            ("locator", _("Page or section")),
            ("quote", _("Quote"), "long"),
            ("label", _("Citation")),
        ],
        rows,
    )


def sources_sheet(report: dict) -> Sheet:
    """The case's numbered bibliography."""
    return _sheet(
        "sources",
        _("Sources"),
        [
            ("number", _("Number"), "int"),
            ("title", _("Title"), "long"),
            ("publisher", _("Publisher")),
            ("reference", _("Link or reference"), "long"),
            ("published_on", _("Published"), "date"),
            ("accessed_on", _("Accessed"), "date"),
            ("document", _("Document"), "long"),
        ],
        report["case"]["sources"],
    )


def register_sheets(report: dict) -> list[Sheet]:
    """One sheet per register, and the indicators' measurements."""
    registers = report["registers"] or {}
    indicators = registers.get("indicators", [])
    measurements = [
        {"indicator": i["name"], "unit": i["unit"], **m}
        for i in indicators
        for m in i["measurements"]
    ]
    return [
        _sheet(
            "goals",
            _("Goals"),
            [
                ("statement", _("Goal"), "long"),
                ("target", _("Target")),
                ("owner", _("Owner")),
                ("deadline", _("Deadline"), "date"),
                ("specific", _("Specific"), "bool"),
                ("measurable", _("Measurable"), "bool"),
                ("achievable", _("Achievable"), "bool"),
                ("relevant", _("Relevant"), "bool"),
                ("time_bound", _("Time-bound"), "bool"),
                ("smart_count", _("SMART criteria met"), "int"),
            ],
            registers.get("goals", []),
        ),
        _sheet(
            "stakeholders",
            _("Stakeholders"),
            [
                ("name", _("Name")),
                ("group", _("Group code")),
                ("group_label", _("Group")),
                ("influence", _("Influence"), "int"),
                ("interest", _("Interest"), "int"),
                ("attitude", _("Attitude code")),
                ("attitude_label", _("Attitude")),
                ("approach", _("Communication approach"), "long"),
            ],
            registers.get("stakeholders", []),
        ),
        _sheet(
            "risks",
            _("Risks"),
            [
                ("category", _("Category code")),
                ("category_label", _("Category")),
                ("description", _("Description"), "long"),
                ("likelihood", _("Likelihood"), "int"),
                ("impact", _("Impact"), "int"),
                ("severity", _("Severity"), "int"),
                ("response", _("Response"), "long"),
                ("owner", _("Owner")),
                ("status", _("Status code")),
                ("status_label", _("Status")),
                ("occurred", _("Occurred"), "bool"),
                ("outcome", _("What happened"), "long"),
            ],
            registers.get("risks", []),
        ),
        _sheet(
            "indicators",
            _("Indicators"),
            [
                ("family", _("Family code")),
                ("family_label", _("Family")),
                ("name", _("Indicator"), "long"),
                ("unit", _("Unit")),
                ("higher_is_better", _("Higher is better"), "bool"),
                ("direction_label", _("Direction")),
                ("baseline", _("Baseline"), "number"),
                ("target", _("Target"), "number"),
                ("latest", _("Latest"), "number"),
                ("latest_date", _("Latest measured on"), "date"),
                ("met", _("Target met"), "bool"),
                ("progress_percent", _("Progress"), "percent"),
            ],
            indicators,
        ),
        _sheet(
            "measurements",
            _("Measurements"),
            [
                ("indicator", _("Indicator"), "long"),
                ("unit", _("Unit")),
                ("date", _("Date"), "date"),
                ("value", _("Value"), "number"),
                ("note", _("Note"), "long"),
            ],
            measurements,
        ),
        _sheet(
            "phases",
            _("Phases"),
            [
                ("name", _("Phase"), "long"),
                ("start", _("Start"), "date"),
                ("end", _("End"), "date"),
                ("is_pilot", _("Pilot"), "bool"),
                ("status", _("Status code")),
                ("status_label", _("Status")),
            ],
            registers.get("phases", []),
        ),
    ]


def actions_sheet(report: dict) -> Sheet:
    """The action plan (lessons to apply, for a retrospective case)."""
    rows = [{"number": n, **action} for n, action in enumerate(report["actions"], start=1)]
    return _sheet(
        "actions",
        report["action_heading"],
        [
            ("number", _("Number"), "int"),
            ("text", _("Action"), "long"),
            ("criterion_code", _("Item")),
            ("criterion_title", _("Item title")),
            ("owner", _("Owner")),
            ("priority", _("Priority code")),
            ("priority_label", _("Priority")),
            ("due_on", _("Due"), "date"),
            ("status", _("Status code")),
            ("status_label", _("Status")),
            ("is_open", _("Open"), "bool"),
            ("carried_from_round", _("Carried over from round"), "int"),
        ],
        rows,
    )


def assessment_sheets(report: dict) -> list[Sheet]:
    """Every sheet of an assessment's XLSX, in reading order (needs the registers)."""
    return [
        scores_sheet(report),
        answers_sheet(report),
        citations_sheet(report),
        sources_sheet(report),
        *register_sheets(report),
        actions_sheet(report),
    ]


def portfolio_sheet(framework: dict) -> Sheet:
    """One framework's portfolio rows: the latest round's overall and dimension scores."""
    columns = [
        Column("framework", _("Framework")),
        Column("case_id", _("Case number"), "int"),
        Column("case", _("Case"), "long"),
        Column("unit", _("Unit")),
        Column("level", _("Level code")),
        Column("level_label", _("Level")),
        Column("sector", _("Sector")),
        Column("assessment_id", _("Assessment number"), "int"),
        Column("round", _("Round"), "int"),
        Column("status", _("Status code")),
        Column("status_label", _("Status")),
        Column("version", _("Version")),
        Column("overall", _("Overall score"), "score"),
        Column("band", _("Band"), "int"),
        Column("band_label", _("Band name")),
        *(
            Column(d["code"], f"{d['code']} {d['title']}", "score")
            for d in framework.get("dimensions", [])
        ),
    ]
    sheet = Sheet(framework["code"], framework["code"], columns)
    dimension_codes = [d["code"] for d in framework.get("dimensions", [])]
    for row in framework["rows"]:
        sheet.rows.append(
            [
                framework["code"],
                row["case_id"],
                row["case_title"],
                row["unit"],
                row["level"],
                row["level_label"],
                row["sector"],
                row["assessment_id"],
                row["round"],
                row["status"],
                row["status_label"],
                row["version_label"],
                row["percent"],
                row["band"],
                row["band_label"],
                *(row["dimensions"].get(code) for code in dimension_codes),
            ]
        )
    return sheet


def portfolio_table(data: dict) -> Sheet:
    """Every framework's rows in one table (CSV): the dimension columns of all of them."""
    sheets = [portfolio_sheet(framework) for framework in data["frameworks"]]
    if not sheets:
        return portfolio_sheet({"code": "portfolio", "rows": []})
    columns: list[Column] = []
    seen: set[str] = set()
    for sheet in sheets:
        for column in sheet.columns:
            if column.key not in seen:
                seen.add(column.key)
                columns.append(column)
    table = Sheet("portfolio", _("Portfolio"), columns)
    for sheet in sheets:
        keys = [column.key for column in sheet.columns]
        for values in sheet.rows:
            table.add(dict(zip(keys, values, strict=True)))
    return table


# --- responses --------------------------------------------------------------------------


def _response(data: bytes, extension: str, name: dict, kind: str) -> HttpResponse:
    content_type = "text/csv; charset=utf-8" if extension == "csv" else XLSX_TYPE
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        name, on=timezone.localdate(), extension=extension, kind=kind
    )
    return response


def assessment_file_kind(report: dict, table: str) -> str:
    """The file name part after the case title: <framework>-R<round>_<table>."""
    return f"{report['framework']['code']}-R{report['assessment']['round']}_{table}"


def assessment_tables(report: dict) -> dict[str, Sheet]:
    """The assessment's sheets by machine key (what `?table=` picks for CSV)."""
    return {sheet.key: sheet for sheet in assessment_sheets(report)}


TABLES = (
    "answers",
    "scores",
    "citations",
    "sources",
    "goals",
    "stakeholders",
    "risks",
    "indicators",
    "measurements",
    "phases",
    "actions",
)


def assessment_export_response(report: dict, kind: str, *, table: str = "") -> HttpResponse:
    """CSV: one table (answers unless `table` names another); XLSX: every sheet."""
    name = report["case"]
    if kind == "csv":
        table = table or "answers"
        sheet = assessment_tables(report)[table]
        return _response(to_csv(sheet), kind, name, assessment_file_kind(report, table))
    sheets = assessment_sheets(report)
    return _response(to_xlsx(sheets), kind, name, assessment_file_kind(report, "assessment"))


PORTFOLIO_FILE = {"id": 0, "title": "portfolio"}  # what the file name says


def portfolio_sheets(data: dict) -> list[Sheet]:
    """The portfolio workbook's sheets: one per framework (one empty table when none)."""
    sheets = [portfolio_sheet(framework) for framework in data["frameworks"]]
    return sheets or [portfolio_table(data)]


def portfolio_export_response(data: dict, kind: str) -> HttpResponse:
    if kind == "csv":
        return _response(to_csv(portfolio_table(data)), kind, PORTFOLIO_FILE, "")
    return _response(to_xlsx(portfolio_sheets(data)), kind, PORTFOLIO_FILE, "")

"""Specs for the CSV and XLSX exports: numbers match the scoring, every register is there with
translated headers over stable keys, text cannot run as formulas or break the file."""

import csv
import io
from datetime import date, datetime

import pandas as pd
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.models import Answer, Goal, Risk, Stakeholder
from casework.reports import exports, workbook
from casework.reports.scores import score_answers
from casework.reports.workbook import defuse
from frameworks.models import Dimension, ScaleLevel
from tests.reports import record_data
from tests.reports.conftest import set_answer

REGISTER_SHEETS = ("Goals", "Stakeholders", "Risks", "Indicators", "Measurements", "Phases")
CONTROL_CHARACTERS = "".join(map(chr, [*range(0x00, 0x20), *range(0x7F, 0xA0)]))


def storable(text: str) -> str:
    """PostgreSQL cannot store U+0000 (and Django's forms refuse it): leave it out there."""
    from django.db import connection

    return text if connection.vendor != "postgresql" else text.replace("\x00", "")


def expected_scores(assessment):
    """The scoring module's own result, straight from the answer rows."""
    answers = list(
        Answer.objects.filter(assessment=assessment).select_related("criterion__dimension")
    )
    levels = list(ScaleLevel.objects.filter(version=assessment.version))
    dimensions = list(Dimension.objects.filter(version=assessment.version).order_by("order"))
    return score_answers(answers, levels, dimensions)


def get_export(client, assessment, language="en", **params):
    client.cookies["django_language"] = language
    return client.get(reverse("export_assessment", args=[assessment.pk]), params)


def read_sheets(content) -> dict[str, pd.DataFrame]:
    """Every sheet, with the machine keys (the second header row) as column names."""
    return pd.read_excel(io.BytesIO(content), sheet_name=None, header=1)


@pytest.fixture
def recorded(scored_assessment):
    return record_data.add_record(scored_assessment)


def test_xlsx_scores_match_the_scoring_result(client, alice, scored_assessment):
    client.force_login(alice)

    response = get_export(client, scored_assessment, format="xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = read_sheets(response.content)
    scores = sheets["Scores"].set_index("dimension")
    result = expected_scores(scored_assessment)
    assert scores.loc["overall", "score"] == result.percent() == 62.2
    for code, dimension in result.dimensions.items():
        assert scores.loc[code, "score"] == dimension.percent()
    answers = sheets["Answers"].set_index("item")
    assert answers.loc["TF-D1.1", "level"] == 4
    assert answers.loc["TF-D1.1", "item_score"] == 80.0
    assert answers.loc["TF-D1.1", "citations"] == "[1] 市政府工作报告 2024"
    assert answers.loc["TF-D1.3", "observation"] == "present"


def test_xlsx_has_a_sheet_per_register_and_the_action_plan(client, alice, recorded):
    client.force_login(alice)

    workbook = load_workbook(io.BytesIO(get_export(client, recorded, format="xlsx").content))

    assert workbook.sheetnames == [
        "Scores",
        "Answers",
        "Citations",
        "Sources",
        *REGISTER_SHEETS,
        "Lessons to apply",  # retrospective: the action plan reads as lessons
    ]
    risks = workbook["Risks"]
    labels = [cell.value for cell in risks[1]]
    keys = [cell.value for cell in risks[2]]
    assert labels[:3] == ["Category code", "Category", "Description"]
    assert keys[-3:] == ["status_label", "occurred", "outcome"]
    occurred = [row for row in risks.iter_rows(min_row=3, values_only=True) if row[10]]
    assert occurred[0][9] == "Occurred"
    assert occurred[0][11] == "Two legacy systems could not be migrated."
    sheets = read_sheets(get_export(client, recorded, format="xlsx").content)
    indicator = sheets["Indicators"].iloc[0]
    assert indicator["direction_label"] == "Lower is better"
    assert (indicator["baseline"], indicator["target"], indicator["latest"]) == (10, 3, 4.5)
    assert not indicator["higher_is_better"] and not indicator["met"]
    measurements = sheets["Measurements"]
    assert list(measurements["value"]) == [7, 4.5]
    assert list(measurements["note"].fillna("")) == ["at launch", ""]
    actions = sheets["Lessons to apply"]
    assert actions.loc[0, "text"] == record_data.ACTION
    assert actions.loc[0, "priority"] == "high"
    assert actions.loc[0, "criterion_code"] == "TF-D1.2"
    assert actions.loc[0, "due_on"] == pd.Timestamp(2026, 6, 30)


def test_answers_carry_the_note_and_citations_with_page_and_quote(client, alice, recorded):
    client.force_login(alice)

    sheets = read_sheets(get_export(client, recorded, format="xlsx").content)

    answer = sheets["Answers"].set_index("item").loc["TF-D1.1"]
    assert answer["note"] == record_data.NOTE
    assert answer["citations"] == "[1, p. 12] 市政府工作报告 2024"
    citation = sheets["Citations"].iloc[0]
    assert citation["item"] == "TF-D1.1"
    assert citation["source_number"] == 1
    assert citation["source_title"] == "市政府工作报告 2024"
    assert citation["locator"] == "p. 12"
    assert citation["quote"] == record_data.QUOTE
    sources = sheets["Sources"]
    assert list(sources["number"]) == [1, 2]
    assert sources.loc[0, "accessed_on"] == pd.Timestamp(2025, 1, 5)


def test_headers_are_translated_over_stable_keys(client, alice, recorded):
    client.force_login(alice)

    english = load_workbook(io.BytesIO(get_export(client, recorded, format="xlsx").content))
    chinese = load_workbook(
        io.BytesIO(get_export(client, recorded, language="zh-hans", format="xlsx").content)
    )

    assert len(chinese.sheetnames) == len(english.sheetnames)
    for en_sheet, zh_sheet in zip(english.worksheets, chinese.worksheets, strict=True):
        assert [c.value for c in en_sheet[2]] == [c.value for c in zh_sheet[2]]
    goals = english["Goals"]
    assert [c.value for c in goals[1]][:2] == ["Goal", "Target"]
    assert [c.value for c in goals[2]][:2] == ["statement", "target"]


def test_sheets_have_frozen_headers_filters_widths_and_number_formats(client, alice, recorded):
    client.force_login(alice)

    workbook = load_workbook(io.BytesIO(get_export(client, recorded, format="xlsx").content))

    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A3", sheet.title
        assert sheet.auto_filter.ref.startswith("A2:"), sheet.title
    scores = workbook["Scores"]
    assert scores["D3"].number_format == "0.0"  # score of the overall row
    assert scores["H3"].number_format == '0.0" %"'  # completeness
    assert scores.column_dimensions["B"].width >= 10
    phases = workbook["Phases"]
    assert phases["B3"].value == datetime(2024, 1, 1)
    assert phases["B3"].number_format == "yyyy-mm-dd"
    indicators = workbook["Indicators"]
    assert indicators["G3"].value == 10 and indicators["G3"].number_format == "#,##0"
    measurements = workbook["Measurements"]
    assert measurements["D4"].number_format == "#,##0.0##"


def test_csv_is_utf8_with_bom_and_machine_keys(client, alice, scored_assessment):
    client.force_login(alice)

    response = get_export(client, scored_assessment, language="zh-hans", format="csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig")
    assert list(frame["item"]) == ["TF-D1.1", "TF-D1.2", "TF-D1.3", "TF-D2.1"]
    assert frame.loc[0, "item_title"] == "条目 D1.1"
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_csv_of_scores_and_of_a_register(client, alice, recorded):
    client.force_login(alice)

    scores = pd.read_csv(
        io.BytesIO(get_export(client, recorded, format="csv", table="scores").content),
        encoding="utf-8-sig",
    )
    risks = pd.read_csv(
        io.BytesIO(get_export(client, recorded, format="csv", table="risks").content),
        encoding="utf-8-sig",
    )

    assert list(scores["score"]) == [62.2, 66.7, 60.0]
    assert "outcome" in risks.columns and len(risks) == 3


def test_each_kind_of_download_has_its_own_file_name(client, alice, bob, scored_assessment):
    client.force_login(alice)
    today = date.today().isoformat()

    names = {
        get_export(client, scored_assessment, **params)["Content-Disposition"].split('"')[1]
        for params in (
            {"format": "csv"},
            {"format": "csv", "table": "scores"},
            {"format": "xlsx"},
        )
    }
    client.force_login(bob)
    names.add(
        client.get(reverse("export_portfolio"), {"format": "xlsx"})["Content-Disposition"].split(
            '"'
        )[1]
    )

    prefix = f"Casework_case-{scored_assessment.case_id}"
    assert names == {
        f"{prefix}_TF-R1_answers_{today}.csv",
        f"{prefix}_TF-R1_scores_{today}.csv",
        f"{prefix}_TF-R1_assessment_{today}.xlsx",
        f"Casework_portfolio_{today}.xlsx",
    }


def test_the_unicode_file_name_names_framework_and_round(client, alice, scored_assessment):
    client.force_login(alice)

    disposition = get_export(client, scored_assessment, format="xlsx")["Content-Disposition"]

    assert "_TF-R1_assessment_" in disposition.split("filename*=UTF-8''")[1]


def test_cells_that_would_run_as_formulas_are_defused(client, alice, scored_assessment):
    set_answer(scored_assessment, "TF-D1.1", evidence='=HYPERLINK("http://evil","x")')
    set_answer(scored_assessment, "TF-D1.2", evidence="+1+1")
    set_answer(scored_assessment, "TF-D2.1", evidence="@SUM(A1)")
    set_answer(scored_assessment, "TF-D1.3", evidence="-2", note="=1+1")
    client.force_login(alice)

    csv_frame = pd.read_csv(
        io.BytesIO(get_export(client, scored_assessment, format="csv").content),
        encoding="utf-8-sig",
    )
    xlsx = read_sheets(get_export(client, scored_assessment, format="xlsx").content)["Answers"]

    for frame in (csv_frame, xlsx):
        evidence = frame.set_index("item")["evidence"]
        assert evidence["TF-D1.1"] == '\'=HYPERLINK("http://evil","x")'
        assert evidence["TF-D1.2"] == "'+1+1"
        assert evidence["TF-D2.1"] == "'@SUM(A1)"
        assert evidence["TF-D1.3"] == "'-2"
        assert frame.set_index("item")["note"]["TF-D1.3"] == "'=1+1"


def test_defuse_leaves_numbers_and_plain_text_alone():
    assert defuse(-3) == -3
    assert defuse("城市") == "城市"
    assert defuse("=1") == "'=1"
    assert defuse("\t=1") == "'\t=1"


def test_control_characters_are_removed_from_every_export(client, alice, bob, recorded):
    """Every C0 and C1 control character, in a case title, evidence, a note and register text."""
    dirty = f"A{storable(CONTROL_CHARACTERS)}B"
    case = recorded.case
    case.title = dirty
    case.save()
    set_answer(recorded, "TF-D1.1", evidence=dirty, note=dirty)
    Goal.objects.filter(assessment=recorded).update(statement=dirty)
    Risk.objects.filter(assessment=recorded).update(outcome=dirty, description=dirty)
    Stakeholder.objects.filter(assessment=recorded).update(name=dirty)
    client.force_login(alice)

    workbook_bytes = get_export(client, recorded, format="xlsx").content
    csv_files = [
        get_export(client, recorded, format="csv", table=table).content for table in exports.TABLES
    ]
    client.force_login(bob)
    portfolio = [
        client.get(reverse("export_portfolio"), {"format": kind}).content
        for kind in ("xlsx", "csv")
    ]

    kept = "A\t\n\rB"  # tab, newline and carriage return are text
    workbook = load_workbook(io.BytesIO(workbook_bytes))
    answers = {row[5]: row for row in workbook["Answers"].iter_rows(min_row=3, values_only=True)}
    assert answers["TF-D1.1"][17] == kept
    assert workbook["Goals"]["A3"].value == kept
    assert load_workbook(io.BytesIO(portfolio[0])).worksheets[0]["C3"].value == kept
    for data in [*csv_files, portfolio[1]]:
        text = data.decode("utf-8-sig")
        assert not any(char in text for char in CONTROL_CHARACTERS if char not in "\t\n\r")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows
    assert kept in portfolio[1].decode("utf-8-sig")


def test_clean_text_keeps_tab_newline_and_return_only():
    assert workbook.clean_text(f"A{CONTROL_CHARACTERS}B\ud800\ufffe") == "A\t\n\rB"


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()

    names = [
        workbook.sheet_name(title, taken)
        for title in ("Risks: [all]?", "risks  all", "x" * 40, "\x00'", "Risks: [all]?")
    ]

    assert names[0] == "Risks   all"
    assert names[2] == "x" * 31
    assert names[3] == "Sheet"
    assert names[4] == "Risks   all (2)"
    assert all(len(name) <= 31 for name in names)


def test_unknown_format_or_table_is_a_400(client, alice, scored_assessment):
    client.force_login(alice)

    assert get_export(client, scored_assessment, format="exe").status_code == 400
    assert get_export(client, scored_assessment, format="csv", table="users").status_code == 400


def test_other_units_cannot_export(client, charlie, scored_assessment):
    client.force_login(charlie)

    response = client.get(reverse("export_assessment", args=[scored_assessment.pk]))

    assert response.status_code == 404


def test_portfolio_export_matches_the_portfolio(client, bob, scored_assessment):
    client.force_login(bob)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("export_portfolio"), {"format": "xlsx"})

    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["TF"]
    assert sheet.freeze_panes == "A3"
    assert [c.value for c in sheet[1]][-2:] == ["TF-D1 Dimension D1", "TF-D2 Dimension D2"]
    frame = pd.read_excel(io.BytesIO(response.content), sheet_name="TF", header=1)
    row = frame.iloc[0]
    assert row["case"] == "城市一网通办改革"
    assert row["overall"] == 62.2
    assert row["TF-D1"] == 66.7 and row["TF-D2"] == 60.0


def test_analysts_cannot_export_the_portfolio(client, alice, scored_assessment):
    client.force_login(alice)

    assert client.get(reverse("export_portfolio"), {"format": "csv"}).status_code == 403

"""Reading pasted rows and CSV/XLSX files into a register preview: pure, no database."""

import datetime
import io

import pytest
from django.utils import translation

from casework.register_import import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    ImportProblem,
    parse_table,
    read_text,
    read_upload,
    recheck,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def preview_of(register, text):
    return parse_table(register, read_text(text))


def errors_of(row) -> dict:
    return {i: c.error for i, c in enumerate(row.cells) if c.error}


def xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_spreadsheet_paste_with_english_headers_in_any_order_maps_by_name():
    preview = preview_of(
        "stakeholders",
        "Interest\tName\tGroup\tInfluence (1–5)\n5\tCitizens\tThe public\t2\n3\tVendor\tsuppliers\t4\n",
    )
    assert preview.header_found and preview.ok
    assert [row.data["name"] for row in preview.rows] == ["Citizens", "Vendor"]
    first = preview.rows[0].data
    assert (first["group"], first["influence"], first["interest"]) == ("public", 2, 5)
    assert first["attitude"] == "neutral"  # a column left out takes the default
    assert [row.line for row in preview.rows] == [2, 3]


def test_chinese_headers_and_chinese_labels_are_understood():
    preview = preview_of(
        "risks",
        "类别\t描述\t可能性\t影响\t状态\t严重度\n技术\t系统宕机\t3\t4\t已发生\t12\n",
    )
    assert preview.ok, [errors_of(r) for r in preview.rows]
    data = preview.rows[0].data
    assert (data["category"], data["likelihood"], data["impact"]) == ("technology", 3, 4)
    assert data["status"] == "occurred"
    assert preview.ignored == ["严重度"]  # severity is worked out, not imported


def test_without_a_header_row_the_columns_are_taken_in_the_registers_order():
    preview = preview_of("phases", "试点阶段,2024/01/01,2024-06-30,是,进行中\n")
    assert not preview.header_found and preview.ok
    data = preview.rows[0].data
    assert data["start"] == datetime.date(2024, 1, 1) and data["is_pilot"] is True
    assert data["status"] == "in_progress"


def test_bad_cells_get_their_own_message_and_the_row_is_not_ready():
    preview = preview_of(
        "risks",
        "category\tdescription\tlikelihood\timpact\n"
        "technology\tOutage\tabc\t9\n"
        "weather\t\t2\t2\n"
        "policy\tNew rules\t2\t3\n",
    )
    bad_number, bad_choice, fine = preview.rows
    assert errors_of(bad_number) == {
        2: "“abc” is not a whole number from 1 to 5.",
        3: "Ensure this value is less than or equal to 5.",
    }
    assert "“weather” is not one of: Technology; Management; Business; Policy." in errors_of(
        bad_choice
    ).get(0, "")
    assert 1 in errors_of(bad_choice)  # the description is required
    assert fine.ok and not preview.ok and preview.error_count == 2


def test_a_decimal_that_is_not_a_number_is_refused_with_an_example():
    preview = preview_of("indicators", "family,name,baseline,target\ncost,运维成本,很多,80\n")
    (row,) = preview.rows
    assert "很多" in errors_of(row)[3] and "85" in errors_of(row)[3]


def test_a_phase_ending_before_it_starts_is_an_error_on_its_end():
    preview = preview_of("phases", "name,start,end\n推广,2025-06-01,2025-01-01\n")
    assert errors_of(preview.rows[0]) == {2: "The end date must not be before the start date."}


def test_more_rows_than_the_cap_are_refused_whole():
    text = "name,group,influence,interest\n" + "x,public,1,1\n" * (MAX_ROWS + 1)
    with pytest.raises(ImportProblem, match=str(MAX_ROWS)):
        preview_of("stakeholders", text)
    assert len(preview_of("stakeholders", "x,public,1,1\n" * MAX_ROWS).rows) == MAX_ROWS


def test_blank_text_or_blank_lines_only_is_a_clear_problem():
    with pytest.raises(ImportProblem, match="no rows"):
        preview_of("goals", "\n\t\n")


def test_csv_in_gb18030_and_utf8_with_bom_both_read():
    text = "目标,负责人\n两年内网上可办率达到80%,数据局\n"
    for content in (text.encode("gb18030"), "\ufeff".encode() + text.encode("utf-8")):
        preview = parse_table("goals", read_upload("goals.csv", content))
        assert preview.rows[0].raw["owner"] == "数据局", content[:4]


def test_a_binary_file_that_is_not_xlsx_is_refused():
    with pytest.raises(ImportProblem, match="not CSV"):
        read_upload("goals.csv", b"MZ\x90\x00\x03")


def test_a_file_over_the_size_cap_is_refused():
    with pytest.raises(ImportProblem, match="larger"):
        read_upload("big.csv", b"a," * (MAX_UPLOAD_BYTES // 2 + 1))


def test_xlsx_is_told_by_its_content_and_formulas_stay_text():
    content = xlsx(
        [
            ["类别", "描述", "可能性", "影响"],
            ["technology", '=HYPERLINK("http://x","y")', 3.0, 4],
            ["policy", "政策调整", "=1+2", 2],
        ]
    )
    preview = parse_table("risks", read_upload("whatever.txt", content))
    formula_text, formula_score = preview.rows
    assert formula_text.ok and formula_text.data["description"].startswith("=HYPERLINK")
    assert formula_text.data["likelihood"] == 3
    assert errors_of(formula_score) == {2: "“=1+2” is not a whole number from 1 to 5."}


def test_xlsx_dates_become_dates():
    content = xlsx(
        [["name", "start", "end"], ["一期", datetime.datetime(2024, 3, 1), "2024-09-30"]]
    )
    preview = parse_table("phases", read_upload("phases.xlsx", content))
    assert preview.rows[0].data["start"] == datetime.date(2024, 3, 1)


def test_a_damaged_xlsx_is_a_clear_problem():
    with pytest.raises(ImportProblem, match="XLSX"):
        read_upload("x.xlsx", b"PK\x03\x04 not really a zip")


def test_recheck_checks_the_kept_cells_again():
    preview = preview_of("stakeholders", "市民,public,2,5\n")
    kept = preview.stored()
    assert recheck("stakeholders", kept).ok
    kept[0]["raw"]["influence"] = "7"  # changed after the preview
    assert not recheck("stakeholders", kept).ok


def test_goals_read_yes_and_no_in_either_language():
    preview = preview_of("goals", "statement,specific,measurable\n建成证照库,是,否\nB,yes,maybe\n")
    first, second = preview.rows
    assert first.data["specific"] is True and first.data["measurable"] is False
    assert errors_of(second) == {5: "“maybe” is not yes or no."}


def test_scores_may_be_written_full_width_or_as_chinese_numerals():
    preview = preview_of("risks", "category,description,likelihood,impact\n技术,宕机,３,五\n")
    assert (preview.rows[0].data["likelihood"], preview.rows[0].data["impact"]) == (3, 5)


def test_a_choice_may_be_given_by_a_part_of_one_label_only():
    preview = preview_of(
        "stakeholders", "name,group,influence,interest\n市民,公众,2,5\nX,外部,1,1\n"
    )
    clear, ambiguous = preview.rows
    assert clear.data["group"] == "public"
    assert 1 in errors_of(ambiguous)  # "外部" fits three groups


def test_an_indicators_direction_and_numbers_read_in_either_language():
    preview = preview_of(
        "indicators",
        "类别\t名称\t单位\t基线值\t目标值\t方向\ncost\t办件平均时长\t天\t20\t5\t越低越好\n",
    )
    assert preview.ok, [errors_of(r) for r in preview.rows]
    data = preview.rows[0].data
    assert data["higher_is_better"] is False and str(data["target"]) == "5"

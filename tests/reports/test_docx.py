"""Specs for the editable Word report: read back with python-docx.

The full report is rendered once per module (in English, with its data rolled back after),
since drawing the charts takes a second or two; the view and command tests render their own.
"""

import io
import zipfile
from datetime import date
from unittest import mock

import docx
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from casework.models import Role
from casework.reports import docx as report_docx
from casework.reports.static_charts import ChartEngineUnavailable, engine_available
from casework.services.assessments import assessment_start
from tests import factories
from tests.reports import record_data
from tests.reports.conftest import add_registers, score_tiny

# The mark makes pytest-django set up the test database even when only tests that read the
# module's shared documents are selected (their fixtures write and roll back their own data).
pytestmark = pytest.mark.django_db
needs_chromium = pytest.mark.skipif(not engine_available(), reason="needs Chromium for charts")
CHARTS = 5  # radar, stakeholders, risks, indicators, phases


def make_record():
    """alice's scored, fully recorded assessment (same data as tests/reports/conftest.py)."""
    unit = factories.make_unit("dgo", "数字政府办公室", "Digital Government Office")
    alice = factories.make_user("alice", unit=unit, role=Role.ANALYST)
    case = factories.make_case(unit=unit, owner=alice)
    version = record_data.make_problem_framework()
    assessment = assessment_start(case=case, version=version, user=alice)
    score_tiny(assessment)
    add_registers(assessment)
    return record_data.add_record(assessment)


def render(language: str, build):
    """Build the data, render with `build(assessment)`, roll the data back; returns bytes."""
    with transaction.atomic():
        assessment = make_record()
        with translation.override(language):
            data = build(assessment)
        transaction.set_rollback(True)
    return data


@pytest.fixture(scope="module")
def word(django_db_setup, django_db_blocker):
    """The English Word report of the recorded assessment, as a python-docx Document."""
    from django.core.cache import cache

    with django_db_blocker.unblock():
        data = render("en", report_docx.assessment_docx)
    cache.clear()
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def chinese_xml(django_db_setup, django_db_blocker):
    """The Chinese case report's document and styles XML (no charts: not needed here)."""
    from django.core.cache import cache

    with (
        django_db_blocker.unblock(),
        mock.patch.object(report_docx, "chart_pngs", lambda reports: {}),
    ):
        data = render("zh-hans", lambda assessment: report_docx.case_docx(assessment.case))
    cache.clear()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {
            name: package.read(f"word/{name}.xml").decode()
            for name in ("document", "styles", "settings")
        }


def headings(document, level=None):
    return [
        p.text
        for p in document.paragraphs
        if p.style.name.startswith("Heading")
        and (level is None or p.style.name == f"Heading {level}")
    ]


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def table_with_header(document, first_header):
    for table in document.tables:
        if table.rows[0].cells[0].text == first_header:
            return table
    raise AssertionError(f"no table headed {first_header!r}")


def test_it_has_the_sections_of_the_pdf_as_word_headings(word):
    top = headings(word, 1)
    assert top[0] == "The case"
    assert top[1].startswith("Tiny framework (TF v1")
    assert top[-1] == "Method"
    second = headings(word, 2)
    for heading in (
        "Context",
        "Timeline",
        "Sources",
        "Executive summary",
        "Scores by dimension",
        "Dimension details",
        "Registers",
        "Lessons to apply",  # a retrospective assessment's action plan
        "Key lessons",
    ):
        assert heading in second
    assert word.paragraphs[0].style.name == "Title"
    assert word.paragraphs[0].text == "城市一网通办改革"


def test_it_puts_the_analysts_conclusion_first_in_the_summary(word):
    texts = [p.text for p in word.paragraphs]
    summary = texts.index("Executive summary")
    strengths = texts.index("Top strengths")
    assert record_data.CONCLUSION in texts[summary:strengths]
    text = all_text(word)
    assert record_data.FINDINGS in text
    assert record_data.LESSONS in text


def test_the_scores_table_holds_the_scoring_results(word):
    table = table_with_header(word, "Dimension")
    rows = {row.cells[0].text: [cell.text for cell in row.cells] for row in table.rows[1:]}
    assert rows["TF-D1 Dimension D1"][2] == "66.7"
    assert rows["TF-D2 Dimension D2"][2] == "60.0"
    assert rows["Overall score"][2] == "62.2"


def test_items_show_evidence_note_and_numbered_citation(word):
    table = table_with_header(word, "Item")
    row = next(r for r in table.rows if r.cells[0].text.startswith("TF-D1.1"))
    evidence = row.cells[2].text
    assert "市里把 120 个事项搬到了网上。" in evidence
    assert record_data.NOTE in evidence
    assert "[1, p. 12] 市政府工作报告 2024" in evidence
    assert record_data.QUOTE in evidence
    assert row.cells[1].text == "4 · Managed"


def test_the_bibliography_is_numbered_with_links(word):
    entries = [p.text for p in word.paragraphs if p.text.startswith("[")]
    assert entries[0].startswith("[1] 市政府工作报告 2024. City government, 2024-02-01.")
    assert "https://example.org/report-2024" in entries[0]
    assert entries[1].startswith("[2] Audit office review")
    links = [r.target_ref for r in word.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert links == ["https://example.org/report-2024"]


def test_the_action_plan_and_registers_are_tables(word):
    actions = table_with_header(word, "#")
    first = [cell.text for cell in actions.rows[1].cells]
    assert first[1] == record_data.ACTION
    assert first[2] == "TF-D1.2 Item D1.2"
    assert first[4:6] == ["High", "2026-06-30"]
    risks = table_with_header(word, "Category")
    occurred = [r for r in risks.rows if r.cells[6].text == "Occurred"]
    assert occurred[0].cells[7].text == "Two legacy systems could not be migrated."
    indicators = table_with_header(word, "Family")
    row = [cell.text for cell in indicators.rows[1].cells]
    assert row[2] == "Lower is better"
    assert row[3:6] == ["10天", "3天", "4.5天 (2025-06-30)"]
    assert "Occurred" in all_text(word) and "Risks that occurred" in headings(word, 3)


def test_a_present_negative_observation_is_marked_as_a_problem(word):
    table = table_with_header(word, "Item")
    observations = [t for t in word.tables if t.rows[0].cells[1].text == "Observation"][0]
    cell = observations.rows[1].cells[1]
    assert "Problem" in cell.text
    assert table is not observations
    assert "Problems found" in headings(word, 3)


def test_every_table_repeats_its_header_row(word):
    for table in word.tables:
        assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")


def test_core_properties_carry_title_versions_and_content_hash(word):
    props = word.core_properties
    assert props.title == "城市一网通办改革 · Tiny framework"
    assert "TF v1 (1.0)" in props.subject
    assert props.keywords.startswith("Casework; sha256:")
    assert len(props.keywords.split("sha256:")[1]) == 64
    assert props.language == "en-US"


def test_chinese_report_sets_the_language_and_an_east_asian_font(chinese_xml):
    styles = chinese_xml["styles"]
    assert 'w:lang w:val="zh-CN" w:eastAsia="zh-CN"' in styles
    assert 'w:eastAsia="Noto Sans CJK SC"' in styles
    assert "eastAsiaTheme" not in styles
    assert (
        "执行摘要" in chinese_xml["document"] or "Executive summary" not in chinese_xml["document"]
    )


@needs_chromium
def test_the_charts_are_inline_pictures_with_alt_text(word):
    assert len(word.inline_shapes) == CHARTS
    descriptions = [shape._inline.docPr.get("descr") for shape in word.inline_shapes]
    assert "Risk heat map" in descriptions
    assert "missing" not in all_text(word)


def test_without_chromium_it_comes_without_charts_and_says_so(
    client, alice, scored_assessment, monkeypatch
):
    def no_engine(*args, **kwargs):
        raise ChartEngineUnavailable("No browser was found.")

    monkeypatch.setattr(report_docx, "figure_to_png", no_engine)
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("report_assessment_docx", args=[scored_assessment.pk]))

    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    assert len(document.inline_shapes) == 0
    assert "The charts are missing from this copy" in all_text(document)


def test_user_text_with_control_characters_and_markup_goes_in_as_text(
    client, alice, scored_assessment, monkeypatch
):
    monkeypatch.setattr(report_docx, "chart_pngs", lambda reports: {})
    case = scored_assessment.case
    # PostgreSQL cannot store U+0000, and Django's forms refuse it.
    nul = "" if connection.vendor == "postgresql" else "\x00"
    case.title = f"A{nul}B\x0bC\x1f<w:p>&amp;\x85"
    case.save()
    client.force_login(alice)

    response = client.get(reverse("report_assessment_docx", args=[scored_assessment.pk]))

    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "ABC<w:p>&amp;"


def test_download_views_send_an_attachment_with_a_report_file_name(
    client, alice, scored_assessment, monkeypatch
):
    monkeypatch.setattr(report_docx, "chart_pngs", lambda reports: {})
    client.force_login(alice)

    one = client.get(reverse("report_assessment_docx", args=[scored_assessment.pk]))
    whole = client.get(reverse("report_case_docx", args=[scored_assessment.case_id]))

    today = date.today().isoformat()
    for response in (one, whole):
        assert response.status_code == 200
        assert response["Content-Type"] == report_docx.DOCX_TYPE
        assert response["Content-Disposition"].startswith("attachment; ")
        assert response["Content-Disposition"].endswith(f"_report_{today}.docx")
    assert "_TF-R1_report_" in one["Content-Disposition"]
    assert "_TF-R1_" not in whole["Content-Disposition"]
    assert docx.Document(io.BytesIO(whole.content)).paragraphs[0].text == "城市一网通办改革"


def test_a_case_without_assessments_still_gets_a_word_report(client, alice, alice_case):
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("report_case_docx", args=[alice_case.pk]))

    document = docx.Document(io.BytesIO(response.content))
    assert "This case has no assessment yet" in all_text(document)
    assert headings(document, 1) == ["The case", "Method"]


def test_other_units_cannot_download_the_word_report(client, charlie, scored_assessment):
    client.force_login(charlie)

    assert (
        client.get(reverse("report_assessment_docx", args=[scored_assessment.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("report_case_docx", args=[scored_assessment.case_id])).status_code == 404
    )


def test_the_report_page_offers_the_word_download(client, alice, scored_assessment):
    client.force_login(alice)

    page = client.get(reverse("report_assessment", args=[scored_assessment.pk]))

    assert reverse("report_assessment_docx", args=[scored_assessment.pk]) in page.content.decode()


def test_render_report_command_writes_docx(scored_assessment, tmp_path, monkeypatch):
    monkeypatch.setattr(report_docx, "chart_pngs", lambda reports: {})
    output = tmp_path / "r.docx"

    call_command(
        "render_report", scored_assessment.pk, output=str(output), format="docx", language="en"
    )

    document = docx.Document(str(output))
    assert "Executive summary" in headings(document, 2)


def test_render_report_command_picks_docx_from_the_suffix(scored_assessment, tmp_path, monkeypatch):
    monkeypatch.setattr(report_docx, "chart_pngs", lambda reports: {})
    output = tmp_path / "r.docx"

    call_command("render_report", scored_assessment.pk, output=str(output))

    assert zipfile.is_zipfile(output)


def test_the_dimension_table_states_the_part_resting_on_weak_evidence_with_its_legend(word):
    table = table_with_header(word, "Dimension")
    headers = [cell.text for cell in table.rows[0].cells]
    assert headers[-1] == "On weak evidence"
    assert any(" %)" in row.cells[-1].text for row in table.rows[1:])
    assert any("rests on weak evidence" in p.text for p in word.paragraphs)

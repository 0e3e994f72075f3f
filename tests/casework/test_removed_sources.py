"""A removed source keeps the citations to it readable: "source removed" in the wizard card,
the HTML report and the Word report, and the bibliography notes the documents on file."""

import io
from unittest import mock

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from casework.models import Answer, CaseSource
from casework.reports import docx as report_docx
from casework.reports.context import assessment_context
from casework.services import documents as services
from casework.services.assessments import assessment_start
from tests import documents as samples

HTMX = {"HTTP_HX_REQUEST": "true"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CODE = "TF-D1.1"


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.fixture
def kept(alice, alice_case):
    return services.source_create(
        case=alice_case,
        user=alice,
        data={"title": "市政府工作报告"},
        upload=SimpleUploadedFile("报告.pdf", samples.pdf()),
    )


@pytest.fixture
def removed(alice, alice_case, assessment, kept):
    """A source cited with a page and a quote by TF-D1.1, then removed from the case."""
    source = services.source_create(case=alice_case, user=alice, data={"title": "旧的审计报告"})
    Answer.objects.filter(assessment=assessment, criterion__code=CODE).update(
        level=3,
        citations=[
            {"source": kept.pk, "locator": "p. 2", "quote": ""},
            {"source": source.pk, "locator": "p. 12", "quote": "三个工作日"},
        ],
    )
    services.source_remove(source=source, user=alice)
    return CaseSource.all_objects.get(pk=source.pk)


def card_html(html: str) -> str:
    start = html.index('id="item-TF-D1-1"')
    return html[start : html.index('id="item-TF-D1-2"')]


def test_the_wizard_card_shows_the_removed_source_as_removed_still_cited(
    client, alice, assessment, removed
):
    client.force_login(alice)
    html = client.get(reverse("wizard_step", args=[assessment.pk, 1]), **EN).content.decode()
    card = card_html(html)
    assert 'data-testid="source-removed"' in card and "source removed" in card
    assert "旧的审计报告" in card and 'value="p. 12"' in card
    assert f'value="{removed.pk}" id="item-TF-D1-1-src-{removed.pk}" checked' in card
    # Where it is not cited, a removed source is not offered.
    other = html[html.index('id="item-TF-D1-2"') :]
    assert f"-src-{removed.pk}" not in other


def test_saving_the_card_again_keeps_the_citation_to_the_removed_source(
    client, alice, assessment, kept, removed
):
    client.force_login(alice)
    response = client.post(
        reverse("wizard_answer_save", args=[assessment.pk, CODE]),
        {
            f"{CODE}-version": 0,
            f"{CODE}-level": 4,
            f"{CODE}-citations": [str(kept.pk), str(removed.pk)],
            f"{CODE}-locator-{kept.pk}": "p. 2",
            f"{CODE}-locator-{removed.pk}": "p. 12",
            f"{CODE}-quote-{removed.pk}": "三个工作日",
        },
        **HTMX,
    )
    assert response.status_code == 200
    answer = Answer.objects.get(assessment=assessment, criterion__code=CODE)
    assert answer.level == 4
    assert [c["source"] for c in answer.citations] == [kept.pk, removed.pk]


def test_the_report_context_numbers_live_sources_and_marks_the_removed_citation(
    assessment, kept, removed
):
    with translation.override("en"):
        report = assessment_context(assessment)
    assert [s["title"] for s in report["case"]["sources"]] == ["市政府工作报告"]
    assert report["case"]["sources"][0]["document"] == "Document on file: PDF, 1 KB"
    cited, gone = report["dimensions"][0]["items"][0]["citations"]
    assert cited["label"] == "[1, p. 2]"
    assert (gone["label"], gone["title"], gone["quote"]) == (
        "[?, p. 12]",
        "source removed",
        "三个工作日",
    )


def test_the_html_report_says_source_removed_and_notes_the_document(
    client, alice, assessment, removed
):
    client.force_login(alice)
    response = client.get(reverse("report_assessment", args=[assessment.pk]), **EN)
    html = response.content.decode()
    assert '<span class="cw-removed-source">source removed</span>' in html
    assert "Document on file: PDF, 1 KB." in html
    assert "旧的审计报告" not in html


def test_the_word_report_says_source_removed_and_notes_the_document(assessment, removed):
    with (
        mock.patch.object(report_docx, "chart_pngs", lambda reports: {}),
        translation.override("en"),
    ):
        data = report_docx.assessment_docx(assessment)
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    text = "\n".join(parts)
    assert "[?, p. 12] source removed — “三个工作日”" in text
    assert "Document on file: PDF, 1 KB." in text
    assert "旧的审计报告" not in text


def test_the_workbook_lists_live_sources_with_their_document(assessment, kept, removed):
    from casework.reports.exports import sources_sheet

    with translation.override("en"):
        sheet = sources_sheet(assessment_context(assessment))
    assert [row[1] for row in sheet.rows] == ["市政府工作报告"]
    assert sheet.rows[0][-1] == "Document on file: PDF, 1 KB"

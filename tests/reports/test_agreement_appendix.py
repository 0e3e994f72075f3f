"""The report's method appendix states the agreement of a double-scored round: HTML, PDF, Word."""

import io

import docx
from django.urls import reverse
from django.utils import translation

from casework.reports.context import assessment_context
from casework.services.double import adjudication_save
from tests.casework import test_double_scoring as double

# The double-scoring fixtures, shared with the service tests.
erin, version, first, second = double.erin, double.version, double.first, double.second
both_submitted = double.both_submitted


def _decide_all(first, bob):
    for code, choice in (("DS-D1.1", "second"), ("DS-D1.2", "first"), ("DS-D2.4", "first")):
        adjudication_save(
            assessment=first,
            criterion_code=code,
            user=bob,
            choice=choice,
            reason="<b>核对原始材料</b>",
            expected_version=0,
        )


def test_a_report_without_double_scoring_has_no_agreement(first):
    assert "agreement" not in assessment_context(first)


def test_the_context_states_the_figures_and_the_decisions(both_submitted, bob):
    first, _ = both_submitted
    _decide_all(first, bob)
    with translation.override("en"):
        agreement = assessment_context(first)["agreement"]
    assert agreement["items"] == 8
    assert agreement["exact"] == "75.0 %"
    assert "Cohen's kappa" in agreement["sentence"] and "erin" in agreement["sentence"]
    assert agreement["decisions"].startswith("The reviewer decided 3 of the 3 items")
    assert [row["dimension"].split()[0] for row in agreement["rows"]] == ["DS-D1", "DS-D2"]


def test_the_report_page_shows_the_agreement_in_the_method(client, both_submitted, bob):
    first, _ = both_submitted
    client.force_login(bob)
    with translation.override("en"):
        page = client.get(
            reverse("report_assessment", args=[first.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    method = page[page.index('id="method"') :]
    assert 'data-testid="agreement-method"' in method
    assert "Quadratic-weighted kappa" in method and "75.0 %" in method


def test_the_word_report_has_an_agreement_section(both_submitted, bob):
    from casework.reports.docx import assessment_docx

    first, _ = both_submitted
    _decide_all(first, bob)
    with translation.override("en"):
        document = docx.Document(io.BytesIO(assessment_docx(first)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Double scoring and agreement (DS)" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "exact agreement was 75.0 %" in text and "decided 3 of the 3" in text
    header_rows = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert [
        "Dimension",
        "Items",
        "Exact agreement",
        "Cohen's kappa",
        "Quadratic-weighted kappa",
    ] in (header_rows)


def test_the_pdf_states_the_agreement_in_its_method(both_submitted, bob):
    from pypdf import PdfReader

    from casework.reports.render import assessment_pdf

    first, _ = both_submitted
    with translation.override("en"):
        data = assessment_pdf(first)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    text = " ".join(text.split())
    assert "Double scoring and agreement (DS)" in text
    assert "Quadratic-weighted kappa" in text

"""Specs for the PDF reports: content, metadata, charts, cache, file name, missing Chromium.

Counting charts: WeasyPrint draws an SVG <img> as vector graphics, split into many Form
XObjects per chart (one per text run), so XObjects do not count charts. Each chart sits in
<figure id="chart-a<assessment>-<name>">, and WeasyPrint turns every id into a PDF named
destination: those are counted. That the SVG was really drawn is checked through text that
exists only inside the charts (their titles and legends), which WeasyPrint writes as text.
"""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from casework.reports import render
from casework.reports.static_charts import ChartEngineUnavailable, engine_available
from casework.services.assessments import assessment_touch
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.skipif(not engine_available(), reason="needs Chromium for chart SVGs")

CHARTS = ("radar", "risks", "stakeholders", "indicators", "phases")


def get_pdf(client, assessment, language="en"):
    client.cookies["django_language"] = language
    return client.get(reverse("report_assessment_pdf", args=[assessment.pk]))


def test_pdf_has_the_cover_scores_and_headings(client, alice, scored_assessment):
    client.force_login(alice)

    response = get_pdf(client, scored_assessment)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "城市一网通办改革" in text  # the Chinese case title, in a CJK font
    assert "62.2" in text and "66.7" in text and "60.0" in text
    for heading in (
        "Contents",
        "Executive summary",
        "Scores by dimension",
        "Dimension details",
        "Registers",
        "Method",
    ):
        assert heading in text
    assert "Improve D1.2" in text


def test_pdf_is_a4_with_page_numbers_and_running_header(client, alice, scored_assessment):
    client.force_login(alice)

    reader = PdfReader(io.BytesIO(get_pdf(client, scored_assessment).content))

    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)
    pages = len(reader.pages)
    second = reader.pages[1].extract_text()
    assert f"2 / {pages}" in second
    assert "城市一网通办改革" in second  # the header repeats the case title
    assert "Generated" in second


def test_pdf_records_versions_revision_and_content_hash(client, alice, scored_assessment):
    client.force_login(alice)

    data = get_pdf(client, scored_assessment).content

    meta = PdfReader(io.BytesIO(data)).metadata
    assert "TF v1 (1.0)" in meta.subject
    assert f"TF R1 rev. {scored_assessment.revision}" in meta.subject
    digest = meta.subject.split("sha256:")[1].strip()
    assert len(digest) == 64
    assert digest in pdf_text(data).replace("\n", "")  # also printed on the cover
    assert "城市一网通办改革" in meta.title


def test_pdf_embeds_one_chart_per_figure(client, alice, scored_assessment):
    client.force_login(alice)

    data = get_pdf(client, scored_assessment).content

    destinations = {
        name for name in PdfReader(io.BytesIO(data)).named_destinations if name.startswith("chart-")
    }
    assert destinations == {f"chart-a{scored_assessment.pk}-{name}" for name in CHARTS}
    text = pdf_text(data)
    # Text that only the SVG charts contain: figure titles and the heat map's axis.
    for chart_text in (
        "Risk heat map",
        "Stakeholder influence and interest",
        "Indicator progress",
        "Implementation timeline",
        "Likelihood",
    ):
        assert chart_text in text


def test_second_download_comes_from_the_cache(client, alice, scored_assessment, monkeypatch):
    calls = []
    real = render.html_to_pdf

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(render, "html_to_pdf", counting)
    client.force_login(alice)

    first = get_pdf(client, scored_assessment)
    second = get_pdf(client, scored_assessment)

    assert len(calls) == 1
    assert first.content == second.content


def test_a_new_revision_or_language_renders_again(client, alice, scored_assessment, monkeypatch):
    calls = []
    monkeypatch.setattr(render, "html_to_pdf", lambda html, **kw: calls.append(html) or b"%PDF-")
    client.force_login(alice)

    get_pdf(client, scored_assessment)
    get_pdf(client, scored_assessment, language="zh-hans")
    assessment_touch(assessment_id=scored_assessment.pk)
    get_pdf(client, scored_assessment)
    get_pdf(client, scored_assessment)

    assert len(calls) == 3


def test_file_name_carries_the_case_title_and_date(client, alice, scored_assessment, monkeypatch):
    monkeypatch.setattr(render, "html_to_pdf", lambda html, **kw: b"%PDF-")
    client.force_login(alice)

    disposition = get_pdf(client, scored_assessment)["Content-Disposition"]

    today = date.today().isoformat()
    assert disposition.startswith("attachment; ")
    assert f'filename="Casework_case-{scored_assessment.case_id}_' in disposition
    # RFC 5987: the UTF-8 name, percent-encoded (城 is E5 9F 8E).
    assert "filename*=UTF-8''Casework_%E5%9F%8E" in disposition
    assert disposition.endswith(".pdf") and today[:4] in disposition


def test_file_name_of_a_latin_title_is_a_slug():
    fallback, name = render.report_filenames(
        {"id": 3, "title": "Smart City / Phase 2"}, on=date(2026, 11, 24)
    )

    assert fallback == "Casework_smart-city-phase-2_2026-11-24.pdf"
    assert name == "Casework_Smart-City-Phase-2_2026-11-24.pdf"


def test_missing_chromium_shows_a_503_page_with_what_to_install(
    client, alice, scored_assessment, monkeypatch
):
    def no_engine(*args, **kwargs):
        raise ChartEngineUnavailable("No browser was found.")

    monkeypatch.setattr(render, "figure_to_svg", no_engine)
    client.force_login(alice)

    response = get_pdf(client, scored_assessment)

    assert response.status_code == 503
    html = response.content.decode()
    assert "apt-get install chromium" in html
    assert "CASEWORK_CHROMIUM" in html


def test_case_pdf_holds_every_framework(client, alice, scored_assessment):
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("report_case_pdf", args=[scored_assessment.case_id]))

    assert response.status_code == 200
    assert "Tiny framework" in pdf_text(response.content)


def test_other_units_cannot_download_the_pdf(client, charlie, scored_assessment):
    client.force_login(charlie)

    assert get_pdf(client, scored_assessment).status_code == 404
    assert (
        client.get(reverse("report_case_pdf", args=[scored_assessment.case_id])).status_code == 404
    )


def test_render_report_command_writes_pdf_and_html(scored_assessment, tmp_path):
    pdf_file = tmp_path / "r.pdf"
    html_file = tmp_path / "r.html"

    call_command("render_report", scored_assessment.pk, output=str(pdf_file), language="en")
    call_command(
        "render_report", scored_assessment.pk, "--output", str(html_file), "--format", "html"
    )

    assert pdf_file.read_bytes().startswith(b"%PDF-")
    assert "62.2" in pdf_text(pdf_file.read_bytes())
    html = html_file.read_text()
    assert "城市一网通办改革" in html
    assert html.count("data:image/svg+xml;base64,") == len(CHARTS)


def test_evidence_longer_than_a_page_is_printed_in_full(client, alice, scored_assessment):
    from tests.reports.conftest import set_answer

    evidence = "".join(f"第{i}段证据说明。" for i in range(1500)) + "证据结尾标记END"
    set_answer(scored_assessment, "TF-D1.2", evidence=evidence)
    client.force_login(alice)

    text = pdf_text(get_pdf(client, scored_assessment).content).replace("\n", "")

    assert "第1499段证据说明。" in text
    assert "证据结尾标记END" in text

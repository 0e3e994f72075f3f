"""Specs for the PDF reports: content, metadata, charts, cache, file name, missing Chromium.

Counting charts: WeasyPrint draws an SVG <img> as vector graphics, split into many Form
XObjects per chart (one per text run), so XObjects do not count charts. Each chart sits in
<figure id="chart-a<assessment>-<name>">, and WeasyPrint turns every id into a PDF named
destination: those are counted. That the SVG was really drawn is checked through text that
exists only inside the charts (their titles and legends), which WeasyPrint writes as text.
"""

import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from casework.models import Role
from casework.reports import render
from casework.reports.static_charts import ChartEngineUnavailable, engine_available
from casework.services.assessments import assessment_touch
from tests import factories
from tests.module_data import rolled_back
from tests.reports.conftest import (
    RECORD,
    build_scored_assessment,
    make_record,
    make_record_version,
    pdf_text,
)

pytestmark = [
    pytest.mark.skipif(not engine_available(), reason="needs Chromium for chart SVGs"),
    # Also makes pytest-django create the test database when only the tests that read the
    # module-scoped PDFs are selected.
    pytest.mark.django_db,
]

CHARTS = ("radar", "risks", "stakeholders", "indicators", "phases")


def get_pdf(client, assessment, language="en"):
    client.cookies["django_language"] = language
    return client.get(reverse("report_assessment_pdf", args=[assessment.pk]))


def _persona():
    unit = factories.make_unit("dgo", "数字政府办公室", "Digital Government Office")
    alice = factories.make_user("alice", unit=unit, role=Role.ANALYST)
    return alice, factories.make_case(unit=unit, owner=alice)


@pytest.fixture(scope="module")
def scored_pdf(django_db_setup, django_db_blocker):
    """The scored assessment's English PDF, rendered once for the tests that only read it."""
    with rolled_back(django_db_blocker):
        alice, case = _persona()
        assessment = build_scored_assessment(
            case=case, version=factories.make_tiny_framework(), user=alice
        )
        with translation.override("en"):
            data = render.assessment_pdf(assessment)
        facts = {"pk": assessment.pk, "revision": assessment.revision, "data": data}
    return facts


@pytest.fixture(scope="module")
def record_pdfs(django_db_setup, django_db_blocker):
    """A report of record (conftest.make_record) as PDF in English and Chinese, rendered once."""
    with rolled_back(django_db_blocker):
        alice, case = _persona()
        assessment = make_record(case=case, version=make_record_version(), user=alice)
        pdfs = {}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                pdfs[language] = render.assessment_pdf(assessment)
        facts = {"pk": assessment.pk, "revision": assessment.revision, **pdfs}
    return facts


def test_pdf_has_the_cover_scores_and_headings(scored_pdf):
    text = pdf_text(scored_pdf["data"])

    assert "城市一网通办改革" in text  # the Chinese case title, in a CJK font
    assert "62.2" in text and "66.7" in text and "60.0" in text
    for heading in (
        "Contents",
        "The case",
        "Sources",
        "Executive summary",
        "Scores by dimension",
        "Dimension details",
        "Key lessons",
        "Action plan",
        "Registers",
        "Method",
    ):
        assert heading in text
    assert "Improve D1.2" in text


def test_pdf_is_a4_with_page_numbers_and_running_header(scored_pdf):
    reader = PdfReader(io.BytesIO(scored_pdf["data"]))

    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)
    pages = len(reader.pages)
    second = reader.pages[1].extract_text()
    assert f"2 / {pages}" in second
    assert "城市一网通办改革" in second  # the header repeats the case title
    assert "Generated" in second


def test_pdf_records_versions_revision_and_content_hash(scored_pdf):
    data = scored_pdf["data"]

    meta = PdfReader(io.BytesIO(data)).metadata
    assert "TF v1 (1.0)" in meta.subject
    assert f"TF Round 1 · Version {scored_pdf['revision']}, saved " in meta.subject
    assert "rev." not in meta.subject
    digest = meta.subject.split("sha256:")[1].strip()
    assert len(digest) == 64
    assert digest in pdf_text(data).replace("\n", "")  # also printed on the cover
    assert "城市一网通办改革" in meta.title


def test_pdf_embeds_one_chart_per_figure(scored_pdf):
    data = scored_pdf["data"]

    destinations = {
        name for name in PdfReader(io.BytesIO(data)).named_destinations if name.startswith("chart-")
    }
    assert destinations == {f"chart-a{scored_pdf['pk']}-{name}" for name in CHARTS}
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


# --- a report of record --------------------------------------------------------------------


def _link_targets(data: bytes) -> set[str]:
    """Where the PDF's internal links go: the named destinations they point at."""
    targets = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            destination = annotation.get("/Dest") or (action.get("/D") if action else None)
            if destination is not None:
                targets.add(str(destination))
    return targets


def test_the_pdf_of_record_carries_the_case_sources_notes_conclusion_and_actions(record_pdfs):
    text = pdf_text(record_pdfs["en"])
    flat = " ".join(text.split())

    for expected in (
        RECORD["summary"],
        RECORD["summary_2"],
        RECORD["context"],
        RECORD["event"],
        f"[1] {RECORD['source']}",  # the numbered bibliography
        f"[2] {RECORD['second_source']}",
        "[1, p. 12]",  # evidence cites by number and page
        RECORD["quote"],
        RECORD["note"],
        RECORD["problem_note"],
        RECORD["findings"],
        RECORD["conclusion"],
        RECORD["lessons"],
        RECORD["action"],
        "Lessons to apply",
        RECORD["outcome"],
    ):
        assert expected in flat, expected
    # The present negative observation is written as a problem, not only coloured.
    assert "Present · problem TF-D1.3" in flat
    assert "Missed" in flat
    assert f"Version {record_pdfs['revision']}, saved " in flat and "rev." not in flat


def test_citations_in_the_pdf_link_to_the_bibliography(record_pdfs):
    data = record_pdfs["en"]

    assert "src-1" in PdfReader(io.BytesIO(data)).named_destinations
    assert "src-1" in _link_targets(data)


def test_the_chinese_pdf_writes_dates_the_chinese_way(record_pdfs):
    text = " ".join(pdf_text(record_pdfs["zh-hans"]).split())
    joined = text.replace(" ", "")  # a date may be broken across two lines

    assert "2026年11月30日" in joined  # the source's accessed date
    assert "2025年6月30日" in joined  # the indicator's latest measurement
    months = "January|February|March|April|May|June|July|August|September|October|November"
    assert not re.search(rf"\b({months}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", text)
    assert "rev." not in text


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="needs pdfinfo (poppler-utils)")
@pytest.mark.parametrize(("language", "tag"), [("en", "en"), ("zh-hans", "zh-Hans")])
def test_the_pdf_is_tagged_with_its_language_and_title(record_pdfs, tmp_path, language, tag):
    path = tmp_path / "report.pdf"
    path.write_bytes(record_pdfs[language])

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)

    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.M)
    reader = PdfReader(io.BytesIO(record_pdfs[language]))
    assert reader.trailer["/Root"]["/Lang"] == tag
    assert "城市一网通办改革" in reader.metadata.title

"""Specs: user text is shown as text, in the page and in the PDF, and fetches nothing."""

import json

import pytest
from django.urls import reverse

from casework.models import Case, Risk
from casework.reports import pdf
from casework.reports.static_charts import engine_available
from tests.reports.conftest import figures_in, pdf_text, set_answer

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=file:///etc/passwd>"
CSS = "url(http://127.0.0.1:9/x)"
EVIL = f"{SCRIPT} {IMG} <style>body{{background:{CSS}}}</style> {CSS}"


@pytest.fixture
def hostile_assessment(scored_assessment):
    set_answer(scored_assessment, "TF-D1.1", evidence=EVIL, na_reason="", level=4)
    set_answer(scored_assessment, "TF-D1.3", evidence=EVIL)
    Case.objects.filter(pk=scored_assessment.case_id).update(title="城市一网通办改革 " + SCRIPT)
    Risk.objects.filter(assessment=scored_assessment).update(description=IMG + " " + CSS)
    scored_assessment.refresh_from_db()
    return scored_assessment


def test_page_escapes_evidence_titles_and_register_text(client, alice, hostile_assessment):
    client.force_login(alice)

    response = client.get(reverse("report_assessment", args=[hostile_assessment.pk]))

    html = response.content.decode()
    assert SCRIPT not in html
    assert IMG not in html
    assert "<style>body" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=file:///etc/passwd&gt;" in html
    assert CSS in html  # harmless as text


def test_figure_json_cannot_close_its_script_tag(client, alice, hostile_assessment):
    client.force_login(alice)

    response = client.get(reverse("report_assessment", args=[hostile_assessment.pk]))

    figures = figures_in(response)  # parses: the JSON was not cut short by a "</script>"
    hover = json.dumps(figures[f"a{hostile_assessment.pk}-risks"])
    # Plotly reads HTML in labels, so the figure itself holds the text HTML-escaped.
    assert "&lt;img src=file:///etc/passwd&gt;" in hover
    assert "<img" not in hover


@pytest.mark.skipif(not engine_available(), reason="needs Chromium for chart SVGs")
def test_pdf_shows_hostile_text_as_text_and_fetches_only_charts(
    client, alice, hostile_assessment, monkeypatch
):
    fetchers = []
    real = pdf.make_url_fetcher

    def recording(images):
        fetcher = real(images)
        original = fetcher.fetch
        fetcher.asked = []

        def fetch(url, *args, **kwargs):
            fetcher.asked.append(url)
            return original(url, *args, **kwargs)

        fetcher.fetch = fetch
        fetchers.append(fetcher)
        return fetcher

    monkeypatch.setattr(pdf, "make_url_fetcher", recording)
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("report_assessment_pdf", args=[hostile_assessment.pk]))

    assert response.status_code == 200
    text = pdf_text(response.content).replace("\n", " ")
    assert SCRIPT in text
    assert IMG in text
    assert CSS in text
    (fetcher,) = fetchers
    charts = {url for url in fetcher.asked if url.startswith("chart:")}
    assert len(charts) == 5, "the charts are fetched from memory"
    # Anything else is a data: URL inside a chart's SVG (the heat map is a PNG inside it).
    others = [url for url in fetcher.asked if not url.startswith("chart:")]
    assert all(url.startswith("data:image/") for url in others), others
    assert fetcher.refused == []


def test_the_pdf_fetcher_refuses_files_and_network():
    fetcher = pdf.make_url_fetcher({})

    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x", "/etc/passwd"):
        with pytest.raises(pdf.PdfFetchRefused):
            fetcher.fetch(url)

    assert fetcher.refused == ["file:///etc/passwd", "http://127.0.0.1:9/x", "/etc/passwd"]


def test_report_templates_never_mark_user_text_safe():
    from pathlib import Path

    from django.conf import settings

    for template in (Path(settings.BASE_DIR) / "templates" / "reports").glob("*.html"):
        source = template.read_text()
        assert "|safe" not in source, template.name
        assert "autoescape off" not in source, template.name

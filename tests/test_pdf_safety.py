"""Specs for casework.reports.pdf: reports load nothing from disk or network."""

import base64
import io
import socket

import pytest
from pypdf import PdfReader

from casework.reports import pdf
from casework.reports.pdf import PdfFetchRefused, html_to_pdf, make_url_fetcher

CJK_CSS = 'body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; }'
# 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
    '<rect width="200" height="100" fill="#4c78a8"/>'
    '<text x="10" y="50" font-family="Noto Sans CJK SC" font-size="20">雷达图</text></svg>'
).encode()


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def fetchers(monkeypatch):
    """Record every fetcher html_to_pdf makes, to see what it was asked for."""
    made = []

    def recording_make_url_fetcher(images):
        fetcher = make_url_fetcher(images)
        made.append(fetcher)
        return fetcher

    monkeypatch.setattr(pdf, "make_url_fetcher", recording_make_url_fetcher)
    return made


@pytest.fixture
def no_sockets(monkeypatch):
    """Record any attempt to open a network connection."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network use in a PDF test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "FILE:///etc/passwd", "file://localhost/etc/hostname"]
)
def test_fetcher_refuses_file_urls(url):
    fetcher = make_url_fetcher({})

    with pytest.raises(PdfFetchRefused):
        fetcher(url)
    assert fetcher.refused == [url]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/x", "https://example.org/style.css", "ftp://example.org/f"]
)
def test_fetcher_refuses_network_urls(url, no_sockets):
    with pytest.raises(PdfFetchRefused):
        make_url_fetcher({})(url)
    assert no_sockets == []


@pytest.mark.parametrize("url", ["/etc/passwd", "logo.png", "../secrets.txt", "//evil.test/x"])
def test_fetcher_refuses_relative_urls(url):
    with pytest.raises(PdfFetchRefused):
        make_url_fetcher({})(url)


def test_fetcher_serves_in_memory_chart_images():
    fetcher = make_url_fetcher({"radar": SVG, "logo": PNG})

    svg = fetcher("chart:radar")
    png = fetcher("chart:logo")

    assert (svg.content_type, svg.read()) == ("image/svg+xml", SVG)
    assert (png.content_type, png.read()) == ("image/png", PNG)


def test_fetcher_refuses_chart_names_it_was_not_given():
    with pytest.raises(PdfFetchRefused, match="bar"):
        make_url_fetcher({"radar": SVG})("chart:bar")


def test_fetcher_serves_data_urls():
    url = "data:image/png;base64," + base64.b64encode(PNG).decode()

    response = make_url_fetcher({})(url)

    assert (response.content_type, response.read()) == ("image/png", PNG)


def test_fetcher_rejects_images_that_are_neither_svg_nor_png():
    with pytest.raises(ValueError, match="neither SVG nor PNG"):
        make_url_fetcher({"photo": b"\xff\xd8\xff\xe0 a jpeg"})


def test_pdf_renders_chinese_text_extractably():
    data = html_to_pdf("<h1>数字化转型评估报告</h1><p>总体得分：3.5</p>", stylesheets=[CJK_CSS])

    assert data.startswith(b"%PDF")
    assert "数字化转型评估报告" in pdf_text(data)


def test_pdf_embeds_in_memory_svg_charts(fetchers):
    data = html_to_pdf(
        '<p>图表</p><img src="chart:radar">', images={"radar": SVG}, stylesheets=[CJK_CSS]
    )

    assert fetchers[0].refused == []
    assert "雷达图" in pdf_text(data)


@pytest.mark.parametrize(
    ("html", "css", "refused_url"),
    [
        ("", "@font-face { font-family: X; src: url(file:///etc/passwd) }", "file:///etc/passwd"),
        ('<img src="file:///etc/passwd">', "", "file:///etc/passwd"),
        ('<link rel=stylesheet href="http://127.0.0.1:9/x.css">', "", "http://127.0.0.1:9/x.css"),
        ("", "body { background: url(http://127.0.0.1:9/x) }", "http://127.0.0.1:9/x"),
        ('<img src="/etc/passwd">', "", "/etc/passwd"),
        ('<base href="file:///etc/"><img src="hostname">', "", "file:///etc/hostname"),
        ("", "@import url(https://example.org/x.css);", "https://example.org/x.css"),
        ('<link rel=attachment href="file:///etc/hostname">', "", "file:///etc/hostname"),
    ],
)
def test_pdf_refuses_disk_and_network_resources_and_still_renders(
    html, css, refused_url, fetchers, no_sockets
):
    data = html_to_pdf(f"{html}<p>正文照常渲染</p>", stylesheets=[css, CJK_CSS])

    assert refused_url in fetchers[0].refused
    assert no_sockets == []
    assert "正文照常渲染" in pdf_text(data)

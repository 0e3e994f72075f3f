"""HTML to PDF with WeasyPrint, loading nothing but data: URLs and in-memory charts."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from urllib.parse import unquote
from urllib.request import DataHandler, Request

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

CHART_SCHEME = "chart"
# Tagged for screen readers and archives (WeasyPrint 66+).
PDF_VARIANT = "pdf/ua-1"

# Relative URLs cannot be resolved against a scheme that has no hierarchy, so
# "/etc/passwd" or "logo.png" reach the fetcher unchanged and are refused there.
NOWHERE_BASE_URL = "chart:/"


class PdfFetchRefused(ValueError):
    """Raised for any resource a report may not load."""


class ReportUrlFetcher(URLFetcher):
    """Serves data: URLs and chart:<name> images from memory and refuses everything else."""

    def __init__(self, images: Mapping[str, bytes]) -> None:
        # WeasyPrint 70 reads _fail_on_errors from whatever fetcher it is given, so
        # fetchers must subclass URLFetcher; False makes a refusal a logged, skipped
        # resource rather than a failed report.
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self._images = {name: (data, _image_mime_type(name, data)) for name, data in images.items()}
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        try:
            return self._serve(url)
        except PdfFetchRefused:
            self.refused.append(url)
            raise

    def _serve(self, url: str) -> URLFetcherResponse:
        scheme, colon, rest = url.partition(":")
        scheme = scheme.lower()
        if colon and scheme == "data":
            return _decode_data_url(url)
        if colon and scheme == CHART_SCHEME:
            name = unquote(rest)
            if name not in self._images:
                raise PdfFetchRefused(f"No in-memory image named {name!r}.")
            data, mime_type = self._images[name]
            return URLFetcherResponse(url, data, {"Content-Type": mime_type})
        raise PdfFetchRefused(f"Reports load only data: and chart: URLs, not {url[:200]!r}.")


_local = threading.local()


def _font_config() -> FontConfiguration:
    """This thread's FontConfiguration, made once: setting up fontconfig is paid per thread,
    not per PDF. Per thread because Pango and fontconfig objects are not shared safely."""
    fonts = getattr(_local, "fonts", None)
    if fonts is None:
        fonts = _local.fonts = FontConfiguration()
    return fonts


def make_url_fetcher(images: Mapping[str, bytes]) -> ReportUrlFetcher:
    """Return a WeasyPrint fetcher that serves only data: URLs and the given images."""
    return ReportUrlFetcher(images)


def html_to_pdf(
    html: str,
    *,
    images: Mapping[str, bytes] | None = None,
    stylesheets: Sequence[str] = (),
) -> bytes:
    """Render an HTML string and CSS strings to PDF bytes; images are addressed as chart:<name>."""
    fetcher = make_url_fetcher(images or {})
    # Without a shared FontConfiguration WeasyPrint silently drops @font-face rules
    # in stylesheets passed here (those in the HTML's <style> still work). Extra stylesheets
    # may add @font-face fonts, which stay in a configuration: they get one of their own.
    fonts = FontConfiguration() if stylesheets else _font_config()
    document = weasyprint.HTML(string=html, base_url=NOWHERE_BASE_URL, url_fetcher=fetcher)
    css = [
        weasyprint.CSS(
            string=sheet, base_url=NOWHERE_BASE_URL, url_fetcher=fetcher, font_config=fonts
        )
        for sheet in stylesheets
    ]
    # PDF/UA-1: a tagged PDF (headings, tables, figures with their alt text, reading order)
    # whose language and title come from <html lang> and <title>.
    return document.write_pdf(stylesheets=css, font_config=fonts, pdf_variant=PDF_VARIANT)


def _decode_data_url(url: str) -> URLFetcherResponse:
    # urllib's data: handler decodes in memory; it never opens a file or a socket.
    with DataHandler().data_open(Request(url)) as decoded:
        body = decoded.read()
        content_type = decoded.headers["Content-Type"]
    return URLFetcherResponse(url, body, {"Content-Type": content_type})


def _image_mime_type(name: str, data: bytes) -> str:
    # Sniff the bytes rather than trust the name: WeasyPrint picks its parser from this.
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    head = data[:512].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"<svg", b"<?xml")):
        return "image/svg+xml"
    raise ValueError(f"Image {name!r} is neither SVG nor PNG.")

"""Reports rendered: figure JSON for the page, print HTML, and cached PDFs with SVG charts."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache as django_cache
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from casework.models import Assessment, Case
from casework.reports import context as report_context
from casework.reports import figures as report_figures
from casework.reports.static_charts import figure_to_svg

PDF_CACHE_SECONDS = 7 * 24 * 3600
# Pixel sizes the SVGs are drawn at; the print CSS scales them to the column width.
SVG_WIDTH = 760
SVG_HEIGHTS = {"radar": 480}
SVG_DEFAULT_HEIGHT = 420
PRINT_TEMPLATE = "reports/print.html"


def figure_data(figures: dict[str, object]) -> dict[str, dict]:
    """Figures as plain JSON-ready dicts (the page feeds them to json_script and Plotly.newPlot)."""
    return {key: json.loads(fig.to_json()) for key, fig in figures.items()}


def chart_sections(reports: list[dict], sources: dict[str, str]) -> list[dict]:
    """Pairs each report with its charts: chart name → figure id (page) or image URL (print)."""
    sections = []
    for report in reports:
        prefix = f"a{report['assessment']['id']}-"
        charts = {
            key.removeprefix(prefix): value
            for key, value in sources.items()
            if key.startswith(prefix)
        }
        sections.append({"report": report, "charts": charts})
    return sections


FIGURE_CACHE_SECONDS = 24 * 3600


def _figures_key(content, kind: str = "report-figures") -> str:
    """The cache key of some charts: a hash of everything they are drawn from.

    The whole input goes into the hash (not a revision number), so a change to any number,
    label or register row, in any language, draws new charts; an unchanged input, seen again
    by anyone in any process sharing the cache, reuses them.
    """
    raw = json.dumps(content, default=str, ensure_ascii=False).encode()
    digest = hashlib.sha256(raw).hexdigest()
    return f"{kind}:{code_version()}:{get_language() or ''}:{digest}"


def cached_figure_data(content, build) -> dict[str, dict]:
    """figure_data(build()), kept in the cache under a hash of `content` (what build draws).

    Building Plotly figures is most of a chart page's time; the JSON they turn into is
    stored in the cache (Redis when configured, shared by every worker).
    """
    key = _figures_key(content)
    data = django_cache.get(key)
    if data is None:
        data = figure_data(build())
        django_cache.set(key, data, FIGURE_CACHE_SECONDS)
    return data


def page_figure_data(reports: list[dict]) -> dict[str, dict]:
    """figure_data(figures_for_reports(reports)), each report's charts cached by content."""
    data = {}
    for report in reports:
        data.update(cached_figure_data(report, lambda report=report: figures_for_reports([report])))
    return data


def figures_for_reports(reports: list[dict]) -> dict[str, object]:
    """Every figure of some assessment reports, keyed `a<assessment id>-<name>`."""
    figures = {}
    for report in reports:
        for name, fig in report_figures.report_figures(report).items():
            figures[f"a{report['assessment']['id']}-{name}"] = fig
    return figures


# --- the report page, rendered once per version of the report -------------------------------

PAGE_CACHE_SECONDS = 7 * 24 * 3600
PAGE_BODY_TEMPLATE = "reports/_report_body.html"


# What a report shows that lives outside its case and assessments: the names of the people
# (analyst and reviewer of each assessment, hence the second rating's analyst too, and the
# case's owner, which the PDF's content hash covers) and of the sector. Renaming one writes
# neither the case nor an assessment, so the names themselves are part of every report version
# (page and files). They are read with the rounds: joins on a query made anyway, not a query
# of their own. The unit's name comes from the case, whose unit every access helper loads.
NAMED = (
    *(
        f"{who}__{field}"
        for who in ("created_by", "reviewed_by", "case__owner")
        for field in ("first_name", "last_name", "username")
    ),
    "case__sector_ref__name_en",
    "case__sector_ref__name_zh",
)


def case_rounds(case_id: int) -> list[dict]:
    """Every assessment of a case with what versions its content (1 query).

    pk, framework code, round, second_of_id, revision, updated_at and the names it shows
    (NAMED): enough for the compare links and for the version of any report of the case (its
    rounds, earlier rounds, second ratings and the other frameworks of the cross-walk).
    """
    return list(
        Assessment.objects.filter(case_id=case_id)
        .order_by("framework__code", "-round", "pk")
        .values("pk", "framework__code", "round", "second_of_id", "revision", "updated_at", *NAMED)
    )


def _version_inputs(case: Case, rounds: list[dict]) -> list:
    """What a version of a report of `case` is made of (page and files alike).

    Every write to an assessment's content bumps its revision and updated_at
    (assessment_touch), every change of status or review its updated_at, and a change to the
    case, its sources or its timeline the case's updated_at; the names come with the rounds
    (NAMED) and the case (its unit). All of the case's assessments count (earlier rounds,
    second ratings, other frameworks), not only those on the page: a report shows the
    previous round, the agreement of a double scoring and the cross-walk.
    """
    unit = case.unit if case.unit_id else None
    return [
        case.updated_at.isoformat(),
        [unit.name_en, unit.name_zh] if unit else None,
        [
            (r["pk"], r["revision"], r["updated_at"].isoformat(), r["round"], r["second_of_id"])
            for r in rounds
        ],
        [[r[name] for name in NAMED] for r in rounds],
        get_language() or "",
    ]


def page_key(kind: str, pk: int, case: Case, rounds: list[dict]) -> str:
    """The version of a report page: changes with anything its body shows (_version_inputs)."""
    raw = json.dumps(
        [kind, pk, *_version_inputs(case, rounds), timezone.get_current_timezone_name()],
        ensure_ascii=False,
    )
    return f"report-page:{code_version()}:{hashlib.sha256(raw.encode()).hexdigest()}"


FIGURES_ELEMENT_ID = "report-figures"


def cached_page(key: str, build) -> tuple[dict, dict | None]:
    """(page, context): the page's title, body and figures, rendered at most once per key.

    `build()` returns the body's context (case, sections, crosswalk, figures, links...). The
    body shows nothing that depends on who reads it (the header's links are the same for
    everyone who may see the report, and every download checks access again), so one
    rendering serves every reader; the page around it (navigation, CSRF token, messages) is
    rendered per request. Body and figures are kept in their final form, strings: the figure
    JSON (tens of kB) is serialized and escaped once, not on every view, and a string is the
    cheapest thing for the cache to pickle and unpickle. `context` is the body's context when
    it was built now, else None.
    """
    page = django_cache.get(key)
    if page is None:
        context = build()
        page = {
            "title": context["case"]["title"],
            "body": str(render_to_string(PAGE_BODY_TEMPLATE, context)),
            "figures_script": str(json_script(context["figures"], FIGURES_ELEMENT_ID)),
        }
        django_cache.set(key, page, PAGE_CACHE_SECONDS)
    else:
        context = None
    # Both strings are our own rendering (the template escaped the body, json_script the JSON).
    return {
        "title": page["title"],
        "body": mark_safe(page["body"]),  # noqa: S308
        "figures_script": mark_safe(page["figures_script"]),  # noqa: S308
    }, context


@cache
def code_version() -> str:
    """A hash of the report code and templates: a deploy that changes them invalidates PDFs."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    template_dir = Path(settings.BASE_DIR) / "templates" / "reports"
    for path in sorted([*here.glob("*.py"), *template_dir.glob("*.html")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# --- file names -------------------------------------------------------------------------

_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+|\s+')


def _printable(text: str) -> str:
    """Text without control, format (bidi overrides, zero-width), private or unassigned characters.

    A right-to-left override in a title would otherwise make "cod.exe_2026.pdf" read differently
    in a file manager than it is.
    """
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))


def report_filenames(
    case: dict, *, on: date, extension: str = "pdf", kind: str = ""
) -> tuple[str, str]:
    """(ASCII fallback, Unicode name): Casework_<title>[_<kind>]_<date>.<extension>."""
    ascii_slug = slugify(case["title"]) or f"case-{case['id']}"
    unicode_title = _UNSAFE_IN_FILENAME.sub("-", _printable(case["title"]))
    unicode_title = re.sub("-{2,}", "-", unicode_title).strip("-.")[:80] or f"case-{case['id']}"
    # The kind ("TF-R1_report", "scores"...) is made of codes: kept to safe ASCII anyway.
    kind = re.sub(r"[^A-Za-z0-9_.-]+", "-", kind).strip("-.")
    suffix = f"_{kind}" if kind else ""
    stamp = on.isoformat()
    return (
        f"Casework_{ascii_slug[:80]}{suffix}_{stamp}.{extension}",
        f"Casework_{unicode_title}{suffix}_{stamp}.{extension}",
    )


def content_disposition(case: dict, *, on: date, extension: str = "pdf", kind: str = "") -> str:
    """An attachment header with an ASCII name and the RFC 5987 UTF-8 name beside it."""
    fallback, name = report_filenames(case, on=on, extension=extension, kind=kind)
    header = f'attachment; filename="{fallback}"'
    if name != fallback:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


# --- print HTML and PDF -----------------------------------------------------------------


def version_text(assessment: dict) -> str:
    """The assessment's edit count as a reader takes it: "Round 2 · Version 12, saved <date>".

    The msgids are those of the cover's {% blocktranslate %}, so both read the same.
    """
    saved = formats.date_format(timezone.localtime(assessment["saved_at"]), "DATE_FORMAT")
    return "{round} · {version}".format(
        round=_("Round %(round)s") % {"round": assessment["round"]},
        version=_("Version %(number)s, saved %(date)s")
        % {"number": assessment["revision"], "date": saved},
    )


def _language_tag() -> str:
    """The BCP 47 tag of the active language, as <html lang> and PDF readers expect it."""
    language = get_language() or settings.LANGUAGE_CODE
    return "zh-Hans" if language.lower().startswith("zh") else language


def _document_facts(reports: list[dict], case: dict) -> dict:
    """What the PDF records about itself: versions, revisions, content hash, time."""
    data = {"case": case, "reports": reports}
    return {
        "content_hash": report_context.content_hash(data),
        "generated_at": timezone.localtime(),
        "language": get_language(),
        "language_tag": _language_tag(),
        "code_version": code_version(),
        "versions": [
            f"{r['framework']['code']} v{r['framework']['version_number']} "
            f"({r['framework']['version_label']})"
            for r in reports
        ],
        "revisions": [f"{r['framework']['code']} {version_text(r['assessment'])}" for r in reports],
    }


def print_html(
    *,
    case: dict,
    reports: list[dict],
    crosswalk: list[dict],
    facts: dict,
    chart_sources: dict[str, str],
    redacted: bool = False,
) -> str:
    """The print HTML; `chart_sources` maps figure keys to image URLs (chart:<key> or data:)."""
    return render_to_string(
        PRINT_TEMPLATE,
        {
            "case": case,
            "sections": chart_sections(reports, chart_sources),
            "crosswalk": crosswalk,
            "facts": facts,
            "for_print": True,
            "redacted": redacted,
        },
    )


def chart_images(figures: dict[str, object]) -> dict[str, bytes]:
    """SVG bytes for each figure, drawn by the same figure functions as the page."""
    images = {}
    for key, fig in figures.items():
        name = key.split("-", 1)[1]
        height = SVG_HEIGHTS.get(name) or int(fig.layout.height or SVG_DEFAULT_HEIGHT)
        images[key] = figure_to_svg(fig, width=SVG_WIDTH, height=height)
    return images


IMAGE_CACHE_SECONDS = 7 * 24 * 3600


def report_chart_images(reports: list[dict]) -> dict[str, bytes]:
    """chart_images(figures_for_reports(reports)), each report's images cached by its content.

    Building the figures and drawing them in Chromium is most of a cold PDF. The key is a
    hash of the report's content (with the language and the code version), so another PDF
    of the same content (a re-render after the finished PDF expired, another worker sharing
    the cache) reuses the images and needs neither Plotly nor Chromium, and any change to
    what a chart is drawn from draws it again.
    """
    images = {}
    for report in reports:
        key = _figures_key(report, kind="report-images")
        drawn = django_cache.get(key)
        if drawn is None:
            drawn = chart_images(figures_for_reports([report]))
            django_cache.set(key, drawn, IMAGE_CACHE_SECONDS)
        images.update(drawn)
    return images


def html_to_pdf(html: str, **kwargs) -> bytes:
    """casework.reports.pdf.html_to_pdf, imported on first use: WeasyPrint takes seconds to load."""
    from casework.reports.pdf import html_to_pdf

    return html_to_pdf(html, **kwargs)


def render_pdf(
    *, case: dict, reports: list[dict], crosswalk: list[dict], step=None, redacted: bool = False
) -> bytes:
    """Draw the charts and lay out the PDF (raises ChartEngineUnavailable without Chromium).

    `step(percent)`, if given, is called between the slow stages (a job's progress and
    time limit).
    """
    from casework.reports.pdf import CHART_SCHEME

    facts = _document_facts(reports, case)
    images = report_chart_images(reports)
    if step is not None:
        step(70)
    html = print_html(
        case=case,
        reports=reports,
        crosswalk=crosswalk,
        facts=facts,
        chart_sources={key: f"{CHART_SCHEME}:{key}" for key in images},
        redacted=redacted,
    )
    return html_to_pdf(html, images=images)


def _cache_key(kind: str, pk: int, case: Case) -> str:
    """The version of a report file of `case` (1 query): the page's inputs, without the time zone."""
    raw = json.dumps([kind, pk, *_version_inputs(case, case_rounds(case.pk))], ensure_ascii=False)
    return f"report-pdf:{code_version()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def assessment_report_key(assessment: Assessment) -> str:
    """The version of an assessment's report: changes with anything the report shows."""
    return _cache_key("assessment", assessment.pk, assessment.case)


def case_report_key(case: Case) -> str:
    """The version of a case's report (latest round of each framework, the case's facts)."""
    return _cache_key("case", case.pk, case)


def assessment_pdf(assessment: Assessment) -> bytes:
    """The PDF report of one assessment in the active language, from the cache when unchanged."""
    key = assessment_report_key(assessment)
    cached = django_cache.get(key)
    if cached is not None:
        return cached
    report = report_context.assessment_context(assessment)
    data = render_pdf(
        case=report["case"],
        reports=[report],
        crosswalk=report_context.assessment_crosswalk(assessment, report),
    )
    django_cache.set(key, data, PDF_CACHE_SECONDS)
    return data


def case_pdf(case: Case) -> bytes:
    """The PDF report of a case (latest round of each framework), cached like assessment_pdf."""
    key = case_report_key(case)
    cached = django_cache.get(key)
    if cached is not None:
        return cached
    reports = [
        report_context.assessment_context(a) for a in report_context.latest_assessments(case)
    ]
    data = render_pdf(
        case=report_context.case_facts(case),
        reports=reports,
        crosswalk=report_context.crosswalk(reports),
    )
    django_cache.set(key, data, PDF_CACHE_SECONDS)
    return data


def assessment_print_html(assessment: Assessment) -> str:
    """One assessment's print HTML as a file that stands alone: charts inlined as data: URLs."""
    report = report_context.assessment_context(assessment)
    images = report_chart_images([report])
    return print_html(
        case=report["case"],
        reports=[report],
        crosswalk=report_context.assessment_crosswalk(assessment, report),
        facts=_document_facts([report], report["case"]),
        chart_sources={
            key: "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
            for key, svg in images.items()
        },
    )

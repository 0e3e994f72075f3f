"""The editable Word report: the PDF's context dicts laid out with python-docx.

The same sections as the PDF, from the same context (`context.assessment_context`,
`context.case_context`) and the same figures (`render.figures_for_reports`), drawn as PNG.
Every piece of user text goes in as text (python-docx escapes XML); characters that XML 1.0
cannot hold are removed first (`workbook.clean_text`). Headings use Word's own heading styles so
the navigation pane and a table of contents work; table header rows repeat on each page.

This module holds the entry points (and the chart drawing, so that tests can replace it here);
`document` the python-docx building blocks, `sections` the document's outline and its case and
closing sections, `assessment_sections` and `register_sections` the sections of one assessment.
"""

from __future__ import annotations

from django.core.cache import cache as django_cache

from casework.models import Assessment, Case
from casework.reports import context as report_context
from casework.reports import render as report_render
from casework.reports.docx.document import PNG_SCALE
from casework.reports.docx.sections import ReportWriter
from casework.reports.static_charts import ChartEngineUnavailable, figure_to_png

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_CACHE_SECONDS = 7 * 24 * 3600


# --- public entry points ----------------------------------------------------------------


def assessment_docx(assessment: Assessment) -> bytes:
    """The Word report of one assessment in the active language (cached like the PDF)."""
    key = _cache_key("assessment-docx", assessment.pk, assessment.case)
    cached = django_cache.get(key)
    if cached is not None:
        return cached
    report = report_context.assessment_context(assessment)
    data, complete = build_docx(
        case=report["case"],
        reports=[report],
        crosswalk=report_context.assessment_crosswalk(assessment, report),
        whole_case=False,
    )
    if complete:
        django_cache.set(key, data, DOCX_CACHE_SECONDS)
    return data


def case_docx(case: Case) -> bytes:
    """The Word report of a case: the latest round of each framework and the cross-walk."""
    key = _cache_key("case-docx", case.pk, case)
    cached = django_cache.get(key)
    if cached is not None:
        return cached
    reports = [
        report_context.assessment_context(a) for a in report_context.latest_assessments(case)
    ]
    data, complete = build_docx(
        case=report_context.case_facts(case),
        reports=reports,
        crosswalk=report_context.crosswalk(reports),
        whole_case=True,
    )
    if complete:
        django_cache.set(key, data, DOCX_CACHE_SECONDS)
    return data


def _cache_key(kind: str, pk: int, case: Case) -> str:
    # Same inputs as the PDF's key; the kind keeps the two apart.
    return report_render._cache_key(kind, pk, case)


def chart_pngs(reports: list[dict]) -> dict[str, bytes]:
    """PNG bytes of every figure of the reports, keyed like `render.figures_for_reports`."""
    images = {}
    for key, fig in report_render.figures_for_reports(reports).items():
        name = key.split("-", 1)[1]
        height = report_render.SVG_HEIGHTS.get(name) or int(
            fig.layout.height or report_render.SVG_DEFAULT_HEIGHT
        )
        images[key] = figure_to_png(
            fig, width=report_render.SVG_WIDTH, height=height, scale=PNG_SCALE
        )
    return images


def build_docx(
    *, case: dict, reports: list[dict], crosswalk: list[dict], whole_case: bool
) -> tuple[bytes, bool]:
    """(DOCX bytes, whether the charts are in it). Without Chromium the charts are left out."""
    try:
        charts: dict[str, bytes] | None = chart_pngs(reports)
    except ChartEngineUnavailable:
        charts = None
    writer = ReportWriter(charts)
    writer.write(case=case, reports=reports, crosswalk=crosswalk, whole_case=whole_case)
    return writer.save(), charts is not None

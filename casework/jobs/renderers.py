"""What a job can render: kind → callable. Each returns the file's bytes.

A renderer is called as `render(target, step)`: `target` holds the assessment (None for a
case report) and the case; `step(percent)` records progress and stops the job when its time
is up, so a renderer calls it between its slow stages. Heavy libraries load inside the
renderers, never when this module is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from casework.models import REGISTER_MODELS, Assessment, Case

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": DOCX_TYPE,
    "xlsx": XLSX_TYPE,
    "rpdf": "application/pdf",
}
# The file name's extension, where it is not the kind itself.
EXTENSIONS = {"rpdf": "pdf"}


def extension(kind: str) -> str:
    return EXTENSIONS.get(kind, kind)


@dataclass(frozen=True)
class Target:
    case: Case | None = None
    assessment: Assessment | None = None
    # A portfolio workbook has no case: it holds whose portfolio it is (what they may see)
    # and its filters, as a query string.
    user: object = None
    query: str = ""

    @property
    def is_portfolio(self) -> bool:
        return self.case is None


Step = Callable[[int], None]
Renderer = Callable[[Target, Step], bytes]


class Unsupported(ValueError):
    """This kind of file does not exist for this kind of report."""


class ByTarget:
    """A renderer from two dotted paths, `f(assessment) -> bytes` and `f(case) -> bytes`.

    Either may be None when that report has no such file. Paths are imported on first use.
    """

    def __init__(self, for_assessment: str | None, for_case: str | None):
        self.for_assessment = for_assessment
        self.for_case = for_case

    def _path(self, target: Target) -> str | None:
        if target.is_portfolio:
            return None
        return self.for_assessment if target.assessment is not None else self.for_case

    def supports(self, target: Target) -> bool:
        return self._path(target) is not None

    def __call__(self, target: Target, step: Step) -> bytes:
        path = self._path(target)
        if path is None:
            raise Unsupported
        step(10)
        module, _dot, name = path.rpartition(".")
        return getattr(import_module(module), name)(target.assessment or target.case)


def _pdf_parts(target: Target) -> tuple[dict, list[dict], list[dict]]:
    """The case facts, the assessment reports and the cross-walk a PDF of `target` shows."""
    from casework.reports import context as report_context

    if target.assessment is not None:
        report = report_context.assessment_context(target.assessment)
        crosswalk = report_context.assessment_crosswalk(target.assessment, report)
        return report["case"], [report], crosswalk
    reports = [report_context.assessment_context(a) for a in _latest(target.case)]
    return report_context.case_facts(target.case), reports, report_context.crosswalk(reports)


def pdf(target: Target, step: Step) -> bytes:
    """The PDF report: context, charts, layout, with a progress step between each."""
    from casework.reports import render as report_render

    step(10)
    case, reports, crosswalk = _pdf_parts(target)
    step(30)
    data = report_render.render_pdf(case=case, reports=reports, crosswalk=crosswalk, step=step)
    step(95)
    return data


def redacted_pdf(target: Target, step: Step) -> bytes:
    """The PDF report with the people who worked on the case replaced by pseudonyms."""
    from casework.redaction import redactor_for_case
    from casework.reports import render as report_render

    step(10)
    redactor = redactor_for_case(target.case)
    case, reports, crosswalk = redactor.walk(_pdf_parts(target))
    step(30)
    data = report_render.render_pdf(
        case=case, reports=reports, crosswalk=crosswalk, step=step, redacted=True
    )
    step(95)
    return data


def assessment_xlsx(assessment: Assessment) -> bytes:
    """The assessment's whole workbook: scores, answers, citations, sources, registers, actions."""
    from casework.reports import context as report_context
    from casework.reports import exports

    report = report_context.assessment_context(assessment)
    return exports.to_xlsx(exports.assessment_sheets(report))


def portfolio_xlsx(target: Target, step: Step) -> bytes:
    """The portfolio workbook: a sheet per framework, every visible case's latest round."""
    from django.http import QueryDict

    from casework.reports import exports, portfolio

    step(10)
    filters = portfolio.PortfolioFilters.from_query(QueryDict(target.query))
    data = portfolio.portfolio_context(target.user, filters)
    step(50)
    return exports.to_xlsx(exports.portfolio_sheets(data))


class Workbook(ByTarget):
    """XLSX: an assessment's workbook, or the portfolio's (no case report has one)."""

    def supports(self, target: Target) -> bool:
        return target.is_portfolio or super().supports(target)

    def __call__(self, target: Target, step: Step) -> bytes:
        if target.is_portfolio:
            return portfolio_xlsx(target, step)
        return super().__call__(target, step)


# Adding a kind is one line here (its content type is in CONTENT_TYPES).
RENDERERS: dict[str, Renderer] = {
    "pdf": pdf,
    "docx": ByTarget("casework.reports.docx.assessment_docx", "casework.reports.docx.case_docx"),
    "xlsx": Workbook("casework.jobs.renderers.assessment_xlsx", None),
    "rpdf": redacted_pdf,
}


def supports(kind: str, target: Target) -> bool:
    """Whether `kind` exists for this report (a case report has no XLSX, say)."""
    renderer = RENDERERS.get(kind)
    if renderer is None:
        return False
    check = getattr(renderer, "supports", None)
    return check(target) if check else True


def _latest(case: Case) -> list[Assessment]:
    from casework.reports import context as report_context

    return report_context.latest_assessments(case)


def assessments_of(target: Target) -> list[Assessment]:
    """The assessments a report of `target` shows (whose registers it prints)."""
    if target.is_portfolio:
        return []  # scores only, no register
    if target.assessment is not None:
        return [target.assessment]
    return _latest(target.case)


def register_rows(target: Target) -> int:
    """How many register rows the report would print (one count query per register)."""
    ids = [a.pk for a in assessments_of(target)]
    if not ids:
        return 0
    return sum(
        model.objects.filter(assessment_id__in=ids).count() for model in REGISTER_MODELS.values()
    )

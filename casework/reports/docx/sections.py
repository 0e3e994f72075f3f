"""The Word report's outline: document properties, header and footer, title page, the case,
one section per assessment, the cross-walk and the method appendix."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.reports import context as report_context
from casework.reports import render as report_render
from casework.reports.docx.assessment_sections import AssessmentSections
from casework.reports.docx.document import (
    MUTED_COLOUR,
    _bookmark,
    _cm,
    _day,
    _hyperlink,
    _page_number_field,
    _score,
    _text,
)
from casework.reports.docx.register_sections import RegisterSections
from casework.reports.numbers import MISSING


class ReportWriter(AssessmentSections, RegisterSections):
    """Builds one document; each method writes one section."""

    # -- the document --

    def write(self, *, case: dict, reports: list[dict], crosswalk: list[dict], whole_case: bool):
        self.properties(case, reports)
        self.header_and_footer(case)
        self.title(case, reports, whole_case)
        if self.charts is None:
            self.paragraph(
                _(
                    "The charts are missing from this copy: the server could not draw them "
                    "(the chart engine, Chromium, is not installed)."
                ),
                style="Intense Quote",
            )
        self.case_section(case)
        if not reports:
            self.paragraph(_("This case has no assessment yet, so there is nothing to report."))
        for report in reports:
            self.report_section(report)
        self.crosswalk(crosswalk)
        self.method(case, reports)

    def properties(self, case: dict, reports: list[dict]):
        props = self.doc.core_properties
        facts = _document_facts(case, reports)
        title = _text(case["title"])
        if len(reports) == 1:
            title = f"{title} · {_text(reports[0]['framework']['name'])}"
        props.title = title[:250]
        props.subject = _text("; ".join([*facts["versions"], *facts["rounds"]]))[:250]
        props.keywords = f"Casework; sha256:{facts['content_hash']}"
        props.language = self.language
        props.category = _("Assessment report") if len(reports) == 1 else _("Case report")
        props.comments = f"sha256:{facts['content_hash']}"
        props.author = "Casework"
        props.last_modified_by = "Casework"
        now = timezone.now()
        props.created = props.modified = now.replace(tzinfo=None, microsecond=0)
        props.revision = 1

    def header_and_footer(self, case: dict):
        section = self.doc.sections[0]
        header = section.header.paragraphs[0]
        self.run(header, case["title"], colour=MUTED_COLOUR, size=8)
        footer = section.footer.paragraphs[0]
        footer.alignment = 1
        _page_number_field(footer)

    def title(self, case: dict, reports: list[dict], whole_case: bool):
        self.doc.add_heading(_text(case["title"]), level=0)
        kind = _("Case report") if whole_case else _("Assessment report")
        self.paragraph(kind, style="Subtitle")
        rows = [
            [_("Case"), case["title"]],
            [_("Government body"), case["body"]],
            [
                _("Level"),
                " · ".join(filter(None, [case["level_label"], case["region"], case["sector"]])),
            ],
            [_("Period"), f"{_day(case['period_start'])} – {_day(case['period_end'])}"],
            [_("Unit"), case["unit"]],
        ]
        for report in reports:
            framework = report["framework"]
            facts = report["assessment"]
            rows += [
                [_("Framework"), framework["name"]],
                [
                    _("Framework version"),
                    f"{framework['code']} v{framework['version_number']} "
                    f"({framework['version_label']})",
                ],
                # "Round 2 · Version 12, saved <date>", as on the PDF's cover.
                [_("Round"), report_render.version_text(facts)],
                [_("Perspective"), facts["perspective_label"]],
                [_("Status"), facts["status_label"]],
                [_("Analyst"), facts["analyst"] or MISSING],
                [_("Reviewer"), facts["reviewer"] or MISSING],
                [
                    _("Overall score"),
                    " · ".join(
                        filter(
                            None,
                            [_score(report["overall"]["percent"]), report["overall"]["band_label"]],
                        )
                    ),
                ],
            ]
        self.table([_("Fact"), _("Value")], rows, [4.5, 12.5])

    def case_section(self, case: dict):
        self.heading(_("The case"), 1)
        self.paragraphs(case["summary_paragraphs"])
        if case["tags"]:
            paragraph = self.paragraph()
            self.run(paragraph, f"{_('Tags')}: ", bold=True)
            self.run(paragraph, " · ".join(case["tags"]))
        if case["context_paragraphs"]:
            self.heading(_("Context"), 2)
            self.paragraphs(case["context_paragraphs"])
        if case["events"]:
            self.heading(_("Timeline"), 2)
            self.table(
                [_("Date"), _("Event"), _("Description")],
                [[_day(e["date"]), e["title"], e["description"]] for e in case["events"]],
                [2.6, 5.4, 9],
            )
        if case["sources"]:
            self.heading(_("Sources"), 2)
            for source in case["sources"]:
                self.source_entry(source)

    def source_entry(self, source: dict):
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.left_indent = _cm(0.9)
        paragraph.paragraph_format.first_line_indent = _cm(-0.9)
        _bookmark(paragraph, source["anchor"], source["number"])
        self.run(paragraph, f"[{source['number']}] ", bold=True)
        self.run(paragraph, source["title"], italic=True)
        details = [source["publisher"]]
        if source["published_on"]:
            details.append(_day(source["published_on"]))
        details = [d for d in details if d]
        if details:
            self.run(paragraph, ". " + ", ".join(_text(d) for d in details))
        if source["url"]:
            self.run(paragraph, ". ")
            _hyperlink(paragraph, source["url"], _text(source["url"]))
        elif source["reference"]:
            self.run(paragraph, ". " + source["reference"])
        if source["accessed_on"]:
            self.run(
                paragraph,
                " (" + _("accessed %(date)s") % {"date": _day(source["accessed_on"])} + ")",
            )
        if source.get("document"):
            self.run(paragraph, f" {source['document']}.")

    # -- one assessment --

    def report_section(self, report: dict):
        framework = report["framework"]
        self.heading(
            f"{framework['name']} ({framework['code']} v{framework['version_number']} · "
            f"{framework['version_label']} · R{report['assessment']['round']})",
            1,
        )
        self.summary(report)
        self.dimension_scores(report)
        self.dimension_details(report)
        self.registers(report)
        self.action_plan(report)
        self.lessons(report)

    # -- closing sections --

    def crosswalk(self, crosswalk: list[dict]):
        if not crosswalk:
            return
        self.heading(_("Cross-walk between the frameworks"), 1)
        self.paragraph(
            _(
                "Each case-analysis dimension informs one or more success factors; their scores "
                "are shown side by side."
            )
        )
        self.table(
            [_("Dimension"), _("Score"), _("Informs"), _("Score")],
            [
                [
                    f"{row['code']} {row['title']}",
                    _score(row["percent"]),
                    [f"{t['code']} {t['title']}" for t in row["informs"]],
                    [_score(t["percent"]) for t in row["informs"]],
                ]
                for row in crosswalk
            ],
            [6, 2, 7, 2],
        )

    def method(self, case: dict, reports: list[dict]):
        self.heading(_("Method"), 1)
        self.bullets(_method_lines(), numbered=True)
        for report in reports:
            if report.get("agreement"):
                self.agreement(report)
        facts = _document_facts(case, reports)
        paragraph = self.paragraph()
        self.run(
            paragraph,
            f"{_('Generated')}: {timezone.localtime():%Y-%m-%d %H:%M} · "
            + "; ".join([*facts["versions"], *facts["rounds"]])
            + f" · sha256:{facts['content_hash']}",
            colour=MUTED_COLOUR,
            size=8,
        )

    def agreement(self, report: dict):
        """The double scoring's agreement figures, as the PDF's method appendix states them."""
        figures = report["agreement"]
        self.heading(
            _("Double scoring and agreement (%(code)s)") % {"code": report["framework"]["code"]},
            2,
        )
        self.paragraph(figures["sentence"])
        self.table(
            [
                _("Dimension"),
                _("Items"),
                _("Exact agreement"),
                _("Cohen's kappa"),
                _("Quadratic-weighted kappa"),
            ],
            [
                [row["dimension"], row["items"], row["exact"], row["kappa"], row["quadratic"]]
                for row in figures["rows"]
            ],
            [6, 1.6, 2.2, 3.2, 3.2],
        )
        self.paragraph(figures["decisions"])


def _document_facts(case: dict, reports: list[dict]) -> dict:
    return {
        # The same hash as the PDF's: equal hashes mean the same content.
        "content_hash": report_context.content_hash({"case": case, "reports": reports}),
        "versions": [
            f"{r['framework']['code']} v{r['framework']['version_number']} "
            f"({r['framework']['version_label']})"
            for r in reports
        ],
        "rounds": [
            f"{r['framework']['code']} {report_render.version_text(r['assessment'])}"
            for r in reports
        ],
    }


def _method_lines() -> list[str]:
    # The PDF's method note, in the same words (same msgids).
    return [
        _(
            "Each scored item is rated on the framework version's scale (for example 0–5). A rated item counts as (level − lowest level) ÷ (highest level − lowest level), a number from 0 to 1."
        ),
        _(
            "Items marked not applicable, and items not yet answered, are left out: they neither lower nor raise a score. Observation items (present / absent / unknown) are listed but never scored."
        ),
        _(
            "A dimension's score is the weighted mean of its rated items, using the item weights of the framework version, re-normalised over the items that were rated."
        ),
        _(
            "The overall score is the weighted mean of the dimension scores, using the dimension weights, over the dimensions that have a score."
        ),
        _(
            "Scores are shown from 0 to 100 with one decimal. The maturity band is the scale level nearest to the score (a tie goes up)."
        ),
        _(
            "Completeness is the share of scored items that were rated or marked not applicable; the confidence mix counts the analyst's confidence on rated items."
        ),
    ]

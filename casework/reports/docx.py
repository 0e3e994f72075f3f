"""The editable Word report: the PDF's context dicts laid out with python-docx.

The same sections as the PDF, from the same context (`context.assessment_context`,
`context.case_context`) and the same figures (`render.figures_for_reports`), drawn as PNG.
Every piece of user text goes in as text (python-docx escapes XML); characters that XML 1.0
cannot hold are removed first (`exports.clean_text`). Headings use Word's own heading styles so
the navigation pane and a table of contents work; table header rows repeat on each page.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from django.core.cache import cache as django_cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from casework.models import Assessment, Case
from casework.reports import context as report_context
from casework.reports import render as report_render
from casework.reports.exports import clean_text
from casework.reports.numbers import MISSING, format_number
from casework.reports.static_charts import ChartEngineUnavailable, figure_to_png

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_CACHE_SECONDS = 7 * 24 * 3600
# Word shows Chinese in the East Asian font of a run; this one ships with Debian
# (fonts-noto-cjk) and LibreOffice finds it; Word falls back to its own zh-CN font.
EAST_ASIAN_FONT = "Noto Sans CJK SC"
EAST_ASIAN_FALLBACK = "Microsoft YaHei"
LATIN_FONT = "Calibri"
TABLE_FONT_SIZE = 9
TABLE_STYLE = "Table Text"
TEXT_WIDTH_CM = 17.0  # A4 with 2 cm margins
CHART_WIDTH_CM = 16.0
PNG_SCALE = 2
PROBLEM_COLOUR = "B42318"
GOOD_COLOUR = "1B7F3B"
MUTED_COLOUR = "5F6B7A"
HEADER_FILL = "E8EDF3"


# --- public entry points ----------------------------------------------------------------


def assessment_docx(assessment: Assessment) -> bytes:
    """The Word report of one assessment in the active language (cached like the PDF)."""
    others = [
        a
        for a in report_context.latest_assessments(assessment.case)
        if a.framework_id != assessment.framework_id
    ]
    key = _cache_key("assessment-docx", assessment.pk, [assessment, *others], assessment.case)
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
    assessments = report_context.latest_assessments(case)
    key = _cache_key("case-docx", case.pk, assessments, case)
    cached = django_cache.get(key)
    if cached is not None:
        return cached
    reports = [report_context.assessment_context(a) for a in assessments]
    data, complete = build_docx(
        case=report_context.case_facts(case),
        reports=reports,
        crosswalk=report_context.crosswalk(reports),
        whole_case=True,
    )
    if complete:
        django_cache.set(key, data, DOCX_CACHE_SECONDS)
    return data


def _cache_key(kind: str, pk: int, assessments, case: Case) -> str:
    # Same inputs as the PDF's key; the kind keeps the two apart.
    return report_render._cache_key(kind, pk, assessments, case)


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
    writer = _Writer(charts)
    writer.write(case=case, reports=reports, crosswalk=crosswalk, whole_case=whole_case)
    return writer.save(), charts is not None


# --- small formatting helpers -----------------------------------------------------------


def _text(value) -> str:
    return clean_text("" if value is None else str(value))


def _day(value) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return MISSING


def _score(value) -> str:
    return MISSING if value is None else f"{value:.1f}"


def _percent(value) -> str:
    return MISSING if value is None else format_number(value, "%")


def _weak_evidence(dimension: dict) -> str:
    if not dimension["weak_items"]:
        return MISSING
    return f"{dimension['weak_points']} ({dimension['weak_share']} %)"


def _weak_evidence_legend() -> str:
    return _(
        "The radar's inner, darker shape is the part of each score that rests on firm evidence; "
        "the lighter band out to the score rests on weak evidence: items rated with low or no "
        "confidence, or with neither evidence text nor a cited source. The last column gives "
        "that part in points of the score, and its share of the score."
    )


def _language_tag() -> str:
    return "zh-CN" if (get_language() or "").lower().startswith("zh") else "en-US"


# --- the writer -------------------------------------------------------------------------


class _Writer:
    """Builds one document; each method writes one section."""

    def __init__(self, charts: dict[str, bytes] | None) -> None:
        import docx
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm

        self.charts = charts
        self.doc = docx.Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2))
        self.language = _language_tag()
        _set_language_and_fonts(self.doc, self.language)
        _add_table_style(self.doc)

    # -- building blocks --

    def heading(self, text: str, level: int):
        return self.doc.add_heading(_text(text), level=level)

    def paragraph(self, text: str = "", *, style: str | None = None, bold=False, colour=None):
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            self.run(paragraph, text, bold=bold, colour=colour)
        return paragraph

    @staticmethod
    def run(paragraph, text: str, *, bold=False, italic=False, colour=None, size=None, anchor=""):
        from docx.shared import Pt, RGBColor

        run = paragraph.add_run(_text(text))
        if anchor:
            # An internal link to a bookmark (a citation to its bibliography entry).
            link = _element("w:hyperlink", anchor=_bookmark_name(anchor))
            paragraph._p.append(link)
            link.append(run._r)
        run.bold = bold or None
        run.italic = italic or None
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)
        if size:
            run.font.size = Pt(size)
        return run

    def paragraphs(self, texts: list[str], *, empty: str = ""):
        if not texts and empty:
            self.paragraph(empty, colour=MUTED_COLOUR)
        for text in texts:
            self.paragraph(text)

    def bullets(self, lines: list, *, numbered=False):
        # Numbers are written out: Word's list numbering would run on from list to list.
        for number, line in enumerate(lines, start=1):
            if numbered:
                paragraph = self.doc.add_paragraph()
                paragraph.paragraph_format.left_indent = _cm(0.75)
                paragraph.paragraph_format.first_line_indent = _cm(-0.75)
                paragraph.paragraph_format.space_after = _pt(3)
                self.run(paragraph, f"{number}.\t")
            else:
                paragraph = self.doc.add_paragraph(style="List Bullet")
            self._runs(paragraph, line)

    def _runs(self, paragraph, content):
        """Content is a str or a list of str / (text, {bold, italic, colour}) pieces."""
        if isinstance(content, str):
            self.run(paragraph, content)
            return
        for piece in content:
            if isinstance(piece, tuple):
                self.run(paragraph, piece[0], **piece[1])
            else:
                self.run(paragraph, piece)

    def table(self, headers: list[str], rows: list[list], widths: list[float]):
        """A table with a header row that repeats on every page; widths in cm."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Cm

        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        scale = min(1.0, TEXT_WIDTH_CM / sum(widths))
        widths = [Cm(w * scale) for w in widths]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        header = table.rows[0]
        _mark_header_row(header)
        for cell, text, width in zip(header.cells, headers, widths, strict=True):
            cell.width = width
            _shade(cell, HEADER_FILL)
            cell.paragraphs[0].style = TABLE_STYLE
            self.run(cell.paragraphs[0], text, bold=True)
        for values in rows:
            cells = table.add_row().cells
            for cell, value, width in zip(cells, values, widths, strict=True):
                cell.width = width
                self._fill(cell, value)
        self.doc.add_paragraph()
        return table

    def _fill(self, cell, value):
        """A cell value is a str, or a list of paragraphs (each as `_runs` takes)."""
        blocks = value if isinstance(value, list) else [value]
        first = True
        for block in blocks:
            if block in ("", None):
                continue
            paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
            paragraph.style = TABLE_STYLE
            first = False
            self._runs(paragraph, block if not isinstance(block, int | float) else str(block))

    def chart(self, report: dict, name: str, label: str):
        from docx.shared import Cm

        if self.charts is None:
            return
        key = f"a{report['assessment']['id']}-{name}"
        data = self.charts.get(key)
        if data is None:
            return
        self.doc.add_picture(io.BytesIO(data), width=Cm(CHART_WIDTH_CM))
        picture_paragraph = self.doc.paragraphs[-1]
        picture_paragraph.alignment = 1  # centred
        inline = picture_paragraph.runs[-1]._r.xpath(".//wp:inline")[0]
        # Alt text for screen readers, as the PDF's <img alt>.
        inline.docPr.set("descr", _text(label))
        inline.docPr.set("title", _text(label))
        self.paragraph(label, style="Caption")

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

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

    def summary(self, report: dict):
        summary = report["summary"]
        overall = report["overall"]
        counts = report["counts"]
        self.heading(_("Executive summary"), 2)
        paragraph = self.paragraph()
        self.run(paragraph, f"{_('Overall score')}: ", bold=True)
        self.run(paragraph, f"{_score(overall['percent'])}/100", bold=True)
        if overall["band_label"]:
            self.run(
                paragraph, f" · {_('Maturity band')}: {overall['band']} · {overall['band_label']}"
            )
        self.run(
            paragraph,
            f" · {_('Completeness')}: {_percent(counts['completeness_percent'])} "
            f"({counts['answered']}/{counts['scored_total']})",
        )
        if report["previous"]:
            self.run(
                paragraph,
                f" · {_('Previous round')} (R{report['previous']['round']}): "
                f"{_score(report['previous']['percent'])}",
            )
        self.heading(_("Conclusion"), 3)
        self.paragraphs(
            summary["conclusion_paragraphs"],
            empty=_("The analyst has not written a conclusion yet."),
        )
        self.heading(_("Top strengths"), 3)
        if summary["strengths"]:
            self.bullets([self._item_line(item) for item in summary["strengths"]], numbered=True)
        else:
            self.paragraph(
                _("No item has been rated above the lowest level yet."), colour=MUTED_COLOUR
            )
        self.heading(_("Top gaps and recommendations"), 3)
        if summary["gaps"]:
            lines = []
            for item in summary["gaps"]:
                line = self._item_line(item)
                if item["recommendation"]:
                    line = [*line, f" → {item['recommendation']}"]
                lines.append(line)
            self.bullets(lines, numbered=True)
        else:
            self.paragraph(_("No item has been rated yet."), colour=MUTED_COLOUR)
        if summary["problems"]:
            self.heading(_("Problems found"), 3)
            self.bullets(
                [
                    [(f"{item['code']} ", {"bold": True}), item["title"], *self._note_pieces(item)]
                    for item in summary["problems"]
                ]
            )
        if summary["severe_risks"]:
            self.heading(_("Most severe risks"), 3)
            self.bullets([self._risk_line(risk) for risk in summary["severe_risks"]])
        if summary["occurred_risks"]:
            self.heading(_("Risks that occurred"), 3)
            self.bullets([self._risk_line(risk) for risk in summary["occurred_risks"]])
        if summary["missed_indicators"]:
            self.heading(_("Indicators that missed their target"), 3)
            self.bullets(
                [
                    [
                        (indicator["name"], {"bold": True}),
                        ": "
                        + _("%(latest)s against a target of %(target)s")
                        % {
                            "latest": format_number(indicator["latest"], indicator["unit"]),
                            "target": format_number(indicator["target"], indicator["unit"]),
                        },
                        f" ({indicator['direction_label']})",
                    ]
                    for indicator in summary["missed_indicators"]
                ]
            )

    @staticmethod
    def _item_line(item: dict) -> list:
        return [
            (f"{item['code']} ", {"bold": True}),
            f"{item['title']} — {_score(item['percent'])} ({item['level']} · {item['level_label']})",
        ]

    @staticmethod
    def _note_pieces(item: dict) -> list:
        text = item["note"] or item["evidence"]
        return [f" — {text}"] if text else []

    @staticmethod
    def _risk_line(risk: dict) -> list:
        line = [
            (risk["description"], {"bold": True}),
            f" · {risk['category_label']} · {_('Severity')} {risk['severity']} "
            f"({risk['likelihood']}×{risk['impact']}) · ",
            (risk["status_label"], {"colour": PROBLEM_COLOUR} if risk["occurred"] else {}),
        ]
        if risk["outcome"]:
            line.append(f" — {risk['outcome']}")
        return line

    def dimension_scores(self, report: dict):
        self.heading(_("Scores by dimension"), 2)
        self.chart(report, "radar", report["framework"]["name"])
        headers = [_("Dimension"), _("Weight"), _("Score"), _("Band")]
        widths = [7, 1.8, 2, 3.2]
        if report["previous"]:
            headers.append(_("Previous round"))
            widths.append(2.2)
        headers.append(_("Completeness"))
        widths.append(2.4)
        weak = report.get("has_weak_evidence")
        if weak:
            headers.append(_("On weak evidence"))
            widths.append(3)
        rows = []
        for d in report["dimensions"]:
            row = [
                f"{d['code']} {d['title']}",
                format_number(d["weight"]),
                _score(d["percent"]),
                d["band_label"] or MISSING,
            ]
            if report["previous"]:
                row.append(_score(d["previous_percent"]))
            row.append(_percent(d["completeness_percent"]))
            if weak:
                row.append(_weak_evidence(d))
            rows.append(row)
        overall = [_("Overall score"), "", _score(report["overall"]["percent"])]
        overall.append(report["overall"]["band_label"] or MISSING)
        if report["previous"]:
            overall.append(_score(report["previous"]["percent"]))
        overall.append(_percent(report["counts"]["completeness_percent"]))
        if weak:
            overall.append("")
        rows.append([[[(cell, {"bold": True})]] if cell else "" for cell in overall])
        self.table(headers, rows, widths)
        if weak:
            self.paragraph(_weak_evidence_legend(), style="Caption")

    def dimension_details(self, report: dict):
        self.heading(_("Dimension details"), 2)
        for d in report["dimensions"]:
            self.heading(
                f"{d['code']} {d['title']} · {_('score')} {_score(d['percent'])}"
                + (f" · {d['band_label']}" if d["band_label"] else ""),
                3,
            )
            if d["findings_paragraphs"]:
                self.heading(_("Findings"), 4)
                self.paragraphs(d["findings_paragraphs"])
            if d["items"]:
                self.table(
                    [_("Item"), _("Level"), _("Evidence"), _("Confidence")],
                    [
                        [
                            [[(item["code"], {"bold": True})], item["title"]],
                            self._level_cell(item),
                            self._evidence_cell(item),
                            item["confidence_label"] or MISSING,
                        ]
                        for item in d["items"]
                    ],
                    [3.6, 2.6, 8.6, 2.2],
                )
            if d["observation_items"]:
                self.heading(_("Observations"), 4)
                self.table(
                    [_("Item"), _("Observation"), _("Evidence")],
                    [
                        [
                            [[(item["code"], {"bold": True})], item["title"]],
                            self._observation_cell(item),
                            self._evidence_cell(item),
                        ]
                        for item in d["observation_items"]
                    ],
                    [4.4, 3.2, 9.4],
                )

    @staticmethod
    def _level_cell(item: dict) -> list:
        if item["not_applicable"]:
            return [_("N/A"), item["na_reason"]]
        if item["level"] is None:
            return [[(_("unanswered"), {"colour": MUTED_COLOUR})]]
        return [f"{item['level']} · {item['level_label']}"]

    @staticmethod
    def _observation_cell(item: dict) -> list:
        label = item["observation_label"] or _("unanswered")
        tone = item["tone"]
        colour = {"problem": PROBLEM_COLOUR, "good": GOOD_COLOUR}.get(tone, MUTED_COLOUR)
        cell = [[(label, {"bold": tone in ("problem", "good"), "colour": colour})]]
        if tone == "problem":
            cell.append([(_("Problem"), {"colour": PROBLEM_COLOUR})])
        return cell

    @staticmethod
    def _evidence_cell(item: dict) -> list:
        blocks: list = []
        if item["evidence"]:
            blocks.append(item["evidence"])
        if item["note"]:
            blocks.append([(f"{_('Note')}: ", {"bold": True}), item["note"]])
        for citation in item["citations"]:
            label = {"bold": True, "anchor": citation["anchor"]}
            piece = [(citation["label"], label), " ", citation["title"]]
            if citation["quote"]:
                piece.append(f" — “{citation['quote']}”")
            blocks.append(piece)
        return blocks or [MISSING]

    # -- registers --

    def registers(self, report: dict):
        registers = report["registers"]
        if not report["has_registers"]:
            return
        self.heading(_("Registers"), 2)
        if registers["goals"]:
            self.heading(_("Goals (SMART check)"), 3)
            tick = {True: "✓", False: "✗"}
            self.table(
                [_("Goal"), _("Target"), _("Owner"), _("Deadline"), "S", "M", "A", "R", "T"],
                [
                    [
                        g["statement"],
                        g["target"],
                        g["owner"],
                        _day(g["deadline"]),
                        *(
                            tick[bool(g[key])]
                            for key in (
                                "specific",
                                "measurable",
                                "achievable",
                                "relevant",
                                "time_bound",
                            )
                        ),
                    ]
                    for g in registers["goals"]
                ],
                [5.5, 2.8, 2.8, 2.4, 0.7, 0.7, 0.7, 0.7, 0.7],
            )
        if registers["stakeholders"]:
            self.heading(_("Stakeholders"), 3)
            self.chart(report, "stakeholders", _("Stakeholder influence and interest"))
            self.table(
                [
                    _("Name"),
                    _("Group"),
                    _("Influence"),
                    _("Interest"),
                    _("Attitude"),
                    _("Communication approach"),
                ],
                [
                    [
                        s["name"],
                        s["group_label"],
                        str(s["influence"]),
                        str(s["interest"]),
                        s["attitude_label"],
                        s["approach"],
                    ]
                    for s in registers["stakeholders"]
                ],
                [3, 2.8, 1.8, 1.8, 2.4, 5.2],
            )
        if registers["risks"]:
            self.heading(_("Risks"), 3)
            self.chart(report, "risks", _("Risk heat map"))
            self.table(
                [
                    _("Category"),
                    _("Description"),
                    _("Likelihood"),
                    _("Impact"),
                    _("Severity"),
                    _("Response"),
                    _("Status"),
                    _("What happened"),
                ],
                [
                    [
                        r["category_label"],
                        r["description"],
                        str(r["likelihood"]),
                        str(r["impact"]),
                        str(r["severity"]),
                        r["response"],
                        [
                            [
                                (
                                    r["status_label"],
                                    {"colour": PROBLEM_COLOUR, "bold": True}
                                    if r["occurred"]
                                    else {},
                                )
                            ]
                        ],
                        r["outcome"],
                    ]
                    for r in registers["risks"]
                ],
                [1.9, 3.2, 2.0, 1.5, 1.7, 2.3, 1.8, 2.6],
            )
        if registers["indicators"]:
            self.heading(_("Indicators"), 3)
            self.chart(report, "indicators", _("Indicator progress"))
            self.table(
                [
                    _("Family"),
                    _("Indicator"),
                    _("Direction"),
                    _("Baseline"),
                    _("Target"),
                    _("Latest"),
                    _("Progress"),
                    _("Target met"),
                ],
                [self._indicator_row(i) for i in registers["indicators"]],
                [1.9, 2.6, 2.2, 1.9, 1.7, 2.6, 1.9, 2.2],
            )
            measured = [i for i in registers["indicators"] if i["measurements"]]
            if measured:
                self.heading(_("Measurements"), 4)
                self.table(
                    [_("Indicator"), _("Date"), _("Value"), _("Note")],
                    [
                        [
                            i["name"],
                            _day(m["date"]),
                            format_number(m["value"], i["unit"]),
                            m["note"],
                        ]
                        for i in measured
                        for m in i["measurements"]
                    ],
                    [5, 2.6, 3, 6.4],
                )
        if registers["phases"]:
            self.heading(_("Implementation phases"), 3)
            self.chart(report, "phases", _("Implementation timeline"))
            self.table(
                [_("Phase"), _("Start"), _("End"), _("Pilot"), _("Status")],
                [
                    [
                        p["name"],
                        _day(p["start"]),
                        _day(p["end"]),
                        "✓" if p["is_pilot"] else "",
                        p["status_label"],
                    ]
                    for p in registers["phases"]
                ],
                [7, 2.6, 2.6, 1.4, 3.4],
            )

    @staticmethod
    def _indicator_row(i: dict) -> list:
        unit = i["unit"]
        latest = format_number(i["latest"], unit)
        if i["latest_date"]:
            latest = f"{latest} ({_day(i['latest_date'])})"
        if i["met"] is None:
            met = MISSING
        elif i["met"]:
            met = [[(_("Yes"), {"colour": GOOD_COLOUR, "bold": True})]]
        else:
            met = [[(_("No"), {"colour": PROBLEM_COLOUR, "bold": True})]]
        return [
            i["family_label"],
            i["name"],
            i["direction_label"],
            format_number(i["baseline"], unit),
            format_number(i["target"], unit),
            latest,
            _percent(i["progress_percent"]),
            met,
        ]

    # -- the analyst's plan and lessons --

    def action_plan(self, report: dict):
        self.heading(report["action_heading"], 2)
        if report["actions"]:
            self.table(*self._action_table(report["actions"]))
        else:
            self.paragraph(_("No actions have been written yet."), colour=MUTED_COLOUR)
        if report["previous_actions"]:
            self.heading(_("Actions of the previous round"), 3)
            self.table(*self._action_table(report["previous_actions"]))

    @staticmethod
    def _action_table(actions: list[dict]) -> tuple[list, list, list]:
        headers = [_("#"), _("Action"), _("Item"), _("Owner"), _("Priority"), _("Due"), _("Status")]
        rows = []
        for number, action in enumerate(actions, start=1):
            item = " ".join(filter(None, [action["criterion_code"], action["criterion_title"]]))
            rows.append(
                [
                    str(number),
                    action["text"],
                    item or MISSING,
                    action["owner"] or MISSING,
                    action["priority_label"],
                    _day(action["due_on"]),
                    action["status_label"],
                ]
            )
        return headers, rows, [0.8, 5.0, 3, 2.3, 1.8, 2.1, 2.2]

    def lessons(self, report: dict):
        lessons = report["assessment"]["lessons_paragraphs"]
        if lessons:
            self.heading(_("Key lessons"), 2)
            self.paragraphs(lessons)

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


# --- WordprocessingML details python-docx has no API for --------------------------------


def _cm(value: float):
    from docx.shared import Cm

    return Cm(value)


def _pt(value: float):
    from docx.shared import Pt

    return Pt(value)


def _element(tag: str, **attributes):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _child(parent, tag: str, *, first: bool = False):
    """The parent's child `tag` (w:...), created when missing."""
    from docx.oxml.ns import qn

    found = parent.find(qn(tag))
    if found is None:
        found = _element(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def _set_language_and_fonts(doc, language: str) -> None:
    """Document language (w:lang with w:eastAsia) and an East Asian font in every style."""
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = _child(styles, "w:docDefaults", first=True)
    run_defaults = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
    fonts = _child(run_defaults, "w:rFonts")
    lang = _child(run_defaults, "w:lang")
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    # Theme fonts win over named ones: name the fonts in every style instead.
    for element in [fonts, *styles.iter(qn("w:rFonts"))]:
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            element.attrib.pop(qn(theme), None)
        element.set(qn("w:ascii"), LATIN_FONT)
        element.set(qn("w:hAnsi"), LATIN_FONT)
        element.set(qn("w:cs"), LATIN_FONT)
        element.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    _declare_east_asian_font(doc)
    settings = doc.settings.element
    theme_lang = _child(settings, "w:themeFontLang")
    theme_lang.set(qn("w:val"), language)
    theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _add_table_style(doc) -> None:
    """A compact paragraph style for table cells (editable in Word as one style)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    style = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(TABLE_FONT_SIZE)
    style.paragraph_format.space_after = Pt(1)
    style.paragraph_format.line_spacing = 1.0


def _declare_east_asian_font(doc) -> None:
    """List the CJK font in the font table as a GB2312 font, with a Windows font as its
    alternative name, so that Word picks a Chinese font where Noto is not installed."""
    from lxml import etree

    part = next(
        part for part in doc.part.package.iter_parts() if part.partname.endswith("/fontTable.xml")
    )
    root = etree.fromstring(part.blob)
    font = _element("w:font", name=EAST_ASIAN_FONT)
    for tag, value in (
        ("w:altName", EAST_ASIAN_FALLBACK),
        ("w:charset", "86"),
        ("w:family", "swiss"),
        ("w:pitch", "variable"),
    ):
        font.append(_element(tag, val=value))
    root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _mark_header_row(row) -> None:
    """Repeat the row at the top of each page, and never split it."""
    properties = row._tr.get_or_add_trPr()
    properties.append(_element("w:cantSplit"))
    properties.append(_element("w:tblHeader", val="true"))


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    properties.append(_element("w:shd", val="clear", color="auto", fill=fill))


def _page_number_field(paragraph) -> None:
    paragraph.add_run()
    field = _element("w:fldSimple", instr="PAGE")
    run = _element("w:r")
    text = _element("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _bookmark_name(anchor: str) -> str:
    # Word bookmark names take letters, digits and underscores only.
    return anchor.replace("-", "_")


def _bookmark(paragraph, anchor: str, number: int) -> None:
    """A bookmark at the start of a bibliography entry: citations link to it."""
    paragraph._p.append(_element("w:bookmarkStart", id=number, name=_bookmark_name(anchor)))
    paragraph._p.append(_element("w:bookmarkEnd", id=number))


def _hyperlink(paragraph, url: str, text: str) -> None:
    """An external link; `url` is an http(s) URL (the context only gives those)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn

    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = _element("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = _element("w:r")
    properties = _element("w:rPr")
    properties.append(_element("w:color", val="1F5FA8"))
    properties.append(_element("w:u", val="single"))
    run.append(properties)
    text_element = _element("w:t")
    text_element.text = text
    text_element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)

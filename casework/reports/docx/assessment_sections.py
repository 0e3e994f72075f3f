"""The Word report's sections on one assessment's scores: executive summary, scores by
dimension (radar and table) and each dimension's items with their evidence."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework.reports.docx.document import (
    GOOD_COLOUR,
    MUTED_COLOUR,
    PROBLEM_COLOUR,
    DocumentWriter,
    _percent,
    _score,
)
from casework.reports.numbers import MISSING, format_number


class AssessmentSections(DocumentWriter):
    """The scored part of one assessment's section."""

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

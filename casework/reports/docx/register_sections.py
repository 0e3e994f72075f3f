"""The Word report's sections on one assessment's registers (goals, stakeholders, risks,
indicators, phases), its action plan and its lessons."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework.reports.docx.document import (
    GOOD_COLOUR,
    MUTED_COLOUR,
    PROBLEM_COLOUR,
    DocumentWriter,
    _day,
    _percent,
)
from casework.reports.numbers import MISSING, format_number


class RegisterSections(DocumentWriter):
    """The registers, the action plan and the lessons of one assessment's section."""

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

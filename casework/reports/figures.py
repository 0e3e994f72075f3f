"""The score charts built from report contexts; the page draws them live, the PDF as SVG.

The radars of an assessment and of a comparison live here, and `report_figures` gathers every
chart of one report. The register charts (risks, stakeholders, indicators, phases) and the
portfolio's spread box live in `register_figures`; the look they all share (font, colours,
layout, escaped and wrapped labels) in `figure_layout`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from casework.reports.figure_layout import (
    FIRM_COLOUR,
    LABEL_LINE_HEIGHT,
    PALETTE,
    PREVIOUS_COLOUR,
    layout,
    plain,
    translucent,
    wrap,
)
from casework.reports.register_figures import register_figures

if TYPE_CHECKING:
    import plotly.graph_objects as go


def radar(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str = "",
) -> go.Figure:
    """Radar of 0–100 scores: one closed trace per (name, values); the first one is filled.

    Axis labels are wrapped (at most three lines, the full name in the hover) and the
    margins leave room for the tallest label above and below the circle, so none is clipped.
    """
    import plotly.graph_objects as go

    theta = [wrap(label) for label in labels]
    full_names = [plain(label) for label in labels]
    fig = go.Figure()
    for index, (name, values) in enumerate(series):
        values = list(values)
        colour = PALETTE[index % len(PALETTE)]
        fig.add_trace(
            go.Scatterpolar(
                # Close the loop so the outline joins up; None stays a gap.
                r=values + values[:1],
                theta=theta + theta[:1],
                customdata=full_names + full_names[:1],
                hovertemplate="%{customdata}<br>%{fullData.name}: %{r:.1f}<extra></extra>",
                name=plain(name),
                mode="lines+markers",
                line={"color": colour, "width": 2},
                fill="toself" if index == 0 else "none",
                fillcolor=translucent(colour) if index == 0 else None,
                connectgaps=False,
            )
        )
    lines = max((label.count("<br>") + 1 for label in theta), default=1)
    label_room = lines * LABEL_LINE_HEIGHT + 12
    has_legend = len(series) > 1
    fig.update_layout(
        polar={
            # The radial ticks sit between the first two spokes, clear of their labels.
            "radialaxis": {
                "range": [0, 100],
                "tickvals": [20, 40, 60, 80, 100],
                "angle": 90 - 180 / max(len(labels), 1),
                "tickfont": {"size": 9, "color": "#667"},
            },
            "angularaxis": {"direction": "clockwise", "tickfont": {"size": 12}},
        },
        showlegend=has_legend,
    )
    fig = layout(fig, title=title, height=440)
    fig.update_layout(
        margin={
            "l": 40,
            "r": 40,
            "t": (48 if title else 10) + label_room,
            "b": label_room + (34 if has_legend else 0),
        },
        # The legend sits at the foot of the whole figure, below the lowest label.
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0.02},
    )
    return fig


def assessment_radar(report: dict) -> go.Figure:
    """The dimensions of one assessment, with the previous round overlaid when there is one."""
    dimensions = report["dimensions"]
    labels = [f"{d['code']} {d['title']}" for d in dimensions]
    current = _("Round %(round)d") % {"round": report["assessment"]["round"]}
    series = [(current, [d["percent"] for d in dimensions])]
    if report["previous"]:
        previous = _("Round %(round)d (previous)") % {"round": report["previous"]["round"]}
        series.append((previous, [d["previous_percent"] for d in dimensions]))
    if report.get("has_weak_evidence"):
        series.append((_("of which on firm evidence"), [d["firm_percent"] for d in dimensions]))
    fig = radar(labels, series, title=report["framework"]["name"])
    if report["previous"]:
        fig.data[1].line.color = PREVIOUS_COLOUR
        fig.data[1].line.dash = "dash"
    if report.get("has_weak_evidence"):
        # The inner shape: the part of each score that rests on firm evidence. The band between
        # it and the outer line is the part that rests on weak evidence.
        firm = fig.data[-1]
        firm.line.color = FIRM_COLOUR
        firm.line.dash = "dot"
        firm.line.width = 1
        firm.fill = "toself"
        firm.fillcolor = translucent(FIRM_COLOUR, 0.45)
        firm.marker.size = 4
    return fig


def report_figures(report: dict) -> dict[str, go.Figure]:
    """Every figure of one assessment report: `radar` first, then the register charts."""
    figures = {"radar": assessment_radar(report)}
    if report.get("registers"):
        figures.update(register_figures(report["registers"]))
    return figures


def compare_radar(comparison: dict) -> go.Figure:
    """The compared assessments' dimension scores overlaid on one radar."""
    labels = [f"{c['code']} {c['title']}" for c in comparison["columns"]]
    series = [
        (entry["label"], [entry["dimensions"].get(c["code"]) for c in comparison["columns"]])
        for entry in comparison["entries"]
    ]
    return radar(labels, series, title=comparison["framework"]["name"])

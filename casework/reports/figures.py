"""Plotly figures built from report contexts; the page draws them live, the PDF as SVG.

User text that ends up inside a figure (stakeholder names, risk descriptions, phase names) is
HTML-escaped first: Plotly reads a subset of HTML in labels (<b>, <br>, <a href>), and escaped
text is shown literally because Plotly decodes the entities when it draws.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    import plotly.graph_objects as go

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans, Helvetica, Arial, sans-serif"
PALETTE = ["#1f5fa8", "#d9822b", "#2e9c6a", "#a83279", "#6b5fb3", "#8c6d31"]
PREVIOUS_COLOUR = "#4a5561"
ATTITUDE_COLOURS = {
    "champion": "#1b7f3b",
    "supportive": "#5cb85c",
    "neutral": "#9aa5b1",
    "sceptical": "#f0ad4e",
    "resistant": "#d9534f",
}


def plain(text: str, limit: int | None = None) -> str:
    """User text made safe for a Plotly label: shortened, then HTML-escaped."""
    text = str(text or "")
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=False)


def _layout(fig: go.Figure, *, title: str = "", height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": plain(title), "x": 0.02} if title else None,
        font={"family": FONT_FAMILY, "size": 12},
        margin={"l": 40, "r": 40, "t": 60 if title else 30, "b": 40},
        height=height,
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.12},
    )
    return fig


def _translucent(colour: str, alpha: float = 0.18) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def _wrap(label: str, width: int = 10) -> str:
    """Break a long axis label onto several lines (Chinese has no spaces to break at)."""
    label = plain(label)
    if len(label) <= width:
        return label
    if " " in label:
        lines, line = [], ""
        for word in label.split(" "):
            if line and len(line) + len(word) + 1 > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        return "<br>".join(lines)
    return "<br>".join(label[i : i + width] for i in range(0, len(label), width))


def radar(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str = "",
) -> go.Figure:
    """Radar of 0–100 scores: one closed trace per (name, values); the first one is filled."""
    import plotly.graph_objects as go

    theta = [_wrap(label) for label in labels]
    fig = go.Figure()
    for index, (name, values) in enumerate(series):
        values = list(values)
        colour = PALETTE[index % len(PALETTE)]
        fig.add_trace(
            go.Scatterpolar(
                # Close the loop so the outline joins up; None stays a gap.
                r=values + values[:1],
                theta=theta + theta[:1],
                name=plain(name),
                mode="lines+markers",
                line={"color": colour, "width": 2},
                fill="toself" if index == 0 else "none",
                fillcolor=_translucent(colour) if index == 0 else None,
                connectgaps=False,
            )
        )
    fig.update_layout(
        polar={
            # The radial ticks sit between the first two spokes, clear of their labels.
            "radialaxis": {
                "range": [0, 100],
                "tickvals": [20, 40, 60, 80, 100],
                "angle": 90 - 180 / max(len(labels), 1),
                "tickfont": {"size": 9, "color": "#667"},
            },
            "angularaxis": {"direction": "clockwise"},
        },
        showlegend=len(series) > 1,
    )
    return _layout(fig, title=title, height=440)


def assessment_radar(report: dict) -> go.Figure:
    """The dimensions of one assessment, with the previous round overlaid when there is one."""
    dimensions = report["dimensions"]
    labels = [f"{d['code']} {d['title']}" for d in dimensions]
    current = _("Round %(round)d") % {"round": report["assessment"]["round"]}
    series = [(current, [d["percent"] for d in dimensions])]
    if report["previous"]:
        previous = _("Round %(round)d (previous)") % {"round": report["previous"]["round"]}
        series.append((previous, [d["previous_percent"] for d in dimensions]))
    fig = radar(labels, series, title=report["framework"]["name"])
    if report["previous"]:
        fig.data[1].line.color = PREVIOUS_COLOUR
        fig.data[1].line.dash = "dash"
    return fig


def risk_heatmap(risks: Sequence[dict]) -> go.Figure:
    """A 5 × 5 likelihood × impact grid coloured by severity, with the number of risks per cell."""
    import plotly.graph_objects as go

    counts = [[0] * 5 for _row in range(5)]
    names = [[[] for _col in range(5)] for _row in range(5)]
    for risk in risks:
        row, col = risk["likelihood"] - 1, risk["impact"] - 1
        counts[row][col] += 1
        names[row][col].append(plain(risk["description"], 40))
    severity = [[(row + 1) * (col + 1) for col in range(5)] for row in range(5)]
    hover = [["<br>".join(cell) or "—" for cell in row] for row in names]
    fig = go.Figure(
        go.Heatmap(
            z=severity,
            x=[1, 2, 3, 4, 5],
            y=[1, 2, 3, 4, 5],
            text=[[str(c) if c else "" for c in row] for row in counts],
            texttemplate="<b>%{text}</b>",
            textfont={"size": 16},
            customdata=hover,
            hovertemplate=_("Likelihood")
            + " %{y} · "
            + _("Impact")
            + " %{x} · "
            + _("Severity")
            + " %{z}<br>%{customdata}<extra></extra>",
            # Severity = likelihood × impact: green (low) through amber to red (critical).
            colorscale=[[0, "#d8efdf"], [0.25, "#f7e7a6"], [0.55, "#f5b77a"], [1, "#e06c63"]],
            zmin=1,
            zmax=25,
            showscale=False,
            xgap=3,
            ygap=3,
        )
    )
    fig.update_xaxes(title_text=_("Impact"), dtick=1, range=[0.5, 5.5])
    fig.update_yaxes(title_text=_("Likelihood"), dtick=1, range=[0.5, 5.5])
    return _layout(fig, title=_("Risk heat map"), height=380)


def stakeholder_grid(stakeholders: Sequence[dict]) -> go.Figure:
    """Stakeholders placed by interest (x) and influence (y), coloured by attitude."""
    import plotly.graph_objects as go

    # Several stakeholders often share a cell: spread them sideways and alternate their labels
    # above and below, so that no name is printed over another.
    cells: dict[tuple[int, int], list[dict]] = {}
    for stakeholder in stakeholders:
        cells.setdefault((stakeholder["interest"], stakeholder["influence"]), []).append(
            stakeholder
        )
    placed: dict[int, tuple[float, str]] = {}
    for members in cells.values():
        for k, member in enumerate(members):
            offset = (k - (len(members) - 1) / 2) * 0.22
            placed[id(member)] = (
                member["interest"] + offset,
                "top center" if k % 2 == 0 else "bottom center",
            )
    fig = go.Figure()
    by_attitude: dict[str, list[dict]] = {}
    for stakeholder in stakeholders:
        by_attitude.setdefault(stakeholder["attitude"], []).append(stakeholder)
    for attitude, members in by_attitude.items():
        fig.add_trace(
            go.Scatter(
                x=[placed[id(s)][0] for s in members],
                y=[s["influence"] for s in members],
                text=[plain(s["name"], 24) for s in members],
                textposition=[placed[id(s)][1] for s in members],
                mode="markers+text",
                name=plain(members[0]["attitude_label"]),
                marker={"size": 14, "color": ATTITUDE_COLOURS.get(attitude, "#666")},
            )
        )
    for value in (3,):
        fig.add_shape(type="line", x0=value, x1=value, y0=0.5, y1=5.5, line={"dash": "dot"})
        fig.add_shape(type="line", y0=value, y1=value, x0=0.5, x1=5.5, line={"dash": "dot"})
    fig.update_xaxes(title_text=_("Interest"), range=[0.5, 5.5], dtick=1)
    fig.update_yaxes(title_text=_("Influence"), range=[0.5, 5.5], dtick=1)
    return _layout(fig, title=_("Stakeholder influence and interest"), height=420)


def indicator_progress(indicators: Sequence[dict]) -> go.Figure:
    """How far each indicator has come from its baseline towards its target (100 % = reached)."""
    import plotly.graph_objects as go

    shown = [i for i in indicators if i["progress_percent"] is not None]
    names = [plain(i["name"], 30) for i in shown]
    values = [i["progress_percent"] for i in shown]
    hover = [
        f"{plain(i['name'])}<br>{_('Baseline')}: {i['baseline']:g} → {_('Actual')}: "
        f"{i['actual']:g} / {_('Target')}: {i['target']:g} {plain(i['unit'])}"
        for i in shown
    ]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            text=[f"{v:g} %" for v in values],
            textposition="auto",
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            marker={"color": ["#2e9c6a" if v >= 100 else "#1f5fa8" for v in values]},
        )
    )
    fig.add_vline(x=100, line={"dash": "dash", "color": "#d9534f"})
    fig.update_xaxes(title_text=_("Progress from baseline to target (%)"), rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title=_("Indicator progress"), height=max(260, 60 + 40 * len(shown)))


def implementation_timeline(phases: Sequence[dict]) -> go.Figure:
    """A Gantt chart of the implementation phases, pilots marked."""
    import plotly.graph_objects as go

    colours = {"planned": "#9aa5b1", "in_progress": "#1f5fa8", "done": "#2e9c6a"}
    fig = go.Figure()
    for index, phase in enumerate(phases):
        # One day is added so a phase that starts and ends on the same day still shows.
        days = (phase["end"] - phase["start"] + timedelta(days=1)).days
        label = plain(phase["name"], 30) + (" ★" if phase["is_pilot"] else "")
        fig.add_trace(
            go.Bar(
                base=[phase["start"].isoformat()],
                x=[days * 86_400_000],
                y=[f"{index + 1}. {label}"],
                orientation="h",
                name=plain(phase["status_label"]),
                marker={"color": colours.get(phase["status"], "#666")},
                showlegend=False,
                hovertemplate=f"{label}<br>{phase['start']} → {phase['end']}<extra></extra>",
            )
        )
    fig.update_xaxes(type="date")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title=_("Implementation timeline"), height=max(240, 80 + 40 * len(phases)))


def register_figures(registers: dict) -> dict[str, go.Figure]:
    """The register charts that have data to draw, keyed by register name."""
    figures = {}
    if registers["risks"]:
        figures["risks"] = risk_heatmap(registers["risks"])
    if registers["stakeholders"]:
        figures["stakeholders"] = stakeholder_grid(registers["stakeholders"])
    if any(i["progress_percent"] is not None for i in registers["indicators"]):
        figures["indicators"] = indicator_progress(registers["indicators"])
    if registers["phases"]:
        figures["phases"] = implementation_timeline(registers["phases"])
    return figures


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


def spread_box(spread: Sequence[dict], *, title: str = "") -> go.Figure:
    """Box plot per dimension from precomputed quartiles (keeps the page small for 10,000 cases)."""
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Box(
            x=[_wrap(f"{s['code']} {s['title']}", 12) for s in spread],
            q1=[s["q1"] for s in spread],
            median=[s["median"] for s in spread],
            q3=[s["q3"] for s in spread],
            lowerfence=[s["min"] for s in spread],
            upperfence=[s["max"] for s in spread],
            mean=[s["mean"] for s in spread],
            marker={"color": PALETTE[0]},
            name="",
            showlegend=False,
        )
    )
    fig.update_yaxes(range=[0, 100], title_text=_("Score (0–100)"))
    return _layout(fig, title=title, height=420)

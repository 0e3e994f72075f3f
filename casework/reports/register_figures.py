"""Plotly figures of an assessment's registers (risk heat map, stakeholder grid, indicator
progress and trends, implementation timeline) and the portfolio's spread of scores.

Built with the layout, colours and label helpers of `figure_layout`, as the score charts in
`figures` are; user text is escaped with `figure_layout.plain` as everywhere in the charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from casework.indicators import indicator_met
from casework.reports.figure_layout import (
    ATTITUDE_COLOURS,
    HIT_COLOUR,
    PALETTE,
    WARNING_COLOUR,
    layout,
    plain,
    wrap,
)
from casework.reports.numbers import format_number, unit_affixes

if TYPE_CHECKING:
    import plotly.graph_objects as go


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
    return layout(fig, title=_("Risk heat map"), height=380)


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
    return layout(fig, title=_("Stakeholder influence and interest"), height=420)


def _chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def _date(value) -> str:
    """A date as the report's language writes it (2026年11月30日 / Nov. 30, 2026)."""
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


def _localise_date_axes(fig: go.Figure) -> go.Figure:
    """Chinese date ticks (2024年3月) on every date axis; English keeps Plotly's own."""
    if _chinese():
        fig.update_xaxes(
            tickformatstops=[
                {"dtickrange": [None, "M1"], "value": "%-m月%-d日"},
                {"dtickrange": ["M1", "M12"], "value": "%Y年%-m月"},
                {"dtickrange": ["M12", None], "value": "%Y年"},
            ]
        )
    return fig


def _met_label(met: bool | None) -> str:
    if met is None:
        return ""
    return _("Met") if met else _("Missed")


def _indicator_hover(indicator: dict) -> str:
    unit = indicator["unit"]
    parts = [
        f"<b>{plain(indicator['name'])}</b> · {plain(indicator['direction_label'])}",
        f"{_('Baseline')}: {plain(format_number(indicator['baseline'], unit))}"
        f" · {_('Target')}: {plain(format_number(indicator['target'], unit))}",
        f"{_('Latest')}: {plain(format_number(indicator['latest'], unit))}"
        + (f" ({_date(indicator['latest_date'])})" if indicator["latest_date"] else ""),
    ]
    if indicator["met"] is not None:
        parts.append(_met_label(indicator["met"]))
    return "<br>".join(parts)


def _missed_names(indicators: Sequence[dict]) -> list[str]:
    return [plain(i["name"]) for i in indicators if i["met"] is False]


def indicator_progress(indicators: Sequence[dict]) -> go.Figure:
    """How far each indicator has come towards its target (100 % = reached); misses in amber.

    Progress runs from the baseline, or is measured against the target alone when there is
    none. The figure's `layout.meta.missed` names the indicators that missed their target.
    """
    import plotly.graph_objects as go

    shown = [i for i in indicators if i["progress_percent"] is not None]
    values = [i["progress_percent"] for i in shown]
    colours = [
        HIT_COLOUR if i["met"] else WARNING_COLOUR if i["met"] is False else PALETTE[0]
        for i in shown
    ]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=[plain(i["name"], 30) for i in shown],
            orientation="h",
            text=[
                format_number(v, "%") + (f" · {_met_label(i['met'])}" if i["met"] is False else "")
                for v, i in zip(values, shown, strict=True)
            ],
            textposition="auto",
            customdata=[_indicator_hover(i) for i in shown],
            hovertemplate="%{customdata}<extra></extra>",
            marker={"color": colours},
        )
    )
    fig.add_vline(x=100, line={"dash": "dash", "color": "#4a5561"})
    fig.update_xaxes(title_text=_("Progress towards the target (%)"), rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(meta={"missed": _missed_names(shown)})
    return layout(fig, title=_("Indicator progress"), height=max(260, 60 + 40 * len(shown)))


def indicator_trends(indicators: Sequence[dict]) -> go.Figure | None:
    """Each measured indicator over time, one panel each: its dated values and its target.

    A value that misses the target is drawn in the warning colour; `layout.meta.missed`
    names the indicators whose latest value missed, as in indicator_progress.
    """
    from plotly.subplots import make_subplots

    measured = [i for i in indicators if i["measurements"]]
    if not measured:
        return None
    titles = [
        plain(i["name"], 60) + (f" ({plain(i['unit'])})" if i["unit"] else "") for i in measured
    ]
    fig = make_subplots(
        rows=len(measured), cols=1, subplot_titles=titles, vertical_spacing=0.3 / len(measured)
    )
    for row, indicator in enumerate(measured, start=1):
        _add_trend(fig, indicator, row)
        dates = [point["date"] for point in indicator["measurements"]]
        if min(dates) == max(dates):
            # One measurement: a year around it, not a day cut into hours.
            fig.update_xaxes(
                range=[dates[0] - timedelta(days=183), dates[0] + timedelta(days=183)],
                row=row,
                col=1,
            )
    fig.update_xaxes(type="date")
    fig.update_layout(meta={"missed": _missed_names(measured)}, showlegend=False)
    _localise_date_axes(fig)
    fig = layout(fig, title=_("Indicator measurements over time"), height=100 + 190 * len(measured))
    # The first panel's own title sits just under the figure's: leave room for both.
    fig.update_layout(margin={"t": 90})
    return fig


def _add_trend(fig: go.Figure, indicator: dict, row: int) -> None:
    """One indicator's panel: its measurements as a line, its target and baseline as rules."""
    import plotly.graph_objects as go

    unit = indicator["unit"]
    points = indicator["measurements"]
    colours = []
    for point in points:
        met = indicator_met(
            target=indicator["target"],
            actual=point["value"],
            higher_is_better=indicator["higher_is_better"],
        )
        colours.append(HIT_COLOUR if met else WARNING_COLOUR if met is False else "#666")
    fig.add_trace(
        go.Scatter(
            x=[p["date"].isoformat() for p in points],
            y=[p["value"] for p in points],
            mode="lines+markers+text",
            text=[plain(format_number(p["value"], unit)) for p in points],
            textposition="top center",
            customdata=[
                f"{_date(p['date'])}: {plain(format_number(p['value'], unit))}"
                + (f"<br>{plain(p['note'], 80)}" if p["note"] else "")
                for p in points
            ],
            hovertemplate="%{customdata}<extra></extra>",
            line={"color": "#4a5561", "width": 1.5},
            marker={"size": 9, "color": colours},
            name=plain(indicator["name"], 30),
            showlegend=False,
        ),
        row=row,
        col=1,
    )
    values = [p["value"] for p in points]
    for value, label, dash, colour in (
        (indicator["target"], _("Target"), "dash", HIT_COLOUR),
        (indicator["baseline"], _("Baseline"), "dot", "#7b8794"),
    ):
        if value is None:
            continue
        values.append(value)
        fig.add_hline(
            y=value,
            line={"dash": dash, "color": colour, "width": 1.5},
            annotation_text=f"{label} {plain(format_number(value, unit))}",
            annotation_position="top left",
            annotation_font={"size": 10, "color": colour},
            row=row,
            col=1,
        )
    low, high = min(values), max(values)
    pad = (high - low) * 0.25 or abs(high) * 0.25 or 1
    prefix, suffix = unit_affixes(unit)
    fig.update_yaxes(
        range=[low - pad, high + pad],
        tickprefix=prefix,
        ticksuffix=suffix,
        separatethousands=True,
        row=row,
        col=1,
    )


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
                hovertemplate=(
                    f"{label}<br>{_date(phase['start'])} → {_date(phase['end'])}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(type="date")
    fig.update_yaxes(autorange="reversed")
    _localise_date_axes(fig)
    return layout(fig, title=_("Implementation timeline"), height=max(240, 80 + 40 * len(phases)))


def register_figures(registers: dict) -> dict[str, go.Figure]:
    """The register charts that have data to draw, keyed by register name."""
    figures = {}
    if registers["risks"]:
        figures["risks"] = risk_heatmap(registers["risks"])
    if registers["stakeholders"]:
        figures["stakeholders"] = stakeholder_grid(registers["stakeholders"])
    if any(i["progress_percent"] is not None for i in registers["indicators"]):
        figures["indicators"] = indicator_progress(registers["indicators"])
    trends = indicator_trends(registers["indicators"])
    if trends is not None:
        figures["indicator_trends"] = trends
    if registers["phases"]:
        figures["phases"] = implementation_timeline(registers["phases"])
    return figures


def spread_box(spread: Sequence[dict], *, title: str = "") -> go.Figure:
    """Box plot per dimension from precomputed quartiles (keeps the page small for 10,000 cases)."""
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Box(
            x=[wrap(f"{s['code']} {s['title']}", 16) for s in spread],
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
    return layout(fig, title=title, height=420)

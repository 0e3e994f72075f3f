"""Plotly figures built from report contexts; the page draws them live, the PDF as SVG.

User text that ends up inside a figure (stakeholder names, risk descriptions, phase names) is
HTML-escaped first: Plotly reads a subset of HTML in labels (<b>, <br>, <a href>), and escaped
text is shown literally because Plotly decodes the entities when it draws.

The register charts (risks, stakeholders, indicators, phases) and the portfolio's spread box
live in `register_figures`; they are imported here too, so callers keep using `figures.<name>`.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    import plotly.graph_objects as go

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans, Helvetica, Arial, sans-serif"
PALETTE = ["#1f5fa8", "#d9822b", "#2e9c6a", "#a83279", "#6b5fb3", "#8c6d31"]
PREVIOUS_COLOUR = "#4a5561"
# The part of a score that rests on firm evidence: the radar's inner, denser shape.
FIRM_COLOUR = "#1d3f73"
# A target reached, and one missed: green and amber, never the blue of an ordinary bar.
HIT_COLOUR = "#2e9c6a"
WARNING_COLOUR = "#d97706"
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


# Where a line of Chinese may break: after a pause mark, or before a joining word
# ("目标与战略" breaks as "目标" / "与战略"), never in the middle of a two-character word.
_CJK_BREAK_AFTER = "、，,；;：:）)"
_CJK_BREAK_BEFORE = "与和及或"
LABEL_LINE_HEIGHT = 15  # px of one line of a 12 px label


def _text_width(text: str) -> int:
    """Width in half-em units: a Chinese character counts double."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _label_tokens(text: str, limit: int) -> list[tuple[str, bool]]:
    """Pieces a label may break between, each with whether a space precedes it."""
    tokens: list[tuple[str, bool]] = []
    for word in text.split():
        spaced = True
        piece = ""
        for char in word:
            wide = unicodedata.east_asian_width(char) in ("W", "F")
            if piece and wide and char in _CJK_BREAK_BEFORE:
                tokens.append((piece, spaced))
                piece, spaced = "", False
            piece += char
            if wide and char in _CJK_BREAK_AFTER or _text_width(piece) >= limit:
                tokens.append((piece, spaced))
                piece, spaced = "", False
        if piece:
            tokens.append((piece, spaced))
    return tokens


def _fill(tokens: list[tuple[str, bool]], width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for piece, spaced in tokens:
        joined = f"{line} {piece}" if line and spaced else line + piece
        if line and _text_width(joined) > width:
            lines.append(line)
            line = piece
        else:
            line = joined
    if line:
        lines.append(line)
    return lines


def wrap_lines(label: str, width: int = 22, max_lines: int = 3) -> list[str]:
    """A label in balanced lines of at most `width` (half-em units), cut with … past max_lines."""
    text = " ".join(str(label or "").split())
    if _text_width(text) <= width:
        return [text] if text else []
    tokens = _label_tokens(text, width)
    # The narrowest width that needs no more lines than the widest does: balanced lines
    # ("Technology selection" / "and implementation", not a lone "and").
    fewest = len(_fill(tokens, width))
    lines = _fill(tokens, width)
    for narrower in range(max(_text_width(p) for p, _s in tokens), width):
        candidate = _fill(tokens, narrower)
        if len(candidate) <= fewest:
            lines = candidate
            break
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and _text_width(last) + 1 > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _wrap(label: str, width: int = 22, max_lines: int = 3) -> str:
    """A long label broken onto lines with <br>, each line HTML-escaped for Plotly."""
    return "<br>".join(plain(line) for line in wrap_lines(label, width, max_lines))


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

    theta = [_wrap(label) for label in labels]
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
                fillcolor=_translucent(colour) if index == 0 else None,
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
    fig = _layout(fig, title=title, height=440)
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
        firm.fillcolor = _translucent(FIRM_COLOUR, 0.45)
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


# The register charts, re-exported for the callers of `figures.<name>`. Imported last: that
# module draws with this one's layout, colours and labels.
from casework.reports.register_figures import (  # noqa: E402
    implementation_timeline,
    indicator_progress,
    indicator_trends,
    register_figures,
    risk_heatmap,
    spread_box,
    stakeholder_grid,
)

__all__ = [
    "assessment_radar",
    "compare_radar",
    "implementation_timeline",
    "indicator_progress",
    "indicator_trends",
    "plain",
    "radar",
    "register_figures",
    "report_figures",
    "risk_heatmap",
    "spread_box",
    "stakeholder_grid",
    "wrap_lines",
]

"""The look every report chart shares: font, colours, layout, and safe, wrapped labels.

User text that ends up inside a figure (stakeholder names, risk descriptions, phase names) is
HTML-escaped first with `plain`: Plotly reads a subset of HTML in labels (<b>, <br>, <a href>),
and escaped text is shown literally because Plotly decodes the entities when it draws.
"""

from __future__ import annotations

import html
import unicodedata
from typing import TYPE_CHECKING

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


def layout(fig: go.Figure, *, title: str = "", height: int = 420) -> go.Figure:
    """The house layout on `fig`: font, margins, white ground, legend below; returns `fig`."""
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


def translucent(colour: str, alpha: float = 0.18) -> str:
    """A "#rrggbb" colour as an rgba() string with `alpha`, for filled shapes."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


# Where a line of Chinese may break: after a pause mark, or before a joining word
# ("目标与战略" breaks as "目标" / "与战略"), never in the middle of a two-character word.
_CJK_BREAK_AFTER = "、，,；;：:）)"
_CJK_BREAK_BEFORE = "与和及或"
LABEL_LINE_HEIGHT = 15  # px of one line of a 12 px label


def text_width(text: str) -> int:
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
            if wide and char in _CJK_BREAK_AFTER or text_width(piece) >= limit:
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
        if line and text_width(joined) > width:
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
    if text_width(text) <= width:
        return [text] if text else []
    tokens = _label_tokens(text, width)
    # The narrowest width that needs no more lines than the widest does: balanced lines
    # ("Technology selection" / "and implementation", not a lone "and").
    fewest = len(_fill(tokens, width))
    lines = _fill(tokens, width)
    for narrower in range(max(text_width(p) for p, _s in tokens), width):
        candidate = _fill(tokens, narrower)
        if len(candidate) <= fewest:
            lines = candidate
            break
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last) + 1 > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def wrap(label: str, width: int = 22, max_lines: int = 3) -> str:
    """A long label broken onto lines with <br>, each line HTML-escaped for Plotly."""
    return "<br>".join(plain(line) for line in wrap_lines(label, width, max_lines))

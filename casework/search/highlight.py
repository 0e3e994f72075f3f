"""Marking a query's terms in user text: escape every piece first, then add <mark> around matches.

Pure: text and terms in, a SafeString out. The text is never trusted; only the <mark> tags this
module writes are markup.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from casework.search.segment import Term, is_cjk, normalize

SNIPPET_CHARS = 180
_SPACE = re.compile(r"\s+")
_LATIN_WORD_CHAR = re.compile(r"[^\W_]")


def _normalized_with_map(text: str) -> tuple[str, list[int]]:
    """`text` normalized as the index sees it, and for each of its characters the source index."""
    chars, where = [], []
    for index, char in enumerate(text):
        for out in normalize(char):
            chars.append(out)
            where.append(index)
    return "".join(chars), where


def _word_char(char: str) -> bool:
    return bool(_LATIN_WORD_CHAR.match(char)) and not is_cjk(char)


def _piece_spans(normal: str, piece: str, *, prefix: bool) -> list[tuple[int, int]]:
    """Where a normalized piece occurs: anywhere for CJK; at a word's start for a word."""
    spans = []
    start = normal.find(piece)
    while start != -1:
        end = start + len(piece)
        if is_cjk(piece):
            spans.append((start, end))
        else:
            starts_word = start == 0 or not _word_char(normal[start - 1])
            ends_word = end == len(normal) or not _word_char(normal[end])
            if starts_word and (prefix or ends_word):
                spans.append((start, end))
        start = normal.find(piece, start + 1)
    return spans


def match_spans(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    """Character ranges of `text` to mark, sorted and merged."""
    if not text or not terms:
        return []
    normal, where = _normalized_with_map(text)
    spans = []
    for term in terms:
        for index, piece in enumerate(term.pieces):
            last = index == len(term.pieces) - 1
            spans += _piece_spans(normal, piece, prefix=term.prefix and last)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        # Touching, overlapping or only blanks apart ("data quality"): one mark.
        if merged and (start <= merged[-1][1] or not normal[merged[-1][1] : start].strip()):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(where[start], where[end - 1] + 1) for start, end in merged]


def _marked(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    out, at = [], 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if end <= 0 or start >= len(text):
            continue
        start, end = max(start, 0), min(end, len(text))
        out.append(escape(text[at:start]))
        out.append("<mark>" + escape(text[start:end]) + "</mark>")
        at = end
    out.append(escape(text[at:]))
    return "".join(out)


def highlight(text: str, terms: list[Term]) -> SafeString:
    """The whole text, escaped, with the terms marked."""
    return mark_safe(_marked(text, match_spans(text, terms)))  # every piece escaped by _marked


def snippet(text: str, terms: list[Term], width: int = SNIPPET_CHARS) -> SafeString:
    """A window of about `width` characters around the most matches, escaped and marked."""
    text = _SPACE.sub(" ", text or "").strip()
    spans = match_spans(text, terms)
    if not spans:
        cut = text[:width]
        return mark_safe(escape(cut) + ("…" if len(text) > width else ""))
    best_start, best_count = spans[0][0], 0
    for start, _end in spans:
        count = sum(1 for s, e in spans if s >= start and e <= start + width)
        if count > best_count:
            best_start, best_count = start, count
    # Some words of lead-in before the first match, and never past the end.
    begin = max(0, min(best_start - width // 4, len(text) - width))
    window = text[begin : begin + width]
    html = _marked(window, spans, offset=begin)
    prefix = "…" if begin > 0 else ""
    suffix = "…" if begin + width < len(text) else ""
    return mark_safe(prefix + html + suffix)

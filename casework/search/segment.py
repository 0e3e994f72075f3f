"""Text to index tokens, and a user's query to terms: pure, the same for both databases.

Chinese (and other CJK script) is cut into overlapping character bigrams; every other script
into words, lower-cased and without accents. A CJK run's last character is also indexed on its
own (after the rest), so that a one-character query finds every occurrence as a prefix. Both databases receive
these tokens separated by spaces and only split on the spaces (FTS5 `unicode61`, PostgreSQL
`simple`), so one function decides what matches. docs/search.md says why bigrams, not jieba.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Han (with extension A and compatibility ideographs), kana and Hangul: written without spaces.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_PIECES = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_IS_CJK = re.compile(rf"[{_CJK}]")
_QUOTED = re.compile(r'"([^"]*)"')

MAX_QUERY_CHARS = 200
MAX_TERMS = 12


def normalize(text: str) -> str:
    """NFKC, lower case, accents dropped: what both the index and the query see."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def is_cjk(piece: str) -> bool:
    return bool(_IS_CJK.match(piece))


def _piece_tokens(piece: str) -> list[str]:
    if is_cjk(piece) and len(piece) > 1:
        return [piece[i : i + 2] for i in range(len(piece) - 1)]
    return [piece]


def tokens(text: str) -> list[str]:
    """Index tokens of `text`: the sequence, then each CJK run's last character.

    The last characters go after the sequence so that they never sit between two tokens a
    phrase needs side by side.
    """
    pieces = _PIECES.findall(normalize(text))
    sequence = [token for piece in pieces for token in _piece_tokens(piece)]
    ends = [piece[-1] for piece in pieces if is_cjk(piece) and len(piece) > 1]
    return sequence + list(dict.fromkeys(ends))


def segment(text: str) -> str:
    """The text the full-text index stores: tokens separated by single spaces."""
    return " ".join(tokens(text))


def language_of(text: str) -> str:
    """'zh' when CJK characters make up at least a fifth of the letters, else 'en'."""
    letters = [c for c in text if c.isalnum()]
    if not letters:
        return ""
    cjk = sum(1 for c in letters if _IS_CJK.match(c))
    return "zh" if cjk * 5 >= len(letters) else "en"


@dataclass(frozen=True)
class Term:
    """Tokens that must follow each other in the text; `prefix`: the last one may go on."""

    tokens: tuple[str, ...]
    prefix: bool
    # What to look for in the original text when marking it: normalized pieces, in order.
    pieces: tuple[str, ...]


def _query_tokens(piece: str) -> tuple[str, ...]:
    return tuple(_piece_tokens(piece))


def parse_query(query: str) -> list[Term]:
    """The terms of a query, all required: a CJK run or a word each, a "quoted phrase" as one."""
    query = (query or "")[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    for quoted in _QUOTED.findall(query):
        pieces = tuple(_PIECES.findall(normalize(quoted)))
        if pieces:
            phrase = tuple(t for piece in pieces for t in _query_tokens(piece))
            terms.append(Term(tokens=phrase, prefix=False, pieces=pieces))
    for piece in _PIECES.findall(normalize(_QUOTED.sub(" ", query))):
        if not is_cjk(piece) and len(piece) < 2 and not piece.isdigit():
            continue  # a lone letter matches half the index
        # A word or a single character may go on in the text ("migrat" finds "migration");
        # a run of two or more CJK characters is matched as it stands.
        prefix = not is_cjk(piece) or len(piece) == 1
        terms.append(Term(tokens=_query_tokens(piece), prefix=prefix, pieces=(piece,)))
    unique = list(dict.fromkeys(terms))
    return unique[:MAX_TERMS]


def fts5_query(terms: list[Term]) -> str:
    """The terms as an FTS5 MATCH expression: each a quoted phrase, all ANDed."""
    parts = []
    for term in terms:
        phrase = '"' + " ".join(term.tokens) + '"'
        parts.append(phrase + ("*" if term.prefix else ""))
    return " AND ".join(parts)


def tsquery(terms: list[Term]) -> str:
    """The terms as a PostgreSQL tsquery (to_tsquery syntax): phrases with <->, ANDed."""
    parts = []
    for term in terms:
        words = [f"'{token}'" for token in term.tokens]
        if term.prefix:
            words[-1] += ":*"
        parts.append("(" + " <-> ".join(words) + ")")
    return " & ".join(parts)

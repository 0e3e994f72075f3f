"""How alike two cases are: pure arithmetic on score profiles, categories and risk wording.

No ORM: casework/search/similar.py reads the data and calls these. Documented in
docs/search.md.
"""

from __future__ import annotations

import math
import re
from difflib import SequenceMatcher

from casework.search.segment import is_cjk, normalize

# A dimension one case scored and the other did not counts as this far apart (scores are 0..1).
MISSING_GAP = 0.5
# Weights of what two cases share: a risk that happened, or a target missed, says more than a
# risk that was only feared.
FEATURE_WEIGHTS = {"risk": 1.0, "risk_occurred": 2.0, "indicator": 0.5, "indicator_missed": 1.5}
PROFILE_SHARE = 0.6  # of the similarity, when both cases have a score profile
PHRASE_BONUS = 0.15
MIN_CJK = 4  # characters a shared Chinese phrase needs
MIN_WORDS = 2  # words a shared English phrase needs
_UNITS = re.compile(r"[^\W_]+", re.UNICODE)
_EDGE = "的了和与及在是对把被并也都"
_STOPWORDS = {
    "the",
    "a",
    "an",
    "of",
    "and",
    "or",
    "to",
    "in",
    "on",
    "for",
    "with",
    "is",
    "are",
    "be",
}


def profile_similarity(mine: dict, theirs: dict) -> float | None:
    """1 − root-mean-square gap over the dimensions `mine` scored; None without two of them."""
    codes = [code for code, value in mine.items() if value is not None]
    if len(codes) < 2:
        return None
    total = 0.0
    for code in codes:
        other = theirs.get(code)
        gap = MISSING_GAP if other is None else mine[code] - other
        total += gap * gap
    return max(0.0, 1.0 - math.sqrt(total / len(codes)))


def features(rows) -> dict[str, float]:
    """Weighted features of a case from (kind, category, outcome) of its risks and indicators."""
    found: dict[str, float] = {}
    for kind, category, outcome in rows:
        if not category:
            continue
        found[f"{kind}:{category}"] = FEATURE_WEIGHTS[kind]
        if kind == "risk" and outcome == "occurred":
            found[f"risk_occurred:{category}"] = FEATURE_WEIGHTS["risk_occurred"]
        if kind == "indicator" and outcome == "missed":
            found[f"indicator_missed:{category}"] = FEATURE_WEIGHTS["indicator_missed"]
    return found


def feature_overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Weighted Jaccard: the weight both share over the weight either has (0 when none)."""
    union = sum(a.values()) + sum(w for k, w in b.items() if k not in a)
    shared = sum(w for k, w in a.items() if k in b)
    return shared / union if union else 0.0


def _units(text: str) -> list[str]:
    """CJK characters one by one, other words whole, normalized."""
    units = []
    for piece in _UNITS.findall(normalize(text)):
        units.extend(list(piece) if is_cjk(piece) else [piece])
    return units


def common_phrase(a: str, b: str) -> str:
    """The longest wording two texts share, if long enough to mean something; else ''."""
    left, right = _units(a), _units(b)
    if not left or not right:
        return ""
    match = SequenceMatcher(None, left, right, autojunk=False).find_longest_match(
        0, len(left), 0, len(right)
    )
    run = left[match.a : match.a + match.size]
    while run and run[0] in _EDGE:
        run = run[1:]
    while run and run[-1] in _EDGE:
        run = run[:-1]
    cjk = [u for u in run if is_cjk(u)]
    words = [u for u in run if not is_cjk(u)]
    if cjk and not words and len(cjk) >= MIN_CJK:
        return "".join(run)
    meaningful = any(w not in _STOPWORDS and len(w) >= 4 for w in words)
    if words and not cjk and len(words) >= MIN_WORDS and meaningful:
        return " ".join(run)
    return ""


def combined(profile: float | None, overlap: float, phrase: bool) -> float:
    """One number to rank by: profile and shared categories, plus a little for shared wording."""
    if profile is None:
        base = (1 - PROFILE_SHARE) * overlap
    else:
        base = PROFILE_SHARE * profile + (1 - PROFILE_SHARE) * overlap
    return base + (PHRASE_BONUS if phrase else 0.0)

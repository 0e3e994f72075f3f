"""SMART hints for goal statements: which checks the wording suggests are met.

Pure text heuristics, Chinese and English. They only suggest; the analyst ticks the boxes.
"""

import re
from datetime import date

_CN_NUM = "零〇一二两三四五六七八九十百千万"

# Deadlines are found first and blanked out, so that "by 2027" does not also count as a measure.
_TIME_PATTERNS = [
    # 两年内, 3个月之内, 一年以内, 半年内
    rf"(?:[{_CN_NUM}\d]+|半)\s*个?\s*(?:年|月|周|星期|天|日|季度|工作日)\s*(?:之内|以内|内)",
    # 2027年底前, 2026年6月前, 到2025年, 2027年末
    r"(?:到|至|截至|于)?\s*(?:19|20)\d{2}\s*年\s*(?:\d{1,2}\s*月)?\s*(?:底|末|初|上半年|下半年)?\s*(?:前|之前|以前|完成|实现|内)?",
    r"(?:今年|明年|本年度|年内|年底前|年末前|本季度|下半年|上半年)",
    # by 2027, by the end of 2026, by end of 2026, by June 2027, by Q3 2026
    r"\bby\s+(?:the\s+)?(?:end\s+of\s+)?(?:(?:q[1-4]|h[12]|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\s+)?(?:19|20)\d{2}\b",
    # within 2 years, within three months
    r"\bwithin\s+(?:\d+|a|an|one|two|three|four|five|six|twelve|eighteen)\s+(?:days?|weeks?|months?|quarters?|years?)\b",
    r"\b(?:before|until|in)\s+(?:(?:q[1-4]|h[12])\s+)?(?:19|20)\d{2}\b",
    r"\b(?:this|next)\s+(?:year|quarter)\b",
]

_MEASURE_PATTERNS = [
    r"\d+(?:\.\d+)?\s*(?:%|％|percent\b|per\s*cent\b|个百分点|percentage points?\b)",
    rf"百分之[{_CN_NUM}\d点]+",
    rf"[{_CN_NUM}]+\s*成",
    r"\d+(?:\.\d+)?\s*(?:万|亿|千)?\s*(?:件|个|项|次|人|家|天|日|小时|分钟|秒|元|户|套|台|条|份|倍|公里|平方米|个工作日)",
    rf"[{_CN_NUM}]+\s*(?:万|亿)?\s*(?:件|项|次|人|家|户|套|台|条|份|倍)",
    r"\b\d+(?:[.,]\d+)?\s*(?:k|m|bn)?\s*(?:days?|hours?|minutes?|seconds?|weeks?|months?|items?|cases?|services?|users?|people|applications?|visits?|times|x|yuan|rmb|usd|km)\b",
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|half)\s+(?:days?|hours?|minutes?|visits?|times)\b",
    # A bare number still reads as a measure ("reduce to 1 visit", "at 95").
    r"\d+(?:\.\d+)?",
]

_VAGUE_WORDS = [
    "进一步",
    "大力",
    "全面",
    "有效",
    "显著",
    "明显",
    "持续",
    "不断",
    "提升",
    "提高",
    "改善",
    "改进",
    "加强",
    "增强",
    "优化",
    "推进",
    "促进",
    "推动",
    "完善",
    "水平",
    "能力",
    "效率",
    "质量",
    "效能",
    "工作",
    "服务",
    "整体",
    "各项",
    "相关",
    "further",
    "greatly",
    "significantly",
    "continuously",
    "overall",
    "improve",
    "improved",
    "improving",
    "enhance",
    "better",
    "strengthen",
    "optimise",
    "optimize",
    "promote",
    "increase",
    "boost",
    "advance",
    "quality",
    "efficiency",
    "effectiveness",
    "level",
    "levels",
    "capability",
    "capacity",
    "service",
    "services",
    "work",
    "the",
    "a",
    "an",
    "of",
    "and",
    "our",
    "to",
    "in",
]
_VAGUE_RE = re.compile(
    "|".join(sorted((re.escape(w) for w in _VAGUE_WORDS if not w.isascii()), key=len, reverse=True))
)
_WORD_RE = re.compile(r"[A-Za-z]+")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def _find(patterns, text):
    spans = []
    for pattern in patterns:
        for match in re.finditer(pattern, text, flags=re.IGNORECASE):
            snippet = match.group(0).strip()
            if snippet and not any(s <= match.start() < e for s, e, _ in spans):
                spans.append((match.start(), match.end(), snippet))
    spans.sort()
    return spans


def _blank(text, spans):
    for start, end, _ in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _specific(text: str, measurable: bool) -> tuple[bool, list[str]]:
    """Names an object or action beyond vague verbs: some content left once vague words go."""
    vague_found = [w for w in _VAGUE_WORDS if not w.isascii() and w in text]
    words = [w.lower() for w in _WORD_RE.findall(text)]
    vague_found += sorted({w for w in words if w in _VAGUE_WORDS and len(w) > 3})
    cjk_left = len(_CJK_RE.findall(_VAGUE_RE.sub("", text)))
    words_left = [w for w in words if w not in _VAGUE_WORDS and len(w) > 2]
    content = cjk_left >= 4 or len(words_left) >= 2
    if not measurable and vague_found:
        # "提升服务水平" / "improve service quality": vague verbs without a number are not specific.
        content = cjk_left >= 6 or len(words_left) >= 3
    return content, vague_found


def smart_hints(statement: str, target: str = "", deadline: date | None = None) -> dict:
    """Which SMART checks the statement's wording suggests, with the snippets that suggest them.

    Returns {"specific"|"measurable"|"time_bound": {"met": bool, "matches": [str]}, "vague": [str]}.
    """
    text = " ".join(part for part in (statement or "", target or "") if part).strip()
    time_spans = _find(_TIME_PATTERNS, text)
    time_matches = list(dict.fromkeys(s for _, _, s in time_spans))
    if deadline:
        time_matches.append(deadline.isoformat())
    measure_spans = _find(_MEASURE_PATTERNS, _blank(text, time_spans))
    measure_matches = list(dict.fromkeys(s for _, _, s in measure_spans))
    measurable = bool(measure_matches)
    specific, vague = _specific(statement or "", measurable)
    return {
        "specific": {"met": bool(text) and specific, "matches": []},
        "measurable": {"met": measurable, "matches": measure_matches},
        "time_bound": {"met": bool(time_matches), "matches": time_matches},
        "vague": vague,
    }

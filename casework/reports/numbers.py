"""Numbers as people write them: 494,620 · 43 % · 8 s · 3天 · 0.125 · — for nothing.

Pure: no Django, no locale. Thousands are grouped with commas, which reads the same in
English and in Chinese; at most three decimals are kept and trailing zeros dropped.
"""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MISSING = "—"
MAX_DECIMALS = 3
# Symbols written before the number ("¥12,000"), not after it.
PREFIX_UNITS = frozenset({"¥", "￥", "$", "€", "£", "US$", "HK$", "RMB"})


def format_number(value, unit: str = "") -> str:
    """`value` with grouped thousands and no needless decimals, followed by its unit."""
    if value is None or value == "":
        return MISSING
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return MISSING
    text = _digits(number)
    prefix, suffix = unit_affixes(unit)
    if prefix and text.startswith("-"):
        return f"-{prefix}{text[1:]}{suffix}"
    return f"{prefix}{text}{suffix}"


def unit_affixes(unit: str = "") -> tuple[str, str]:
    """What goes before and after a number in `unit`: ("¥", ""), ("", " %"), ("", "天")."""
    unit = (unit or "").strip()
    if not unit:
        return "", ""
    if unit in PREFIX_UNITS:
        return unit, ""
    if _is_wide(unit[0]):
        # Chinese units follow the number directly: 3天, 120元, 45万人.
        return "", unit
    return "", f" {unit}"


def _digits(number: Decimal) -> str:
    rounded = number.quantize(Decimal(1).scaleb(-MAX_DECIMALS), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _is_wide(char: str) -> bool:
    """Whether a character is CJK (ideographs, kana, full-width forms)."""
    return unicodedata.east_asian_width(char) in ("W", "F")

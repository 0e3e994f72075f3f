"""Sector keys: one home for how a case's sector groups (managed code, else normalised text).

A case either names a managed Sector (its code is the key) or types its own "other" text;
the text is trimmed and lower-cased so that " Ports " and "ports" fall in one cohort.
"""

from __future__ import annotations

from django.db.models import Case as CaseWhen
from django.db.models import CharField, F, Q, Value, When
from django.db.models.functions import Concat, Lower, Trim
from django.utils.translation import get_language

OTHER_PREFIX = "other:"


def normalise(text: str) -> str:
    """The comparable form of a typed sector: trimmed, lower-cased."""
    return (text or "").strip().lower()


def sector_key(code: str | None, text: str) -> str:
    """The grouping key: the managed code, else "other:<normalised text>", else ""."""
    if code:
        return code
    other = normalise(text)
    return f"{OTHER_PREFIX}{other}" if other else ""


def key_expression(prefix: str = ""):
    """sector_key() as a database expression over a case (`prefix` e.g. "case__")."""
    return CaseWhen(
        When(**{f"{prefix}sector_ref__isnull": False}, then=F(f"{prefix}sector_ref__code")),
        When(Q(**{f"{prefix}sector": ""}), then=Value("")),
        default=Concat(Value(OTHER_PREFIX), Lower(Trim(f"{prefix}sector"))),
        output_field=CharField(),
    )


def find_sector(text: str):
    """The managed sector whose Chinese or English name is `text` (trimmed, any case), or None."""
    from casework.models import Sector

    wanted = (text or "").strip()
    if not wanted:
        return None
    return Sector.objects.filter(Q(name_zh__iexact=wanted) | Q(name_en__iexact=wanted)).first()


def label_expression(prefix: str = ""):
    """The case's sector_label as a database expression, in the active language."""
    lang = (get_language() or "zh-hans").lower()
    first, second = ("en", "zh") if lang.startswith("en") else ("zh", "en")
    name = f"{prefix}sector_ref__name_"
    return CaseWhen(
        When(**{f"{prefix}sector_ref__isnull": True}, then=F(f"{prefix}sector")),
        When(~Q(**{f"{name}{first}": ""}), then=F(f"{name}{first}")),
        default=F(f"{name}{second}"),
        output_field=CharField(),
    )


def key_labels() -> dict[str, str]:
    """{sector code: name in the active language} for every managed sector (1 query)."""
    from casework.models import Sector

    return {sector.code: sector.name for sector in Sector.objects.all()}


def label_for_key(key: str, labels: dict[str, str]) -> str:
    """What a grouping key reads as: the managed name, or the typed text."""
    if key.startswith(OTHER_PREFIX):
        return key[len(OTHER_PREFIX) :]
    return labels.get(key, key)

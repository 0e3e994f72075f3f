"""Citation chips: the case's sources as one-click toggles on an item card.

Pure shaping for the templates, no request: a chip per source (its number in the case's
list, a short title, whether the card cites it and with which page/section and quote), the
sources an earlier step last cited (for "same sources as the previous item"), and the
sources as JSON for a card that refreshes its chips after a source is added.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from casework.citations import cited_source_ids
from casework.models import Answer
from frameworks.models import Criterion

# A chip shows about this many Latin letters of the title; a Chinese character counts twice.
SHORT_TITLE_WIDTH = 26
ELLIPSIS = "…"


@dataclass(frozen=True)
class Chip:
    """One source on one card."""

    source_id: int | str  # str only in the placeholder
    number: int | str
    short: str
    title: str
    published_on: object
    pressed: bool
    locator: str
    quote: str
    locator_name: str
    quote_name: str
    removed: bool = False


@dataclass(frozen=True)
class CarryIn:
    """The sources the nearest earlier cited item cites, for the first card that has none above."""

    code: str
    source_ids: list[int]


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def short_title(title: str, width: int = SHORT_TITLE_WIDTH) -> str:
    """The title cut to about `width` columns (a CJK character is two), with "…" when cut."""
    title = " ".join((title or "").split())
    if sum(_width(c) for c in title) <= width:
        return title
    kept, used = [], _width(ELLIPSIS)
    for char in title:
        used += _width(char)
        if used > width:
            break
        kept.append(char)
    return "".join(kept).rstrip() + ELLIPSIS


def source_numbers(sources: Iterable) -> dict[int, int]:
    """Source id → its number: the position in the case's list, as the reports number them."""
    return {source.pk: number for number, source in enumerate(sources, start=1)}


def chips_for(source_rows: Sequence[dict]) -> list[Chip]:
    """A card's source rows (one per case source, in the case's order) as numbered chips."""
    return [
        Chip(
            source_id=row["source"].pk,
            number=number,
            short=short_title(row["source"].title),
            title=row["source"].title,
            published_on=row["source"].published_on,
            pressed=row["checked"],
            locator=row["locator"],
            quote=row["quote"],
            locator_name=row["locator_name"],
            quote_name=row["quote_name"],
            removed=getattr(row["source"], "is_removed", False),
        )
        for number, row in enumerate(source_rows, start=1)
    ]


# The tokens a placeholder chip carries; citation-chips.js swaps them for a new source's values.
TOKENS = {"source_id": "__SRC__", "number": "__N__", "short": "__SHORT__", "title": "__TITLE__"}


def chip_placeholder(input_name) -> Chip:
    """A chip for a source the card does not know yet: tokens where its id and titles go.

    `input_name(kind, source_id)` is the card form's own naming of the page and quote inputs.
    """
    return Chip(
        source_id=TOKENS["source_id"],
        number=TOKENS["number"],
        short=TOKENS["short"],
        title=TOKENS["title"],
        published_on=None,
        pressed=False,
        locator="",
        quote="",
        locator_name=input_name("locator", TOKENS["source_id"]),
        quote_name=input_name("quote", TOKENS["source_id"]),
    )


def carry_in(*, assessment_id: int, earlier_dimension_ids: Sequence[int]) -> CarryIn | None:
    """The last scored item of the earlier steps that cites a source (one query; none on step 1)."""
    if not earlier_dimension_ids:
        return None
    rows = (
        Answer.objects.filter(
            assessment_id=assessment_id,
            criterion__dimension_id__in=earlier_dimension_ids,
            criterion__kind=Criterion.Kind.SCORED,
        )
        # The steps' own order (dimension order, then code), backwards from the latest item.
        .order_by(
            "-criterion__dimension__order", "-criterion__dimension__code", "-criterion__order"
        )
        .values_list("criterion__code", "citations")
    )
    for code, citations in rows:
        ids = cited_source_ids(citations)
        if ids:
            return CarryIn(code=code, source_ids=ids)
    return None


def sources_payload(sources: Iterable) -> list[dict]:
    """The case's sources as a card's chips need them, for the JSON a refresh reads."""
    return [
        {
            "id": source.pk,
            "number": number,
            "short": short_title(source.title),
            "title": source.title,
        }
        for number, source in enumerate(sources, start=1)
    ]


def step_tools(
    *, assessment_id: int, dimensions: Sequence, number: int, cards: Sequence, editable: bool
) -> dict:
    """What a wizard step adds for chips and the observation sweep: the carry-in and a count."""
    earlier = [d.pk for d in dimensions[: number - 1]] if editable else []
    return {
        "citation_carry": carry_in(assessment_id=assessment_id, earlier_dimension_ids=earlier),
        "observation_count": sum(1 for card in cards if not card.criterion.is_scored),
    }

"""Citations: which of the case's sources an answer rests on, where in it, and a short quote.

`Answer.citations` is a JSON list. Older rows hold bare source ids; newer ones hold
`{"source": id, "locator": "p. 12", "quote": "..."}`. Everything that reads citations goes
through `normalize_citations`, so both shapes read the same way.
"""

from __future__ import annotations

LOCATOR_MAX_CHARS = 60
QUOTE_MAX_CHARS = 500


def normalize_citations(raw) -> list[dict]:
    """Citations as a list of {"source", "locator", "quote"} dicts, in order, one per source."""
    result: list[dict] = []
    seen: set[int] = set()
    for entry in raw or []:
        if isinstance(entry, dict):
            source, locator, quote = (
                entry.get("source"),
                entry.get("locator") or "",
                entry.get("quote") or "",
            )
        else:
            source, locator, quote = entry, "", ""
        try:
            source = int(source)
        except (TypeError, ValueError):
            continue
        if source in seen:
            continue
        seen.add(source)
        result.append({"source": source, "locator": str(locator), "quote": str(quote)})
    return result


def cited_source_ids(raw) -> list[int]:
    """Just the source ids, in order."""
    return [citation["source"] for citation in normalize_citations(raw)]


def format_citation(number: int | None, locator: str = "") -> str:
    """The short form a reader sees: "[3, p. 12]", or "[3]"; "[?]" for a source since removed."""
    label = "?" if number is None else str(number)
    return f"[{label}, {locator}]" if locator else f"[{label}]"

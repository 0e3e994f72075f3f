"""Search results shaped for the template: labels, links, highlighted snippets. No request."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.models import Action, Risk
from casework.search.highlight import highlight, snippet
from casework.search.models import SearchEntry
from casework.search.segment import Term
from frameworks.models import Criterion, Dimension

OUTCOMES = {
    **dict(Risk.Status.choices),
    "met": _("Target met"),
    "missed": _("Target missed"),
    "problem": _("Problem found"),
    **dict(Action.Status.choices),
}
# Outcomes that are bad news, shown in red; good news in green.
BAD = {"occurred", "missed", "problem", "dropped"}
GOOD = {"closed", "met", "done"}


def outcome_choices() -> list:
    """The outcome filter's options, grouped by what they describe."""
    risk = list(Risk.Status.choices)
    indicator = [("met", OUTCOMES["met"]), ("missed", OUTCOMES["missed"])]
    answer = [("problem", OUTCOMES["problem"])]
    action = list(Action.Status.choices)
    return [
        ("", _("Any outcome")),
        (_("Risks"), risk),
        (_("Indicators"), indicator),
        (_("Observations"), answer),
        (_("Actions"), action),
    ]


@dataclass
class Hit:
    kind: str
    kind_label: str
    case_title: SafeString
    case_url: str
    url: str
    where: str  # framework, round and item, e.g. "CA · R2 · CA-5 风险管理"
    outcome: str
    outcome_label: str
    tone: str  # "bad", "good" or ""
    snippet: SafeString
    archived: bool
    # The earlier rounds that hold the same text unchanged, e.g. "also in R1, R2"; or "".
    also_in: str = ""


def _item_titles(entries: list[SearchEntry]) -> dict[tuple[int, str], str]:
    """{(version id, code): title} of the items and dimensions the entries name (2 queries)."""
    versions = {e.assessment.version_id for e in entries if e.assessment_id}
    codes = {c for e in entries for c in (e.item_code, e.dimension_code) if c}
    if not versions or not codes:
        return {}
    titles = {}
    for model in (Dimension, Criterion):
        for row in model.objects.filter(version_id__in=versions, code__in=codes):
            titles[(row.version_id, row.code)] = row.title
    return titles


def _where(entry: SearchEntry, titles) -> str:
    if not entry.assessment_id:
        return ""
    assessment = entry.assessment
    parts = [assessment.framework.code, f"R{assessment.round}"]
    code = entry.item_code or entry.dimension_code
    if code:
        title = titles.get((assessment.version_id, code), "")
        parts.append(f"{code} {title}".strip())
    return " · ".join(parts)


def _also_in(rounds: list[int]) -> str:
    if not rounds:
        return ""
    return gettext("also in %(rounds)s") % {"rounds": ", ".join(f"R{n}" for n in rounds)}


def hits(
    entries: list[SearchEntry], terms: list[Term], earlier: dict[int, list[int]] | None = None
) -> list[Hit]:
    """One hit per entry; `earlier` gives the rounds an entry's text also appears in."""
    earlier = earlier or {}
    titles = _item_titles(entries)
    kinds = dict(SearchEntry.Kind.choices)
    rows = []
    for entry in entries:
        if entry.assessment_id:
            url = reverse("report_assessment", args=[entry.assessment_id])
        else:
            url = entry.case.get_absolute_url()
        rows.append(
            Hit(
                kind=entry.kind,
                kind_label=kinds.get(entry.kind, entry.kind),
                case_title=highlight(entry.case.title, terms),
                case_url=entry.case.get_absolute_url(),
                url=url,
                where=_where(entry, titles),
                outcome=entry.outcome,
                outcome_label=OUTCOMES.get(entry.outcome, ""),
                tone="bad" if entry.outcome in BAD else ("good" if entry.outcome in GOOD else ""),
                snippet=snippet(entry.body, terms),
                archived=entry.case.archived_at is not None,
                also_in=_also_in(earlier.get(entry.pk, [])),
            )
        )
    return rows


def kind_facets(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(kind, label, matches) for every kind with a match, in the kinds' order."""
    return [(k, label, counts[k]) for k, label in SearchEntry.Kind.choices if counts.get(k)]

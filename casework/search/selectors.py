"""Reading the search index: the entries a user may see that match a query, counted and paged.

Scope first: every query starts from the entries of `access.cases_visible_to(user)`, the rule
the case pages use, so another unit's text never matches, never shows and is never counted.
Text a new round copied unchanged is one hit, the latest round's, with the earlier rounds it
also appears in; what counts as a copy is judged among the entries the user may see, after the
filters. A fixed number of queries per page, whatever the number of matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Q, QuerySet, Value, Window
from django.db.models.functions import Coalesce

from casework import access
from casework.search import backends
from casework.search.models import SearchEntry
from casework.search.segment import Term, parse_query

PER_PAGE = 20
MAX_PAGE = 500


@dataclass
class SearchResults:
    terms: list[Term]
    counts: dict[str, int] = field(default_factory=dict)  # matches per kind, before `kind`
    total: int = 0  # matches with every filter
    page: int = 1
    pages: int = 0
    entries: list[SearchEntry] = field(default_factory=list)
    searched: bool = False  # False when there was nothing to search for
    # {entry id: earlier rounds holding the same text unchanged}, for the entries of the page
    earlier: dict[int, list[int]] = field(default_factory=dict)

    @property
    def all_kinds(self) -> int:
        return sum(self.counts.values())


def entries_visible_to(user) -> QuerySet[SearchEntry]:
    """Entries of the cases the user may see, less those of assessments hidden from them
    (a blind second scoring and the scoring it is compared with, until both are submitted)."""
    return SearchEntry.objects.filter(
        case_id__in=access.cases_visible_to(user).values("pk")
    ).filter(
        Q(assessment__isnull=True)
        | Q(assessment_id__in=access.assessments_visible_to(user).values("pk"))
    )


# What makes two entries the same text: a new round copies answers, findings, registers,
# conclusions and actions, so a copy has the same place and words in the same case and framework.
SAME_TEXT = ("case_id", "kind", "item_code", "dimension_code", "category", "body")


def latest_copies(entries: QuerySet) -> QuerySet:
    """`entries` less those whose text a later round among `entries` holds unchanged.

    `entries` are what the user may see, filtered and matched, so a copy the user can't see (a
    blind scoring's) or that doesn't match never hides one that does. One window over the
    entries (a partition per text), not a lookup per row.
    """
    round_ = Coalesce(F("assessment__round"), Value(0))  # a case's own text has no round
    newest = (
        entries.annotate(
            copy_round=round_,
            newest_round=Window(
                Max(round_),
                partition_by=[F(name) for name in SAME_TEXT] + [F("assessment__framework_id")],
            ),
        )
        .filter(copy_round=F("newest_round"))
        .values("pk")
    )
    return entries.filter(pk__in=newest)


def _same_text(entry) -> tuple:
    return (*(getattr(entry, name) for name in SAME_TEXT), entry.assessment.framework_id)


def earlier_rounds(entries: list[SearchEntry], scope: QuerySet) -> dict[int, list[int]]:
    """{entry id: the earlier rounds in `scope` that hold its text unchanged} (1 query)."""
    shown = {_same_text(e): e for e in entries if e.assessment_id}
    if not shown:
        return {}
    copies = (
        scope.filter(
            assessment__isnull=False,
            case_id__in={e.case_id for e in shown.values()},
            body__in={e.body for e in shown.values()},
        )
        .select_related("assessment")
        .only(*SAME_TEXT, "assessment__framework_id", "assessment__round")
    )
    earlier: dict[int, set[int]] = {}
    for copy in copies:
        entry = shown.get(_same_text(copy))
        if entry is not None and copy.assessment.round < entry.assessment.round:
            earlier.setdefault(entry.pk, set()).add(copy.assessment.round)
    return {pk: sorted(rounds) for pk, rounds in earlier.items()}


def _filtered(entries: QuerySet, *, item: str, outcome: str, language: str = "") -> QuerySet:
    if language:
        entries = entries.filter(language=language)
    if item:
        entries = entries.filter(Q(item_code=item) | Q(dimension_code=item))
    if outcome:
        entries = entries.filter(outcome=outcome)
    return entries


def search(
    *,
    user,
    q: str = "",
    kind: str = "",
    item: str = "",
    outcome: str = "",
    language: str = "",
    page: int = 1,
) -> SearchResults:
    """One page of matches, best first; with no query but a filter, the newest entries."""
    terms = parse_query(q)
    results = SearchResults(terms=terms)
    if not terms and not (kind or item or outcome or language):
        return results
    results.searched = True
    entries = _filtered(entries_visible_to(user), item=item, outcome=outcome, language=language)
    if terms:
        entries = backends.matching(entries, terms)
    entries = latest_copies(entries)
    by_kind = entries.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n")
    results.counts = dict(by_kind)
    results.total = results.counts.get(kind, 0) if kind else sum(results.counts.values())
    results.pages = -(-results.total // PER_PAGE)
    results.page = max(1, min(page, results.pages or 1, MAX_PAGE))
    offset = (results.page - 1) * PER_PAGE
    if kind:
        entries = entries.filter(kind=kind)
    if not results.total:
        return results
    if terms:
        ids = backends.ranked_ids(entries, terms, offset=offset, limit=PER_PAGE)
    else:
        ids = list(entries.order_by("-pk").values_list("pk", flat=True)[offset : offset + PER_PAGE])
    found = (
        entries_visible_to(user)
        .select_related("case", "case__unit", "assessment", "assessment__framework")
        .defer("text")
        .in_bulk(ids)
    )
    results.entries = [found[pk] for pk in ids if pk in found]
    results.earlier = earlier_rounds(
        results.entries,
        _filtered(entries_visible_to(user), item=item, outcome=outcome, language=language),
    )
    return results

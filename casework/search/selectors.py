"""Reading the search index: the entries a user may see that match a query, counted and paged.

Scope first: every query starts from the entries of `access.cases_visible_to(user)`, the rule
the case pages use, so another unit's text never matches, never shows and is never counted.
A fixed number of queries per page, whatever the number of matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from casework import access
from casework.models import Assessment
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

    @property
    def all_kinds(self) -> int:
        return sum(self.counts.values())


def entries_visible_to(user) -> QuerySet[SearchEntry]:
    # A blind second analyst finds nothing of the first scoring (and no one else the second's).
    hidden = Assessment.objects.filter(access.hidden_by_blind_scoring(user)).values("pk")
    return SearchEntry.objects.filter(
        case_id__in=access.cases_visible_to(user).values("pk")
    ).exclude(assessment_id__in=hidden)


def _filtered(entries: QuerySet, *, item: str, outcome: str) -> QuerySet:
    if item:
        entries = entries.filter(Q(item_code=item) | Q(dimension_code=item))
    if outcome:
        entries = entries.filter(outcome=outcome)
    return entries


def search(
    *, user, q: str = "", kind: str = "", item: str = "", outcome: str = "", page: int = 1
) -> SearchResults:
    """One page of matches, best first; with no query but a filter, the newest entries."""
    terms = parse_query(q)
    results = SearchResults(terms=terms)
    if not terms and not (kind or item or outcome):
        return results
    results.searched = True
    entries = _filtered(entries_visible_to(user), item=item, outcome=outcome)
    if terms:
        entries = backends.matching(entries, terms)
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
        scope = _filtered(entries_visible_to(user), item=item, outcome=outcome)
        if kind:
            scope = scope.filter(kind=kind)
        ids = backends.ranked_ids(scope, terms, offset=offset, limit=PER_PAGE)
    else:
        ids = list(entries.order_by("-pk").values_list("pk", flat=True)[offset : offset + PER_PAGE])
    found = (
        entries_visible_to(user)
        .select_related("case", "case__unit", "assessment", "assessment__framework")
        .defer("text")
        .in_bulk(ids)
    )
    results.entries = [found[pk] for pk in ids if pk in found]
    return results

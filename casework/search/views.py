"""The search page: a thin view over the form, the selector and the presenter."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from casework.search import presenters, selectors
from casework.search.forms import SearchForm


@login_required
def search(request):
    form = SearchForm(request.GET or None)
    filters = form.filters()
    results = selectors.search(user=request.user, **filters)
    query = request.GET.copy()
    query.pop("page", None)
    without_kind = query.copy()
    without_kind.pop("kind", None)
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "results": results,
            "hits": presenters.hits(results.entries, results.terms, results.earlier),
            "facets": presenters.kind_facets(results.counts),
            "kind": filters.get("kind", ""),
            "query": query.urlencode(),
            "without_kind": without_kind.urlencode(),
        },
    )

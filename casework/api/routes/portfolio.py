"""The portfolio: managers' and administrators' view of every visible case's latest scores."""

import math
from datetime import date

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema

from casework import access
from casework.api.common import ERRORS
from casework.api.schemas import Text

router = Router(tags=["portfolio"])


class PortfolioQuery(Schema):
    unit: Text = ""
    level: Text = ""
    sector: Text = ""
    status: Text = ""
    period_from: date | None = None
    period_to: date | None = None


class PortfolioOut(Schema):
    filters: dict
    choices: dict
    case_count: int
    table_rows: int
    frameworks: list[dict]


def plain(value):
    """pandas and numpy values as plain JSON: numbers, None for NaN, lists and dicts."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@router.get("", response={200: PortfolioOut, **ERRORS}, url_name="portfolio")
def portfolio(request, filters: Query[PortfolioQuery]):
    """The portfolio rows (the first rows of each framework, as the page shows) and filters."""
    from casework.reports import portfolio as reports_portfolio

    if not access.is_manager(request.user):
        raise PermissionDenied
    chosen = reports_portfolio.PortfolioFilters.from_query(
        {k: (v.isoformat() if isinstance(v, date) else v) for k, v in filters.dict().items() if v}
    )
    data = reports_portfolio.portfolio_context(request.user, chosen, all_rows=False)
    choices = reports_portfolio.filter_choices(request.user)
    frameworks = []
    for framework in data["frameworks"]:
        framework = {k: v for k, v in framework.items() if k != "shown_rows"}
        framework["rows"] = [
            {k: v for k, v in row.items() if k != "cells"} for row in framework["rows"]
        ]
        frameworks.append(framework)
    return plain(
        {
            "filters": data["filters"],
            "choices": {
                "units": [{"code": c, "name": n} for c, n in choices["units"]],
                "levels": [{"value": v, "label": str(label)} for v, label in choices["levels"]],
                "statuses": [{"value": v, "label": str(label)} for v, label in choices["statuses"]],
                "sectors": [{"value": v, "label": label} for v, label in choices["sectors"]],
            },
            "case_count": data["case_count"],
            "table_rows": data["table_rows"],
            "frameworks": frameworks,
        }
    )

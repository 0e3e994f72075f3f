"""The portfolio: every visible case's latest scores, spreads and cohorts.

The scores are the ones casework.scoring computed and casework.readmodel stored when the
answers were written, so nothing is re-scored here. The page's counts, spreads and cohort
averages are summed by the database (portfolio_stats) and its table is read a page at a time,
so a request's work does not grow with the number of cases. `portfolio_frames` gives the same
scores as pandas frames, for the analyses that need every row.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from casework import access, readmodel, sectors, selectors
from casework.models import Assessment, Case, OrgUnit
from casework.reports import portfolio_stats, register_figures
from casework.scoring import to_percent
from frameworks.models import Dimension, Framework, ScaleLevel, pick_language

if TYPE_CHECKING:
    import pandas as pd

TABLE_ROWS = 50  # rows per page of the table; the exports hold them all
# What the portfolio's case frame holds of each case (sector_key is annotated).
CASE_COLUMNS = [
    "id",
    "title",
    "level",
    "sector_key",
    "region",
    "unit__code",
    "unit__name_zh",
    "unit__name_en",
    "period_start",
    "period_end",
]


@dataclass
class PortfolioFilters:
    unit: str = ""
    level: str = ""
    sector: str = ""
    status: str = ""
    period_from: date | None = None
    period_to: date | None = None

    @classmethod
    def from_query(cls, query) -> PortfolioFilters:
        """Filters from a query string; values that make no sense are ignored."""
        values = {}
        for name in ("unit", "level", "sector", "status"):
            values[name] = (query.get(name) or "").strip()[:120]
        if values["level"] not in Case.Level.values:
            values["level"] = ""
        if values["status"] not in Assessment.Status.values:
            values["status"] = ""
        for name in ("period_from", "period_to"):
            try:
                values[name] = date.fromisoformat(query.get(name) or "")
            except ValueError:
                values[name] = None
        return cls(**values)

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def as_query(self) -> str:
        """The filters that are set, as a query string (from_query reads it back)."""
        values = {name: value for name, value in self.as_dict().items() if value}
        return urlencode(
            {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
        )


def portfolio_version(user, filters: PortfolioFilters) -> str:
    """What a portfolio file depends on: who asks, the filters, and the last change (2 queries)."""
    stamps = [
        Case.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        Assessment.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
    ]
    membership = getattr(user, "membership", None)
    parts = [
        user.pk,
        user.is_superuser,
        membership and (membership.unit_id, membership.role),
        filters.as_query(),
        *((stamp["n"], stamp["last"] and stamp["last"].isoformat()) for stamp in stamps),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _cases(user, filters: PortfolioFilters):
    cases = access.cases_visible_to(user).filter(archived_at__isnull=True)
    if filters.unit:
        cases = cases.filter(unit__code=filters.unit)
    if filters.level:
        cases = cases.filter(level=filters.level)
    if filters.sector:
        cases = cases.alias(sector_key=sectors.key_expression()).filter(sector_key=filters.sector)
    # A case belongs to a period when its own period overlaps it (open ends overlap all).
    if filters.period_from:
        cases = cases.filter(Q(period_end__isnull=True) | Q(period_end__gte=filters.period_from))
    if filters.period_to:
        cases = cases.filter(Q(period_start__isnull=True) | Q(period_start__lte=filters.period_to))
    return cases


def _latest_assessments(cases, status: str):
    """The latest round per case and framework (with `status`, the latest with that status)."""
    return readmodel.latest_rounds(status=status).filter(case__in=cases.values("pk"))


def percent_series(scores: pd.Series) -> pd.Series:
    """casework.scoring.to_percent on a column: 0..1 → 0..100, half away from zero, 1 decimal."""
    import numpy as np

    tenths = (scores * 1000).round(6)
    return np.floor(tenths + 0.5) / 10


def _num(value):
    """A pandas number as a plain float for templates and JSON (NaN becomes None)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def portfolio_frames(user, filters: PortfolioFilters) -> dict[str, pd.DataFrame]:
    """The raw frames: cases, latest assessments with scores, dimensions, scale labels (4 queries)."""
    import pandas as pd

    cases_qs = _cases(user, filters)
    cases = pd.DataFrame.from_records(
        cases_qs.order_by().annotate(sector_key=sectors.key_expression()).values(*CASE_COLUMNS),
        columns=CASE_COLUMNS,
    ).rename(columns={"id": "case"})
    latest = _latest_assessments(cases_qs, filters.status)
    assessment_columns = [
        "id",
        "case_id",
        "framework__code",
        "framework__name_zh",
        "framework__name_en",
        "version_id",
        "version__label",
        "round",
        "status",
        "revision",
        "score_snapshot__overall",
        "score_snapshot__band",
        "dimension_scores",
    ]
    # The scores come stored (casework.readmodel): one row per assessment, no answer read here.
    # The dimension scores come as JSON text, parsed below: Django's JSONField converter costs
    # ten times more per row, which shows at 20,000 rows.
    # No ORDER BY: the model's default order joins the case and framework only to sort.
    latest = latest.order_by().annotate(
        dimension_scores=Cast("score_snapshot__dimensions", output_field=TextField())
    )
    assessments = pd.DataFrame.from_records(
        latest.values_list(*assessment_columns), columns=assessment_columns
    ).rename(
        columns={
            "id": "assessment",
            "case_id": "case",
            "version_id": "version",
            "score_snapshot__overall": "overall",
            "score_snapshot__band": "band",
        }
    )
    # One parse for all rows: the texts joined into a single JSON array.
    texts = assessments.pop("dimension_scores").tolist()
    parsed = json.loads("[" + ",".join(text or "{}" for text in texts) + "]")
    # Wide: a row per assessment, a column per dimension code, NaN where a dimension has no score.
    wide = pd.DataFrame.from_records(parsed, index=assessments["assessment"].tolist()).astype(float)
    version_ids = sorted(set(assessments["version"].tolist()))
    dim_columns = ["version_id", "code", "weight", "order", "title_zh", "title_en"]
    dims = pd.DataFrame.from_records(
        Dimension.objects.filter(version_id__in=version_ids).values_list(*dim_columns),
        columns=dim_columns,
    ).rename(columns={"version_id": "version", "code": "dimension", "weight": "dim_weight"})
    dims["dim_weight"] = dims["dim_weight"].astype(float)
    level_columns = ["version_id", "value", "label_zh", "label_en"]
    levels = pd.DataFrame.from_records(
        ScaleLevel.objects.filter(version_id__in=version_ids).values_list(*level_columns),
        columns=level_columns,
    ).rename(columns={"version_id": "version"})
    assessments["overall"] = assessments["overall"].astype(float)
    assessments["band"] = assessments["band"].astype(float)
    assessments["percent"] = percent_series(assessments["overall"])
    dimension_percent = percent_series(wide)
    return {
        "cases": cases,
        "assessments": assessments,
        "dimension_percent": dimension_percent,
        "dimensions": dims,
        "levels": levels,
    }


# --- the page and the exports: aggregates from the database, rows a page at a time -------------


class Tenths(Func):
    """A stored 0..1 score in whole tenths of a point, rounded like to_tenths (for ORDER BY).

    Scores are never negative, so adding a half and truncating rounds half up; float noise
    is snapped to 6 decimals first, as to_tenths does.
    """

    output_field = IntegerField()
    template = "CAST(ROUND((%(expressions)s) * 1000, 6) + 0.5 AS INTEGER)"

    def as_postgresql(self, compiler, connection, **extra):
        # PostgreSQL rounds float8 only to whole numbers, and its cast to integer rounds.
        template = (
            "CAST(FLOOR(ROUND(CAST((%(expressions)s) * 1000 AS NUMERIC), 6) + 0.5) AS INTEGER)"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


SORTS = {
    # key: ORDER BY; scores without a value go last whichever way the scores are sorted
    "-score": (F("percent_order").desc(nulls_last=True), "case__title", "pk"),
    "score": (F("percent_order").asc(nulls_last=True), "case__title", "pk"),
    "title": ("case__title", "pk"),
    "-title": ("-case__title", "-pk"),
}
DEFAULT_SORT = "-score"


def _row_query(latest, framework_id: int, sort: str):
    """The framework's rows in `sort` order, with what a row shows (not yet evaluated)."""
    return (
        latest.filter(framework_id=framework_id)
        .annotate(
            percent_order=Tenths("score_snapshot__overall"),
            sector_label=sectors.label_expression("case__"),
        )
        .order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))
        .annotate(dimension_scores=Cast("score_snapshot__dimensions", output_field=TextField()))
        .values_list(
            "case_id",
            "case__title",
            "case__unit__name_zh",
            "case__unit__name_en",
            "case__level",
            "sector_label",
            "pk",
            "round",
            "status",
            "version_id",
            "version__label",
            "revision",
            "score_snapshot__overall",
            "score_snapshot__band",
            "dimension_scores",
        )
    )


class _RowMaker:
    """Turns row tuples into the dicts the page, the API and the exports show."""

    def __init__(self, dim_codes: list[str], band_labels: dict[tuple[int, int], str]):
        self.dim_codes = dim_codes
        self.band_labels = band_labels
        # Lazy labels are resolved once here, not once per row.
        self.level_labels = {key: str(label) for key, label in Case.Level.choices}
        self.status_labels = {key: str(label) for key, label in Assessment.Status.choices}
        self.units: dict[tuple[str, str], str] = {}

    def __call__(self, values) -> dict:
        (case, title, unit_zh, unit_en, level, sector, pk, rnd, status) = values[:9]
        version, label, revision, overall, band, dimension_scores = values[9:]
        scores = json.loads(dimension_scores or "{}")
        cells = [to_percent(scores.get(code)) for code in self.dim_codes]
        return {
            "case_id": case,
            "case_title": title,
            "unit": self.units.setdefault((unit_zh, unit_en), pick_language(unit_zh, unit_en)),
            "level": level,
            "level_label": self.level_labels.get(level, level),
            "sector": sector,
            "assessment_id": pk,
            "round": rnd,
            "status": status,
            "status_label": self.status_labels.get(status, status),
            "version_label": label,
            "revision": revision,
            "percent": to_percent(overall),
            "band": band,
            "band_label": "" if band is None else self.band_labels.get((version, band), ""),
            "dimensions": dict(zip(self.dim_codes, cells, strict=True)),
            "cells": cells,
        }


def _cohort_rows(groups: dict, label_of, dim_codes: list[str]) -> list[dict]:
    rows = []
    for key, group in groups.items():
        dimensions = {code: group.mean(code) for code in dim_codes}
        rows.append(
            {
                "key": key,
                "label": label_of(key),
                "n": group.n,
                "mean": group.mean(readmodel.OVERALL),
                "dimensions": dimensions,
                "cells": list(dimensions.values()),
            }
        )
    return rows


def _versions(latest) -> dict[int, tuple[int, int, int]]:
    """{version id: (framework id, its picked rounds, the framework's assessments)} (one query).

    The framework's assessments are counted only where portfolio_stats.from_index uses them
    (SQLite); elsewhere they are 0.
    """
    assessments = Value(0)
    if portfolio_stats.indexes():
        assessments = Subquery(
            Assessment.objects.filter(framework_id=OuterRef("framework_id"))
            .order_by()
            .values("framework_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
    return {
        version: (framework, rounds, total)
        for version, framework, rounds, total in latest.order_by()
        .values("version_id", "framework_id")
        .annotate(rounds=Count("pk"))
        # Annotated after the count, so not grouped by: evaluated once per version, not per row.
        .annotate(total=assessments)
        .values_list("version_id", "framework_id", "rounds", "total")
    }


def _dimensions(versions: dict) -> dict[int, list[dict]]:
    """{framework id: its dimensions in order}, over the given versions."""
    by_framework: dict[int, dict[str, dict]] = {}
    for framework_id, code, title_zh, title_en in (
        Dimension.objects.filter(version_id__in=list(versions))
        .order_by("order", "code")
        .values_list("version__framework_id", "code", "title_zh", "title_en")
    ):
        by_framework.setdefault(framework_id, {}).setdefault(
            code, {"code": code, "title": pick_language(title_zh, title_en)}
        )
    return {pk: list(dims.values()) for pk, dims in by_framework.items()}


def _band_labels(versions: dict) -> dict[tuple[int, int], str]:
    return {
        (version, value): pick_language(zh, en)
        for version, value, zh, en in ScaleLevel.objects.filter(
            version_id__in=list(versions)
        ).values_list("version_id", "value", "label_zh", "label_en")
    }


def portfolio_context(
    user,
    filters: PortfolioFilters,
    *,
    all_rows: bool = True,
    pages: dict[str, int] | None = None,
    sort: str = DEFAULT_SORT,
) -> dict:
    """Per framework: counts, spread per dimension, cohort averages and a page of rows.

    The aggregates cover every visible case (computed by the database, see portfolio_stats).
    `rows` holds one page of TABLE_ROWS rows (`pages` gives each framework's page number,
    1 by default), or every row with all_rows=True (the exports). Queries: 6 + 1 per framework.
    """
    cases = _cases(user, filters)
    latest = _latest_assessments(cases, filters.status)
    # The versions first, so that the dimensions and labels need not pick the rounds again and
    # the aggregates know each framework's codes (SQLite reads their histograms from an index).
    versions = _versions(latest)
    dims = _dimensions(versions)
    band_labels = _band_labels(versions)
    rounds: dict[int, list[int]] = {}
    for framework, n, total in versions.values():
        rounds.setdefault(framework, [0, total])[0] += n
    stats = portfolio_stats.framework_stats(
        latest,
        indexed={
            pk: [readmodel.OVERALL, *(d["code"] for d in dims.get(pk, []))]
            for pk, (n, total) in rounds.items()
            if portfolio_stats.from_index(n, total)
        },
    )
    level_labels = {key: str(label) for key, label in Case.Level.choices}
    sector_labels = sectors.key_labels()
    frameworks = []
    for framework in Framework.objects.filter(pk__in=list(stats)).order_by("code"):
        numbers = stats[framework.pk]
        dimensions = dims.get(framework.pk, [])
        dim_codes = [d["code"] for d in dimensions]
        histograms = numbers.histograms
        count = numbers.count
        page_count = max(1, math.ceil(count / TABLE_ROWS))
        page = min(max(1, (pages or {}).get(framework.code, 1)), page_count)
        query = _row_query(latest, framework.pk, sort)
        if all_rows:
            query = query.iterator(chunk_size=2000)
        else:
            query = query[(page - 1) * TABLE_ROWS : page * TABLE_ROWS]
        make_row = _RowMaker(dim_codes, band_labels)
        rows = [make_row(values) for values in query]
        overall_spread = portfolio_stats.spread(histograms.get(readmodel.OVERALL, {}))
        frameworks.append(
            {
                "code": framework.code,
                "name": pick_language(framework.name_zh, framework.name_en),
                "dimensions": dimensions,
                "count": count,
                "mean": overall_spread["mean"],
                "spread": [
                    {**d, **portfolio_stats.spread(histograms.get(d["code"], {}))}
                    for d in dimensions
                ],
                "overall_spread": overall_spread,
                "by_level": _cohort_rows(
                    numbers.cohorts("level"), lambda key: level_labels.get(key, key), dim_codes
                ),
                "by_sector": _cohort_rows(
                    numbers.cohorts("sector"),
                    lambda key: sectors.label_for_key(key, sector_labels) or _("(no sector)"),
                    dim_codes,
                ),
                "rows": rows,
                "shown_rows": rows[:TABLE_ROWS],
                "page": page,
                "page_count": page_count,
                "first_row": (page - 1) * TABLE_ROWS + 1,
            }
        )
    return {
        "filters": filters.as_dict(),
        "case_count": cases.count(),
        "frameworks": frameworks,
        "table_rows": TABLE_ROWS,
        "sort": sort if sort in SORTS else DEFAULT_SORT,
    }


def portfolio_figures(data: dict) -> dict:
    """A box plot of the spread per dimension for each framework."""
    return {
        f"spread-{fw['code']}": register_figures.spread_box(
            fw["spread"], title=_("Spread per dimension: %(name)s") % {"name": fw["name"]}
        )
        for fw in data["frameworks"]
        if fw["count"]
    }


PAGE_PARAM = "page_%s"  # each framework's table pages on its own: ?page_SF=3


def requested_pages(query) -> dict[str, int]:
    """{framework code: page number} from a query string; nonsense is page 1."""
    pages = {}
    for name, value in query.items():
        if name.startswith("page_") and value.isdigit() and len(value) < 7:
            pages[name.removeprefix("page_")] = int(value)
    return pages


def add_table_links(data: dict, query) -> None:
    """Query strings for each table's previous and next page and its sort headers (in place)."""

    def link(**changes) -> str:
        changed = query.copy()
        for name, value in changes.items():
            changed[name] = value
        return changed.urlencode()

    unpaged = query.copy()
    for name in [name for name in unpaged if name.startswith("page_")]:
        del unpaged[name]
    # A header sorts by its column; clicked again, the other way round (back to page 1).
    for column, first, second in (("title", "title", "-title"), ("score", "-score", "score")):
        changed = unpaged.copy()
        changed["sort"] = second if data["sort"] == first else first
        data[f"sort_by_{column}"] = changed.urlencode()
    for framework in data["frameworks"]:
        name, page = PAGE_PARAM % framework["code"], framework["page"]
        framework["prev_query"] = link(**{name: str(page - 1)}) if page > 1 else ""
        last = page >= framework["page_count"]
        framework["next_query"] = "" if last else link(**{name: str(page + 1)})
        framework["last_row"] = framework["first_row"] + len(framework["rows"]) - 1


def filter_choices(user) -> dict:
    """Values offered by the filter form: the user's units and the sectors in use (2 queries)."""
    visible = access.cases_visible_to(user)
    units = OrgUnit.objects.filter(pk__in=visible.values("unit_id")).order_by("code")
    return {
        "units": [(unit.code, unit.name) for unit in units],
        "levels": Case.Level.choices,
        "statuses": Assessment.Status.choices,
        "sectors": selectors.sectors_visible_to(user),
    }

"""The portfolio: every visible case's latest scores, spreads and cohorts, from 4 queries.

The scores are the ones casework.scoring computed and casework.readmodel stored when the
answers were written, so nothing is re-scored here; pandas groups and summarises them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from casework import access, readmodel
from casework.models import Assessment, Case, OrgUnit
from casework.reports import figures as report_figures
from frameworks.models import Dimension, ScaleLevel, pick_language

if TYPE_CHECKING:
    import pandas as pd

TABLE_ROWS = 200  # rows shown on the page; the exports hold them all


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


def _cases(user, filters: PortfolioFilters):
    cases = access.cases_visible_to(user).filter(archived_at__isnull=True)
    if filters.unit:
        cases = cases.filter(unit__code=filters.unit)
    if filters.level:
        cases = cases.filter(level=filters.level)
    if filters.sector:
        cases = cases.filter(sector=filters.sector)
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
        cases_qs.order_by().values(
            "id",
            "title",
            "level",
            "sector",
            "region",
            "unit__code",
            "unit__name_zh",
            "unit__name_en",
            "period_start",
            "period_end",
        ),
        columns=[
            "id",
            "title",
            "level",
            "sector",
            "region",
            "unit__code",
            "unit__name_zh",
            "unit__name_en",
            "period_start",
            "period_end",
        ],
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


def _spread(values: pd.Series) -> dict:
    values = values.dropna()
    if values.empty:
        return {
            "n": 0,
            "min": None,
            "q1": None,
            "median": None,
            "q3": None,
            "max": None,
            "mean": None,
        }
    quartiles = values.quantile([0.25, 0.5, 0.75])
    return {
        "n": int(values.size),
        "min": _num(values.min()),
        "q1": _num(quartiles[0.25]),
        "median": _num(quartiles[0.5]),
        "q3": _num(quartiles[0.75]),
        "max": _num(values.max()),
        "mean": round(float(values.mean()), 1),
    }


def _cohorts(table: pd.DataFrame, by: str, label_of, dim_codes: list[str]) -> list[dict]:
    rows = []
    if table.empty:
        return rows
    grouped = table.groupby(by, dropna=False, sort=True)
    for key, group in grouped:
        rows.append(
            {
                "key": key,
                "label": label_of(key),
                "n": int(len(group)),
                "mean": _num(round(group["percent"].mean(), 1))
                if group["percent"].notna().any()
                else None,
                "dimensions": {
                    code: (
                        _num(round(group[code].mean(), 1)) if group[code].notna().any() else None
                    )
                    for code in dim_codes
                },
            }
        )
    for row in rows:
        row["cells"] = [row["dimensions"][code] for code in dim_codes]
    return rows


def _plain_column(series: pd.Series) -> list:
    """A column as Python values with NaN turned into None."""
    return [None if value is None or value != value else value for value in series.tolist()]


def _rows(group, dim_codes, level_labels, status_labels, label_lookup) -> list[dict]:
    """The table rows of one framework; built column-wise, as 20,000 rows must stay quick."""
    units: dict[tuple[str, str], str] = {}
    unit_names = [
        units.setdefault((zh, en), pick_language(zh, en))
        for zh, en in zip(group["unit__name_zh"], group["unit__name_en"], strict=True)
    ]
    bands = _plain_column(group["band"])
    band_labels = [
        "" if band is None else label_lookup.get((version, int(band)), "")
        for version, band in zip(group["version"].tolist(), bands, strict=True)
    ]
    dim_columns = [_plain_column(group[code]) for code in dim_codes]
    columns = zip(
        group["case"].tolist(),
        group["title"].tolist(),
        unit_names,
        group["level"].tolist(),
        group["sector"].tolist(),
        group["assessment"].tolist(),
        group["round"].tolist(),
        group["status"].tolist(),
        group["version__label"].tolist(),
        group["revision"].tolist(),
        _plain_column(group["percent"]),
        bands,
        band_labels,
        zip(*dim_columns, strict=True) if dim_codes else ([] for _ in range(len(group))),
        strict=True,
    )
    rows = []
    for (
        case,
        title,
        unit,
        level,
        sector,
        pk,
        rnd,
        status,
        label,
        revision,
        percent,
        band,
        band_label,
        cells,
    ) in columns:
        cells = list(cells)
        rows.append(
            {
                "case_id": int(case),
                "case_title": title,
                "unit": unit,
                "level": level,
                "level_label": level_labels.get(level, level),
                "sector": sector,
                "assessment_id": int(pk),
                "round": int(rnd),
                "status": status,
                "status_label": status_labels.get(status, status),
                "version_label": label,
                "revision": int(revision),
                "percent": percent,
                "band": None if band is None else int(band),
                "band_label": band_label,
                "dimensions": dict(zip(dim_codes, cells, strict=True)),
                "cells": cells,
            }
        )
    return rows


def portfolio_context(user, filters: PortfolioFilters, *, all_rows: bool = True) -> dict:
    """Per framework: a row per case (latest round), spread per dimension, cohort averages.

    `rows` holds every case, best first; with all_rows=False (the page) only the first
    TABLE_ROWS, which is all the page shows. `count` is always the full number.
    """
    frames = portfolio_frames(user, filters)
    cases, assessments = frames["cases"], frames["assessments"]
    wide, dims, levels = frames["dimension_percent"], frames["dimensions"], frames["levels"]
    # Lazy labels are resolved once here, not once per row.
    level_labels = {key: str(label) for key, label in Case.Level.choices}
    status_labels = {key: str(label) for key, label in Assessment.Status.choices}
    label_lookup = {
        (row.version, row.value): pick_language(row.label_zh, row.label_en)
        for row in levels.itertuples()
    }
    table = assessments.merge(cases, on="case", how="inner")
    frameworks = []
    for code, group in table.groupby("framework__code", sort=True):
        versions = set(group["version"])
        framework_dims = (
            dims[dims["version"].isin(versions)]
            .sort_values(["order", "dimension"])
            .drop_duplicates("dimension")
        )
        dim_codes = framework_dims["dimension"].tolist()
        dim_titles = {
            row.dimension: pick_language(row.title_zh, row.title_en)
            for row in framework_dims.itertuples()
        }
        group = group.merge(
            wide.reindex(columns=dim_codes), left_on="assessment", right_index=True, how="left"
        ).sort_values(["percent", "title"], ascending=[False, True], na_position="last")
        count = len(group)
        shown = group if all_rows else group.head(TABLE_ROWS)
        rows = _rows(shown, dim_codes, level_labels, status_labels, label_lookup)
        first = group.iloc[0]
        frameworks.append(
            {
                "code": code,
                "name": pick_language(first["framework__name_zh"], first["framework__name_en"]),
                "dimensions": [{"code": c, "title": dim_titles[c]} for c in dim_codes],
                "count": count,
                "mean": _num(round(group["percent"].mean(), 1))
                if group["percent"].notna().any()
                else None,
                "spread": [
                    {"code": c, "title": dim_titles[c], **_spread(group[c])} for c in dim_codes
                ],
                "overall_spread": _spread(group["percent"]),
                "by_level": _cohorts(
                    group, "level", lambda key: str(level_labels.get(key, key)), dim_codes
                ),
                "by_sector": _cohorts(
                    group, "sector", lambda key: key or _("(no sector)"), dim_codes
                ),
                "rows": rows,
                "shown_rows": rows[:TABLE_ROWS],
            }
        )
    return {
        "filters": filters.as_dict(),
        "case_count": int(len(cases)),
        "frameworks": frameworks,
        "table_rows": TABLE_ROWS,
    }


def portfolio_figures(data: dict) -> dict:
    """A box plot of the spread per dimension for each framework."""
    return {
        f"spread-{fw['code']}": report_figures.spread_box(
            fw["spread"], title=_("Spread per dimension: %(name)s") % {"name": fw["name"]}
        )
        for fw in data["frameworks"]
        if fw["count"]
    }


def filter_choices(user) -> dict:
    """Values offered by the filter form: the user's units and the sectors in use (2 queries)."""
    visible = access.cases_visible_to(user)
    units = OrgUnit.objects.filter(pk__in=visible.values("unit_id")).order_by("code")
    sectors = (
        visible.exclude(sector="").order_by("sector").values_list("sector", flat=True).distinct()
    )
    return {
        "units": [(unit.code, unit.name) for unit in units],
        "levels": Case.Level.choices,
        "statuses": Assessment.Status.choices,
        "sectors": list(sectors),
    }

"""Two to six assessments of one framework side by side: the compare page's context."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from casework.forms.bounds import database_int
from casework.models import Assessment
from casework.reports.figures import compare_radar
from casework.reports.render import figure_data
from casework.reports.scores import (
    answers_by_assessment,
    label_for,
    percent_map,
    score_answers,
    version_parts,
)

MAX_COMPARED = 6


def round_links(rounds: Sequence[dict], codes: Sequence[str]) -> list[dict]:
    """A "compare rounds" link per framework code in `codes` that has more than one round.

    `rounds` are a case's assessments (render.case_rounds: by framework code, latest round
    first); second ratings are not rounds of their own.
    """
    ids: dict[str, list[int]] = {}
    for row in rounds:
        if row["second_of_id"] is None:
            ids.setdefault(row["framework__code"], []).append(row["pk"])
    links = []
    for code in codes:
        chosen = ids.get(code, [])[:MAX_COMPARED]
        if len(chosen) > 1:
            # Oldest first, so differences read as change since the earliest round shown.
            query = urlencode([("a", pk) for pk in reversed(chosen)])
            links.append({"code": code, "url": f"{reverse('compare')}?{query}"})
    return links


class CompareError(ValueError):
    """The assessments chosen for a comparison cannot be compared; the message says why."""


def compare_context(assessments: Sequence[Assessment]) -> dict:
    """2–6 assessments of one framework side by side, differences against the first."""
    if len(assessments) < 2:
        raise CompareError(_("Choose at least two assessments to compare."))
    if len(assessments) > MAX_COMPARED:
        raise CompareError(
            _("You can compare at most %(max)d assessments at a time.") % {"max": MAX_COMPARED}
        )
    frameworks = {a.framework_id for a in assessments}
    if len(frameworks) > 1:
        raise CompareError(
            _(
                "These assessments use different frameworks (%(codes)s); only assessments of the same framework can be compared."
            )
            % {"codes": ", ".join(sorted({a.framework.code for a in assessments}))}
        )
    levels_by_version, dimensions_by_version = version_parts(a.version_id for a in assessments)
    answers = answers_by_assessment(a.pk for a in assessments)
    # Dimensions in the order of the first assessment's version, then any others a later
    # version added.
    columns: list[dict] = []
    seen = set()
    for assessment in assessments:
        for dimension in dimensions_by_version[assessment.version_id]:
            if dimension.code not in seen:
                seen.add(dimension.code)
                columns.append({"code": dimension.code, "title": dimension.title})
    entries = []
    for assessment in assessments:
        levels = levels_by_version[assessment.version_id]
        score = score_answers(
            answers[assessment.pk], levels, dimensions_by_version[assessment.version_id]
        )
        entries.append(
            {
                "id": assessment.pk,
                "label": f"{assessment.case.title} · R{assessment.round}",
                "case_title": assessment.case.title,
                "round": assessment.round,
                "status_label": assessment.get_status_display(),
                "version_label": assessment.version.label,
                "percent": score.percent(),
                "band_label": label_for(levels, score.band),
                "dimensions": percent_map(score),
            }
        )
    base = entries[0]
    rows = []
    for column in columns:
        cells = []
        for entry in entries:
            value = entry["dimensions"].get(column["code"])
            first = base["dimensions"].get(column["code"])
            diff = None if value is None or first is None else round(value - first, 1)
            cells.append({"percent": value, "diff": diff})
        rows.append({**column, "cells": cells})
    overall_cells = []
    for entry in entries:
        diff = (
            None
            if entry["percent"] is None or base["percent"] is None
            else round(entry["percent"] - base["percent"], 1)
        )
        overall_cells.append({"percent": entry["percent"], "diff": diff})
    first = assessments[0]
    return {
        "framework": {"code": first.framework.code, "name": first.version.name},
        "entries": entries,
        "columns": columns,
        "rows": rows,
        "overall": overall_cells,
    }


# --- the compare page: what was asked for, what it shows, and the picker ------------------------

PICKER_SIZE = 300


def _chosen_ids(raw_ids: Sequence[str]) -> tuple[list[int], str | None]:
    """The ids asked for, deduplicated in order, and an error; refused before any query."""
    try:
        chosen = list(dict.fromkeys(database_int(value) for value in raw_ids))
    except ValueError:
        return [], _("The assessments to compare must be given by number.")
    if len(chosen) > MAX_COMPARED:
        return chosen, _("You can compare at most %(max)d assessments at a time.") % {
            "max": MAX_COMPARED
        }
    return chosen, None


def _comparison(visible, chosen_ids: list[int]) -> tuple[dict | None, dict, str | None]:
    """(comparison, figures, error) of the chosen assessments among those `visible`."""
    found = {
        a.pk: a
        for a in visible.filter(pk__in=chosen_ids).select_related("case", "framework", "version")
    }
    # An id the user may not see is reported like one that does not exist.
    if any(pk not in found for pk in chosen_ids):
        return None, {}, _("Some of the chosen assessments do not exist or are not visible to you.")
    try:
        comparison = compare_context([found[pk] for pk in chosen_ids])
    except CompareError as exc:
        return None, {}, str(exc)
    return comparison, {"compare": compare_radar(comparison)}, None


def _picker(visible, search: str) -> list[dict]:
    """The most recently changed visible assessments, narrowed by a title search."""
    listed = visible.filter(case__title__icontains=search) if search else visible
    recent_ids = listed.order_by("-updated_at").values("pk")[:PICKER_SIZE]
    status_labels = dict(Assessment.Status.choices)
    return [
        {**row, "status_label": status_labels.get(row["status"], row["status"])}
        for row in visible.filter(pk__in=recent_ids)
        .order_by("framework__code", "case__title", "-round")
        .values("pk", "round", "status", "case__title", "framework__code", "version__label")
    ]


def compare_page(visible, query) -> dict:
    """The compare page's context for a query (?a=…&q=…) over the assessments `visible`."""
    raw_ids = query.getlist("a")
    chosen_ids, error = _chosen_ids(raw_ids)
    comparison, figures = None, {}
    if raw_ids and error is None:
        comparison, figures, error = _comparison(visible, chosen_ids)
    search = query.get("q", "").strip()[:100]
    return {
        "comparison": comparison,
        "error": error,
        "picker": _picker(visible, search),
        "picker_size": PICKER_SIZE,
        "search": search,
        "chosen_ids": chosen_ids,
        "figures": figure_data(figures),
        "max_compared": MAX_COMPARED,
    }

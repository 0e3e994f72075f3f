"""Two to six assessments of one framework side by side: the compare page's context."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from casework.models import Assessment
from casework.reports.scores import (
    answers_by_assessment,
    label_for,
    percent_map,
    score_answers,
    version_parts,
)

MAX_COMPARED = 6


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

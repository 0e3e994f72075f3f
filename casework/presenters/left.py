"""What is left to do in an assessment, per step and overall, with links to each item."""

from django.utils.translation import gettext_lazy as _

from casework import readmodel
from casework.presenters.navigation import item_dom_id

GAP_LABELS = {
    readmodel.GAP_UNANSWERED: _("not answered yet"),
    readmodel.GAP_NA_REASON: _("not applicable, reason missing"),
    readmodel.GAP_EVIDENCE: _("no evidence or cited source"),
}
# The field a link to the item puts the cursor in.
GAP_FOCUS = {readmodel.GAP_NA_REASON: "na_reason", readmodel.GAP_EVIDENCE: "evidence"}


def what_is_left(assessment, dimensions, *, current=None) -> dict:
    """Open items grouped by step, counted by kind; `current` is the step on screen.

    `dimensions` are those of `dimensions_with_progress` (numbered, with their step's URL,
    and the open items it read with their progress). Sets `left` on each dimension (for the
    step list). No query of its own.
    """
    items = dimensions.open_items
    by_step: dict[int, list] = {}
    for answer in items:
        by_step.setdefault(answer.criterion.dimension_id, []).append(answer)
    counts = dict.fromkeys(readmodel.GAPS, 0)
    for answer in items:
        counts[answer.gap] += 1
    steps = []
    for dimension in dimensions:
        open_here = by_step.get(dimension.pk, [])
        dimension.left = len(open_here)
        if open_here:
            steps.append(
                {
                    "number": dimension.number,
                    "code": dimension.code,
                    "title": dimension.title,
                    "count": len(open_here),
                    "url": f"{dimension.url}#{item_dom_id(open_here[0].criterion.code)}",
                    "current": current is not None and dimension.pk == current.pk,
                }
            )
    here = []
    if current is not None:
        here = [
            {
                "code": answer.criterion.code,
                "title": answer.criterion.title,
                "anchor": item_dom_id(answer.criterion.code),
                "gap": answer.gap,
                "label": GAP_LABELS[answer.gap],
                "focus": GAP_FOCUS.get(answer.gap, ""),
            }
            for answer in by_step.get(current.pk, [])
        ]
    return {
        "total": len(items),
        "counts": [(gap, GAP_LABELS[gap], counts[gap]) for gap in readmodel.GAPS if counts[gap]],
        "here": here,
        "steps": steps,
    }

"""Shaping double-scoring data for the templates: the assessment page's card, adjudication rows."""

from casework import access
from casework import double as reads
from casework.forms.double import AdjudicationForm
from casework.models import Adjudication, Assessment
from casework.services.double import REQUESTABLE


def double_card(user, assessment: Assessment) -> dict | None:
    """What the assessment page says about double scoring, or None when there is nothing to say."""
    manager = access.is_manager(user)
    if assessment.second_of_id:
        pair = reads.pair_of(assessment)
        return {"is_second": True, "pair": pair, "show_agreement": pair.both_submitted}
    pair = reads.pair_of(assessment)
    if pair.second is None:
        if manager and assessment.status in REQUESTABLE:
            return {"is_second": False, "pair": pair, "can_request": True}
        return None
    visible = manager or pair.both_submitted or pair.second.created_by_id == user.pk
    if not visible:
        # The first analyst learns that a second scoring exists, not who or how far it is.
        return {"is_second": False, "pair": pair, "blind": True}
    return {
        "is_second": False,
        "pair": pair,
        "show_agreement": pair.both_submitted,
        "can_adjudicate": manager and pair.can_adjudicate,
        "can_withdraw": manager
        and assessment.status != Assessment.Status.APPROVED
        and not assessment.adjudications.exists(),
    }


def _initial(row) -> dict:
    decision = row.adjudication
    if decision is not None:
        return {
            "choice": decision.choice,
            "level": decision.level if decision.choice == Adjudication.Choice.SET else None,
            "reason": decision.reason,
            "version": decision.version,
        }
    # Where the analysts differ nothing is picked for the reviewer; where they agree, that answer.
    return {"choice": "" if row.differs else Adjudication.Choice.FIRST, "version": 0}


def adjudication_rows(items, *, scale, bound=None) -> dict[str, list[dict]]:
    """One form per item, split into items to decide and items both analysts agree on.

    A bound form (with its errors and what was typed) stands in for its item's fresh one.
    """
    rows = []
    for row in items:
        if bound is not None and bound.code == row.code:
            form = bound
        else:
            form = AdjudicationForm(initial=_initial(row), scale=scale, prefix_code=row.code)
        rows.append({"side": row, "form": form})
    return {
        "to_decide": [r for r in rows if r["side"].differs],
        "agreed": [r for r in rows if not r["side"].differs],
    }

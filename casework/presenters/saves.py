"""How a save's outcome shows on an autosaving card: the time it was saved, both values, the lock.

The cards (the Conclusions card, a dimension's findings, and any card shaped like the wizard's
item cards) carry `version`, `saved_at`, `conflict`, `editable` and `message`; the templates read
those. `casework.writes.versioned_write` says how the save went, this module writes it on the card.
"""

from http import HTTPStatus

from django.utils import timezone

from casework.writes import HTTP_LOCKED, Outcome


def show_on_card(card, outcome: Outcome, *, version_field: str = "version") -> int:
    """Mark the card saved, in conflict (their values, their version) or locked; its status."""
    if outcome.ok:
        card.version = getattr(outcome.saved, version_field)
        card.saved_at = timezone.localtime()
    elif outcome.status == HTTPStatus.CONFLICT:
        card.conflict = outcome.conflict
        card.version = getattr(outcome.theirs, version_field)
    elif outcome.status == HTTP_LOCKED:
        card.editable, card.message = False, outcome.message
    return outcome.status

"""An item's history as the history panel shows it: who changed what, old → new."""

from casework.models import Answer
from casework.presenters.wizard import Card, display_value
from casework.services.answers import ANSWER_FIELDS, same_value


def history_entries(answer: Answer, card: Card) -> list[dict]:
    records = list(
        answer.history.select_related("history_user").order_by("history_date", "history_id")
    )
    previous = Answer(criterion=answer.criterion)
    entries = []
    for record in records:
        changes = []
        for name in ANSWER_FIELDS:
            old, new = getattr(previous, name), getattr(record, name)
            if not same_value(name, old, new) and not (
                old in (None, "", []) and new in (None, "", [])
            ):
                changes.append(
                    {
                        "label": Answer._meta.get_field(name).verbose_name,
                        "old": display_value(name, old, card),
                        "new": display_value(name, new, card),
                    }
                )
        # A version move may change nothing the analyst typed, but it is worth a line.
        reason = record.history_change_reason or ""
        if changes or reason:
            entries.append(
                {
                    "user": record.history_user,
                    "date": record.history_date,
                    "changes": changes,
                    "reason": reason,
                }
            )
        previous = record
    entries.reverse()
    return entries

"""Setting many observation items of an assessment at once (the wizard's observation sweep).

Each row is saved on its own, through the same versioned `answer_save` as an item card: a
row someone else saved in the meantime comes back as a conflict and a row with bad input as
errors, while the other rows are saved. The rows are independent answers with their own
versions, so refusing the whole table for one stale row would throw away the analyst's other
choices. Each row runs in its own savepoint inside one transaction: a failed row leaves no
trace, and an unexpected error (the database gone) saves nothing, so the page can simply be
sent again.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casework.models import Answer, Assessment
from casework.services.answers import answer_save
from casework.services.assessments import assessment_touch
from casework.services.errors import EditConflict
from casework.services.locks import ensure_editable
from frameworks.models import Criterion


@dataclass(frozen=True)
class ObservationEdit:
    """One row as the analyst left it, with the version it was loaded at; note None: unchanged."""

    code: str
    observation: str
    note: str | None
    expected_version: int


@dataclass
class RowOutcome:
    """What became of one row: saved (`answer`), a conflict (`current`), or `errors`."""

    answer: Answer | None = None
    current: Answer | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return self.answer is not None


@transaction.atomic
def observations_save(
    *, assessment: Assessment, user, edits: Sequence[ObservationEdit]
) -> dict[str, RowOutcome]:
    """Save each edited observation row on its own; return every row's outcome by item code."""
    ensure_editable(assessment)
    codes = [edit.code for edit in edits]
    if len(set(codes)) != len(codes):
        raise ValueError("one edit per item")
    kinds = dict(
        Criterion.objects.filter(version_id=assessment.version_id, code__in=codes).values_list(
            "code", "kind"
        )
    )
    outcomes = {}
    for edit in edits:
        if kinds.get(edit.code) != Criterion.Kind.OBSERVATION:
            outcomes[edit.code] = RowOutcome(
                errors=[_("Only this assessment's observation items are set here.")]
            )
            continue
        try:
            # answer_save is atomic itself: nested here, each row gets its own savepoint.
            answer = answer_save(
                assessment=assessment,
                criterion_code=edit.code,
                user=user,
                data={"observation": edit.observation}
                | ({} if edit.note is None else {"note": edit.note}),
                expected_version=edit.expected_version,
                touch=False,
            )
        except EditConflict as conflict:
            outcomes[edit.code] = RowOutcome(current=conflict.current)
        except ValidationError as error:
            outcomes[edit.code] = RowOutcome(errors=error.messages)
        else:
            outcomes[edit.code] = RowOutcome(answer=answer)
    if any(outcome.saved for outcome in outcomes.values()):
        # Once for the batch: the revision and the stored scores follow all the rows saved.
        assessment_touch(assessment_id=assessment.pk)
    return outcomes

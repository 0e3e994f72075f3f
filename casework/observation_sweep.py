"""The observation sweep's rows: one per observation item of a step, shaped for the table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from casework.forms.observations import ObservationRowForm
from casework.models import Answer
from casework.presenters.navigation import item_dom_id
from casework.presenters.wizard import evidence_limit, progress_extras, step_cards
from casework.services.observations import ObservationEdit, RowOutcome
from frameworks.models import Criterion


@dataclass
class SweepRow:
    """One item: its form, and what the last save did to it."""

    criterion: object
    answer: Answer
    form: ObservationRowForm
    saved: bool = False
    current: Answer | None = None  # someone else's newer save, on a conflict
    errors: list[str] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return self.form.prefix

    @property
    def dom_id(self) -> str:
        return "obs-" + "".join(c if c.isalnum() else "-" for c in self.criterion.code)

    @property
    def card_id(self) -> str:
        """The id of the item's card on the step, which a save in place replaces."""
        return item_dom_id(self.criterion.code)

    @property
    def values(self) -> dict:
        """What the row shows: the analyst's own values while unsaved; the stored ones after."""
        answer = self.answer
        stored = {
            "observation": answer.observation,
            "note": answer.note,
            "version": answer.version,
            "initial_observation": answer.observation,
            "initial_note": answer.note,
        }
        if not self.form.is_bound or self.saved:
            return stored
        data, add = self.form.data, self.form.add_prefix
        values = {name: data.get(add(name), "") for name in stored}
        if self.current is not None:
            # Re-based on their save: sending the row again keeps this analyst's value.
            values.update(
                version=self.current.version,
                initial_observation=self.current.observation,
                initial_note=self.current.note,
            )
        return values

    @property
    def field_errors(self) -> list[str]:
        if not self.form.is_bound or self.saved:
            return []
        form_errors = [e for errors in self.form.errors.values() for e in errors]
        return form_errors + self.errors


def sweep_rows(assessment, dimension, data=None) -> list[SweepRow]:
    """A row per observation item of `dimension`, bound to the posted data when there is any."""
    criteria = Criterion.objects.filter(
        dimension=dimension, kind=Criterion.Kind.OBSERVATION
    ).order_by("order")
    answers = {
        a.criterion_id: a
        for a in Answer.objects.filter(assessment=assessment, criterion__dimension=dimension)
    }
    rows = []
    for criterion in criteria:
        answer = answers.get(criterion.pk) or Answer(criterion=criterion)
        answer.criterion = criterion
        # A row the post does not mention at all stays unbound: not saved, not an error.
        posted = data is not None and f"{criterion.code}-version" in data
        form = ObservationRowForm(data if posted else None, criterion=criterion)
        rows.append(SweepRow(criterion=criterion, answer=answer, form=form))
    return rows


def sweep_edits(rows: Sequence[SweepRow]) -> list[ObservationEdit]:
    """The valid rows the analyst changed, as edits for `observations_save`."""
    return [
        ObservationEdit(
            code=row.criterion.code,
            observation=row.form.cleaned_data["observation"],
            note=row.form.cleaned_data["note"] if row.form.note_changed else None,
            expected_version=row.form.cleaned_data["version"],
        )
        for row in rows
        if row.form.is_bound and row.form.is_valid() and row.form.touched
    ]


def apply_outcomes(rows: Sequence[SweepRow], outcomes: dict[str, RowOutcome]) -> None:
    """Mark each row saved, in conflict or in error, as the service left it."""
    for row in rows:
        outcome = outcomes.get(row.criterion.code)
        if outcome is None:
            continue
        if outcome.saved:
            row.answer, row.saved = outcome.answer, True
        row.current = outcome.current
        row.errors = outcome.errors


def problem_count(rows: Sequence[SweepRow]) -> int:
    """Rows the analyst still has to look at: a conflict, a refused value or a form error."""
    return sum(1 for row in rows if row.current is not None or row.field_errors)


def saved_in_place(assessment, dimension, *, message: str) -> dict:
    """What a sweep saved inside the step swaps: the observation cards, progress, what is left."""
    cards = step_cards(assessment, dimension, editable=True)
    return {
        "message": message,
        "assessment": assessment,
        "cards": [card for card in cards if card.criterion.kind == Criterion.Kind.OBSERVATION],
        "evidence_limit": evidence_limit(),
        **progress_extras(assessment, dimension.pk),
    }


def sweep_status(rows: Sequence[SweepRow]) -> int:
    """200 for a clean table; after a save with problems, 409 if a row was stale, else 422."""
    if not problem_count(rows):
        return 200
    return 409 if any(row.current is not None for row in rows) else 422


def sweep_context(assessment, dimension, number: int, rows, *, in_place: bool) -> dict:
    """What the table shows, in its panel inside the step (in place) or as a page of its own."""
    return {
        "assessment": assessment,
        "dimension": dimension,
        "number": number,
        "rows": rows,
        "problems": problem_count(rows),
        "choices": Answer.Observation.choices,
        "in_place": in_place,
    }

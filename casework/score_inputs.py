"""The one adapter from stored answers to casework.scoring's inputs: the scale and the items.

The stored scores (`readmodel.scores_refresh`) and the reports both score through it, so a
report and the snapshot behind the case list read an answer, and a version's scale, alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from casework.scoring import ItemAnswer, Scale

# What the scorer reads of an answer, as `values_list` names; `item_answer` takes them in order.
ANSWER_FIELDS = (
    "criterion__code",
    "criterion__dimension__code",
    "criterion__weight",
    "criterion__kind",
    "level",
    "not_applicable",
    "confidence",
    "observation",
)
# The answer's own fields among them (the rest describe its item, which a kept structure knows).
OWN_FIELDS = ANSWER_FIELDS[4:]


def scale_of(values: Iterable[int]) -> Scale:
    """A version's scale from its level values; the scorer's default (0..5) without two levels.

    Every version published through the importer has at least two levels; the default keeps
    a version written behind its back (or a draft) scoreable the same way everywhere.
    """
    values = set(values)
    return Scale(min=min(values), max=max(values)) if len(values) > 1 else Scale()


def item_answer(row: Sequence) -> ItemAnswer:
    """The scorer's item for one answer: `row` holds ANSWER_FIELDS in order (a values_list row)."""
    code, dimension, weight, kind, level, not_applicable, confidence, observation = row
    return ItemAnswer(
        code=code,
        dimension=dimension,
        weight=weight,
        kind=kind,
        level=level,
        not_applicable=not_applicable,
        confidence=confidence,
        observation=observation,
    )


def answer_row(answer) -> tuple:
    """ANSWER_FIELDS read from an Answer whose criterion and dimension are loaded (no queries)."""
    row = []
    for name in ANSWER_FIELDS:
        value = answer
        for part in name.split("__"):
            value = getattr(value, part)
        row.append(value)
    return tuple(row)

"""Reads for double scoring: the pair of assessments, their answers side by side, agreement.

A fixed number of queries whatever the number of items. The first assessment's answers may
already carry adjudicated levels: the raters' originals then come from the Adjudication rows,
so the agreement figures don't change as the reviewer decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from casework.analytics import double as pairing
from casework.models import Adjudication, Answer, Assessment
from frameworks.models import Criterion, Dimension, ScaleLevel

DONE_FIRST = (Assessment.Status.SUBMITTED, Assessment.Status.APPROVED)


@dataclass
class Pair:
    first: Assessment
    second: Assessment | None

    @property
    def both_submitted(self) -> bool:
        return (
            self.second is not None
            and self.first.status in DONE_FIRST
            and self.second.status == Assessment.Status.SUBMITTED
        )

    @property
    def can_adjudicate(self) -> bool:
        return self.both_submitted and self.first.status == Assessment.Status.SUBMITTED


def pair_of(assessment: Assessment) -> Pair:
    """The assessment of record and its second scoring (None when not double-scored); 1 query."""
    related = ("created_by", "submitted_by", "version", "case")
    if assessment.second_of_id:
        first = Assessment.objects.select_related(*related).get(pk=assessment.second_of_id)
        return Pair(first=first, second=assessment)
    second = Assessment.objects.select_related(*related).filter(second_of=assessment).first()
    return Pair(first=assessment, second=second)


def _answer(level, not_applicable) -> tuple[int | None, bool]:
    return (None, True) if not_applicable else (level, False)


@dataclass
class Side:
    """What the page shows of one item: both ratings, the decision, the agreed answer."""

    criterion: Criterion
    dimension: Dimension
    first: tuple[int | None, bool]
    second: tuple[int | None, bool]
    first_answer: Answer | None
    second_answer: Answer | None
    adjudication: Adjudication | None
    status: str = ""
    gap: int = 0
    labels: dict = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.criterion.code

    @property
    def differs(self) -> bool:
        return self.status != pairing.AGREED

    @property
    def decided(self) -> bool:
        return self.adjudication is not None

    def label(self, answer: tuple[int | None, bool]) -> str:
        level, not_applicable = answer
        if not_applicable:
            return "N/A"
        if level is None:
            return "—"
        name = self.labels.get(level, "")
        return f"{level} · {name}" if name else str(level)

    @property
    def first_label(self) -> str:
        return self.label(self.first)

    @property
    def second_label(self) -> str:
        return self.label(self.second)

    @property
    def agreed_label(self) -> str:
        if self.adjudication is None:
            return self.first_label if not self.differs else ""
        return self.label(_answer(self.adjudication.level, self.adjudication.not_applicable))


def paired_items(pair: Pair) -> tuple[list[Side], list[int], list[Dimension]]:
    """Every scored item of the pair's version, with both ratings; 5 queries."""
    first, second = pair.first, pair.second
    dimensions = list(Dimension.objects.filter(version_id=first.version_id).order_by("order"))
    by_dimension = {d.pk: d for d in dimensions}
    scale = list(ScaleLevel.objects.filter(version_id=first.version_id).order_by("value"))
    criteria = list(
        Criterion.objects.filter(version_id=first.version_id, kind="scored").order_by(
            "dimension__order", "order"
        )
    )
    answers = {
        (a.assessment_id, a.criterion_id): a
        for a in Answer.objects.filter(assessment_id__in=[first.pk, second.pk])
    }
    decisions = {
        d.criterion_id: d
        for d in Adjudication.objects.filter(assessment_id=first.pk).select_related("decided_by")
    }
    labels = {level.value: level.label for level in scale}
    rows = []
    for criterion in criteria:
        a = answers.get((first.pk, criterion.pk))
        b = answers.get((second.pk, criterion.pk))
        decision = decisions.get(criterion.pk)
        if decision is not None:
            first_value = _answer(decision.first_level, decision.first_not_applicable)
            second_value = _answer(decision.second_level, decision.second_not_applicable)
        else:
            first_value = _answer(a.level, a.not_applicable) if a else (None, False)
            second_value = _answer(b.level, b.not_applicable) if b else (None, False)
        rows.append(
            Side(
                criterion=criterion,
                dimension=by_dimension[criterion.dimension_id],
                first=first_value,
                second=second_value,
                first_answer=a,
                second_answer=b,
                adjudication=decision,
                labels=labels,
            )
        )
    return rows, [level.value for level in scale], dimensions


def agreement_of(pair: Pair) -> dict:
    """The agreement page's data: overall and per-dimension figures, items in review order."""
    rows, categories, dimensions = paired_items(pair)
    result = pairing.agreement(
        [
            pairing.PairedItem(
                code=r.code, dimension=r.dimension.code, first=r.first, second=r.second
            )
            for r in rows
        ],
        categories=categories,
        dimensions=[d.code for d in dimensions],
    )
    by_code = {r.code: r for r in rows}
    ordered = []
    for entry in result["items"]:
        row = by_code[entry["item"].code]
        row.status, row.gap = entry["status"], entry["gap"]
        ordered.append(row)
    return {
        "overall": result["overall"],
        "dimensions": [
            {"code": d.code, "title": d.title, **result["dimensions"][d.code]} for d in dimensions
        ],
        "items": ordered,
        "to_decide": [row for row in ordered if row.differs],
        "undecided": sum(1 for row in ordered if row.differs and not row.decided),
        "categories": categories,
    }


def undecided_count(first: Assessment) -> int | None:
    """Differing items without a decision; None when the assessment has no second scoring."""
    pair = pair_of(first)
    if pair.second is None:
        return None
    return agreement_of(pair)["undecided"]


def report_agreement(assessment: Assessment) -> dict | None:
    """The method appendix's agreement figures, once both scorings are submitted; else None."""
    if assessment.second_of_id or assessment.status not in DONE_FIRST:
        return None
    try:
        # No query when loaded with select_related("second_rating"), as the access helper does.
        second = assessment.second_rating
    except Assessment.DoesNotExist:
        return None
    pair = Pair(first=assessment, second=second)
    if not pair.both_submitted:
        return None
    data = agreement_of(pair)
    overall = data["overall"]
    decided = sum(1 for row in data["to_decide"] if row.decided)
    facts = {
        "first": _name(pair.first.created_by),
        "second": _name(pair.second.created_by),
        "items": overall["rated_by_both"],
        "exact": _percent(overall["exact_percent"]),
        "kappa": _figure(overall["kappa"], overall["kappa_band_label"]),
        "quadratic": _figure(overall["quadratic_kappa"], overall["quadratic_kappa_band_label"]),
        "decided": decided,
        "to_decide": len(data["to_decide"]),
    }
    sentence = (
        _(
            "Two analysts, %(first)s and %(second)s, scored this round independently, neither "
            "seeing the other's answers. On the %(items)s items both rated, exact agreement was "
            "%(exact)s, Cohen's kappa %(kappa)s and the quadratic-weighted kappa %(quadratic)s "
            "(reading bands of Landis & Koch, 1977)."
        )
        % facts
    )
    decisions = (
        _(
            "The reviewer decided %(decided)s of the %(to_decide)s items scored differently, each "
            "with a reason; the scores in this report use the agreed answers."
        )
        % facts
    )
    return {
        **facts,
        "sentence": sentence,
        "decisions": decisions,
        "overall": overall,
        "rows": [
            {
                "dimension": f"{d['code']} {d['title']}",
                "items": f"{d['rated_by_both']}/{d['items']}",
                "exact": _percent(d["exact_percent"]),
                "kappa": _figure(d["kappa"], d["kappa_band_label"]),
                "quadratic": _figure(d["quadratic_kappa"], d["quadratic_kappa_band_label"]),
            }
            for d in data["dimensions"]
        ],
    }


def _percent(value) -> str:
    return "—" if value is None else f"{value} %"


def _figure(value, label) -> str:
    return "—" if value is None else f"{value:.2f} ({label})"


def _name(user) -> str:
    return user.get_full_name() or user.get_username()

"""The Conclusions step as its templates show it: cards, action rows, the plan and its wording."""

from dataclasses import dataclass, field
from http import HTTPStatus

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from casework.forms.narrative import ActionForm, ConclusionsForm, FindingForm
from casework.models import Action, Assessment, DimensionFinding
from casework.presenters.left import what_is_left
from casework.presenters.navigation import case_url, exit_url
from casework.presenters.wizard import overall_progress, readonly_reason
from casework.writes import HTTP_LOCKED, Outcome
from frameworks.models import Dimension


def _dom_safe(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text)


@dataclass
class ConclusionsCard:
    """Perspective, overall conclusion and lessons, shaped like an item card for wizard.js."""

    assessment: Assessment
    form: ConclusionsForm
    editable: bool
    version: int
    saved_at: object = None
    conflict: list = field(default_factory=list)
    message: str = ""

    dom_id = "conclusions"

    @property
    def prefix(self) -> str:
        return self.form.prefix

    @property
    def values(self) -> dict:
        if self.form.is_bound:
            return {
                name: self.form.data.get(self.form.add_prefix(name), "")
                for name in ConclusionsForm.FIELDS
            }
        return {name: getattr(self.assessment, name) for name in ConclusionsForm.FIELDS}

    @property
    def field_names(self) -> str:
        return ",".join(self.form.add_prefix(n) for n in ("version", *ConclusionsForm.FIELDS))

    @property
    def perspective_choices(self):
        return Assessment.Perspective.choices

    @property
    def save_url(self) -> str:
        return reverse("wizard_conclusions_save", args=[self.assessment.pk])

    @property
    def wording(self) -> dict:
        return plan_wording(self.values["perspective"] or self.assessment.perspective)


@dataclass
class FindingCard:
    """The findings paragraph of one dimension."""

    assessment: Assessment
    dimension: object
    finding: DimensionFinding
    form: FindingForm
    editable: bool
    version: int
    saved_at: object = None
    conflict: list = field(default_factory=list)
    conflict_by: object = None
    message: str = ""

    @property
    def prefix(self) -> str:
        return self.form.prefix

    @property
    def dom_id(self) -> str:
        return "finding-" + _dom_safe(self.dimension.code)

    @property
    def text(self) -> str:
        if self.form.is_bound:
            return self.form.data.get(self.form.add_prefix("text"), "")
        return self.finding.text

    @property
    def field_names(self) -> str:
        return ",".join(self.form.add_prefix(n) for n in ("version", "text"))

    @property
    def save_url(self) -> str:
        return reverse("wizard_finding_save", args=[self.assessment.pk, self.dimension.code])


def conclusions_card(assessment, *, editable, data=None, **extra) -> ConclusionsCard:
    form = ConclusionsForm(data, initial={"version": assessment.narrative_version})
    return ConclusionsCard(
        assessment=assessment,
        form=form,
        editable=editable,
        version=assessment.narrative_version,
        **extra,
    )


def finding_card(assessment, dimension, finding, *, editable, data=None, **extra) -> FindingCard:
    finding = finding or DimensionFinding(assessment=assessment, dimension_code=dimension.code)
    form = FindingForm(data, dimension_code=dimension.code, initial={"version": finding.version})
    return FindingCard(
        assessment=assessment,
        dimension=dimension,
        finding=finding,
        form=form,
        editable=editable,
        version=finding.version,
        **extra,
    )


def finding_card_for(assessment, code: str, *, editable, data=None) -> FindingCard | None:
    """The findings card of dimension `code`, or None when the framework has no such dimension."""
    dimension = Dimension.objects.filter(version_id=assessment.version_id, code=code).first()
    if dimension is None:
        return None
    finding = (
        DimensionFinding.objects.filter(assessment=assessment, dimension_code=code)
        .select_related("updated_by")
        .first()
    )
    return finding_card(assessment, dimension, finding, editable=editable, data=data)


@dataclass
class ActionRow:
    """One action of the plan: its form when editable, its values otherwise."""

    action: Action
    form: ActionForm
    editable: bool
    conflict: list = field(default_factory=list)
    message: str = ""
    saved: bool = False

    @property
    def dom_id(self) -> str:
        return f"action-{self.action.pk}"

    @property
    def is_dropped(self) -> bool:
        status = self.form.data.get(self.form.add_prefix("status")) if self.form.is_bound else None
        return (status or self.action.status) == Action.Status.DROPPED

    @property
    def criterion(self):
        return self.action.criterion if self.action.criterion_id else None


def action_row(action: Action, *, editable: bool, data=None, **extra) -> ActionRow:
    return ActionRow(
        action=action, form=ActionForm(data, action=action), editable=editable, **extra
    )


def plan_wording(perspective: str) -> dict:
    """Headings and labels of the plan: actions for an ongoing change, lessons for a past one."""
    if perspective == Assessment.Perspective.RETROSPECTIVE:
        return {
            "retrospective": True,
            "heading": _("Lessons to apply"),
            "intro": _(
                "What this case teaches: each lesson, who should apply it (in this programme or a "
                "similar one), how urgent it is and how far it has got."
            ),
            "suggest": _("Suggest lessons from gaps"),
            "add": _("Add lesson"),
            "item": pgettext("plan item", "Lesson"),
            "empty": _("No lessons yet."),
            "previous": _("Lessons of the previous round"),
        }
    return {
        "retrospective": False,
        "heading": _("Action plan"),
        "intro": _(
            "What should happen next to close the gaps: each action with an owner, a priority, "
            "a due date and a status."
        ),
        "suggest": _("Suggest actions from gaps"),
        "add": _("Add action"),
        "item": pgettext("plan item", "Action"),
        "empty": _("No actions yet."),
        "previous": _("Actions of the previous round"),
    }


def suggest_notice(created: list) -> str:
    """What "Suggest from gaps" says it did."""
    if not created:
        return _(
            "No new suggestions: every item scored at or below the scale's midpoint already "
            "has an entry in the plan."
        )
    return ngettext(
        "%(count)s suggestion added from the gaps: edit, keep or drop it.",
        "%(count)s suggestions added from the gaps: edit, keep or drop them.",
        len(created),
    ) % {"count": len(created)}


def _shown(name: str, value) -> str:
    if name == "perspective":
        return Assessment.Perspective(value).label if value else "—"
    return value or "—"


def conclusions_conflict_rows(mine: dict, theirs: Assessment) -> list[dict]:
    """Field by field, what this user typed and what someone else saved, where they differ."""
    rows = []
    for name in ConclusionsForm.FIELDS:
        if name == "perspective":
            my_value = mine.get(name) or theirs.perspective
        else:
            my_value = (mine.get(name) or "").strip()
        their_value = getattr(theirs, name)
        if my_value != their_value:
            rows.append(
                {
                    "label": Assessment._meta.get_field(name).verbose_name,
                    "mine": _shown(name, my_value),
                    "theirs": _shown(name, their_value),
                }
            )
    return rows


def finding_conflict_rows(text: str, theirs: DimensionFinding) -> list[dict]:
    """The findings this user typed and the ones someone else saved meanwhile."""
    mine = (text or "").strip()
    return [
        {
            "label": DimensionFinding._meta.get_field("text").verbose_name,
            "mine": mine or "—",
            "theirs": theirs.text or "—",
        }
    ]


def action_conflict_rows(form: ActionForm, theirs: Action) -> list[dict]:
    rows = []
    for name in ActionForm.FIELDS:
        mine, their_value = form.cleaned_data.get(name), getattr(theirs, name)
        if name in ("text", "owner"):
            mine = (mine or "").strip()
        if mine == their_value:
            continue
        model_field = Action._meta.get_field(name)
        if model_field.choices:
            labels = dict(model_field.choices)
            mine, their_value = labels.get(mine, mine), labels.get(their_value, their_value)
        rows.append(
            {"label": model_field.verbose_name, "mine": mine or "—", "theirs": their_value or "—"}
        )
    return rows


def action_row_after(action: Action, form: ActionForm, outcome: Outcome) -> ActionRow:
    """The row after a save: saved, locked, or the form as typed (with both values on a conflict)."""
    if outcome.ok:
        return action_row(outcome.saved, editable=True, saved=True)
    if outcome.status == HTTP_LOCKED:
        return action_row(action, editable=False, message=outcome.message)
    form.mark_invalid()
    return ActionRow(
        action=outcome.theirs if outcome.status == HTTPStatus.CONFLICT else action,
        form=form,
        editable=True,
        conflict=outcome.conflict,
        message=outcome.message,
    )


def action_add_context(assessment, form: ActionForm, outcome: Outcome) -> dict:
    """The plan's add form after an add: empty under the new row, or as typed with its errors."""
    return {
        "assessment": assessment,
        "new_form": ActionForm() if outcome.ok else form,
        "added": action_row(outcome.saved, editable=True, saved=True) if outcome.ok else None,
        "wording": plan_wording(assessment.perspective),
        "editable": outcome.status != HTTP_LOCKED,
    }


def plan_context(assessment, *, editable, rows=None, new_form=None, notice="") -> dict:
    """The action plan section: this round's actions, the add form, the previous round's plan."""
    rows = rows or {}
    actions = list(
        Action.objects.filter(assessment=assessment).select_related(
            "criterion", "carried_from__assessment"
        )
    )
    previous = []
    if assessment.previous_id:
        previous = list(
            Action.objects.filter(assessment_id=assessment.previous_id).select_related("criterion")
        )
    return {
        "assessment": assessment,
        "editable": editable,
        "rows": [rows.get(a.pk) or action_row(a, editable=editable) for a in actions],
        "new_form": new_form or ActionForm(),
        "previous": previous,
        "previous_round": assessment.round - 1,
        "wording": plan_wording(assessment.perspective),
        "notice": notice,
    }


def finding_cards(assessment, dimensions, *, editable, data=None):
    findings = {f.dimension_code: f for f in DimensionFinding.objects.filter(assessment=assessment)}
    cards = []
    for dimension in dimensions:
        posted = data is not None and f"finding-{dimension.code}-version" in data
        cards.append(
            finding_card(
                assessment,
                dimension,
                findings.get(dimension.code),
                editable=editable,
                data=data if posted else None,
            )
        )
    return cards


def conclusions_step_context(user, assessment, dimensions, *, editable, card, finding_cards, plan):
    number = len(dimensions) + 1
    return {
        "assessment": assessment,
        "dimensions": dimensions,
        "number": number,
        "conclusions_number": number,
        "previous": len(dimensions) or None,
        "editable": editable,
        "card": card,
        "finding_cards": finding_cards,
        "plan": plan,
        "left": what_is_left(assessment, dimensions),
        **overall_progress(dimensions),
        "exit_url": exit_url(assessment),
        "case_url": case_url(assessment),
        "locked_reason": "" if editable else readonly_reason(user, assessment),
    }

"""The wizard's item cards and step progress as the templates show them."""

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from casework import readmodel, statements
from casework.access import can_edit_cases
from casework.citation_chips import chip_placeholder, step_tools
from casework.citations import normalize_citations
from casework.forms.registers import REGISTER_FORM_FIELDS
from casework.forms.wizard import AnswerForm
from casework.models import Answer, Assessment, CaseSource
from casework.presenters.left import what_is_left
from casework.presenters.navigation import case_url, exit_url, item_dom_id
from casework.presenters.registers import register_table
from casework.services.answers import criterion_for_code, same_value
from frameworks.models import Criterion, Dimension, ScaleLevel
from frameworks.structure import version_structure

STATUS_TEMPLATE = "casework/wizard/_card_status.html"


@dataclass
class Level:
    value: int
    label: str
    description: str

    @cached_property
    def text(self) -> str:
        """The value as the card writes it, once: a template's `{{ value }}` localizes it on
        every use (a scale's levels are small integers: no separators, the same text)."""
        return str(self.value)


# A card is kept (casework.presenters.fragments) with this in place of its status ("Saved
# 14:05", "Answered", "Reason needed"), filled per request: so the card an autosave draws is
# the one the step page shows next. The markup of a comment, which no escaped text can make.
STATUS_SLOT = "cw-status-slot"
STATUS_SLOT_MARKUP = mark_safe(f"<!--{STATUS_SLOT}-->")
# A status without a time is the same markup for every card in the same state and language.
_STATUSES: dict[tuple, SafeString] = {}
# The chip template of a card (a source added later) is the same markup for every card of
# the same item and language.
CHIP_TEMPLATE = "casework/wizard/_citation_chip.html"
_CHIP_TEMPLATES: dict[tuple, SafeString] = {}


@dataclass
class Card:
    """Everything the item card template needs, bound or not."""

    criterion: Criterion
    answer: Answer
    levels: list[Level]
    sources: list[CaseSource]
    editable: bool
    version: int
    saved_at: object = None
    conflict: list[dict] = field(default_factory=list)
    conflict_by: object = None
    message: str = ""
    pending: bool = False  # N/A was switched on and waits for its reason
    scale: list = field(default_factory=list)
    status_slot: bool = False  # drawn to be kept: the status is a slot (STATUS_SLOT)
    data: object = None  # what was posted, for a bound card
    form_version: int = 0  # the version the form starts from

    @cached_property
    def form(self) -> AnswerForm:
        """The card's form, made on first use: a card read from the cache never needs it."""
        return AnswerForm(
            self.data, criterion=self.criterion, initial={"version": self.form_version}
        )

    @property
    def bound(self) -> bool:
        """Whether the card shows what was posted (its form is bound), without making the form."""
        return self.data is not None

    @property
    def na_pending(self) -> bool:
        """N/A waiting for its reason: as just posted, or (older data) as stored without one."""
        if self.pending:
            return True
        if self.bound:
            return False
        return self.answer.not_applicable and not self.answer.na_reason.strip()

    @cached_property
    def values(self) -> dict:
        """What the inputs show: the posted values when bound (nothing typed is lost).

        Read once per card: the card, its chips and its level label all read it.
        """
        if self.bound:
            data, prefix = self.form.data, self.form.prefix
            values = {
                name: data.get(f"{prefix}-{name}", "")
                for name in ("level", "na_reason", "observation", "evidence", "confidence", "note")
            }
            values["not_applicable"] = bool(data.get(f"{prefix}-not_applicable"))
            values["citations"] = [str(v) for v in data.getlist(f"{prefix}-citations")]
            values["citation_details"] = {
                str(s.pk): {
                    "locator": data.get(self.form.citation_input_name("locator", s.pk), ""),
                    "quote": data.get(self.form.citation_input_name("quote", s.pk), ""),
                }
                for s in self.sources
            }
            return values
        answer = self.answer
        citations = normalize_citations(answer.citations)
        return {
            "level": "" if answer.level is None else str(answer.level),
            "not_applicable": answer.not_applicable,
            "na_reason": answer.na_reason,
            "observation": answer.observation,
            "evidence": answer.evidence,
            "confidence": answer.confidence,
            "note": answer.note,
            "citations": [str(c["source"]) for c in citations],
            "citation_details": {
                str(c["source"]): {"locator": c["locator"], "quote": c["quote"]} for c in citations
            },
        }

    # The form's prefix and errors, read here: a template's `card.form.prefix` would first try
    # `form["prefix"]`, and a form's missing key costs an exception listing all its fields.
    @property
    def prefix(self) -> str:
        return self.form.prefix

    @property
    def errors(self) -> "FieldErrors":
        """The form's errors by field; an unbound card has none and makes no form for it."""
        return FieldErrors(self.form.errors) if self.bound else FieldErrors()

    def non_field_errors(self):
        return self.form.non_field_errors() if self.bound else ()

    @property
    def confidence_choices(self):
        return Answer.Confidence.choices

    @property
    def observation_choices(self):
        return Answer.Observation.choices

    @property
    def is_answered(self) -> bool:
        return self.answer.is_answered

    @property
    def chip_template(self) -> SafeString:
        """The chip citation-chips.js copies for a source added while the step is open: its
        id and titles are tokens (citation_chips.chip_placeholder); kept per item and language."""
        key = (get_language(), self.dom_id, self.prefix)
        if settings.DEBUG or key not in _CHIP_TEMPLATES:
            chip = chip_placeholder(self.form.citation_input_name)
            _CHIP_TEMPLATES[key] = render_to_string(
                CHIP_TEMPLATE, {"chip": chip, "card": self, "p": self.prefix}
            )
        return _CHIP_TEMPLATES[key]

    @property
    def status(self) -> SafeString:
        """What the card's status says ("Reason needed", "Saved 14:05", "Answered" or
        nothing), or the slot for it when the card is drawn to be kept."""
        if self.status_slot:
            return STATUS_SLOT_MARKUP
        pending, answered = self.na_pending, self.is_answered
        if self.saved_at and not pending or settings.DEBUG:
            return render_to_string(STATUS_TEMPLATE, {"card": self})
        key = (get_language(), pending, answered)
        if key not in _STATUSES:
            _STATUSES[key] = render_to_string(STATUS_TEMPLATE, {"card": _Status(pending, answered)})
        return _STATUSES[key]

    @cached_property
    def dom_id(self) -> str:
        return item_dom_id(self.criterion.code)

    @cached_property
    def save_url(self) -> str:
        """Where the card autosaves (and "take theirs" reads it back)."""
        return reverse("wizard_answer_save", args=[self.answer.assessment_id, self.criterion.code])

    @cached_property
    def history_url(self) -> str:
        return reverse("answer_history", args=[self.answer.assessment_id, self.criterion.code])

    @property
    def field_names(self) -> str:
        """The card's own inputs, for hx-params: autosave posts one card, not the whole step."""
        names = [self.form.add_prefix(n) for n in ("version", *self.form.answer_fields)]
        if "citations" in self.form.answer_fields:
            for source in self.sources:
                names.append(self.form.citation_input_name("locator", source.pk))
                names.append(self.form.citation_input_name("quote", source.pk))
        return ",".join(names)

    @property
    def level_label(self) -> str:
        for level in self.levels:
            if str(level.value) == self.values["level"]:
                return f"{level.value} · {level.label}"
        return ""

    @cached_property
    def source_rows(self) -> list[dict]:
        """One row per case source: whether it is cited, with its page/section and quote inputs."""
        values = self.values
        rows = []
        for source in self.sources:
            details = values["citation_details"].get(str(source.pk)) or {}
            checked = str(source.pk) in values["citations"]
            if source.is_removed and not checked:
                continue  # a removed source shows only where it is still cited
            rows.append(
                {
                    "source": source,
                    "checked": checked,
                    "locator": details.get("locator", ""),
                    "quote": details.get("quote", ""),
                    "locator_name": self.form.citation_input_name("locator", source.pk),
                    "quote_name": self.form.citation_input_name("quote", source.pk),
                }
            )
        return rows

    @property
    def cited_sources(self) -> list[dict]:
        return [row for row in self.source_rows if row["checked"]]


class FieldErrors(dict):
    """Errors by field name, where a field without any reads as none: the card template asks
    for every field's errors, and a missing key otherwise fails through each way a template
    reads a name (item, attribute, index) before it gives up."""

    def __missing__(self, name):
        return ()


@dataclass
class _Status:
    """All the status template reads of a card that was not just saved."""

    na_pending: bool
    is_answered: bool
    saved_at: object = None


def can_edit(user, assessment: Assessment) -> bool:
    return can_edit_cases(user) and assessment.is_editable


class Steps(list[Dimension]):
    """The numbered dimensions of a wizard, and the open items read with their progress
    (what "what is left" shows), so that a page shows both from one query."""

    open_items: list
    answers: readmodel.AnswerRows | None = None  # when read with the progress


def dimensions_with_progress(assessment: Assessment, *, answers=None) -> Steps:
    """The version's dimensions with their step `number` and `url`, `total` items and `done`
    answered ones, and the assessment's `open_items`: one query, or none when given the
    assessment's `answers` (readmodel.answers_of), which a step's cards then read too
    (kept as the steps' `answers`).

    The dimensions and their items come from the version's kept structure; "answered" and
    what each item lacks are read by the read model over this assessment's answers only.
    """
    structure = version_structure(assessment.version_id)
    answered, open_items = readmodel.progress_and_open_items(
        assessment.pk, version_id=assessment.version_id, answers=answers
    )
    dimensions = Steps(structure.dimension_copies())
    dimensions.open_items = open_items
    dimensions.answers = answers
    for number, dimension in enumerate(dimensions, start=1):
        dimension.number = number
        dimension.url = reverse("wizard_step", args=[assessment.pk, number])
        dimension.total = len(structure.criteria_in(dimension.pk))
        dimension.done = answered.get(dimension.pk, (0, 0))[0]
        progress = readmodel.Completion(dimension.done, dimension.total)
        dimension.percent = progress.percent
        dimension.complete = progress.done
    return dimensions


def scale_of(assessment: Assessment) -> list[ScaleLevel]:
    return list(version_structure(assessment.version_id).scale)


def levels_for(criterion: Criterion, scale: list[ScaleLevel]) -> list[Level]:
    """The scale's levels, described by the item's own rubric where it has one.

    Kept on the item itself, per language: a published version's items and scale are kept
    per process (frameworks.structure) and never change, so each card of every step reads
    the same list instead of translating its levels again. A draft's items are read anew
    with each request, and what is kept on them goes with them.
    """
    key = (get_language(), tuple(s.pk for s in scale))
    kept = criterion.__dict__.setdefault("_cw_levels", {})
    if key not in kept:
        rubric = {level.value: level.description for level in criterion.levels.all()}
        kept[key] = [Level(s.value, s.label, rubric.get(s.value) or s.description) for s in scale]
    return kept[key]


def make_card(criterion, answer, *, scale, sources, editable, data=None, **extra) -> Card:
    answer.criterion = criterion  # already loaded: spares a query per card
    return Card(
        criterion=criterion,
        answer=answer,
        data=data,
        form_version=answer.version,
        levels=levels_for(criterion, scale),
        scale=scale,
        sources=sources,
        editable=editable,
        version=answer.version,
        **extra,
    )


def display_value(name, value, card: Card) -> str:
    if name == "level":
        for level in card.levels:
            if value not in (None, "") and str(level.value) == str(value):
                return f"{level.value} · {level.label}"
        return "—"
    if name == "citations":
        titles = {s.pk: s.title for s in card.sources if not s.is_removed}
        return "; ".join(citation_text(c, titles) for c in normalize_citations(value)) or "—"
    if name == "not_applicable":
        return _("Yes") if value else _("No")
    if name == "observation":
        return Answer.Observation(value).label if value else "—"
    if name == "confidence":
        return Answer.Confidence(value).label if value else "—"
    return value or "—"


def citation_text(citation: dict, titles: dict) -> str:
    """A citation as the conflict table and the history show it: title, page, “quote”."""
    text = titles.get(citation["source"]) or _("source removed")
    if citation["locator"]:
        text += f", {citation['locator']}"
    if citation["quote"]:
        text += f" “{citation['quote']}”"
    return text


def conflict_rows(card: Card, mine: dict, theirs: Answer) -> list[dict]:
    """Field by field, what this user typed and what the other person saved, where they differ."""
    rows = []
    for name in card.form.answer_fields:
        their_value = getattr(theirs, name)
        if not same_value(name, their_value, mine.get(name)):
            rows.append(
                {
                    "label": Answer._meta.get_field(name).verbose_name,
                    "mine": display_value(name, mine.get(name), card),
                    "theirs": display_value(name, their_value, card),
                }
            )
    return rows


def show_conflict(card: Card, theirs: Answer) -> None:
    """Turn a card whose save lost a race into the conflict view: mine against theirs."""
    card.conflict = conflict_rows(card, card.form.service_data(), theirs)
    card.conflict_by = theirs.updated_by
    card.version = theirs.version
    card.answer = theirs


def show_errors(form, error: ValidationError) -> None:
    """The service's ValidationError on the form: under each field, or above the card."""
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


def history_context(assessment, code: str) -> dict:
    """The history panel of one item, with the way back to its card; 404 for no such item."""
    from casework.presenters.history import history_entries  # it builds on this module

    structure = version_structure(assessment.version_id)
    criterion = structure.criterion(code)
    answer = criterion and Answer.objects.filter(assessment=assessment, criterion=criterion).first()
    if answer is None:
        raise Http404
    card = make_card(
        criterion,
        answer,
        scale=list(structure.scale),
        sources=case_sources(assessment.case_id),
        editable=False,
    )
    number = [d.pk for d in structure.dimensions].index(criterion.dimension_id) + 1
    return {
        "assessment": assessment,
        "criterion": criterion,
        "entries": history_entries(answer, card),
        "back_url": reverse("wizard_step", args=[assessment.pk, number]) + f"#{card.dom_id}",
    }


def overall_progress(dimensions) -> dict:
    done, total = sum(d.done for d in dimensions), sum(d.total for d in dimensions)
    return {
        "overall_done": done,
        "overall_total": total,
        "overall_percent": readmodel.Completion(done, total).percent,
    }


def evidence_limit() -> int:
    return settings.EVIDENCE_MAX_CHARS


def readonly_reason(user, assessment) -> str:
    if not can_edit_cases(user):
        return _("You are viewing this assessment read-only: only analysts edit answers.")
    return _("This assessment is %(status)s and can no longer be edited.") % {
        "status": assessment.get_status_display()
    }


def case_sources(case_id: int) -> list[CaseSource]:
    """Every source of the case, removed ones too (cards show where one is still cited), in
    the panel's order: `CaseSource.all_objects.filter(case_id=...)` as plain SQL."""
    return statements.objects(CaseSource, {"case": case_id}, order=("order", "id"))


def step_cards(assessment, dimension, *, editable: bool, data=None, answers=None) -> list[Card]:
    """One card per item of the step, bound to `data` when the step form was posted.

    `answers`: the assessment's whole answers when already read (`Steps.answers`).
    """
    structure = version_structure(assessment.version_id)
    scale = list(structure.scale)
    sources = case_sources(assessment.case_id)
    criteria = structure.criteria_in(dimension.pk)
    if answers is None:
        answers = readmodel.answers_of(assessment.pk)
    return [
        make_card(
            c,
            _answer_for(assessment, c, answers.answer(c.pk)),
            scale=scale,
            sources=sources,
            editable=editable,
            data=data,
        )
        for c in criteria
    ]


def _answer_for(assessment, criterion, answer: Answer | None) -> Answer:
    """The stored answer, or a new one; either way with its assessment in hand."""
    if answer is None:
        return Answer(assessment=assessment, criterion=criterion)
    answer.assessment = assessment  # spares a query where something reads it
    return answer


def item_card(assessment, code: str, *, editable: bool, data=None) -> Card:
    """The card of one item by its code; a ValidationError says why there is none."""
    criterion = version_structure(assessment.version_id).criterion(code)
    if criterion is None:
        criterion_for_code(assessment, code)  # raises, with the reason in the user's words
    found = statements.objects(Answer, {"assessment": assessment.pk, "criterion": criterion.pk})
    return make_card(
        criterion,
        _answer_for(assessment, criterion, found[0] if found else None),
        scale=scale_of(assessment),
        sources=case_sources(assessment.case_id),
        editable=editable,
        data=data,
    )


def step_context(user, assessment, dimensions, n, cards, *, editable: bool) -> dict:
    """Everything the step page shows around its cards."""
    dimension = dimensions[n - 1]
    return {
        "assessment": assessment,
        "dimensions": dimensions,
        "dimension": dimension,
        "number": n,
        "previous": n - 1 if n > 1 else None,
        "next": n + 1,  # the last dimension leads to the Conclusions step
        "conclusions_number": len(dimensions) + 1,
        "cards": cards,
        # The sources panel lists the live ones of the sources the cards already read.
        "case_sources": [s for s in cards[0].sources if not s.is_removed] if cards else None,
        "left": what_is_left(assessment, dimensions, current=dimension),
        "editable": editable,
        **overall_progress(dimensions),
        "registers": [
            register_table(assessment, name, editable=editable)
            for name in dimension.registers
            if name in REGISTER_FORM_FIELDS
        ],
        "exit_url": exit_url(assessment),
        "case_url": case_url(assessment),
        "evidence_limit": evidence_limit(),
        "locked_reason": "" if editable else readonly_reason(user, assessment),
        **step_tools(
            assessment_id=assessment.pk,
            dimensions=dimensions,
            number=n,
            cards=cards,
            editable=editable,
        ),
    }


def progress_extras(assessment, dimension_id: int, *, answers=None) -> dict:
    """What a save inside a step swaps out of band (an autosave, the observation sweep): the
    step's progress, the overall one and what is left; from `answers` when the save holds
    them (its answer's `gap_rows`), else read."""
    dimensions = dimensions_with_progress(assessment, answers=answers)
    current = next(d for d in dimensions if d.pk == dimension_id)
    return {
        **overall_progress(dimensions),
        "progress_dimension": current,
        "left": what_is_left(assessment, dimensions, current=current),
        "number": current.number,
        "conclusions_number": len(dimensions) + 1,
    }

"""The analyst's scoring wizard: one page per dimension, one autosaving card per item."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework import readmodel
from casework.access import can_edit_cases, get_assessment_for_user
from casework.citations import normalize_citations
from casework.forms.wizard import AnswerForm
from casework.models import Answer, Assessment, CaseSource
from casework.services.answers import ANSWER_FIELDS, answer_save, criterion_for_code, same_value
from casework.services.errors import AssessmentLocked, EditConflict
from casework.views import registers as register_views
from frameworks.models import Criterion, Dimension, ScaleLevel

HTTP_LOCKED = 423


@dataclass
class Level:
    value: int
    label: str
    description: str


@dataclass
class Card:
    """Everything the item card template needs, bound or not."""

    criterion: Criterion
    answer: Answer
    form: AnswerForm
    levels: list[Level]
    sources: list[CaseSource]
    editable: bool
    version: int
    saved_at: object = None
    conflict: list[dict] = field(default_factory=list)
    conflict_by: object = None
    message: str = ""

    @property
    def values(self) -> dict:
        """What the inputs show: the posted values when bound (nothing typed is lost)."""
        if self.form.is_bound:
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
    def dom_id(self) -> str:
        return "item-" + "".join(c if c.isalnum() else "-" for c in self.criterion.code)

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

    @property
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


def _can_edit(user, assessment: Assessment) -> bool:
    return can_edit_cases(user) and assessment.is_editable


def exit_url(assessment: Assessment) -> str:
    # assessment_detail belongs to the assessment pages; fall back to the first step without it.
    try:
        return reverse("assessment_detail", args=[assessment.pk])
    except NoReverseMatch:
        return reverse("wizard_step", args=[assessment.pk, 1])


def case_url(assessment: Assessment) -> str:
    try:
        return reverse("case_detail", args=[assessment.case_id])
    except NoReverseMatch:
        return exit_url(assessment)


def dimensions_with_progress(assessment: Assessment) -> list[Dimension]:
    """The version's dimensions with `total` items and `done` answered ones: one query."""
    # "Answered" comes from the read model and is counted over this assessment's answers only:
    # a join from the dimensions to every answer would grow with all assessments in the database.
    dimensions = list(
        Dimension.objects.filter(version_id=assessment.version_id)
        .annotate(total=Count("criteria"), done=readmodel.answered_in_dimension(assessment.pk))
        .order_by("order", "code")
    )
    for number, dimension in enumerate(dimensions, start=1):
        dimension.number = number
        dimension.percent = round(100 * dimension.done / dimension.total) if dimension.total else 0
        dimension.complete = dimension.total > 0 and dimension.done == dimension.total
    return dimensions


def scale_of(assessment: Assessment) -> list[ScaleLevel]:
    return list(ScaleLevel.objects.filter(version_id=assessment.version_id).order_by("value"))


def levels_for(criterion: Criterion, scale: list[ScaleLevel]) -> list[Level]:
    """The scale's levels, described by the item's own rubric where it has one."""
    rubric = {level.value: level.description for level in criterion.levels.all()}
    return [Level(s.value, s.label, rubric.get(s.value) or s.description) for s in scale]


def make_card(criterion, answer, *, scale, sources, editable, data=None, **extra) -> Card:
    answer.criterion = criterion  # already loaded: spares a query per card
    form = AnswerForm(data, criterion=criterion, initial={"version": answer.version})
    return Card(
        criterion=criterion,
        answer=answer,
        form=form,
        levels=levels_for(criterion, scale),
        sources=sources,
        editable=editable,
        version=answer.version,
        **extra,
    )


def _display(name, value, card: Card) -> str:
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
                    "mine": _display(name, mine.get(name), card),
                    "theirs": _display(name, their_value, card),
                }
            )
    return rows


def _step_redirect(request, assessment, number, last):
    go = request.POST.get("go", "stay")
    if go == "exit":
        return redirect(exit_url(assessment))
    if go == "next" and number < last:
        number += 1
    elif go == "back" and number > 1:
        number -= 1
    elif go.startswith("step-") and go[5:].isdigit() and 1 <= int(go[5:]) <= last:
        number = int(go[5:])
    return redirect("wizard_step", assessment.pk, number)


def _save_card(request, assessment, card: Card) -> int:
    """Validate and save one bound card; return the HTTP status it earned (200 when saved)."""
    form = card.form
    if not form.is_valid():
        return 422
    try:
        card.answer = answer_save(
            assessment=assessment,
            criterion_code=card.criterion.code,
            user=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
        return 422
    except EditConflict as conflict:
        theirs = conflict.current
        card.conflict = conflict_rows(card, form.service_data(), theirs)
        card.conflict_by = theirs.updated_by
        card.version = theirs.version
        card.answer = theirs
        return 409
    except AssessmentLocked as locked:
        card.editable = False
        card.message = locked.message
        return HTTP_LOCKED
    card.version = card.answer.version
    card.saved_at = timezone.localtime()
    return 200


@login_required
@require_http_methods(["GET", "POST"])
def wizard_step(request, pk, n):
    writing = request.method == "POST"
    assessment = get_assessment_for_user(request.user, pk, action="edit" if writing else "view")
    dimensions = dimensions_with_progress(assessment)
    if n == len(dimensions) + 1:
        from casework.views.conclusions import conclusions_step

        return conclusions_step(request, assessment, dimensions)
    if not 1 <= n <= len(dimensions):
        raise Http404
    dimension = dimensions[n - 1]
    editable = _can_edit(request.user, assessment)
    if writing and not editable:
        messages.error(request, AssessmentLocked.default_message)
        return redirect("wizard_step", assessment.pk, n)

    scale = scale_of(assessment)
    sources = list(CaseSource.all_objects.filter(case_id=assessment.case_id))
    criteria = list(
        Criterion.objects.filter(dimension=dimension).prefetch_related("levels").order_by("order")
    )
    answers = {
        a.criterion_id: a
        for a in Answer.objects.filter(assessment=assessment, criterion__dimension=dimension)
    }
    cards = [
        make_card(
            c,
            answers.get(c.pk) or Answer(assessment=assessment, criterion=c),
            scale=scale,
            sources=sources,
            editable=editable,
            data=request.POST if writing else None,
        )
        for c in criteria
    ]
    status = 200
    if writing:
        statuses = []
        for card in cards:
            if not card.form.is_valid() or card.form.changed_from(card.answer):
                statuses.append(_save_card(request, assessment, card))
        if all(s == 200 for s in statuses):
            if statuses:
                messages.success(request, _("Your answers are saved."))
            return _step_redirect(request, assessment, n, len(dimensions) + 1)
        status = max(s for s in statuses if s != 200)
        dimensions = dimensions_with_progress(assessment)
        dimension = dimensions[n - 1]

    context = {
        "assessment": assessment,
        "dimensions": dimensions,
        "dimension": dimension,
        "number": n,
        "previous": n - 1 if n > 1 else None,
        "next": n + 1,  # the last dimension leads to the Conclusions step
        "conclusions_number": len(dimensions) + 1,
        "cards": cards,
        "editable": editable,
        **_overall(dimensions),
        "registers": [
            register_views.register_table(request, assessment, name, editable=editable)
            for name in dimension.registers
            if name in register_views.REGISTER_FORM_FIELDS
        ],
        "exit_url": exit_url(assessment),
        "case_url": case_url(assessment),
        "evidence_limit": _evidence_limit(),
        "locked_reason": "" if editable else _readonly_reason(request.user, assessment),
    }
    return render(request, "casework/wizard/step.html", context, status=status)


def _evidence_limit() -> int:
    return settings.EVIDENCE_MAX_CHARS


def _readonly_reason(user, assessment) -> str:
    if not can_edit_cases(user):
        return _("You are viewing this assessment read-only: only analysts edit answers.")
    return _("This assessment is %(status)s and can no longer be edited.") % {
        "status": assessment.get_status_display()
    }


@login_required
@require_http_methods(["GET", "POST"])
def wizard_answer_save(request, pk, code):
    """Autosave one card (POST, htmx) or give the current card back (GET, "take theirs")."""
    writing = request.method == "POST"
    assessment = get_assessment_for_user(request.user, pk, action="edit" if writing else "view")
    criterion = (
        Criterion.objects.filter(version_id=assessment.version_id, code=code)
        .prefetch_related("levels")
        .first()
    )
    if criterion is None:
        try:
            criterion_for_code(assessment, code)
        except ValidationError as error:
            message = " ".join(error.messages)
        return render(request, "casework/wizard/_message.html", {"message": message}, status=422)
    answer = (
        Answer.objects.filter(assessment=assessment, criterion=criterion)
        .select_related("updated_by")
        .first()
    ) or Answer(assessment=assessment, criterion=criterion)
    scale = scale_of(assessment)
    card = make_card(
        criterion,
        answer,
        scale=scale,
        sources=list(CaseSource.all_objects.filter(case_id=assessment.case_id)),
        editable=_can_edit(request.user, assessment),
        data=request.POST if writing else None,
    )
    status = 200
    if writing:
        if not card.editable:
            card.message = AssessmentLocked.default_message
            status = HTTP_LOCKED
        else:
            status = _save_card(request, assessment, card)
        if status == 200:
            # A fresh, unbound card: it shows what was stored, at the new version.
            saved_at, card = (
                card.saved_at,
                make_card(
                    criterion,
                    card.answer,
                    scale=scale,
                    sources=card.sources,
                    editable=True,
                ),
            )
            card.saved_at = saved_at
    context = {"card": card, "assessment": assessment, "evidence_limit": _evidence_limit()}
    if writing and status == 200:
        # The step list's counters, swapped out of band so that progress follows autosave.
        dimensions = dimensions_with_progress(assessment)
        context.update(_overall(dimensions))
        context["progress_dimension"] = next(
            d for d in dimensions if d.pk == criterion.dimension_id
        )
    return render(request, "casework/wizard/_card.html", context, status=status)


def _overall(dimensions) -> dict:
    done, total = sum(d.done for d in dimensions), sum(d.total for d in dimensions)
    return {
        "overall_done": done,
        "overall_total": total,
        "overall_percent": round(100 * done / total) if total else 0,
    }


def _history_entries(answer: Answer, card: Card) -> list[dict]:
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
                        "old": _display(name, old, card),
                        "new": _display(name, new, card),
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


@login_required
def answer_history(request, pk, code):
    """Who changed the item, when, and each field's old → new value."""
    assessment = get_assessment_for_user(request.user, pk, action="view")
    answer = (
        Answer.objects.filter(
            assessment=assessment, criterion__version_id=assessment.version_id, criterion__code=code
        )
        .select_related("criterion")
        .first()
    )
    if answer is None:
        raise Http404
    card = make_card(
        answer.criterion,
        answer,
        scale=scale_of(assessment),
        sources=list(CaseSource.all_objects.filter(case_id=assessment.case_id)),
        editable=False,
    )
    dimension_ids = list(
        Dimension.objects.filter(version_id=assessment.version_id)
        .order_by("order", "code")
        .values_list("pk", flat=True)
    )
    number = dimension_ids.index(answer.criterion.dimension_id) + 1
    context = {
        "assessment": assessment,
        "criterion": answer.criterion,
        "entries": _history_entries(answer, card),
        "back_url": reverse("wizard_step", args=[assessment.pk, number]) + f"#{card.dom_id}",
    }
    if request.headers.get("HX-Request"):
        return render(request, "casework/wizard/_history.html", context)
    return render(request, "casework/wizard/history.html", context)

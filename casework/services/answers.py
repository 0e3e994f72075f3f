"""Saving an analyst's answer to one item, with optimistic locking and history."""

from functools import cache, partial

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from casework import readmodel, statements
from casework.citations import LOCATOR_MAX_CHARS, QUOTE_MAX_CHARS, normalize_citations
from casework.models import Answer, Assessment, CaseSource
from casework.models.fields import text_limit
from casework.search.services import search_store_answer
from casework.services.errors import AssessmentLocked, EditConflict
from frameworks.models import Criterion
from frameworks.structure import version_structure

# The fields an analyst edits, in the order the history shows them.
ANSWER_FIELDS = Answer.EDITABLE_FIELDS
# The free text among them: each is held to its model field's limit.
TEXT_FIELDS = ("na_reason", "evidence", "note")


def _lock_editable(assessment: Assessment) -> int:
    """Lock the assessment's row and raise AssessmentLocked unless its stored status allows
    edits; returns its stored revision (the lock keeps it until the transaction ends)."""
    rows = statements.select(Assessment, ("status", "revision"), {"id": assessment.pk}, lock=True)
    if not rows or rows[0][0] not in Assessment.EDITABLE:
        raise AssessmentLocked()
    return rows[0][1]


@cache
def _bump_sql(vendor: str) -> str:
    column = partial(statements.column, Assessment)
    table = statements.quote(Assessment._meta.db_table)
    editable = ", ".join(["%s"] * len(Assessment.EDITABLE))
    return (
        f"UPDATE {table} SET {column('revision')} = {column('revision')} + 1, "
        f"{column('updated_at')} = %s WHERE {column('id')} = %s AND {column('status')} IN "
        f"({editable}) RETURNING {column('revision')}"
    )


def _bump_editable(assessment: Assessment) -> int:
    """`_lock_editable` and assessment_touch's revision bump in one statement: the UPDATE
    locks the row, and only a row whose stored status allows edits is updated. Returns the
    new revision; AssessmentLocked when nothing was updated. A caller that ends up writing
    nothing rolls the bump back (`transaction.set_rollback`)."""
    if not connection.features.can_return_columns_from_insert:  # SQLite before 3.35
        revision = _lock_editable(assessment)
        statements.update(
            Assessment,
            {"revision": revision + 1, "updated_at": timezone.now()},
            {"id": assessment.pk},
        )
        return revision + 1
    updated_at = Assessment._meta.get_field("updated_at").get_db_prep_save(
        timezone.now(), connection
    )
    rows = statements.fetch(
        _bump_sql(connection.vendor), [updated_at, assessment.pk, *Assessment.EDITABLE]
    )
    if not rows:
        raise AssessmentLocked()
    return rows[0][0]


# What the autosave reads of the assessment's answers, in one query: every answer's scored
# fields (to re-score) and the fields its progress and what is left read (readmodel's gap
# fields), and the saved item's whole row.
_HEAD = ("id", "criterion", "version", "level", "not_applicable", "confidence", "observation")
_TAIL = ("updated_by", "updated_at")
_GAPS = ("na_reason", "evidence", "citations")  # of every answer
_TEXT = ("note",)  # of the saved item only
_READ = (*_HEAD, *_TAIL, *_GAPS, *_TEXT)
_CONVERTED = ("not_applicable", "citations")  # what the gap rows need converted


@cache
def _answers_sql(vendor: str) -> str:
    column = partial(statements.column, Answer)
    text = ", ".join(f"CASE WHEN {column('criterion')} = %s THEN {column(n)} END" for n in _TEXT)
    names = ", ".join(column(n) for n in (*_HEAD, *_TAIL, *_GAPS))
    table = statements.quote(Answer._meta.db_table)
    return f"SELECT {names}, {text} FROM {table} WHERE {column('assessment')} = %s"


def _answers_read(assessment: Assessment, criterion: Criterion) -> tuple[Answer | None, list, list]:
    """The saved item's answer (None when it has none), every other answer's scored fields as
    (criterion id, level, not applicable, confidence, observation) rows, and every other
    answer's gap row (readmodel.GapRows). Call with the assessment's row locked: every writer
    of its answers takes that lock first."""
    sql = _answers_sql(connection.vendor)
    rows = statements.fetch(sql, [criterion.pk] * len(_TEXT) + [assessment.pk])
    answer, scored, gaps = None, [], []
    at = {name: _READ.index(name) for name in _READ}
    for row in rows:
        if row[1] == criterion.pk:
            values = dict(zip(_READ, statements.converted(Answer, _READ, row), strict=True))
            values["assessment"] = assessment.pk
            answer = Answer.from_db(
                connection.alias,
                [f.attname for f in Answer._meta.concrete_fields],
                [values[f.name] for f in Answer._meta.concrete_fields],
            )
        else:
            not_applicable, citations = statements.converted(
                Answer, _CONVERTED, (row[at["not_applicable"]], row[at["citations"]])
            )
            scored.append((row[1], row[3], bool(not_applicable), row[5], row[6]))
            gaps.append(
                (
                    row[0],
                    row[1],
                    row[3],
                    not_applicable,
                    row[at["na_reason"]],
                    row[6],
                    row[at["evidence"]],
                    citations,
                )
            )
    return answer, scored, gaps


def criterion_for_code(assessment: Assessment, code: str) -> Criterion:
    """The item `code` of the assessment's framework version, or a ValidationError saying why not."""
    criterion = version_structure(assessment.version_id).criterion(code)
    if criterion is not None:
        return criterion
    if Criterion.objects.filter(code=code).exists():
        raise ValidationError(
            {
                "criterion": _(
                    "Item %(code)s belongs to another framework or version, not to this assessment's %(framework)s."
                )
                % {"code": code, "framework": assessment.framework.code}
            }
        )
    raise ValidationError({"criterion": _("There is no item %(code)s.") % {"code": code}})


def _check_length(name: str, text: str, errors: dict) -> None:
    """The model field's limit, with a message that says how far over the text is."""
    limit = text_limit(Answer, name)
    if len(text) > limit:
        errors.setdefault(name, []).append(
            _("%(field)s is limited to %(limit)s characters; this text has %(count)s.")
            % {
                "field": capfirst(Answer._meta.get_field(name).verbose_name),
                "limit": limit,
                "count": len(text),
            }
        )


def _as_int(value, field, errors, message):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(message)
        return None


def _clean_citations(assessment: Assessment, raw, errors: dict) -> list[dict]:
    """Source ids or {"source", "locator", "quote"} dicts -> the normalized dict shape, checked."""
    problems: list[str] = []
    entries = []
    for entry in raw or []:
        if isinstance(entry, dict):
            unknown = set(entry) - {"source", "locator", "quote"}
            if unknown:
                problems.append(
                    _("A citation holds a source, a page or section and a quote; not %(names)s.")
                    % {"names": ", ".join(sorted(map(str, unknown)))}
                )
            source = entry.get("source")
            locator = str(entry.get("locator") or "").strip()
            quote = str(entry.get("quote") or "").strip()
        else:
            source, locator, quote = entry, "", ""
        try:
            source = int(source)
        except (TypeError, ValueError):
            problems.append(_("Cite the case's sources only."))
            continue
        entries.append({"source": source, "locator": locator, "quote": quote})
    citations = normalize_citations(entries)
    if not citations:
        if problems:
            errors.setdefault("citations", []).extend(dict.fromkeys(problems))
        return citations
    # A source removed since may stay cited (it reads "source removed"): all rows count.
    titles = dict(
        CaseSource.all_objects.filter(
            case_id=assessment.case_id, pk__in=[c["source"] for c in citations]
        ).values_list("pk", "title")
    )
    if any(c["source"] not in titles for c in citations):
        problems.append(
            _("Cite the case's own sources only; some of the chosen sources are not this case's.")
        )
    for citation in citations:
        title = titles.get(citation["source"], "")
        if len(citation["locator"]) > LOCATOR_MAX_CHARS:
            problems.append(
                _(
                    "Keep the page or section short (at most %(limit)s characters): the one for "
                    "“%(title)s” has %(count)s."
                )
                % {"limit": LOCATOR_MAX_CHARS, "title": title, "count": len(citation["locator"])}
            )
        if len(citation["quote"]) > QUOTE_MAX_CHARS:
            problems.append(
                _(
                    "A quote is limited to %(limit)s characters: the one from “%(title)s” has "
                    "%(count)s. Quote the key sentence and put the rest in the evidence."
                )
                % {"limit": QUOTE_MAX_CHARS, "title": title, "count": len(citation["quote"])}
            )
    if problems:
        errors.setdefault("citations", []).extend(dict.fromkeys(problems))
    return citations


def same_value(name: str, stored, new) -> bool:
    """Whether a stored answer field already holds `new` (citations compared in one shape)."""
    if name == "citations":
        return normalize_citations(stored) == normalize_citations(new)
    return stored == new


def clean_answer_data(*, assessment: Assessment, criterion: Criterion, data: dict) -> dict:
    """Check `data` against the item's kind, the version's scale and the case's sources."""
    errors: dict[str, list[str]] = {}
    unknown = set(data) - set(ANSWER_FIELDS)
    if unknown:
        errors["__all__"] = [_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}]
    cleaned = {}

    if "level" in data:
        level = _as_int(data["level"], "level", errors, _("Choose a level on the scale."))
        if level is not None:
            if not criterion.is_scored:
                errors.setdefault("level", []).append(
                    _(
                        "This item is an observation: answer present, absent or unknown, not a level."
                    )
                )
            else:
                values = version_structure(assessment.version_id).scale_values
                if level not in values:
                    errors.setdefault("level", []).append(
                        _("%(level)s is not on this framework's scale (%(min)s–%(max)s).")
                        % {"level": level, "min": min(values), "max": max(values)}
                    )
        cleaned["level"] = level

    if "observation" in data:
        observation = data["observation"] or ""
        if observation and criterion.is_scored:
            errors.setdefault("observation", []).append(
                _("This item is scored on the scale: choose a level, not present/absent.")
            )
        elif observation and observation not in Answer.Observation.values:
            errors.setdefault("observation", []).append(_("Choose present, absent or unknown."))
        cleaned["observation"] = observation

    if "not_applicable" in data:
        cleaned["not_applicable"] = bool(data["not_applicable"])
    if "na_reason" in data:
        cleaned["na_reason"] = (data["na_reason"] or "").strip()
    if "evidence" in data:
        cleaned["evidence"] = data["evidence"] or ""
    if "note" in data:
        cleaned["note"] = data["note"] or ""
    for name in TEXT_FIELDS:
        if name in cleaned:
            _check_length(name, cleaned[name], errors)
    if "confidence" in data:
        confidence = data["confidence"] or ""
        if confidence and confidence not in Answer.Confidence.values:
            errors.setdefault("confidence", []).append(_("Choose low, medium or high."))
        cleaned["confidence"] = confidence

    if "citations" in data:
        cleaned["citations"] = _clean_citations(assessment, data["citations"], errors)

    not_applicable = cleaned.get("not_applicable")
    if not_applicable and not criterion.is_scored:
        errors.setdefault("not_applicable", []).append(
            _("Observation items cannot be marked not applicable: answer unknown instead.")
        )
    if not_applicable and not cleaned.get("na_reason", ""):
        errors.setdefault("na_reason", []).append(
            _("Say why this item does not apply to the case.")
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


# The answer's fields its search entry is made of (casework.search.documents.answer_documents).
SEARCHED_FIELDS = ("observation", "evidence", "note", "na_reason")


@transaction.atomic
def answer_save(
    *,
    assessment: Assessment,
    criterion_code: str,
    user,
    data: dict,
    expected_version: int,
    touch: bool = True,
) -> Answer:
    """Save the fields in `data` if nobody else saved this answer since `expected_version`.

    `touch=False` is for batches that save many answers and touch the assessment once.
    """
    # With `touch`, the revision is bumped as the row is locked (and rolled back when
    # nothing is written); without, the row is only locked.
    revision = _bump_editable(assessment) if touch else _lock_editable(assessment)
    criterion = criterion_for_code(assessment, criterion_code)
    answer, others, gaps = _answers_read(assessment, criterion)
    created = answer is None
    if created:
        answer = Answer.objects.create(assessment=assessment, criterion=criterion)
    if answer.version != expected_version:
        raise EditConflict(current=answer)
    cleaned = clean_answer_data(assessment=assessment, criterion=criterion, data=data)
    changed = {n for n, v in cleaned.items() if not same_value(n, getattr(answer, n), v)}
    # Nothing changed: no new version, no empty history entry, no new revision.
    if not changed and not created:
        transaction.set_rollback(True)
        return _with_gap_rows(answer, gaps)
    if changed:
        _answer_write(answer, criterion, cleaned, user=user, expected_version=expected_version)
    _with_gap_rows(answer, gaps)
    if touch:
        others.append(
            (
                criterion.pk,
                answer.level,
                answer.not_applicable,
                answer.confidence,
                answer.observation,
            )
        )
        _touch(
            assessment,
            answer,
            revision=revision,
            scored=others,
            searched=created or not changed.isdisjoint(SEARCHED_FIELDS),
        )
    return answer


def _with_gap_rows(answer: Answer, gaps: list) -> Answer:
    """The answer, carrying the assessment's answers as this save leaves them (`gap_rows`,
    read under the assessment's lock, so what the transaction commits): what a page shows of
    the progress and what is left after the save, without reading them again."""
    gaps.append(tuple(getattr(answer, n) for n in ("pk", "criterion_id", *readmodel.GAP_FIELDS)))
    answer.gap_rows = readmodel.GapRows(gaps)
    return answer


def _answer_write(answer, criterion, cleaned: dict, *, user, expected_version: int) -> None:
    """The conditional UPDATE at `expected_version` and its history entry; `answer` follows."""
    now = timezone.now()
    stamps = {"version": expected_version + 1, "updated_at": now}
    if user is not None:
        stamps["updated_by"] = user.pk
    won = statements.update(
        Answer, {**stamps, **cleaned}, {"id": answer.pk, "version": expected_version}
    )
    if not won:  # only a writer that skipped the assessment's lock gets here
        raise EditConflict(current=Answer.objects.select_related("criterion").get(pk=answer.pk))
    for name, value in cleaned.items():
        setattr(answer, name, value)
    answer.version, answer.updated_at = expected_version + 1, now
    if user is not None:
        answer.updated_by = user
    answer.criterion = criterion
    _history_record(answer, user)


@cache
def _history_model():
    return Answer.history.model  # the descriptor builds a manager class on every access


def _history_record(answer: Answer, user) -> None:
    """The "changed" history entry of a saved answer, by `user`: the row
    `Answer.history.bulk_history_create([answer], update=True)` writes, in one plain INSERT."""
    History = _history_model()
    values = {
        **{f.attname: getattr(answer, f.attname) for f in History.tracked_fields},
        "history_date": timezone.now(),
        "history_user_id": getattr(user, "pk", None),
        "history_change_reason": "",
        "history_type": "~",
    }
    names = tuple(f.name for f in History._meta.concrete_fields if f.attname in values)
    row = tuple(values[History._meta.get_field(n).attname] for n in names)
    statements.insert(History, names, [row])


def _touch(assessment: Assessment, answer: Answer, *, revision: int, scored, searched) -> None:
    """assessment_touch for one saved answer, from what the save already holds.

    The same three steps: bump the revision, re-store the scores, update the search index;
    but the revision was bumped as the row was locked (`_bump_editable`), the answers were
    read under that lock (`scored`), the framework's structure is kept, and only the one
    answer's search entry can have changed, when one of its SEARCHED_FIELDS did (`searched`).
    """
    readmodel.scores_store_one(
        assessment_id=assessment.pk,
        version_id=assessment.version_id,
        revision=revision,
        answers=scored,
    )
    if searched:
        search_store_answer(answer=answer, case_id=assessment.case_id)

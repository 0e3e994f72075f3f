"""The scoring read model: "latest round", "answered", completeness and stored scores.

casework.scoring stays the reference: `scores_refresh` runs it over an assessment's answers
and stores the result in a ScoreSnapshot row, in the transaction that wrote the answers
(`assessment_touch` calls it). Pages that show scores for many cases read the snapshot
(`score_q`, `top_score`, the portfolio) instead of scoring every answer per request.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from casework import statements
from casework.score_inputs import ANSWER_FIELDS, OWN_FIELDS, item_answer, scale_of
from casework.scoring import DimensionSpec, ItemAnswer, score_assessment, to_tenths

# An answer counts as given when a scored item has a level or is marked not applicable, and
# when an observation item has an observation: `is_answered` below in SQL (and the scorer).
ANSWERED = Q(criterion__kind="scored") & (Q(level__isnull=False) | Q(not_applicable=True)) | Q(
    criterion__kind="observation"
) & ~Q(observation="")

# What an item may still lack, in the order the wizard lists them.
GAP_UNANSWERED = "unanswered"
GAP_NA_REASON = "na_reason"  # marked not applicable with no reason (older data; the wizard waits)
GAP_EVIDENCE = "evidence"  # a level with neither evidence text nor a cited source
GAPS = (GAP_UNANSWERED, GAP_NA_REASON, GAP_EVIDENCE)
# SnapshotScore's code for the overall score (dimensions go under their own code).
OVERALL = ""
# The assessments of record: a second, blind scoring (Assessment.second_of) is compared with and
# adjudicated into its first assessment, and never counts as a round of its own.
OF_RECORD = Q(second_of__isnull=True)

REFRESH_BATCH = 2000  # assessments scored per round of queries when refreshing many


FRAMEWORK_MODELS = {"ScaleLevel", "Dimension"}


def _model(name: str, apps=None):
    # Migrations pass their historical registry; everything else uses the live models.
    app = "frameworks" if name in FRAMEWORK_MODELS else "casework"
    return (apps or global_apps).get_model(app, name)


def latest_rounds(*, status: str = "") -> QuerySet:
    """Assessments that are the newest round of their case and framework.

    With `status`: per case and framework, the newest round that has that status (the
    portfolio's "latest approved"), which may be older than the newest round overall.
    """
    Assessment = _model("Assessment")
    later = Assessment.objects.filter(
        case_id=OuterRef("case_id"),
        framework_id=OuterRef("framework_id"),
        round__gt=OuterRef("round"),
    )
    candidates = Assessment.objects.filter(OF_RECORD)
    if status:
        # A second scoring has a status of its own: only the rounds of record count here.
        candidates = candidates.filter(status=status)
        later = later.filter(OF_RECORD, status=status)
    # Without a status, any later assessment means a later round of record: a second scoring
    # shares its first's round, and its first cannot be deleted (PROTECT). Leaving OF_RECORD
    # out of this subquery matters on SQLite without statistics: with it, SQLite looks the
    # subquery up through second_of's unique index (every row of record has the same NULL) and
    # reads all rounds for each one, minutes at 10,000 cases instead of 0.1 s.
    return candidates.filter(~Exists(later))


# --- Completeness -------------------------------------------------------------------------------


def is_answered(*, kind: str, level, not_applicable: bool, observation: str) -> bool:
    """The rule ANSWERED writes in SQL, for one answer in hand (Answer.is_answered uses it)."""
    if kind == "scored":
        return level is not None or bool(not_applicable)
    return bool(observation)


def answer_gap(answer) -> str:
    """What an answer (with its criterion loaded) still lacks: one of GAPS, or "" when nothing."""
    kind = answer.criterion.kind
    if not is_answered(
        kind=kind,
        level=answer.level,
        not_applicable=answer.not_applicable,
        observation=answer.observation,
    ):
        return GAP_UNANSWERED
    if answer.not_applicable and not answer.na_reason.strip():
        return GAP_NA_REASON
    has_evidence = answer.evidence.strip() or answer.citations
    if kind == "scored" and not answer.not_applicable and not has_evidence:
        return GAP_EVIDENCE
    return ""


@dataclass
class ItemState:
    """One answer as "what is left" reads it: its item (from the version's kept structure),
    the fields `answer_gap` looks at, and its `gap`."""

    pk: int
    criterion: object
    level: int | None
    not_applicable: bool
    na_reason: str
    observation: str
    evidence: str
    citations: list
    gap: str = ""


_GAP_FIELDS = ("level", "not_applicable", "na_reason", "observation", "evidence", "citations")
GAP_FIELDS = _GAP_FIELDS


def _answers_with_gaps(assessment_id: int, version_id: int | None = None, answers=None):
    """Every answer of the assessment in step order, each with `.gap` ("" when complete).

    One query: the answers' values, in plain SQL built once per process (statements), without
    building model objects; their items come from the version's kept structure
    (frameworks.structure), in its step order. `answers`, the assessment's whole Answer rows
    already read by the caller (`answers_of`), spares the query.
    """
    from frameworks.structure import version_structure

    if version_id is None:
        version_id = (
            _model("Assessment")
            .objects.filter(pk=assessment_id)
            .values_list("version_id", flat=True)
            .get()
        )
    rows = {
        row[1]: row for row in (_gap_rows(assessment_id) if answers is None else answers.gap_rows())
    }
    for criterion in version_structure(version_id).criteria:
        row = rows.get(criterion.pk)
        if row is None:
            continue
        item = ItemState(row[0], criterion, *row[2:])
        item.gap = answer_gap(item)
        yield item


_GAP_READ = ("id", "criterion", *_GAP_FIELDS)


def _gap_rows(assessment_id: int) -> list:
    """(id, criterion id, *_GAP_FIELDS) of each answer of the assessment, as the ORM converts them."""
    Answer = _model("Answer")
    rows = statements.select(Answer, _GAP_READ, {"assessment": assessment_id})
    return [statements.converted(Answer, _GAP_READ, row) for row in rows]


class GapRows(list):
    """An assessment's answers as (id, criterion id, *GAP_FIELDS) rows, read elsewhere (a save
    reads them under the assessment's lock): what `progress_and_open_items` takes as `answers`."""

    def gap_rows(self):
        return iter(self)


class AnswerRows:
    """An assessment's answers as rows of values (Answer's concrete fields, converted as the
    ORM converts them), by item: what `answers_of` reads. An Answer object is made only for
    the rows a page shows whole (`answer`); the progress reads the values (`gap_rows`)."""

    def __init__(self, rows: list[list]):
        Answer = _model("Answer")
        names = [f.attname for f in Answer._meta.concrete_fields]
        self._criterion = names.index("criterion_id")
        self._gap = [names.index("id"), self._criterion] + [names.index(n) for n in _GAP_FIELDS]
        self._by_criterion = {row[self._criterion]: row for row in rows}

    def __len__(self) -> int:
        return len(self._by_criterion)

    def gap_rows(self):
        """(id, criterion id, *_GAP_FIELDS) of each answer, as `_gap_rows` reads them."""
        for row in self._by_criterion.values():
            yield [row[i] for i in self._gap]

    def answer(self, criterion_id: int):
        """The item's answer as an Answer object (a new object on each call), or None."""
        row = self._by_criterion.get(criterion_id)
        return None if row is None else statements.instance(_model("Answer"), list(row))


def answers_of(assessment_id: int) -> AnswerRows:
    """The assessment's answers, whole rows: one query.

    For a page that shows some of them and the progress of all (the wizard's step): pass
    them to `progress_and_open_items` as `answers`.
    """
    return AnswerRows(statements.rows(_model("Answer"), {"assessment": assessment_id}))


def open_items(assessment_id: int, *, version_id: int | None = None) -> list:
    """The assessment's answers that still lack something, in step order, each with `.gap`.

    One query, whatever the number of items (two without `version_id`).
    """
    return [item for item in _answers_with_gaps(assessment_id, version_id) if item.gap]


def progress_and_open_items(
    assessment_id: int, *, version_id: int | None = None, answers=None
) -> tuple[dict[int, tuple[int, int]], list]:
    """`completion_by_dimension` and `open_items` of one assessment, from one query (none
    when given the assessment's `answers`, as `answers_of` reads them).

    For a page that shows both (the autosave's progress and what is left): the answers that
    open_items reads already say which are answered.
    """
    by_dimension: dict[int, list[int]] = {}
    found = []
    for answer in _answers_with_gaps(assessment_id, version_id, answers):
        counts = by_dimension.setdefault(answer.criterion.dimension_id, [0, 0])
        counts[0] += answer.gap != GAP_UNANSWERED
        counts[1] += 1
        if answer.gap:
            found.append(answer)
    return {pk: (answered, total) for pk, (answered, total) in by_dimension.items()}, found


@dataclass
class Completion:
    """How much of an assessment (or of one dimension) is answered: the one rule for its percent."""

    answered: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        """Answered items out of all, as a whole percent; 0 when there are no items."""
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def done(self) -> bool:
        """True when there are items and every one is answered."""
        return self.total > 0 and self.answered == self.total


def completion_by_assessment(assessment_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """{assessment id: (answered items, all items)}, observations included, in one query."""
    Answer = _model("Answer")
    rows = (
        Answer.objects.filter(assessment_id__in=list(assessment_ids))
        .values("assessment_id")
        .annotate(total=Count("id"), answered=Count("id", filter=ANSWERED))
        .order_by()
    )
    return {row["assessment_id"]: (row["answered"], row["total"]) for row in rows}


def completion_by_dimension(assessment_id: int) -> dict[int, tuple[int, int]]:
    """{dimension id: (answered items, all items)} of one assessment, in one query."""
    Answer = _model("Answer")
    rows = (
        Answer.objects.filter(assessment_id=assessment_id)
        .values("criterion__dimension_id")
        .annotate(total=Count("id"), answered=Count("id", filter=ANSWERED))
        .order_by()
    )
    return {row["criterion__dimension_id"]: (row["answered"], row["total"]) for row in rows}


def answered_in_dimension(assessment_id: int) -> Coalesce:
    """Answered items of one assessment in each dimension (an annotation on Dimension)."""
    Answer = _model("Answer")
    answered = (
        Answer.objects.filter(
            ANSWERED, assessment_id=assessment_id, criterion__dimension_id=OuterRef("pk")
        )
        .order_by()
        .values("criterion__dimension_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(answered), 0)


# --- Stored scores ------------------------------------------------------------------------------


def _score_batch(ids: list[int], apps=None) -> list:
    """Unsaved ScoreSnapshot rows for some assessments, scored by casework.scoring (4 queries)."""
    Assessment, Answer = _model("Assessment", apps), _model("Answer", apps)
    ScaleLevel, Dimension = _model("ScaleLevel", apps), _model("Dimension", apps)
    ScoreSnapshot = _model("ScoreSnapshot", apps)
    assessments = list(
        Assessment.objects.filter(pk__in=ids).values_list("pk", "version_id", "revision")
    )
    version_ids = {version_id for _pk, version_id, _revision in assessments}
    scale_values: dict[int, list[int]] = {}
    for version_id, value in ScaleLevel.objects.filter(version_id__in=version_ids).values_list(
        "version_id", "value"
    ):
        scale_values.setdefault(version_id, []).append(value)
    dimensions: dict[int, list[DimensionSpec]] = {}
    for version_id, code, weight in (
        Dimension.objects.filter(version_id__in=version_ids)
        .order_by("order", "code")
        .values_list("version_id", "code", "weight")
    ):
        dimensions.setdefault(version_id, []).append(DimensionSpec(code=code, weight=weight))
    items: dict[int, list[ItemAnswer]] = {pk: [] for pk, _v, _r in assessments}
    rows = (
        Answer.objects.filter(assessment_id__in=list(items))
        .order_by()
        .values_list("assessment_id", *ANSWER_FIELDS)
    )
    for pk, *row in rows:
        items[pk].append(item_answer(row))
    snapshots = []
    for pk, version_id, revision in assessments:
        snapshot = ScoreSnapshot(assessment_id=pk, revision=revision)
        try:
            result = score_assessment(
                scale=scale_of(scale_values.get(version_id, [])),
                dimensions=dimensions.get(version_id, []),
                items=items[pk],
            )
        except ValueError:  # data the scorer refuses: stored as "no score"
            snapshots.append(snapshot)
            continue
        for name, value in snapshot_values(result).items():
            setattr(snapshot, name, value)
        snapshots.append(snapshot)
    return snapshots


def snapshot_values(result) -> dict:
    """What a ScoreSnapshot keeps of a scoring result, field by field (SNAPSHOT_FIELDS order)."""
    return {
        "overall": result.overall,
        "band": result.band,
        "scored_total": result.scored_total,
        "answered": result.answered,
        "not_applicable": result.not_applicable,
        "completeness": result.completeness,
        "dimensions": {code: d.score for code, d in result.dimensions.items()},
    }


SNAPSHOT_FIELDS = [
    "overall",
    "band",
    "scored_total",
    "answered",
    "not_applicable",
    "completeness",
    "dimensions",
    "revision",
]


def scores_refresh(*, assessment_ids: Iterable[int], apps=None) -> int:
    """Re-score the assessments from their answers and store the result; returns how many.

    Call it inside the transaction that changed the answers, after the assessment row was
    updated (assessment_touch does both): that row lock orders concurrent refreshes of one
    assessment, so the last one to commit has read every committed answer.
    """
    ScoreSnapshot = _model("ScoreSnapshot", apps)
    ids = sorted(set(assessment_ids))
    done = 0
    for start in range(0, len(ids), REFRESH_BATCH):
        snapshots = _score_batch(ids[start : start + REFRESH_BATCH], apps)
        ScoreSnapshot.objects.bulk_create(
            snapshots,
            update_conflicts=True,
            unique_fields=["assessment"],
            update_fields=SNAPSHOT_FIELDS,
        )
        _store_scores(snapshots, apps)
        done += len(snapshots)
    return done


def scores_refresh_one(*, assessment_id: int, version_id: int, revision: int) -> None:
    """Re-score one assessment whose version and new revision the caller knows (3 queries).

    What `scores_refresh` stores: the framework's structure comes from frameworks.structure
    (kept per process for a published version), so only the answers are read, then stored by
    `scores_store_one`. Call it where `scores_refresh` would be called: in the writing
    transaction, with the assessment's row locked.
    """
    Answer = _model("Answer")
    answers = (
        Answer.objects.filter(assessment_id=assessment_id)
        .order_by()
        .values_list("criterion_id", *OWN_FIELDS)
    )
    scores_store_one(
        assessment_id=assessment_id, version_id=version_id, revision=revision, answers=answers
    )


def scores_store_one(*, assessment_id: int, version_id: int, revision: int, answers) -> None:
    """Score one assessment from its answers in hand and store the result (2 queries).

    `answers`: every answer of the assessment as it is now, as (criterion id, *OWN_FIELDS)
    rows, read in the writing transaction under the assessment's row lock (the autosave reads
    them with that lock and adds the row it just wrote). Stores what `scores_refresh` stores:
    the snapshot, then its score rows, each in one upsert.
    """
    from frameworks.structure import version_structure

    structure = version_structure(version_id)
    items = []
    for criterion_id, *values in answers:
        criterion = structure.criterion_by_id(criterion_id)
        head = (criterion.code, criterion.dimension.code, criterion.weight, criterion.kind)
        items.append(item_answer((*head, *values)))
    ScoreSnapshot, SnapshotScore = _model("ScoreSnapshot"), _model("SnapshotScore")
    # "No score" is the model's own defaults, as an unscored ScoreSnapshot() would hold.
    values = {name: ScoreSnapshot._meta.get_field(name).get_default() for name in SNAPSHOT_FIELDS}
    try:
        result = score_assessment(
            scale=scale_of(structure.scale_values),
            dimensions=[DimensionSpec(code=c, weight=w) for c, w in structure.dimension_weights()],
            items=items,
        )
    except ValueError:  # no scale, or data the scorer refuses: stored as "no score"
        pass
    else:
        values |= snapshot_values(result)
    values["revision"] = revision
    statements.insert(
        ScoreSnapshot,
        ("assessment", *SNAPSHOT_FIELDS),
        [(assessment_id, *(values[name] for name in SNAPSHOT_FIELDS))],
        unique=("assessment",),
        update=SNAPSHOT_FIELDS,
    )
    if not values["dimensions"]:  # refused by the scorer: its old score rows go
        SnapshotScore.objects.filter(snapshot_id=assessment_id).delete()
    statements.insert(
        SnapshotScore,
        ("snapshot", "code", "tenths"),
        score_rows(assessment_id, values["overall"], values["dimensions"]),
        unique=("snapshot", "code"),
        update=("tenths",),
    )


def score_rows(assessment_id: int, overall, dimensions: dict) -> list[tuple[int, str, int | None]]:
    """(assessment id, code, tenths or None) of the overall and each dimension score."""
    rows = [(assessment_id, OVERALL, to_tenths(overall))]
    rows += [(assessment_id, code, to_tenths(score)) for code, score in dimensions.items()]
    return rows


def _store_scores(snapshots: list, apps=None) -> None:
    """Write the snapshots' per-score rows, in the caller's transaction (1 query, usually).

    An upsert: an assessment keeps its version, so its set of dimension codes never changes.
    Only a snapshot the scorer refused (no dimensions at all) has its old rows removed first.
    """
    try:
        SnapshotScore = _model("SnapshotScore", apps)
    except LookupError:  # a migration before 0006, which fills them from the snapshots
        return
    refused = [s.assessment_id for s in snapshots if not s.dimensions]
    if refused:
        SnapshotScore.objects.filter(snapshot_id__in=refused).delete()
    SnapshotScore.objects.bulk_create(
        [
            SnapshotScore(snapshot_id=pk, code=code, tenths=tenths)
            for snapshot in snapshots
            for pk, code, tenths in score_rows(
                snapshot.assessment_id, snapshot.overall, snapshot.dimensions or {}
            )
        ],
        update_conflicts=True,
        unique_fields=["snapshot", "code"],
        update_fields=["tenths"],
    )


def scores_refresh_all(*, apps=None) -> int:
    """Re-score every assessment (after a data import, or to repair): see `refresh_scores`."""
    Assessment = _model("Assessment", apps)
    return scores_refresh(assessment_ids=Assessment.objects.values_list("pk", flat=True), apps=apps)


def stale_assessments() -> QuerySet:
    """Assessments without a snapshot, or whose snapshot is older than their last write."""
    Assessment = _model("Assessment")
    return Assessment.objects.filter(
        Q(score_snapshot__isnull=True) | ~Q(score_snapshot__revision=F("revision"))
    )


def snapshot_of(assessment):
    """The stored scores of an assessment (select_related("score_snapshot")), or None."""
    try:
        return assessment.score_snapshot
    except _model("ScoreSnapshot").DoesNotExist:
        return None


def in_band(band: int, *, hidden: Q | None = None) -> Q:
    """Cases whose latest round of some framework scores in `band` (a filter on Case).

    `hidden`: assessments left out (those a blind double scoring hides from the user).
    """
    # An IN over the snapshots in the band, not a per-case EXISTS: SQLite runs the subquery
    # once instead of once per case (half the time at 10,000 cases); PostgreSQL plans both alike.
    rounds = latest_rounds().filter(score_snapshot__band=band)
    if hidden is not None:
        rounds = rounds.exclude(hidden)
    return Q(pk__in=rounds.values("case_id"))


def top_score(*, hidden: Q | None = None) -> Subquery:
    """The best overall score among a case's latest rounds (an annotation on Case)."""
    rounds = latest_rounds() if hidden is None else latest_rounds().exclude(hidden)
    best = (
        rounds.filter(case_id=OuterRef("pk"), score_snapshot__overall__isnull=False)
        .order_by("-score_snapshot__overall")
        .values("score_snapshot__overall")[:1]
    )
    return Subquery(best)

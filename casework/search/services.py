"""Keeping the search index current: called in the transaction that changed the text.

`assessment_touch` (every write to an assessment's content) calls `search_index_assessment`;
the case services call `search_index_case`. Each compares the documents with the stored
entries and writes only what changed, so an autosave re-segments one answer, not all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, partial

from django.apps import apps as global_apps
from django.db import connection, transaction

from casework import statements
from casework.search import backends
from casework.search.documents import (
    KIND_ANSWER,
    KIND_CASE,
    Document,
    answer_documents,
    assessment_documents,
    case_documents,
)
from casework.search.segment import language_of, segment

BATCH = 500  # assessments or cases read per round of queries when rebuilding everything
STORED = ("case_id", "assessment_id", "item_code", "dimension_code", "category", "outcome", "body")


def _entry_model(apps=None):
    return (apps or global_apps).get_model("search", "SearchEntry")


def _fields(doc: Document) -> dict:
    return {
        "case_id": doc.case_id,
        "assessment_id": doc.assessment_id,
        "item_code": doc.item_code,
        "dimension_code": doc.dimension_code,
        "category": doc.category,
        "outcome": doc.outcome,
        "body": doc.body,
        "language": language_of(doc.extra + "\n" + doc.body),
        "text": segment(doc.extra + "\n" + doc.body),
    }


def _sync(existing, docs: list[Document], apps=None) -> int:
    """Make the entries of `existing` (a queryset) those of `docs`; returns rows written."""
    SearchEntry = _entry_model(apps)
    wanted = {doc.key: doc for doc in docs}
    stored = {
        (row["kind"], row["object_id"]): row
        for row in existing.values("pk", "kind", "object_id", "text", *STORED)
    }
    gone = [row["pk"] for key, row in stored.items() if key not in wanted]
    if gone:
        SearchEntry.objects.filter(pk__in=gone).delete()
    new, changed = [], []
    for key, doc in wanted.items():
        row = stored.get(key)
        if row is None:
            new.append(SearchEntry(kind=doc.kind, object_id=doc.object_id, **_fields(doc)))
            continue
        if _differs(row, doc):
            changed.append(
                SearchEntry(pk=row["pk"], kind=doc.kind, object_id=doc.object_id, **_fields(doc))
            )
    SearchEntry.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        SearchEntry.objects.bulk_update(changed, [*STORED, "language", "text"], batch_size=BATCH)
    return len(gone) + len(new) + len(changed)


def _differs(row: dict, doc: Document) -> bool:
    values = {
        "case_id": doc.case_id,
        "assessment_id": doc.assessment_id,
        "item_code": doc.item_code,
        "dimension_code": doc.dimension_code,
        "category": doc.category,
        "outcome": doc.outcome,
        "body": doc.body,
    }
    # The case's searched facts (title, tags) are not stored on their own: compare the text.
    return any(row[name] != value for name, value in values.items()) or (
        bool(doc.extra) and segment(doc.extra + "\n" + doc.body) != row["text"]
    )


def search_index_assessment(*, assessment_id: int) -> int:
    """Bring the entries of one assessment in line with its text (call inside its transaction)."""
    SearchEntry = _entry_model()
    existing = SearchEntry.objects.filter(assessment_id=assessment_id)
    return _sync(existing, assessment_documents([assessment_id]))


def search_index_answer(*, answer, case_id: int) -> int:
    """Bring one answer's entry in line with its text (call inside its transaction).

    After a save that changed only this answer: no other entry of the assessment reads it.
    `answer.criterion` and its dimension must be loaded (the framework structure keeps them).
    """
    SearchEntry = _entry_model()
    existing = SearchEntry.objects.filter(kind=KIND_ANSWER, object_id=answer.pk)
    return _sync(existing, answer_documents(answer, case_id))


def search_store_answer(*, answer, case_id: int) -> None:
    """Write one answer's entry as its text now reads, or remove it when it holds none: one
    statement, without reading the entry first (call inside the transaction that saved it).

    For a save that changed the answer's text: what `search_index_answer` would write then.
    `answer.criterion` and its dimension must be loaded (the framework structure keeps them).
    """
    SearchEntry = _entry_model()
    docs = answer_documents(answer, case_id)
    if not docs:
        statements.execute(_delete_sql(connection.vendor), [KIND_ANSWER, answer.pk])
        return
    doc = docs[0]
    names = ("kind", "object_id", *_fields(doc))
    statements.insert(
        SearchEntry,
        names,
        [(doc.kind, doc.object_id, *_fields(doc).values())],
        unique=("kind", "object_id"),
        update=names[2:],
    )


@cache
def _delete_sql(vendor: str) -> str:
    SearchEntry = _entry_model()
    column = partial(statements.column, SearchEntry)
    table = statements.quote(SearchEntry._meta.db_table)
    return f"DELETE FROM {table} WHERE {column('kind')} = %s AND {column('object_id')} = %s"


def search_index_case(*, case_id: int) -> int:
    """Bring a case's own entry in line with its facts, summary and context."""
    SearchEntry = _entry_model()
    existing = SearchEntry.objects.filter(kind=KIND_CASE, object_id=case_id)
    return _sync(existing, case_documents([case_id]))


@transaction.atomic
def search_reindex_all(*, apps=None) -> int:
    """Rebuild every entry from the data (the migration and `manage.py reindex_search`)."""
    SearchEntry = _entry_model(apps)
    Case = (apps or global_apps).get_model("casework", "Case")
    Assessment = (apps or global_apps).get_model("casework", "Assessment")
    SearchEntry.objects.all().delete()
    written = 0
    for ids in _batches(Case.objects.order_by("pk").values_list("pk", flat=True)):
        written += _create(case_documents(ids, apps), apps)
    for ids in _batches(Assessment.objects.order_by("pk").values_list("pk", flat=True)):
        written += _create(assessment_documents(ids, apps), apps)
    return written


def _create(docs: list[Document], apps) -> int:
    SearchEntry = _entry_model(apps)
    SearchEntry.objects.bulk_create(
        [SearchEntry(kind=d.kind, object_id=d.object_id, **_fields(d)) for d in docs],
        batch_size=BATCH,
    )
    return len(docs)


def _batches(ids: Iterable[int]):
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def search_install() -> None:
    """Create the engine's index if it is missing (after a table rebuild, for instance)."""
    backends.install()
    backends.rebuild()

"""The index follows every write: services keep entries current in the same transaction."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from casework.models import Risk
from casework.search import backends
from casework.search.models import SearchEntry
from casework.search.services import search_index_assessment
from casework.services.answers import answer_save
from casework.services.assessments import assessment_start, assessment_submit
from casework.services.cases import case_create, case_update
from casework.services.narrative import finding_save
from casework.services.registers import register_row_delete, register_row_save
from casework.services.rounds import assessment_start_round
from tests import factories
from tests.search.conftest import add_risk, say

pytestmark = pytest.mark.django_db


def entries(**filters):
    return list(SearchEntry.objects.filter(**filters).values_list("kind", "body", "outcome"))


def engine_ids(word: str) -> list[int]:
    """Row ids the engine's own index returns, without the entry table: stale rows would show."""
    from casework.search.segment import fts5_query, parse_query, tsquery

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT rowid FROM {backends.FTS} WHERE {backends.FTS} MATCH %s",
                [fts5_query(parse_query(word))],
            )
        else:
            cursor.execute(
                f"SELECT id FROM {backends.TABLE} WHERE {backends.POSTGRES_VECTOR} "
                "@@ to_tsquery('simple', %s)",
                [tsquery(parse_query(word))],
            )
        return [row[0] for row in cursor.fetchall()]


def test_a_new_case_is_indexed_with_its_facts(alice, unit_a):
    case = case_create(
        owner=alice,
        unit=unit_a,
        data={
            "title": "城市一网通办改革",
            "body": "政务服务局",
            "level": "municipal",
            "summary": "把高频事项搬到网上办理。",
            "tags": ["流程再造"],
        },
    ).case
    (case_entry,) = SearchEntry.objects.filter(kind="case", object_id=case.pk)
    assert case_entry.body == "把高频事项搬到网上办理。"
    words = case_entry.text.split()
    assert "一网" in words and "再造" in words  # title and tags are searched, though not shown


def test_saving_evidence_indexes_it_and_an_edit_replaces_the_old_text(alice, alice_assessment):
    say(alice_assessment, alice, "TF-D1.1", level=2, evidence="接口标准不一致")
    assert entries(kind="answer") == [("answer", "接口标准不一致", "")]
    entry = SearchEntry.objects.get(kind="answer")
    assert (entry.item_code, entry.dimension_code, entry.language) == ("TF-D1.1", "TF-D1", "zh")

    say(alice_assessment, alice, "TF-D1.1", evidence="Legacy records were migrated unchecked")
    assert entries(kind="answer") == [("answer", "Legacy records were migrated unchecked", "")]
    assert engine_ids("接口标准") == [] and engine_ids("legacy") == [entry.pk]


def test_clearing_the_text_removes_the_entry(alice, alice_assessment):
    say(alice_assessment, alice, "TF-D1.1", evidence="临时证据")
    say(alice_assessment, alice, "TF-D1.1", evidence="")
    assert entries(kind="answer") == []
    assert engine_ids("临时证据") == []


def test_risks_are_indexed_with_category_and_status_and_follow_edits_and_deletes(
    alice, alice_assessment
):
    risk = add_risk(alice_assessment, alice, "历史数据质量差")
    (entry,) = SearchEntry.objects.filter(kind="risk")
    assert (entry.category, entry.outcome, entry.body) == ("technology", "open", "历史数据质量差")

    register_row_save(
        assessment=alice_assessment,
        register="risks",
        row_id=risk.pk,
        user=alice,
        data={"status": "occurred", "outcome": "回退旧系统"},
        expected_version=risk.version,
    )
    assert entries(kind="risk") == [("risk", "历史数据质量差\n\n回退旧系统", "occurred")]

    risk = Risk.objects.get(pk=risk.pk)
    register_row_delete(
        assessment=alice_assessment,
        register="risks",
        row_id=risk.pk,
        user=alice,
        expected_version=risk.version,
    )
    assert entries(kind="risk") == [] and engine_ids("数据质量") == []


def test_findings_and_conclusions_are_indexed(alice, alice_assessment):
    finding_save(
        assessment=alice_assessment,
        dimension_code="TF-D2",
        user=alice,
        text="培训不足",
        expected_version=0,
    )
    assert entries(kind="finding") == [("finding", "培训不足", "")]
    assert SearchEntry.objects.get(kind="finding").dimension_code == "TF-D2"


def test_editing_the_case_reindexes_it(alice_case):
    case_update(case=alice_case, data={"summary": "Grid workers report issues"})
    assert entries(kind="case") == [("case", "Grid workers report issues", "")]


def test_a_new_round_indexes_the_copied_text(alice, bob, alice_assessment):
    say(alice_assessment, alice, "TF-D1.1", level=3, evidence="第一轮证据")
    add_risk(alice_assessment, alice, "性能不足")
    assessment_submit(assessment=alice_assessment, user=alice)
    second = assessment_start_round(previous=alice_assessment, user=alice)
    assert sorted(entries(assessment=second)) == [
        ("answer", "第一轮证据", ""),
        ("risk", "性能不足", "open"),
    ]


def test_nothing_is_rewritten_when_nothing_changed(alice, alice_assessment):
    say(alice_assessment, alice, "TF-D1.1", evidence="不变的证据")
    assert search_index_assessment(assessment_id=alice_assessment.pk) == 0


def test_deleting_an_assessment_takes_its_entries_out_of_the_engine(alice, alice_assessment):
    say(alice_assessment, alice, "TF-D1.1", evidence="即将删除")
    alice_assessment.delete()
    assert entries() == []
    assert engine_ids("即将删除") == []


def test_reindex_search_rebuilds_the_same_entries(alice, alice_assessment):
    say(alice_assessment, alice, "TF-D1.1", evidence="重建索引")
    add_risk(alice_assessment, alice, "Peak load at launch")
    before = sorted(entries())
    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("reindex_search", stdout=out)
    assert "Indexed 3 texts." in out.getvalue()
    # The same entries, and the case the factory wrote behind the services' back.
    assert sorted(entries()) == sorted([*before, ("case", "把高频事项搬到网上办理。", "")])
    assert len(engine_ids("peak")) == 1


def test_the_migration_installed_the_engine_index():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE name LIKE 'search_searchentry_fts%'"
            )
            names = {row[0] for row in cursor.fetchall()}
            assert {backends.FTS, f"{backends.FTS}_insert", f"{backends.FTS}_delete"} <= names
            assert f"{backends.FTS}_update" in names
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s", [backends.TABLE]
            )
            assert backends.POSTGRES_INDEX in {row[0] for row in cursor.fetchall()}


def _engine_ids(word: str) -> set[int]:
    """The entries the database's own text index finds for one plain word."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            fts = "search_searchentry_fts"
            cursor.execute(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [word])
        else:
            cursor.execute(
                "SELECT id FROM search_searchentry WHERE vector @@ to_tsquery('simple', %s)",
                [word],
            )
        return {row[0] for row in cursor.fetchall()}


def test_the_engine_index_follows_an_answer_whose_entry_is_written_over(alice, alice_case):
    """The autosave writes an answer's entry with one upsert: the FTS5 triggers (SQLite) and
    the generated vector (PostgreSQL) follow it, and a removed text leaves nothing to find."""
    version = factories.make_tiny_framework("FT", dimensions=(("D1", 1, [("D1.1", "scored", 1)]),))
    assessment = assessment_start(case=alice_case, version=version, user=alice)

    def save(evidence, version):
        return answer_save(
            assessment=assessment,
            criterion_code="FT-D1.1",
            user=alice,
            data={"evidence": evidence},
            expected_version=version,
        )

    answer = save("alpha", 0)
    entry = SearchEntry.objects.get(kind="answer", object_id=answer.pk)
    assert _engine_ids("alpha") == {entry.pk}
    save("bravo", 1)
    assert _engine_ids("alpha") == set()
    assert _engine_ids("bravo") == {entry.pk}
    save("", 2)
    assert _engine_ids("bravo") == set()
    assert not SearchEntry.objects.filter(kind="answer", object_id=answer.pk).exists()

"""Migration 0006: existing sources stay as they were, live, with no document and version 0."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("casework", "0005_score_snapshot")]
AFTER = [("casework", "0006_source_documents")]


@pytest.mark.django_db(transaction=True)
def test_sources_written_before_the_migration_read_as_live_sources_without_documents():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="olga")
    unit = old.get_model("casework", "OrgUnit").objects.create(
        code="old", name_zh="旧单位", name_en="Old unit"
    )
    case = old.get_model("casework", "Case").objects.create(
        title="旧案例", body="某局", level="municipal", unit=unit, owner=user
    )
    old.get_model("casework", "CaseSource").objects.create(case=case, title="旧来源")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    source = new.get_model("casework", "CaseSource").objects.get(title="旧来源")
    assert (source.removed_at, source.version, source.document_file) == (None, 0, "")
    assert (source.document_size, source.document_sha256) == (0, "")

    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

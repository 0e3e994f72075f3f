"""Migration 0008: the sector list is seeded, and case texts naming a sector point at it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("casework", "0007_merge_double_snapshot_documents")]
AFTER = [("casework", "0008_sectors")]


@pytest.mark.django_db(transaction=True)
def test_case_texts_equal_to_a_sector_name_map_to_it_and_the_rest_stay_as_other_text():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="olga")
    unit = old.get_model("casework", "OrgUnit").objects.create(
        code="old", name_zh="旧单位", name_en="Old unit"
    )
    Case = old.get_model("casework", "Case")
    texts = ["政务服务", " 政务服务 ", "DATA SHARING", "Health ", "港口物流", ""]
    for index, text in enumerate(texts):
        Case.objects.create(
            title=f"案例{index}", body="某局", level="municipal", unit=unit, owner=user, sector=text
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    mapped = {
        case.title: (case.sector_ref.code if case.sector_ref else None, case.sector)
        for case in new.get_model("casework", "Case").objects.select_related("sector_ref")
    }
    assert mapped == {
        "案例0": ("government-services", ""),
        "案例1": ("government-services", ""),
        "案例2": ("data-sharing", ""),
        "案例3": ("health", ""),
        "案例4": (None, "港口物流"),
        "案例5": (None, ""),
    }
    sectors = new.get_model("casework", "Sector").objects.values_list("name_zh", "name_en")
    assert ("基层治理", "Grassroots governance") in set(sectors)

    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

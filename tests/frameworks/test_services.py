"""Import, publish, retire, new draft and diff."""

from decimal import Decimal

import pytest

from frameworks.io import FrameworkFileError, dump_version, parse_framework_file, version_to_dict
from frameworks.models import (
    Criterion,
    CriterionLevel,
    Dimension,
    FrameworkVersion,
    ScaleLevel,
)
from frameworks.services import (
    FrameworkVersionError,
    framework_import,
    framework_version_diff,
    framework_version_new_draft,
    framework_version_publish,
    framework_version_retire,
)
from tests.factories import TINY_FRAMEWORK_YAML, import_tiny_framework
from tests.frameworks.helpers import row_counts, tiny_data

pytestmark = pytest.mark.django_db


def test_import_creates_the_framework_and_a_complete_draft():
    version = import_tiny_framework(publish=False)
    assert version.status == FrameworkVersion.Status.DRAFT
    assert (version.number, version.label, version.parent) == (1, "1.0", None)
    assert version.framework.name_en == "Tiny framework"
    assert version.framework.source_reference == "https://example.org/tiny"
    assert version.scale_levels.count() == 6
    assert list(version.dimensions.values_list("code", "order")) == [("TY-D1", 0), ("TY-D2", 1)]
    first = Criterion.objects.get(version=version, code="TY-D1.1")
    assert (first.weight, first.kind, first.order) == (Decimal("2.00"), "scored", 0)
    assert list(first.levels.values_list("value", flat=True)) == [0, 5]
    assert version.dimensions.get(code="TY-D1").registers == ["goals"]


def test_import_never_touches_an_existing_version():
    published = import_tiny_framework()
    before = version_to_dict(published)
    data = tiny_data()
    data["dimensions"][0]["items"][0]["title"]["en"] = "Changed"
    draft = framework_import(data=data)
    assert draft.number == 2
    assert draft.parent == published
    published.refresh_from_db()
    assert published.status == FrameworkVersion.Status.PUBLISHED
    assert version_to_dict(published) == {
        **before,
        "framework": version_to_dict(published)["framework"],
    }
    assert Criterion.objects.get(version=published, code="TY-D1.1").title_en == "Item D1.1"


def test_import_names_the_draft_and_publishing_renames_the_framework():
    import_tiny_framework()
    data = tiny_data()
    data["framework"]["name"]["en"] = "Tiny framework, renamed"
    version = framework_import(data=data)
    assert version.name_en == "Tiny framework, renamed"
    assert version.framework.name_en == "Tiny framework"
    framework_version_publish(version=version)
    version.framework.refresh_from_db()
    assert version.framework.name_en == "Tiny framework, renamed"


def test_import_validates_raw_data_and_writes_nothing_when_it_is_wrong():
    data = tiny_data()
    data["dimensions"][0]["items"][0]["weight"] = -1
    before = row_counts()
    with pytest.raises(FrameworkFileError):
        framework_import(data=data)
    assert row_counts() == before


def test_import_is_atomic_when_the_database_fails_half_way(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(CriterionLevel.objects, "bulk_create", boom)
    before = row_counts()
    with pytest.raises(RuntimeError):
        framework_import(data=tiny_data())
    assert row_counts() == before


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_import_export_gives_identical_bytes(frameworks, fmt):
    for version in frameworks.values():
        first = dump_version(version, fmt)
        draft = framework_import(data=parse_framework_file(first, fmt=fmt))
        assert draft.label == version.label
        assert dump_version(draft, fmt) == first


def test_publish_freezes_a_draft():
    draft = import_tiny_framework(publish=False)
    version = framework_version_publish(version=draft)
    assert version.status == FrameworkVersion.Status.PUBLISHED
    assert version.published_at is not None
    assert version.framework.latest_published() == version


def test_publish_refuses_anything_but_a_draft():
    version = import_tiny_framework()
    with pytest.raises(FrameworkVersionError, match="Only a draft can be published"):
        framework_version_publish(version=version)
    framework_version_retire(version=version)
    with pytest.raises(FrameworkVersionError):
        framework_version_publish(version=version)


def test_publish_refuses_a_draft_that_breaks_the_schema():
    draft = import_tiny_framework(publish=False)
    Dimension.objects.create(
        version=draft, code="TY-D3", order=2, title_zh="空", title_en="Empty", source_ref="000 §3"
    )
    ScaleLevel.objects.filter(version=draft, value=3).delete()
    with pytest.raises(FrameworkVersionError) as caught:
        framework_version_publish(version=draft)
    assert "missing 3" in str(caught.value.message)
    assert "TY-D3" in str(caught.value.message)
    draft.refresh_from_db()
    assert draft.is_draft


def test_retire_takes_a_published_version_out_of_use():
    version = framework_version_retire(version=import_tiny_framework())
    assert version.status == FrameworkVersion.Status.RETIRED
    assert version.framework.latest_published() is None


def test_retire_refuses_drafts_and_retired_versions():
    draft = import_tiny_framework(publish=False)
    with pytest.raises(FrameworkVersionError, match="Only a published version can be retired"):
        framework_version_retire(version=draft)


def test_new_draft_is_a_deep_copy_with_a_parent_link():
    published = import_tiny_framework()
    draft = framework_version_new_draft(version=published)
    assert draft.status == FrameworkVersion.Status.DRAFT
    assert (draft.number, draft.label, draft.parent) == (2, "1.1", published)
    old, new = version_to_dict(published), version_to_dict(draft)
    assert new["version"]["label"] == "1.1"
    assert {**new, "version": None} == {**old, "version": None}
    assert not set(Criterion.objects.filter(version=draft).values_list("pk", flat=True)) & set(
        Criterion.objects.filter(version=published).values_list("pk", flat=True)
    )


def test_new_draft_can_be_edited_while_its_parent_stays_frozen():
    published = import_tiny_framework()
    draft = framework_version_new_draft(version=published)
    criterion = Criterion.objects.get(version=draft, code="TY-D1.1")
    criterion.title_en = "Edited in the draft"
    criterion.save()
    assert Criterion.objects.get(version=published, code="TY-D1.1").title_en == "Item D1.1"


def test_diff_reports_added_removed_and_changed_items():
    published = import_tiny_framework()
    draft = framework_version_new_draft(version=published)
    Criterion.objects.get(version=draft, code="TY-D1.2").delete()
    changed = Criterion.objects.get(version=draft, code="TY-D1.1")
    changed.title_en = "Goals, restated"
    changed.weight = 3
    changed.save()
    Criterion.objects.create(
        dimension=draft.dimensions.get(code="TY-D2"),
        code="TY-D2.2",
        title_zh="新条目",
        title_en="New item",
        source_ref="000 §2.2",
        order=1,
    )
    diff = framework_version_diff(old=published, new=draft)
    assert [item["code"] for item in diff.items.added] == ["TY-D2.2"]
    assert [item["code"] for item in diff.items.removed] == ["TY-D1.2"]
    assert [entry.code for entry in diff.items.changed] == ["TY-D1.1"]
    fields = {change.field: (change.old, change.new) for change in diff.items.changed[0].fields}
    assert fields == {"title.en": ("Item D1.1", "Goals, restated"), "weight": (2, 3)}
    assert diff.version[0].field == "label"
    assert not diff.is_empty


def test_diff_reports_dimensions_scale_and_rubrics():
    published = import_tiny_framework()
    draft = framework_version_new_draft(version=published)
    dimension = draft.dimensions.get(code="TY-D2")
    dimension.weight = Decimal("1.5")
    dimension.informs = ["CA-1", "CA-2"]
    dimension.save()
    level = ScaleLevel.objects.get(version=draft, value=5)
    level.label_en = "Leading"
    level.save()
    CriterionLevel.objects.filter(criterion__version=draft, value=5).delete()
    diff = framework_version_diff(old=published, new=draft)
    assert [(e.code, [f.field for f in e.fields]) for e in diff.dimensions.changed] == [
        ("TY-D2", ["weight", "informs"])
    ]
    assert [(e.code, [f.field for f in e.fields]) for e in diff.scale.changed] == [
        ("5", ["label.en"])
    ]
    assert [(e.code, [f.field for f in e.fields]) for e in diff.items.changed] == [
        ("TY-D1.1", ["levels"])
    ]


def test_diff_between_equal_versions_is_empty():
    published = import_tiny_framework()
    draft = framework_import(data=parse_framework_file(TINY_FRAMEWORK_YAML))
    assert framework_version_diff(old=published, new=draft).is_empty


def test_diff_of_a_first_version_lists_everything_as_added():
    draft = import_tiny_framework(publish=False)
    diff = framework_version_diff(old=None, new=draft)
    assert len(diff.items.added) == 4
    assert len(diff.dimensions.added) == 2
    assert len(diff.scale.added) == 6

"""A published version never changes, whichever way the ORM is asked; PROTECT keeps used rows."""

import pytest
from django.db.models import ProtectedError

from casework.models import Answer, Assessment
from frameworks.models import (
    Criterion,
    CriterionLevel,
    Dimension,
    FrameworkVersion,
    ScaleLevel,
    VersionLocked,
)
from tests.factories import import_tiny_framework
from tests.frameworks.helpers import row_counts


@pytest.fixture
def published(db):
    return import_tiny_framework()


@pytest.fixture
def draft(db):
    return import_tiny_framework(publish=False)


def test_published_version_refuses_field_changes(published):
    published.label = "changed"
    with pytest.raises(VersionLocked):
        published.save()
    assert FrameworkVersion.objects.get(pk=published.pk).label == "1.0"


def test_published_version_can_be_retired_but_not_republished(published):
    published.status = FrameworkVersion.Status.RETIRED
    published.save()
    published.status = FrameworkVersion.Status.PUBLISHED
    with pytest.raises(VersionLocked):
        published.save()
    published.refresh_from_db()
    published.status = FrameworkVersion.Status.DRAFT
    with pytest.raises(VersionLocked):
        published.save()


def test_retired_version_refuses_changes_to_its_content(published):
    published.status = FrameworkVersion.Status.RETIRED
    published.save()
    criterion = Criterion.objects.filter(version=published).first()
    criterion.title_en = "changed"
    with pytest.raises(VersionLocked):
        criterion.save()


def test_published_version_cant_be_deleted(published):
    before = row_counts()
    with pytest.raises(VersionLocked):
        published.delete()
    with pytest.raises(VersionLocked):
        FrameworkVersion.objects.filter(pk=published.pk).delete()
    assert row_counts() == before


@pytest.mark.parametrize(
    "model, lookup",
    [
        (ScaleLevel, "version"),
        (Dimension, "version"),
        (Criterion, "version"),
        (CriterionLevel, "criterion__version"),
    ],
)
def test_content_of_a_published_version_refuses_save_and_delete(published, model, lookup):
    obj = model.objects.filter(**{lookup: published}).first()
    with pytest.raises(VersionLocked):
        obj.save()
    with pytest.raises(VersionLocked):
        obj.delete()
    with pytest.raises(VersionLocked):
        model.objects.filter(**{lookup: published}).update(description_en="changed")
    with pytest.raises(VersionLocked):
        model.objects.filter(**{lookup: published}).delete()
    assert model.objects.filter(**{lookup: published}).exists()


def test_bulk_updates_of_a_published_version_are_refused(published):
    with pytest.raises(VersionLocked):
        FrameworkVersion.objects.filter(pk=published.pk).update(label="changed")
    with pytest.raises(VersionLocked):
        Criterion.objects.filter(version=published).update(title_en="changed")
    assert not Criterion.objects.filter(title_en="changed").exists()


def test_new_content_cant_be_added_to_a_published_version(published):
    dimension = published.dimensions.first()
    with pytest.raises(VersionLocked):
        Criterion.objects.create(
            dimension=dimension, code="TY-D1.9", title_zh="新", title_en="New", source_ref="000 §1"
        )
    with pytest.raises(VersionLocked):
        ScaleLevel.objects.bulk_create(
            [ScaleLevel(version=published, value=6, label_zh="六", label_en="Six")]
        )


def test_an_item_cant_be_moved_out_of_a_published_version(published, draft):
    criterion = Criterion.objects.get(version=published, code="TY-D2.1")
    criterion.dimension = draft.dimensions.get(code="TY-D2")
    criterion.code = "TY-D2.9"
    with pytest.raises(VersionLocked):
        criterion.save()
    assert Criterion.objects.get(pk=criterion.pk).version == published


def test_a_draft_can_be_edited_and_deleted(draft):
    criterion = Criterion.objects.filter(version=draft).first()
    criterion.title_en = "Edited"
    criterion.save()
    Criterion.objects.filter(version=draft).update(guidance_en="Bulk edited")
    draft.label = "1.1"
    draft.save()
    draft.delete()
    assert not FrameworkVersion.objects.filter(pk=draft.pk).exists()
    assert not Criterion.objects.filter(version_id=draft.pk).exists()


def test_criterion_takes_its_version_from_its_dimension(draft):
    dimension = draft.dimensions.get(code="TY-D2")
    criterion = Criterion.objects.create(
        dimension=dimension, code="TY-D2.2", title_zh="新", title_en="New", source_ref="000 §2"
    )
    assert criterion.version == draft


def test_the_lock_message_names_the_version(published):
    with pytest.raises(VersionLocked) as caught:
        published.dimensions.first().save()
    assert "Version 1 of TY is Published" in caught.value.messages[0]


def test_a_used_draft_version_cant_be_deleted(draft, alice, alice_case):
    Assessment.objects.create(
        case=alice_case, framework=draft.framework, version=draft, created_by=alice
    )
    with pytest.raises(ProtectedError):
        draft.delete()
    assert FrameworkVersion.objects.filter(pk=draft.pk).exists()


def test_a_criterion_with_answers_cant_be_deleted(draft, alice, alice_case):
    assessment = Assessment.objects.create(
        case=alice_case, framework=draft.framework, version=draft, created_by=alice
    )
    criterion = Criterion.objects.get(version=draft, code="TY-D1.1")
    Answer.objects.create(assessment=assessment, criterion=criterion, level=3)
    before = row_counts()
    with pytest.raises(ProtectedError):
        criterion.delete()
    with pytest.raises(ProtectedError):
        criterion.dimension.delete()
    assert row_counts() == before


def test_a_framework_with_versions_cant_be_deleted(published):
    with pytest.raises(ProtectedError):
        published.framework.delete()


def test_a_version_with_children_cant_be_deleted(published):
    from frameworks.services import framework_version_new_draft

    child = framework_version_new_draft(version=published)
    published_parent = child.parent
    published_parent.status = FrameworkVersion.Status.RETIRED
    published_parent.save()
    with pytest.raises((ProtectedError, VersionLocked)):
        published_parent.delete()

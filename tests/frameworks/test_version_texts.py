"""A framework's name, description and source belong to each version.

An assessment shows the texts of the version it uses; the framework itself shows those of its
latest published version, so an imported draft that is never published renames nothing.
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from casework.services.assessments import (
    assessment_approve,
    assessment_start,
    assessment_submit,
)
from frameworks.io import FrameworkFileError, dump_version, parse_framework_file, version_to_dict
from frameworks.models import Framework, FrameworkVersion, VersionLocked
from frameworks.services import (
    FrameworkVersionError,
    framework_import,
    framework_version_diff,
    framework_version_new_draft,
    framework_version_publish,
    framework_version_retire,
)
from tests.factories import import_tiny_framework, make_case
from tests.frameworks.helpers import tiny_data, to_yaml

pytestmark = pytest.mark.django_db


def renamed(name_en="Tiny framework, renamed", name_zh="改名的小框架"):
    data = tiny_data()
    data["framework"]["name"] = {"zh": name_zh, "en": name_en}
    data["framework"]["description"]["en"] = "A renamed framework."
    data["framework"]["source"]["title"]["en"] = "Renamed tests"
    data["framework"]["source"]["reference"] = "https://example.org/renamed"
    return data


def framework(code="TY") -> Framework:
    return Framework.objects.get(code=code)


def test_each_version_carries_the_texts_of_its_file():
    version = import_tiny_framework(publish=False)
    assert (version.name_zh, version.name_en) == ("小框架", "Tiny framework")
    assert version.description_en == "A small framework for tests."
    assert version.source_author == "IT_learner"
    assert version.source_reference == "https://example.org/tiny"
    assert version.name == "Tiny framework"
    assert version.source_title == "Tests"
    with translation.override("zh-hans"):
        assert version.name == "小框架"


def test_a_new_framework_is_named_by_its_first_draft():
    import_tiny_framework(publish=False)
    assert framework().name_en == "Tiny framework"


def test_an_imported_draft_renames_nothing_until_it_is_published():
    published = import_tiny_framework()

    draft = framework_import(data=renamed())

    assert draft.name_en == "Tiny framework, renamed"
    assert framework().name_en == "Tiny framework"
    assert framework().source_reference == "https://example.org/tiny"
    published.refresh_from_db()
    assert published.name_en == "Tiny framework"

    framework_version_publish(version=draft)

    assert framework().name_en == "Tiny framework, renamed"
    assert framework().name_zh == "改名的小框架"
    assert framework().description_en == "A renamed framework."
    assert framework().source_reference == "https://example.org/renamed"
    published.refresh_from_db()
    assert published.name_en == "Tiny framework"  # the older version keeps its own name


def test_an_approved_assessment_keeps_its_versions_name(alice, bob, unit_a):
    published = import_tiny_framework()
    case = make_case(unit=unit_a, owner=alice)
    assessment = assessment_start(case=case, version=published, user=alice)
    assessment_submit(assessment=assessment, user=alice)
    assessment_approve(assessment=assessment, user=bob)

    framework_version_publish(version=framework_import(data=renamed()))

    assessment.refresh_from_db()
    assert assessment.version.name == "Tiny framework"
    assert assessment.framework.name == "Tiny framework, renamed"


def test_an_unpublished_draft_does_not_rename_the_framework_on_pages(client, alice, unit_a):
    published = import_tiny_framework()
    case = make_case(unit=unit_a, owner=alice)
    assessment_start(case=case, version=published, user=alice)
    framework_import(data=renamed())
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()

    assert "Tiny framework" in page
    assert "renamed" not in page


def test_retiring_the_latest_published_version_shows_the_one_before():
    first = import_tiny_framework()
    second = framework_version_publish(version=framework_import(data=renamed()))
    assert framework().name_en == "Tiny framework, renamed"

    framework_version_retire(version=second)

    assert framework().name_en == first.name_en == "Tiny framework"


def test_a_new_draft_copies_the_texts_of_the_version_it_is_made_from():
    import_tiny_framework()
    second = framework_version_publish(version=framework_import(data=renamed()))
    draft = framework_version_new_draft(version=second)
    assert draft.texts() == second.texts()


def test_export_writes_the_versions_own_texts():
    first = import_tiny_framework()
    framework_version_publish(version=framework_import(data=renamed()))

    exported = parse_framework_file(dump_version(first))

    assert exported["framework"]["name"]["en"] == "Tiny framework"
    assert exported["framework"]["source"]["reference"] == "https://example.org/tiny"


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_import_export_keeps_a_renamed_versions_texts_byte_for_byte(fmt):
    import_tiny_framework()
    second = framework_version_publish(version=framework_import(data=renamed()))
    first_dump = dump_version(second, fmt)

    again = framework_import(data=parse_framework_file(first_dump, fmt=fmt))

    assert dump_version(again, fmt) == first_dump


def test_the_diff_shows_a_rename():
    first = import_tiny_framework()
    second = framework_import(data=renamed())

    changes = {
        c.field: (c.old, c.new) for c in framework_version_diff(old=first, new=second).version
    }

    assert changes["framework.name.en"] == ("Tiny framework", "Tiny framework, renamed")
    assert "framework.code" not in changes


def test_publishing_checks_the_drafts_name():
    import_tiny_framework()
    draft = framework_version_new_draft(version=FrameworkVersion.objects.get(number=1))
    draft.name_en = ""
    draft.save()

    with pytest.raises(FrameworkVersionError, match="missing English name"):
        framework_version_publish(version=draft)


def test_a_published_versions_texts_are_frozen():
    version = import_tiny_framework()
    version.name_en = "Changed in place"
    with pytest.raises(VersionLocked):
        version.save()


def test_the_migration_gives_every_version_its_frameworks_texts():
    draft = import_tiny_framework(publish=False)
    FrameworkVersion.objects.filter(pk=draft.pk).update(name_zh="", name_en="", source_author="")
    migration = import_module("frameworks.migrations.0003_version_texts_and_limits")

    migration.copy_framework_texts(apps, None)

    draft.refresh_from_db()
    assert (draft.name_en, draft.source_author) == ("Tiny framework", "IT_learner")


def test_too_long_texts_in_a_file_are_refused_by_the_limits_of_the_version():
    data = tiny_data()
    data["framework"]["description"]["en"] = "x" * 4001
    data["dimensions"][0]["items"][0]["guidance"]["zh"] = "指" * 8001
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework_file(to_yaml(data))
    assert caught.value.errors == [
        "framework: description.en is longer than 4000 characters",
        "dimensions[0].items[0] (TY-D1.1): guidance.zh is longer than 8000 characters",
    ]


def test_the_version_admin_page_edits_a_drafts_texts(client, ada):
    import_tiny_framework()
    draft = framework_version_new_draft(version=FrameworkVersion.objects.get(number=1))
    client.force_login(ada)

    page = client.get(reverse("admin:frameworks_frameworkversion_change", args=[draft.pk]))
    assert page.status_code == 200
    assert 'name="name_en"' in page.content.decode()
    fw_page = client.get(reverse("admin:frameworks_framework_change", args=[draft.framework_id]))
    assert fw_page.status_code == 200
    assert 'name="name_en"' not in fw_page.content.decode()  # it follows the published version


def test_the_canonical_dict_reads_the_version_not_the_framework():
    first = import_tiny_framework()
    Framework.objects.filter(pk=first.framework_id).update(name_en="Something else")
    assert version_to_dict(first)["framework"]["name"]["en"] == "Tiny framework"


def test_the_assessment_pages_name_the_framework_as_its_version_does(client, alice, unit_a):
    published = import_tiny_framework()
    case = make_case(unit=unit_a, owner=alice)
    assessment = assessment_start(case=case, version=published, user=alice)
    framework_version_publish(version=framework_import(data=renamed()))
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    for url in (
        reverse("assessment_detail", args=[assessment.pk]),
        reverse("wizard_step", args=[assessment.pk, 1]),
    ):
        page = client.get(url).content.decode()
        assert "Tiny framework" in page, url
        assert "Tiny framework, renamed" not in page, url

"""Sources one at a time, and their documents (casework/services/documents.py)."""

import hashlib

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from casework.models import Case, CaseSource
from casework.services import documents as services
from casework.services.cases import case_duplicate, case_update
from casework.services.errors import EditConflict, WorkflowError
from tests import documents as samples


def upload(data: bytes, name="审计报告.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_files() -> list[str]:
    storage = storages["documents"]
    folders, _ = storage.listdir("")
    return [f"{folder}/{name}" for folder in folders for name in storage.listdir(folder)[1]]


def add(case, user, data=None, **kwargs):
    return services.source_create(
        case=case, user=user, data={"title": "审计报告", **(data or {})}, **kwargs
    )


def test_a_source_with_a_document_keeps_its_hash_size_type_and_original_name_as_data(
    alice, alice_case
):
    data = samples.pdf()
    source = add(alice_case, alice, upload=upload(data, "../../审计 报告.PDF"))

    source.refresh_from_db()
    assert source.document_sha256 == hashlib.sha256(data).hexdigest()
    assert source.document_size == len(data)
    assert source.document_type == "application/pdf"
    assert source.document_name.endswith("审计 报告.PDF")
    # The stored name is generated: nothing of the upload's name reaches the file system.
    assert source.document_file.startswith(f"case-{alice_case.pk}/")
    assert source.document_file.endswith(".pdf") and "审计" not in source.document_file
    assert storages["documents"].open(source.document_file).read() == data


def test_sources_are_added_at_the_end_one_after_another_without_a_limit(alice, alice_case):
    for n in range(12):
        add(alice_case, alice, {"title": f"来源 {n}"})
    titles = list(alice_case.sources.values_list("title", flat=True))
    assert titles == [f"来源 {n}" for n in range(12)]


def test_adding_a_source_refreshes_the_case_so_reports_are_drawn_again(alice, alice_case):
    before = Case.objects.get(pk=alice_case.pk).updated_at
    add(alice_case, alice)
    assert Case.objects.get(pk=alice_case.pk).updated_at > before


def test_a_refused_type_stores_nothing_and_says_why(alice, alice_case):
    with translation.override("en"), pytest.raises(services.DocumentRejected) as refused:
        add(alice_case, alice, upload=upload(samples.REFUSED["html"], "notes.txt"))
    assert "markup" in str(refused.value.message)
    assert not CaseSource.all_objects.exists()
    assert stored_files() == []


@override_settings(DOCUMENT_MAX_BYTES=1024)
def test_a_file_over_the_size_cap_is_refused_with_both_sizes(alice, alice_case):
    with translation.override("en"), pytest.raises(services.DocumentRejected) as refused:
        add(alice_case, alice, upload=upload(b"%PDF-" + b"0" * 2048))
    assert str(refused.value.message) == "This file is 2 KB; a document may be at most 1 KB."
    assert stored_files() == []


@override_settings(DOCUMENT_CASE_QUOTA_BYTES=4000)
def test_the_case_quota_counts_the_documents_of_live_sources_only(alice, alice_case):
    first = add(alice_case, alice, upload=upload(b"%PDF-" + b"1" * 2500))
    with translation.override("en"), pytest.raises(services.DocumentRejected) as refused:
        add(alice_case, alice, upload=upload(b"%PDF-" + b"2" * 2500))
    assert "Not enough room" in str(refused.value.message)
    # Removing the first source frees its room.
    services.source_remove(source=first, user=alice)
    add(alice_case, alice, upload=upload(b"%PDF-" + b"2" * 2500))


@override_settings(DOCUMENT_CASE_QUOTA_BYTES=4000)
def test_replacing_a_document_counts_the_new_file_instead_of_the_old_one(alice, alice_case):
    source = add(alice_case, alice, upload=upload(b"%PDF-" + b"1" * 3000))
    services.source_document_attach(
        source=source, user=alice, upload=upload(b"%PDF-" + b"2" * 3500), expected_version=0
    )


def test_replacing_a_document_deletes_the_old_file_once_committed(
    alice, alice_case, django_capture_on_commit_callbacks
):
    source = add(alice_case, alice, upload=upload(samples.pdf()))
    old = source.document_file
    with django_capture_on_commit_callbacks(execute=True):
        source = services.source_document_attach(
            source=source, user=alice, upload=upload(samples.docx(), "访谈.docx")
        )
    assert source.document_type.endswith("wordprocessingml.document")
    assert source.version == 1
    assert stored_files() == [source.document_file]
    assert old != source.document_file


def test_a_stale_attach_is_an_edit_conflict_and_stores_nothing(alice, alice_case):
    source = add(alice_case, alice)
    services.source_document_attach(source=source, user=alice, upload=upload(samples.pdf()))
    with pytest.raises(EditConflict):
        services.source_document_attach(
            source=source, user=alice, upload=upload(samples.text(), "a.txt"), expected_version=0
        )
    assert len(stored_files()) == 1


def test_removing_a_document_keeps_the_source(
    alice, alice_case, django_capture_on_commit_callbacks
):
    source = add(alice_case, alice, upload=upload(samples.xlsx(), "指标.xlsx"))
    with django_capture_on_commit_callbacks(execute=True):
        services.source_document_remove(source=source, user=alice, expected_version=0)
    source.refresh_from_db()
    assert (source.document_file, source.document_size, source.document_sha256) == ("", 0, "")
    assert source.removed_at is None
    assert stored_files() == []


def test_a_removed_source_keeps_its_row_but_leaves_the_lists_and_loses_its_file(
    alice, alice_case, django_capture_on_commit_callbacks
):
    source = add(alice_case, alice, upload=upload(samples.image("PNG"), "照片.png"))
    with django_capture_on_commit_callbacks(execute=True):
        services.source_remove(source=source, user=alice, expected_version=0)
    assert not alice_case.sources.exists()
    kept = CaseSource.all_objects.get(pk=source.pk)
    assert kept.removed_at is not None and kept.title == "审计报告"
    assert stored_files() == []
    with pytest.raises(services.SourceRemoved):
        services.source_document_attach(source=kept, user=alice, upload=upload(samples.pdf()))


def test_deleting_a_row_in_the_case_form_removes_the_source_the_same_way(alice, alice_case):
    source = add(alice_case, alice, upload=upload(samples.pdf()))
    case_update(case=alice_case, data={}, sources=[{"id": source.pk, "delete": True}])
    assert CaseSource.all_objects.get(pk=source.pk).removed_at is not None


def test_an_archived_case_takes_no_new_sources(alice, alice_case):
    alice_case.archived_at = alice_case.updated_at
    alice_case.save()
    with pytest.raises(WorkflowError):
        add(alice_case, alice)


def test_a_duplicated_case_gets_its_own_copy_of_each_document(alice, alice_case):
    source = add(alice_case, alice, upload=upload(samples.pdf()))
    add(alice_case, alice, {"title": "无文件"})

    copy = case_duplicate(case=alice_case, user=alice).case

    copied = list(copy.sources.all())
    assert [s.title for s in copied] == ["审计报告", "无文件"]
    assert copied[0].document_sha256 == source.document_sha256
    assert copied[0].document_file != source.document_file
    assert copied[1].document_file == ""
    assert len(stored_files()) == 2


def test_deleting_a_case_outright_deletes_its_stored_documents(
    alice, alice_case, django_capture_on_commit_callbacks
):
    add(alice_case, alice, upload=upload(samples.pdf()))
    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.filter(pk=alice_case.pk).delete()
    assert stored_files() == []


def test_a_failed_write_leaves_no_stored_file_behind(alice, alice_case):
    from unittest import mock

    with (
        mock.patch.object(CaseSource, "save", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        add(alice_case, alice, upload=upload(samples.pdf()))
    assert stored_files() == []

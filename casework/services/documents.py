"""A case's sources one at a time: add one (with a document or not), attach or remove a
document, remove a source.

Every write locks the case row (so two uploads can't both squeeze under the quota), names the
source version it was loaded from where it changes a source (EditConflict otherwise), and
touches the case's `updated_at`, so that cached reports are drawn again.

Files live in the "documents" storage under generated names. A new file is stored before the
rows are written and deleted again if writing fails; a replaced or removed file is deleted
only once the transaction has committed, so a rollback never loses a document.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Max, Sum
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import documents
from casework.models import Case, CaseSource
from casework.services.errors import ServiceError, WorkflowError
from casework.services.locks import case_lock
from casework.services.versioning import lock_versioned

SOURCE_FIELDS = ("title", "publisher", "reference", "published_on", "accessed_on")
DOCUMENT_FIELDS = (
    "document_file",
    "document_name",
    "document_type",
    "document_size",
    "document_sha256",
    "document_uploaded_at",
)
HASH_CHUNK = 256 * 1024


class DocumentRejected(ServiceError):
    """The uploaded file is of a refused type, too big, or over the case's quota."""

    default_message = gettext_lazy("The document could not be attached.")


class SourceRemoved(WorkflowError):
    default_message = gettext_lazy("This source has been removed from the case.")


def document_storage():
    return storages["documents"]


def case_documents_bytes(case_id: int, *, exclude_source: int | None = None) -> int:
    """What the documents of a case's sources take now (removed sources hold none)."""
    rows = CaseSource.objects.filter(case_id=case_id)
    if exclude_source is not None:
        rows = rows.exclude(pk=exclude_source)
    return rows.aggregate(total=Sum("document_size"))["total"] or 0


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    while chunk := upload.read(HASH_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _check_size(case: Case, upload, *, replacing: CaseSource | None) -> None:
    size = upload.size
    limit = settings.DOCUMENT_MAX_BYTES
    if size > limit:
        raise DocumentRejected(
            _("This file is %(size)s; a document may be at most %(limit)s.")
            % {"size": documents.size_text(size), "limit": documents.size_text(limit)}
        )
    quota = settings.DOCUMENT_CASE_QUOTA_BYTES
    used = case_documents_bytes(case.pk, exclude_source=replacing.pk if replacing else None)
    if used + size > quota:
        raise DocumentRejected(
            _(
                "Not enough room: this case's documents already take %(used)s of the %(quota)s "
                "a case may hold, and this file needs %(size)s. Remove a document you no longer "
                "need, or choose a smaller file."
            )
            % {
                "used": documents.size_text(used),
                "quota": documents.size_text(quota),
                "size": documents.size_text(size),
            }
        )


def _store(case: Case, upload, *, replacing: CaseSource | None = None) -> dict:
    """Check the upload, store it under a generated name; the document fields to save."""
    _check_size(case, upload, replacing=replacing)
    try:
        kind = documents.sniff(upload)
    except documents.Rejected as rejected:
        raise DocumentRejected(rejected.message) from None
    digest = _sha256(upload)
    upload.seek(0)
    name = f"case-{case.pk}/{uuid.uuid4().hex}.{kind.extension}"
    stored_name = document_storage().save(name, File(upload, name=name))
    return {
        "document_file": stored_name,
        "document_name": (getattr(upload, "name", "") or "")[:255],
        "document_type": kind.mime,
        "document_size": upload.size,
        "document_sha256": digest,
        "document_uploaded_at": timezone.now(),
    }


def _delete_after_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: document_storage().delete(name))


def _lock_source(source: CaseSource, expected_version: int | None) -> CaseSource:
    try:
        return lock_versioned(
            CaseSource.objects.filter(pk=source.pk), expected_version=expected_version
        )
    except CaseSource.DoesNotExist:
        raise SourceRemoved() from None


def _touch(case: Case) -> None:
    # Reports are cached by the case's updated_at: a new or removed source must show in them.
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())


def _save_with_new_file(source: CaseSource, fields: dict, *, case: Case | None = None) -> None:
    """Save the row with its new file; should writing fail, the file goes again."""
    try:
        for name, value in fields.items():
            setattr(source, name, value)
        source.save()
        if case is not None:
            _touch(case)
    except Exception:
        document_storage().delete(fields["document_file"])
        raise


@transaction.atomic
def source_create(*, case: Case, user, data: dict, upload=None) -> CaseSource:
    """A new source at the end of the case's list, with its document if one is given."""
    case = case_lock(case)
    last = CaseSource.all_objects.filter(case=case).aggregate(last=Max("order"))["last"]
    source = CaseSource(case=case, order=0 if last is None else last + 1)
    for name in SOURCE_FIELDS:
        value = data.get(name)
        setattr(source, name, value if name.endswith("_on") else (value or ""))
    try:
        source.full_clean(exclude=["case", *DOCUMENT_FIELDS])
    except ValidationError as error:
        raise ServiceError("; ".join(error.messages)) from None
    if upload is None:
        source.save()
        _touch(case)
    else:
        _save_with_new_file(source, _store(case, upload), case=case)
    return source


@transaction.atomic
def source_document_attach(
    *, source: CaseSource, user, upload, expected_version: int | None = None
) -> CaseSource:
    """Attach a document to a source, replacing the one it had."""
    case = case_lock(source.case)
    stored = _lock_source(source, expected_version)
    previous = stored.document_file
    stored.version += 1
    _save_with_new_file(stored, _store(case, upload, replacing=stored), case=case)
    _delete_after_commit(previous)
    return stored


def _clear_document(source: CaseSource) -> str:
    previous = source.document_file
    source.document_file = source.document_name = source.document_type = ""
    source.document_sha256 = ""
    source.document_size = 0
    source.document_uploaded_at = None
    return previous


@transaction.atomic
def source_document_remove(
    *, source: CaseSource, user, expected_version: int | None = None
) -> CaseSource:
    """Take a source's document away; the source stays."""
    case = case_lock(source.case)
    stored = _lock_source(source, expected_version)
    previous = _clear_document(stored)
    stored.version += 1
    stored.save()
    _delete_after_commit(previous)
    _touch(case)
    return stored


def remove_source_row(source: CaseSource) -> None:
    """Mark a source removed and drop its document (inside the caller's transaction).

    The row stays, so that answers citing it read "source removed" rather than nothing.
    """
    previous = _clear_document(source)
    source.removed_at = timezone.now()
    source.version += 1
    source.save()
    _delete_after_commit(previous)


@transaction.atomic
def source_remove(*, source: CaseSource, user, expected_version: int | None = None) -> CaseSource:
    """Remove a source from the case's lists and reports; its citations stay readable."""
    case = case_lock(source.case)
    stored = _lock_source(source, expected_version)
    remove_source_row(stored)
    _touch(case)
    return stored


def document_copy(*, source: CaseSource, to: CaseSource) -> None:
    """Give `to` its own copy of `source`'s document (a duplicated case owns its files)."""
    if not source.document_file:
        return
    storage = document_storage()
    with storage.open(source.document_file, "rb") as handle:
        name = f"case-{to.case_id}/{uuid.uuid4().hex}.{source.document_file.rsplit('.', 1)[-1]}"
        stored_name = storage.save(name, File(handle, name=name))
    fields = {field: getattr(source, field) for field in DOCUMENT_FIELDS}
    fields["document_file"] = stored_name
    _save_with_new_file(to, fields)


@receiver(post_delete, sender=CaseSource, dispatch_uid="casework-source-document-file")
def _delete_file_of_deleted_row(sender, instance: CaseSource, **kwargs) -> None:
    """A row deleted outright (a case deleted in the admin) takes its stored file with it."""
    _delete_after_commit(instance.document_file)

"""Cases: create, edit, duplicate, archive. Every new case starts round 1 of each framework."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from casework.models import Case, CaseEvent, CaseSource
from casework.search.services import search_index_case
from casework.sectors import find_sector
from casework.services.assessments import assessment_start
from casework.services.documents import document_copy, remove_source_row
from casework.services.locks import case_lock
from frameworks.models import Framework, FrameworkVersion

CASE_FIELDS = Case.EDITABLE_FIELDS
SOURCE_FIELDS = ("title", "publisher", "reference", "published_on", "accessed_on")
EVENT_FIELDS = ("happened_on", "title", "description")


@dataclass
class SourceChange:
    """One row of the sources formset, converted: `id` None for a new row."""

    title: str = ""
    publisher: str = ""
    reference: str = ""
    published_on: object = None
    accessed_on: object = None
    id: int | None = None
    delete: bool = False


@dataclass
class EventChange:
    """One row of the timeline formset, converted: `id` None for a new row."""

    happened_on: object = None
    title: str = ""
    description: str = ""
    id: int | None = None
    delete: bool = False


@dataclass
class CaseResult:
    case: Case
    started: list = field(default_factory=list)


def latest_published_versions() -> list[FrameworkVersion]:
    """The newest published version of every framework, in framework order (two queries)."""
    versions = FrameworkVersion.objects.filter(
        status=FrameworkVersion.Status.PUBLISHED
    ).select_related("framework")
    latest: dict[int, FrameworkVersion] = {}
    for version in versions:
        held = latest.get(version.framework_id)
        if held is None or version.number > held.number:
            latest[version.framework_id] = version
    order = list(Framework.objects.values_list("pk", flat=True))
    return [latest[pk] for pk in order if pk in latest]


def _apply_sources(case: Case, sources) -> None:
    existing = {s.pk: s for s in case.sources.all()}
    order = 0
    for change in sources or ():
        if isinstance(change, dict):
            change = SourceChange(**change)
        source = existing.get(change.id) if change.id else None
        if change.delete:
            if source is not None:
                remove_source_row(source)
            continue
        if not change.title:
            continue
        if source is None:
            source = CaseSource(case=case)
        source.title = change.title
        source.publisher = change.publisher or ""
        source.reference = change.reference or ""
        source.published_on = change.published_on
        source.accessed_on = change.accessed_on
        source.order = order
        source.save()
        order += 1


def _apply_events(case: Case, events) -> None:
    existing = {e.pk: e for e in case.events.all()}
    for change in events or ():
        if isinstance(change, dict):
            change = EventChange(**change)
        event = existing.get(change.id) if change.id else None
        if change.delete:
            if event is not None:
                event.delete()
            continue
        if not change.title or change.happened_on is None:
            continue
        if event is None:
            event = CaseEvent(case=case)
        event.happened_on = change.happened_on
        event.title = change.title
        event.description = change.description or ""
        event.save()


def _clean_tags(tags) -> list[str]:
    seen = []
    for tag in tags or ():
        tag = tag.strip()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


@transaction.atomic
def _with_listed_sector(values: dict) -> dict:
    """Sector text without a chosen sector (API, seed data) becomes the listed sector it names."""
    if "sector_ref" not in values and "sector" in values:
        listed = find_sector(values["sector"])
        values["sector_ref"], values["sector"] = (
            (listed, "") if listed is not None else (None, values["sector"])
        )
    return values


def case_create(*, owner, unit, data: dict, sources=(), events=()) -> CaseResult:
    """A new case with its sources and timeline, and round 1 of each framework's latest version."""
    values = _with_listed_sector({k: data[k] for k in CASE_FIELDS if k in data})
    values["tags"] = _clean_tags(values.get("tags"))
    case = Case.objects.create(owner=owner, unit=unit, **values)
    search_index_case(case_id=case.pk)
    _apply_sources(case, sources)
    _apply_events(case, events)
    started = [
        assessment_start(case=case, version=version, user=owner)
        for version in latest_published_versions()
    ]
    return CaseResult(case=case, started=started)


@transaction.atomic
def case_update(
    *, case: Case, data: dict, sources=None, events=None, expected_version: int | None = None
) -> Case:
    """Change a case's facts; `sources` and `events` (if given) add, edit and delete rows.

    With `expected_version`, refuse (EditConflict) when someone else saved the case meanwhile.
    """
    stored = case_lock(case, expected_version=expected_version)
    data = _with_listed_sector(dict(data))
    for name in CASE_FIELDS:
        if name in data:
            setattr(case, name, data[name])
    case.tags = _clean_tags(case.tags)
    case.version = stored.version + 1
    case.save()
    search_index_case(case_id=case.pk)
    if sources is not None:
        _apply_sources(case, sources)
    if events is not None:
        _apply_events(case, events)
    return case


@transaction.atomic
def case_duplicate(*, case: Case, user) -> CaseResult:
    """A copy of the case, its sources and timeline, owned by `user`, with fresh assessments."""
    data = {name: getattr(case, name) for name in CASE_FIELDS}
    data["title"] = gettext("%(title)s (copy)") % {"title": case.title}
    data["title"] = data["title"][: Case._meta.get_field("title").max_length]
    originals = [s for s in case.sources.all() if s.title]  # _apply_sources skips untitled rows
    sources = [
        SourceChange(**{name: getattr(s, name) for name in SOURCE_FIELDS}) for s in originals
    ]
    events = [
        EventChange(**{name: getattr(e, name) for name in EVENT_FIELDS}) for e in case.events.all()
    ]
    result = case_create(owner=user, unit=case.unit, data=data, sources=sources, events=events)
    # The copy gets its own copy of each document, so removing one never touches the other.
    for original, copy in zip(originals, result.case.sources.all(), strict=True):
        document_copy(source=original, to=copy)
    return result


@transaction.atomic
def case_archive(*, case: Case, user) -> Case:
    """Hide the case from the list; nothing is deleted."""
    if case.archived_at is None:
        case.archived_at = timezone.now()
        case.save(update_fields=["archived_at", "updated_at"])
    return case


@transaction.atomic
def case_restore(*, case: Case, user) -> Case:
    if case.archived_at is not None:
        case.archived_at = None
        case.save(update_fields=["archived_at", "updated_at"])
    return case

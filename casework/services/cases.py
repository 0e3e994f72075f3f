"""Cases: create, edit, duplicate, archive. Every new case starts round 1 of each framework."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from casework.models import Case, CaseSource
from casework.services.assessments import assessment_start
from casework.services.errors import EditConflict, WorkflowError
from frameworks.models import Framework, FrameworkVersion

CASE_FIELDS = (
    "title",
    "body",
    "level",
    "region",
    "sector",
    "period_start",
    "period_end",
    "summary",
    "tags",
)


@dataclass
class SourceChange:
    """One row of the sources formset, converted: `id` None for a new row."""

    title: str = ""
    reference: str = ""
    published_on: object = None
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
                source.delete()
            continue
        if not change.title:
            continue
        if source is None:
            source = CaseSource(case=case)
        source.title = change.title
        source.reference = change.reference or ""
        source.published_on = change.published_on
        source.order = order
        source.save()
        order += 1


def _clean_tags(tags) -> list[str]:
    seen = []
    for tag in tags or ():
        tag = tag.strip()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


@transaction.atomic
def case_create(*, owner, unit, data: dict, sources=()) -> CaseResult:
    """A new case with its sources, and round 1 of each framework's latest published version."""
    values = {k: data[k] for k in CASE_FIELDS if k in data}
    values["tags"] = _clean_tags(values.get("tags"))
    case = Case.objects.create(owner=owner, unit=unit, **values)
    _apply_sources(case, sources)
    started = [
        assessment_start(case=case, version=version, user=owner)
        for version in latest_published_versions()
    ]
    return CaseResult(case=case, started=started)


@transaction.atomic
def case_update(
    *, case: Case, data: dict, sources=None, expected_version: int | None = None
) -> Case:
    """Change a case's facts; `sources` (if given) adds, edits and deletes its sources.

    With `expected_version`, refuse (EditConflict) when someone else saved the case meanwhile.
    """
    stored = Case.objects.select_for_update().get(pk=case.pk)
    if stored.is_archived:
        raise WorkflowError(gettext("This case is archived and read-only: restore it first."))
    if expected_version is not None and stored.version != expected_version:
        raise EditConflict(current=stored)
    for name in CASE_FIELDS:
        if name in data:
            setattr(case, name, data[name])
    case.tags = _clean_tags(case.tags)
    case.version = stored.version + 1
    case.save()
    if sources is not None:
        _apply_sources(case, sources)
    return case


@transaction.atomic
def case_duplicate(*, case: Case, user) -> CaseResult:
    """A copy of the case and its sources, owned by `user`, with fresh round-1 assessments."""
    data = {name: getattr(case, name) for name in CASE_FIELDS}
    data["title"] = gettext("%(title)s (copy)") % {"title": case.title}
    data["title"] = data["title"][: Case._meta.get_field("title").max_length]
    sources = [
        SourceChange(title=s.title, reference=s.reference, published_on=s.published_on)
        for s in case.sources.all()
    ]
    return case_create(owner=user, unit=case.unit, data=data, sources=sources)


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

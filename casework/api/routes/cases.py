"""Cases: list (filtered and paginated like the page), create, read, edit."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from casework import access, selectors
from casework.api.common import ERRORS, WRITE_ERRORS, api_url, username
from casework.api.problems import ApiProblem, form_errors, invalid
from casework.api.schemas import PK, CaseIn, CaseOut, CasePage, CasePatch, Problem, SectorOut
from casework.forms.cases import OTHER, CaseEventForm, CaseFilterForm, CaseForm, CaseSourceForm
from casework.models import Case, OrgUnit, Sector
from casework.services import cases as case_services
from casework.services.cases import CASE_FIELDS, EVENT_FIELDS, SOURCE_FIELDS
from casework.services.errors import EditConflict
from casework.views.cases import PAGE_SIZE

router = Router(tags=["cases"])
sectors_router = Router(tags=["cases"])

# The case form's fields the API sends as they are. The sector is named as the form's select
# does (a managed sector, or "other" with text) but by the sector's key, not its row id:
# `sector` and `sector_other` here, `sector_ref` and `sector` in the form.
FORM_FIELDS = tuple(name for name in CASE_FIELDS if name not in ("sector_ref", "sector"))
SECTOR_ERRORS_AT = {"sector_ref": "sector", "sector": "sector_other"}
DATE_FIELDS = {"published_on", "accessed_on", "happened_on"}


def assessment_summary(assessment) -> dict:
    return {
        "id": assessment.pk,
        "framework": assessment.framework.code,
        "version_number": assessment.version.number,
        "version_label": assessment.version.label,
        "round": assessment.round,
        "status": assessment.status,
        "url": api_url("assessment_detail", assessment.pk),
    }


def sector_out(case: Case) -> dict:
    """`sector`, `sector_other` and `sector_name` of a case (sector_ref loaded with it)."""
    if case.sector_ref_id:
        key, other = case.sector_ref.code, ""
    else:
        key, other = (OTHER, case.sector) if case.sector else ("", "")
    return {"sector": key, "sector_other": other, "sector_name": case.sector_label}


def case_summary(case: Case) -> dict:
    return {
        "id": case.pk,
        "title": case.title,
        "body": case.body,
        "level": case.level,
        "region": case.region,
        **sector_out(case),
        "unit": case.unit.code,
        "owner": username(case.owner),
        "tags": list(case.tags or []),
        "archived": case.is_archived,
        "version": case.version,
        "updated_at": case.updated_at,
        "url": api_url("case_detail", case.pk),
    }


def case_out(case: Case, user) -> dict:
    assessments = (
        case.assessments.exclude(access.hidden_by_blind_scoring(user))
        .select_related("framework", "version")
        .order_by("framework__code", "-round", F("second_of").asc(nulls_first=True))
    )
    return {
        **case_summary(case),
        "period_start": case.period_start,
        "period_end": case.period_end,
        "summary": case.summary,
        "context": case.context,
        "created_at": case.created_at,
        "sources": list(case.sources.all()),
        "events": list(case.events.all()),
        "assessments": [assessment_summary(a) for a in assessments],
    }


# --- validation through the page's own forms -----------------------------------------------------


def _form_value(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _sector_problem(message) -> Exception:
    return invalid([{"field": "sector", "message": message}])


def sector_form_data(key: str, other: str, instance: Case | None = None) -> dict:
    """The case form's `sector_ref` (a sector's id, "other" or "") and `sector` (the text)."""
    key, other = (key or "").strip(), other or ""
    if key == OTHER:
        return {"sector_ref": OTHER, "sector": other}
    if not key:
        return {"sector_ref": OTHER if other.strip() else "", "sector": other}
    listed = Sector.objects.filter(code=key).first()
    if listed is None:
        if other.strip():
            raise _sector_problem(
                _(
                    "There is no sector with the key “%(key)s”: use a key of the sector list, or “other”."
                )
                % {"key": key}
            )
        # Plain text, as older clients sent it: the form reads it as the migration read stored
        # text (a listed name becomes that sector, the rest the "other" text).
        return {"sector_ref": "", "sector": key}
    if not listed.active and (instance is None or instance.sector_ref_id != listed.pk):
        raise _sector_problem(
            _("The sector “%(key)s” is no longer offered: choose another one.") % {"key": key}
        )
    return {"sector_ref": str(listed.pk), "sector": other}


def _current_sector(case: Case) -> dict:
    return {
        "sector_ref": str(case.sector_ref_id)
        if case.sector_ref_id
        else (OTHER if case.sector else ""),
        "sector": case.sector,
    }


def _validated_case(values: dict, sector: dict, instance: Case | None = None) -> dict:
    data = {name: _form_value(values.get(name)) for name in FORM_FIELDS} | sector
    form = CaseForm(data=data, instance=instance)
    if not form.is_valid():
        errors = form_errors(form)
        for error in errors:
            error["field"] = SECTOR_ERRORS_AT.get(error["field"], error["field"])
        raise invalid(errors)
    return form.cleaned_data


def _validated_rows(rows, form_class, names, field: str) -> list[dict]:
    """Rows checked by the case form's own row forms; deleted rows need only their id."""
    errors, changes = [], []
    for index, row in enumerate(rows or []):
        values = row.dict()
        if not values["delete"]:
            form = form_class(data={n: _form_value(values.get(n)) for n in names})
            if not form.is_valid():
                errors += form_errors(form, prefix=f"{field}.{index}.")
                continue
            for name in names:
                value = form.cleaned_data.get(name)
                # Text fields go to the service as "", dates as None.
                values[name] = "" if value is None and name not in DATE_FIELDS else value
        changes.append(values)
    if errors:
        raise invalid(errors)
    return changes


# The services' own field lists: the forms' Meta.fields gain "case" once an inline formset
# has been built from them.
def _sources(rows) -> list[dict]:
    return _validated_rows(rows, CaseSourceForm, SOURCE_FIELDS, "sources")


def _events(rows) -> list[dict]:
    return _validated_rows(rows, CaseEventForm, EVENT_FIELDS, "events")


# --- endpoints ---------------------------------------------------------------------------


class CaseFilters(Schema):
    q: str | None = None
    status: str | None = None
    level: str | None = None
    sector: str | None = None
    unit: str | None = None
    band: str | None = None
    archived: bool = False
    sort: str | None = None
    page: int = 1


@router.get("/", response={200: CasePage, 422: Problem, **ERRORS}, url_name="case_list")
def case_list(request, filters: Query[CaseFilters]):
    """The cases you may see, searched, filtered and sorted as on the cases page."""
    user = request.user
    show_unit = access.is_admin(user)
    raw = {k: v for k, v in filters.dict().items() if v not in (None, "") and k != "page"}
    raw["archived"] = "on" if filters.archived else ""
    if "unit" in raw:
        raw["unit"] = str(
            OrgUnit.objects.filter(code=raw["unit"]).values_list("pk", flat=True).first() or "0"
        )
    form = CaseFilterForm(
        raw,
        sectors=selectors.sectors_visible_to(user),
        bands=selectors.band_choices(),
        show_unit=show_unit,
    )
    if not form.is_valid():
        raise invalid(form_errors(form))
    cases = selectors.case_list(user=user, **form.filters())
    page = Paginator(cases, PAGE_SIZE).get_page(filters.page)
    query = request.GET.copy()

    def link(number):
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": [case_summary(case) for case in page.object_list],
    }


def _unit_for_new_case(user, code: str | None):
    if access.is_admin(user):
        if code:
            unit = OrgUnit.objects.filter(code=code).first()
            if unit is None:
                raise invalid([{"field": "unit", "message": _("There is no unit with this code.")}])
            return unit
        membership = getattr(user, "membership", None)
        if membership is None:
            raise invalid([{"field": "unit", "message": _("Choose the unit the case belongs to.")}])
        return membership.unit
    membership = getattr(user, "membership", None)
    if membership is None:
        raise PermissionDenied
    return membership.unit


@router.post("/", response={201: CaseOut, **WRITE_ERRORS}, url_name="case_create")
def case_create(request, payload: CaseIn, response: HttpResponse):
    """A new case; round 1 of each framework's latest published version starts with it."""
    if not access.can_edit_cases(request.user):
        raise PermissionDenied
    unit = _unit_for_new_case(request.user, payload.unit)
    data = _validated_case(payload.dict(), sector_form_data(payload.sector, payload.sector_other))
    sources, events = _sources(payload.sources), _events(payload.events)
    result = case_services.case_create(
        owner=request.user, unit=unit, data=data, sources=sources, events=events
    )
    case = access.get_case_for_user(request.user, result.case.pk)
    response["Location"] = api_url("case_detail", case.pk)
    return Status(201, case_out(case, request.user))


@router.get("/{case_id}", response={200: CaseOut, **ERRORS}, url_name="case_detail")
def case_detail(request, case_id: PK):
    return case_out(access.get_case_for_user(request.user, case_id), request.user)


@router.patch("/{case_id}", response={200: CaseOut, **WRITE_ERRORS}, url_name="case_update")
def case_update(request, case_id: PK, payload: CasePatch):
    """Change some of a case's facts; `version` is the one you read (409 if someone saved since)."""
    case = access.get_case_for_user(request.user, case_id, edit=True)
    given = payload.dict(exclude_unset=True)
    values = {name: getattr(case, name) for name in FORM_FIELDS}
    values.update({k: v for k, v in given.items() if k in FORM_FIELDS})
    key, other = given.get("sector"), given.get("sector_other")
    if key is None and other is None:
        sector = _current_sector(case)
    else:
        sector = sector_form_data(OTHER if key is None else key, other or "", case)
    data = _validated_case(values, sector, instance=case)
    sources = _sources(payload.sources) if payload.sources is not None else None
    events = _events(payload.events) if payload.events is not None else None
    try:
        case_services.case_update(
            case=case, data=data, sources=sources, events=events, expected_version=payload.version
        )
    except EditConflict as conflict:
        current = access.get_case_for_user(request.user, conflict.current.pk)
        raise ApiProblem(
            409,
            "edit-conflict",
            _("Edit conflict"),
            conflict.message,
            current=_jsonable(case_out(current, request.user)),
        ) from conflict
    return case_out(access.get_case_for_user(request.user, case_id), request.user)


def _jsonable(data: dict) -> dict:
    return CaseOut.model_validate(data).model_dump(mode="json")


@sectors_router.get("/", response={200: list[SectorOut], **ERRORS}, url_name="sector_list")
def sector_list(request):
    """The managed sectors: a case's `sector` takes their `key` (or "other" with text)."""
    return [
        {
            "key": sector.code,
            "name": sector.name,
            "name_zh": sector.name_zh,
            "name_en": sector.name_en,
            "active": sector.active,
        }
        for sector in Sector.objects.all()
    ]

"""The API names a case's sector as the case form does: a managed sector's key, or "other" with
the sector typed in `sector_other`. Plain sector text from older clients is mapped as the
sectors migration mapped stored text: a listed name (Chinese or English) becomes that sector,
anything else the "other" text.
"""

import pytest

from casework.models import Case, Sector
from tests import factories

pytestmark = pytest.mark.django_db

NEW = {"title": "港口一网通办", "body": "市交通局", "level": "municipal"}


def created(api, **sector):
    response = api.post("/api/v1/cases/", {**NEW, **sector})
    assert response.status_code == 201, response.content
    return response.json()


def sector_of(body) -> tuple[str, str, str]:
    return body["sector"], body["sector_other"], body["sector_name"]


def invalid(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:casework:problem:invalid"
    return {e["field"]: e["message"] for e in problem["errors"]}


def test_a_case_is_created_with_a_managed_sectors_key(api_as, unit_a, alice):
    body = created(api_as("alice"), sector="transport")
    assert sector_of(body) == ("transport", "", "Transport")
    case = Case.objects.get(pk=body["id"])
    assert (case.sector_ref.code, case.sector) == ("transport", "")


def test_a_case_is_created_with_another_sector_typed_in(api_as, unit_a, alice):
    body = created(api_as("alice"), sector="other", sector_other="Ports")
    assert sector_of(body) == ("other", "Ports", "Ports")
    case = Case.objects.get(pk=body["id"])
    assert (case.sector_ref, case.sector) == (None, "Ports")


def test_other_text_that_names_a_listed_sector_becomes_that_sector(api_as, unit_a, alice):
    body = created(api_as("alice"), sector="other", sector_other=" 交通 ")
    assert sector_of(body)[:2] == ("transport", "")


def test_no_sector_is_empty(api_as, unit_a, alice):
    assert sector_of(created(api_as("alice"))) == ("", "", "")


def test_the_sector_name_comes_in_the_replys_language(api_as, unit_a, alice):
    body = created(api_as("alice", language="zh-hans"), sector="transport")
    assert body["sector_name"] == "交通"


@pytest.mark.parametrize(
    ("sent", "sector", "other"),
    [
        ("交通", "transport", ""),  # a Chinese name
        ("  transport ", "transport", ""),  # an English name, any case, trimmed
        ("Data sharing", "data-sharing", ""),
        ("港口物流", "other", "港口物流"),  # not on the list: kept as the "other" text
    ],
)
def test_an_older_clients_plain_text_is_mapped_as_the_migration_did(
    api_as, unit_a, alice, sent, sector, other
):
    assert sector_of(created(api_as("alice"), sector=sent))[:2] == (sector, other)


def test_other_without_text_is_a_field_error(api_as, unit_a, alice):
    errors = invalid(api_as("alice").post("/api/v1/cases/", {**NEW, "sector": "other"}))
    assert list(errors) == ["sector_other"]
    assert "Type the sector" in errors["sector_other"]
    assert not Case.objects.exists()


def test_a_key_and_other_text_together_is_a_field_error(api_as, unit_a, alice):
    response = api_as("alice").post(
        "/api/v1/cases/", {**NEW, "sector": "transport", "sector_other": "Ports"}
    )
    assert list(invalid(response)) == ["sector_other"]


def test_other_text_with_an_unknown_key_is_a_field_error(api_as, unit_a, alice):
    response = api_as("alice").post(
        "/api/v1/cases/", {**NEW, "sector": "港口物流", "sector_other": "Ports"}
    )
    errors = invalid(response)
    assert list(errors) == ["sector"] and "港口物流" in errors["sector"]


def test_a_retired_sector_is_refused_for_a_new_case_but_kept_by_a_case_that_has_it(
    api_as, unit_a, alice
):
    Sector.objects.filter(code="transport").update(active=False)
    errors = invalid(api_as("alice").post("/api/v1/cases/", {**NEW, "sector": "transport"}))
    assert list(errors) == ["sector"]
    case = factories.make_case(unit=unit_a, owner=alice)
    Case.objects.filter(pk=case.pk).update(sector_ref=Sector.objects.get(code="transport"))
    api = api_as("alice")
    body = api.patch(f"/api/v1/cases/{case.pk}", {"version": case.version, "title": "新题目"})
    assert body.status_code == 200, body.content
    assert sector_of(body.json())[:2] == ("transport", "")


def test_patch_changes_the_sector_and_keeps_it_when_not_sent(api_as, unit_a, alice):
    api = api_as("alice")
    body = created(api, sector="other", sector_other="Ports")
    url = f"/api/v1/cases/{body['id']}"
    body = api.patch(url, {"version": body["version"], "region": "临江"}).json()
    assert sector_of(body) == ("other", "Ports", "Ports")
    body = api.patch(url, {"version": body["version"], "sector": "health"}).json()
    assert sector_of(body)[:2] == ("health", "")
    body = api.patch(url, {"version": body["version"], "sector_other": "Harbours"}).json()
    assert sector_of(body)[:2] == ("other", "Harbours")
    body = api.patch(url, {"version": body["version"], "sector": ""}).json()
    assert sector_of(body) == ("", "", "")


def test_the_list_and_the_detail_say_the_sector_alike(api_as, unit_a, alice):
    api = api_as("alice")
    body = created(api, sector="health")
    listed = api.get("/api/v1/cases/?sector=health").json()["results"]
    assert [sector_of(row) for row in listed] == [sector_of(body)]


def test_the_managed_list_is_served_with_its_keys(api_as, alice):
    Sector.objects.filter(code="justice").update(active=False)
    rows = api_as("alice").get("/api/v1/sectors/").json()
    assert [row["key"] for row in rows] == list(Sector.objects.values_list("code", flat=True))
    transport = next(row for row in rows if row["key"] == "transport")
    assert transport == {
        "key": "transport",
        "name": "Transport",
        "name_zh": "交通",
        "name_en": "Transport",
        "active": True,
    }
    assert not next(row for row in rows if row["key"] == "justice")["active"]


def test_the_schema_documents_the_sector_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    fields = schema["components"]["schemas"]["CaseIn"]["properties"]
    assert "other" in fields["sector"]["description"]
    assert "sector_other" in fields
    out = schema["components"]["schemas"]["CaseOut"]["properties"]
    assert {"sector", "sector_other", "sector_name"} <= set(out)
    assert "/api/v1/sectors/" in schema["paths"]

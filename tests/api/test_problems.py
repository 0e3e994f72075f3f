"""Errors are application/problem+json, written in the request's language."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_a_404_is_a_problem_in_english(api_as):
    response = api_as("alice", language="en").get("/api/v1/cases/999999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem == {
        "type": "urn:casework:problem:not-found",
        "title": "Not found",
        "status": 404,
        "detail": "There is nothing here, or you may not see it.",
        "instance": "/api/v1/cases/999999",
    }


def test_a_problem_speaks_chinese_when_asked(api_as, alice_case):
    response = api_as("bob", language="zh-hans").patch(
        f"/api/v1/cases/{alice_case.pk}", {"version": 0, "title": "x"}
    )
    assert response.status_code == 403
    problem = response.json()
    assert problem["type"] == "urn:casework:problem:forbidden"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in problem["title"] + problem["detail"])


def test_field_errors_name_the_field_in_both_languages(api_as, unit_a, tiny_version):
    data = {
        "title": "案例",
        "body": "某局",
        "level": "county",
        "period_start": "2025-01-01",
        "period_end": "2024-01-01",
    }
    english = api_as("alice", language="en").post("/api/v1/cases/", data)
    assert english.status_code == 422
    assert english.json()["errors"] == [
        {"field": "period_end", "message": "The end of the period can't be before its start."}
    ]
    chinese = api_as("alice", language="zh-hans").post("/api/v1/cases/", data)
    with translation.override("zh-hans"):
        expected = translation.gettext("The end of the period can't be before its start.")
    assert expected != "The end of the period can't be before its start."
    assert chinese.json()["errors"] == [{"field": "period_end", "message": expected}]
    blank = api_as("alice", language="zh-hans").post("/api/v1/cases/", {**data, "title": " "})
    assert blank.json()["errors"] == [{"field": "title", "message": "这个字段是必填项。"}]


def test_schema_errors_are_problems_too(api_as, alice_case):
    response = api_as("alice").patch(
        f"/api/v1/cases/{alice_case.pk}", {"title": "no version", "colour": "red"}
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"version", "colour"}
    chinese = api_as("alice", language="zh-hans").patch(
        f"/api/v1/cases/{alice_case.pk}", {"title": "no version"}
    )
    assert chinese.json()["errors"][0]["message"] == "这个字段是必填项。"


def test_a_body_that_is_not_json_is_a_problem(client, key_for, alice, alice_case):
    response = client.patch(
        f"/api/v1/cases/{alice_case.pk}",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key_for(alice)}",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:casework:problem:bad-request"


def test_workflow_refusals_are_409_with_the_services_message(api_as, draft):
    response = api_as("bob").post(f"/api/v1/assessments/{draft.pk}/approve", {})
    assert response.status_code == 409
    assert response.json()["detail"] == "Only a submitted assessment can be approved."


def test_returning_needs_a_comment(api_as, submitted):
    response = api_as("bob").post(f"/api/v1/assessments/{submitted.pk}/return", {})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "comment"

"""No lost edits through the API: a save from a stale version gets 409 with the current record."""

import pytest

from casework.models import Answer

pytestmark = pytest.mark.django_db


def test_it_saves_an_answer_and_returns_the_next_version(api_as, draft):
    response = api_as("alice").patch(
        f"/api/v1/assessments/{draft.pk}/answers/TF-D1.1",
        {"version": 0, "level": 4, "evidence": "年报第 3 页"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["level"], body["version"], body["updated_by"]) == (4, 1, "alice")
    assert Answer.objects.get(assessment=draft, criterion__code="TF-D1.1").level == 4


def test_it_refuses_a_stale_version_with_409_and_the_current_record(api_as, draft):
    api = api_as("alice")
    path = f"/api/v1/assessments/{draft.pk}/answers/TF-D1.1"
    assert api.patch(path, {"version": 0, "level": 2}).status_code == 200
    response = api.patch(path, {"version": 0, "level": 5, "evidence": "mine"})
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:casework:problem:edit-conflict"
    assert problem["current"]["level"] == 2
    assert problem["current"]["version"] == 1
    stored = Answer.objects.get(assessment=draft, criterion__code="TF-D1.1")
    assert (stored.level, stored.evidence) == (2, "")
    # Sending the version from the conflict is a deliberate overwrite, and wins.
    again = api.patch(path, {"version": problem["current"]["version"], "level": 5})
    assert again.status_code == 200
    assert again.json()["version"] == 2


def test_a_stale_case_edit_gets_409_with_the_current_case(api_as, alice_case):
    api = api_as("alice")
    path = f"/api/v1/cases/{alice_case.pk}"
    first = api.patch(path, {"version": alice_case.version, "title": "第一次"})
    assert first.status_code == 200, first.content
    response = api.patch(path, {"version": alice_case.version, "title": "第二次"})
    assert response.status_code == 409
    assert response.json()["current"]["title"] == "第一次"
    assert response.json()["current"]["version"] == first.json()["version"]


def test_a_submitted_assessment_is_locked_as_in_the_wizard(api_as, submitted):
    response = api_as("alice").patch(
        f"/api/v1/assessments/{submitted.pk}/answers/TF-D1.1", {"version": 0, "level": 1}
    )
    assert response.status_code == 423
    assert response.json()["type"] == "urn:casework:problem:locked"


def test_bad_values_get_field_errors_and_nothing_is_saved(api_as, draft):
    api = api_as("alice")
    response = api.patch(
        f"/api/v1/assessments/{draft.pk}/answers/TF-D1.1", {"version": 0, "level": 9}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["level"]
    assert Answer.objects.get(assessment=draft, criterion__code="TF-D1.1").version == 0


def test_an_item_of_another_framework_is_a_404(api_as, draft):
    response = api_as("alice").patch(
        f"/api/v1/assessments/{draft.pk}/answers/XX-9", {"version": 0, "level": 1}
    )
    assert response.status_code == 404

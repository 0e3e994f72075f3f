"""The API's permissions are the pages': for every path and persona, the same 200/403/404.

alice (analyst, unit A) owns the case; bob manages unit A; charlie and diana are unit B's
analyst and manager; ada is an administrator.
"""

import pytest

pytestmark = pytest.mark.django_db

PERSONAS = ["alice", "bob", "charlie", "diana", "ada"]
SEE = {"alice": 200, "bob": 200, "charlie": 404, "diana": 404, "ada": 200}
EDIT = {"alice": 200, "bob": 403, "charlie": 404, "diana": 404, "ada": 200}
REVIEW = {"alice": 403, "bob": 200, "charlie": 404, "diana": 404, "ada": 200}
MANAGE = {"alice": 403, "bob": 200, "charlie": 403, "diana": 200, "ada": 200}


@pytest.fixture(autouse=True)
def fake_renderer(monkeypatch):
    from casework.jobs import renderers

    # Report files are jobs: a fake PDF renderer keeps Chromium out of the permission matrix.
    monkeypatch.setitem(renderers.RENDERERS, "pdf", lambda target, step: b"%PDF-1.7 fake")


READS = [
    # (API path, the page with the same rule, expected per persona)
    ("/api/v1/cases/{case}", "/cases/{case}/", SEE),
    ("/api/v1/cases/{case}/assessments/", "/cases/{case}/", SEE),
    ("/api/v1/assessments/{a}", "/assessments/{a}/", SEE),
    ("/api/v1/assessments/{a}/scores", "/assessments/{a}/report/", SEE),
    ("/api/v1/portfolio", "/portfolio/", MANAGE),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("path", "page", "expected"), READS)
def test_reads_answer_as_the_pages_do(
    client, request, api_as, alice_case, draft, persona, path, page, expected
):
    ids = {"case": alice_case.pk, "a": draft.pk}
    response = api_as(persona).get(path.format(**ids))
    assert response.status_code == expected[persona], response.content
    client.force_login(request.getfixturevalue(persona))
    assert client.get(page.format(**ids)).status_code == expected[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_edits_a_case(client, request, api_as, alice_case, persona):
    response = api_as(persona).patch(
        f"/api/v1/cases/{alice_case.pk}", {"version": alice_case.version, "title": "新标题"}
    )
    assert response.status_code == EDIT[persona], response.content
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/cases/{alice_case.pk}/edit/").status_code == EDIT[persona]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 201), ("bob", 403), ("charlie", 201), ("diana", 403), ("ada", 201)],
)
def test_only_analysts_and_admins_create_cases(api_as, unit_a, tiny_version, persona, expected):
    data = {"title": "新案例", "body": "某局", "level": "county", "unit": "dgo"}
    response = api_as(persona).post("/api/v1/cases/", data)
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_saves_answers(api_as, draft, persona):
    response = api_as(persona).patch(
        f"/api/v1/assessments/{draft.pk}/answers/TF-D1.1", {"version": 0, "level": 3}
    )
    assert response.status_code == EDIT[persona], response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_submits(client, request, api_as, draft, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/assessments/{draft.pk}/submit/").status_code == EDIT[persona]
    response = api_as(persona).post(f"/api/v1/assessments/{draft.pk}/submit", {})
    assert response.status_code == EDIT[persona], response.content


@pytest.mark.parametrize("action", ["approve", "return"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reviews(client, request, api_as, submitted, persona, action):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/assessments/{submitted.pk}/{action}/").status_code == REVIEW[persona]
    response = api_as(persona).post(
        f"/api/v1/assessments/{submitted.pk}/{action}", {"comment": "请补充证据"}
    )
    assert response.status_code == REVIEW[persona], response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_requests_report_files(api_as, alice_case, draft, persona):
    api = api_as(persona)
    for path in (
        f"/api/v1/assessments/{draft.pk}/report-files",
        f"/api/v1/cases/{alice_case.pk}/report-files",
    ):
        response = api.post(path, {"format": "pdf"})
        expected = 202 if SEE[persona] == 200 else SEE[persona]
        assert response.status_code == expected, response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_reads_published_frameworks_and_themselves(api_as, tiny_version, persona):
    api = api_as(persona)
    assert api.get("/api/v1/frameworks/").status_code == 200
    assert api.get("/api/v1/frameworks/TF/versions/1.0").status_code == 200
    assert api.get("/api/v1/me").json()["username"] == persona


def test_lists_hold_only_what_the_user_may_see(api_as, alice_case):
    assert api_as("alice").get("/api/v1/cases/").json()["count"] == 1
    assert api_as("charlie").get("/api/v1/cases/").json()["count"] == 0
    assert api_as("ada").get("/api/v1/cases/").json()["count"] == 1


def test_drafts_of_frameworks_are_for_administrators(api_as, db):
    from tests.factories import make_tiny_framework

    make_tiny_framework("DR", publish=False)
    assert api_as("alice").get("/api/v1/frameworks/DR/versions/1.0").status_code == 404
    assert api_as("ada").get("/api/v1/frameworks/DR/versions/1.0").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/me",
        "/api/v1/cases/",
        "/api/v1/cases/1",
        "/api/v1/assessments/1",
        "/api/v1/portfolio",
        "/api/v1/frameworks/",
    ],
)
def test_anonymous_callers_get_401(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")

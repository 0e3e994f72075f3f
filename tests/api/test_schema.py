"""The OpenAPI schema is served, valid, and the docs load their assets from static files."""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/frameworks/",
    "/api/v1/frameworks/{code}/versions/{label}",
    "/api/v1/cases/",
    "/api/v1/cases/{case_id}",
    "/api/v1/cases/{case_id}/assessments/",
    "/api/v1/assessments/{assessment_id}",
    "/api/v1/assessments/{assessment_id}/answers/{item_code}",
    "/api/v1/assessments/{assessment_id}/scores",
    "/api/v1/assessments/{assessment_id}/submit",
    "/api/v1/assessments/{assessment_id}/return",
    "/api/v1/assessments/{assessment_id}/approve",
    "/api/v1/portfolio",
    "/api/v1/assessments/{assessment_id}/report-files",
    "/api/v1/report-files/{ticket_id}",
]


def test_the_schema_is_served_and_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert set(PATHS) <= set(schema["paths"])
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])


def test_errors_are_documented_as_problem_json(client):
    schema = client.get("/api/v1/openapi.json").json()
    patch = schema["paths"]["/api/v1/assessments/{assessment_id}/answers/{item_code}"]["patch"]
    assert set(patch["responses"]["409"]["content"]) == {"application/problem+json"}
    assert set(patch["responses"]["200"]["content"]) == {"application/json"}


def test_the_docs_page_uses_local_assets_and_no_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    # The only <script> without src is the JSON settings block, which never runs.
    import re

    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attrs for attrs in inline)

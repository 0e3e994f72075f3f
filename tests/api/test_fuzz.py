"""Schemathesis against the served schema: generated requests, real data, never a 5xx,
and every reply as documented (status code, content type, body schema).

Every operation gets a bounded, deterministic set of examples (MAX_EXAMPLES, derandomised,
no deadline). Half of the generated ids are swapped for ids of real objects, so that the
examples reach the services with odd bodies instead of stopping at a 404.
"""

import zlib

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from casework.api.main import api
from casework.services.cases import case_create

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 25

# Only the fuzzing phase: the coverage phase's exhaustive edge cases run to hundreds of
# requests per operation, too many for a suite that runs on every change.
CONFIG = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)


class WSGIApp(WSGIHandler):
    """Django's WSGI app, without closing the test's database connection after each request
    (Django's test client does the same)."""

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = super().__call__(environ, start_response)
            body = list(response)
            response.close()
            return body
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@pytest.fixture
def world(alice, bob, unit_a, tiny_version, key_for, monkeypatch):
    from casework.jobs import renderers

    monkeypatch.setitem(renderers.RENDERERS, "pdf", lambda target, step: b"%PDF fake")
    monkeypatch.setitem(renderers.RENDERERS, "docx", lambda target, step: b"PK fake")
    result = case_create(
        owner=alice, unit=unit_a, data={"title": "案例", "body": "局", "level": "county"}
    )
    return {
        "case_id": result.case.pk,
        "assessment_id": result.started[0].pk,
        "item_code": "TF-D1.1",
        "code": "TF",
        "label": "1.0",
        "key": key_for(alice),
    }


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_server_error(case, world):
    for name in case.path_parameters or {}:
        if name in world and zlib.crc32(str(case.path_parameters[name]).encode()) % 2 == 0:
            case.path_parameters[name] = world[name]
    response = case.call(app=WSGIApp(), headers={"Authorization": f"Bearer {world['key']}"})
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
    assert response.status_code < 500

"""Fixtures for the API tests: tokens for the personas and a client that speaks JSON."""

import json

import pytest
from django.core.cache import cache

from casework.api.tokens import token_create
from casework.services.assessments import assessment_start, assessment_submit


@pytest.fixture(autouse=True)
def generous_throttle(settings):
    """Throttling has its own test; everywhere else the limit must not get in the way."""
    settings.API_THROTTLE_RATE = "100000/min"
    # The personas' passwords are never typed here: a fast hasher keeps the matrix quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


class Api:
    """A Django test client sending JSON with a bearer token (or the session)."""

    def __init__(self, client, key=None, language="en"):
        self.client = client
        self.key = key
        self.language = language

    def request(self, method, path, data=None, **headers):
        if self.key:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.key}"
        if self.language:
            headers["HTTP_ACCEPT_LANGUAGE"] = self.language
        kwargs = {}
        if data is not None:
            kwargs = {"data": json.dumps(data), "content_type": "application/json"}
        return getattr(self.client, method.lower())(path, **kwargs, **headers)

    def get(self, path, **headers):
        return self.request("get", path, **headers)

    def post(self, path, data=None, **headers):
        return self.request("post", path, {} if data is None else data, **headers)

    def patch(self, path, data=None, **headers):
        return self.request("patch", path, {} if data is None else data, **headers)


@pytest.fixture
def key_for(db):
    def make(user, days=30):
        return token_create(user=user, name=f"{user.username}'s script", days=days).key

    return make


@pytest.fixture
def api_as(client, request, key_for):
    """api_as("alice") -> an Api client with a fresh token of that persona."""

    def make(persona, language="en"):
        if persona is None:
            return Api(client, language=language)
        return Api(client, key_for(request.getfixturevalue(persona)), language=language)

    return make


@pytest.fixture
def draft(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.fixture
def submitted(draft, alice):
    return assessment_submit(assessment=draft, user=alice)

"""A blind second scoring of a later round: what each analyst's pages say about the other's work.

Round 1 is alice's, approved; alice scores round 2 and erin scores it a second time, blind.
Until both round-2 scorings are submitted, erin's pages must hold nothing that names or links
alice's round-2 assessment (its id, URL or status), and alice's nothing that names erin.
"""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from casework.models import Assessment, Role
from casework.services.assessments import (
    assessment_approve,
    assessment_start,
    assessment_submit,
)
from casework.services.double import second_scoring_request
from casework.services.rounds import assessment_start_round
from tests import factories


@pytest.fixture
def erin(unit_a):
    return factories.make_user("erin", unit=unit_a, role=Role.ANALYST)


@pytest.fixture
def round_one(alice, bob, alice_case, tiny_version):
    first = assessment_start(case=alice_case, version=tiny_version, user=alice)
    assessment_submit(assessment=first, user=alice)
    assessment_approve(assessment=first, user=bob)
    return first


@pytest.fixture
def first(round_one, alice):
    return assessment_start_round(previous=round_one, user=alice)


@pytest.fixture
def second(first, bob, erin):
    return second_scoring_request(assessment=first, analyst=erin, user=bob)


def page(client, user, url):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def rounds_in(response) -> list[int]:
    return [row.pk for row in response.context["rounds"]]


def test_the_second_analysts_rounds_box_shows_their_own_scoring_in_place_of_the_first(
    client, round_one, first, second, erin
):
    response = page(client, erin, second.get_absolute_url())
    assert rounds_in(response) == [second.pk, round_one.pk]
    html = response.content.decode()
    assert first.get_absolute_url() not in html
    assert round_one.get_absolute_url() in html


def test_the_earlier_rounds_page_hides_the_first_scoring_of_the_blind_round(
    client, round_one, first, second, erin
):
    response = page(client, erin, round_one.get_absolute_url())
    assert rounds_in(response) == [round_one.pk]
    html = response.content.decode()
    assert first.get_absolute_url() not in html
    # Round 1 is not the latest round, even if erin can't see round 2's first scoring.
    assert reverse("assessment_start_round", args=[round_one.pk]) not in html


def test_a_second_scoring_never_offers_a_new_round(client, first, second, erin):
    assessment_submit(assessment=second, user=erin)
    html = page(client, erin, second.get_absolute_url()).content.decode()
    assert reverse("assessment_start_round", args=[second.pk]) not in html


def test_the_first_analyst_sees_neither_the_second_scoring_nor_who_was_asked(
    client, round_one, first, second, alice, erin
):
    response = page(client, alice, first.get_absolute_url())
    assert rounds_in(response) == [first.pk, round_one.pk]
    html = response.content.decode()
    assert second.get_absolute_url() not in html
    assert "erin" not in html
    # The thread still says that a second scoring was asked for.
    assert "second, blind scoring was asked for" in html


def test_the_second_analyst_reads_on_their_own_page_that_they_were_asked(client, second, erin, bob):
    html = page(client, erin, second.get_absolute_url()).content.decode()
    assert "A second, blind scoring of round 2 was asked of erin." in html
    assert page(client, bob, second.get_absolute_url()).context["comments"]


def test_once_both_are_submitted_each_rounds_box_shows_the_pair(
    client, round_one, first, second, alice, erin, bob
):
    assessment_submit(assessment=first, user=alice)
    assessment_submit(assessment=second, user=erin)
    assert rounds_in(page(client, erin, second.get_absolute_url())) == [
        first.pk,
        second.pk,
        round_one.pk,
    ]
    # On the first assessment's page the second scoring stays out: it is not a round.
    assert rounds_in(page(client, alice, first.get_absolute_url())) == [first.pk, round_one.pk]
    html = page(client, erin, second.get_absolute_url()).content.decode()
    assert first.get_absolute_url() in html


def test_the_manager_sees_the_pair_on_the_second_scorings_page(
    client, round_one, first, second, bob
):
    response = page(client, bob, second.get_absolute_url())
    assert rounds_in(response) == [first.pk, second.pk, round_one.pk]
    assert "erin" in response.content.decode()


def _second_analysts_pages(case, second) -> list[str]:
    code = Assessment.objects.get(pk=second.pk).answers.first().criterion.code
    return [
        reverse("case_detail", args=[case.pk]),
        reverse("case_list"),
        reverse("assessment_detail", args=[second.pk]),
        reverse("wizard_step", args=[second.pk, 1]),
        reverse("wizard_step", args=[second.pk, 2]),
        reverse("answer_history", args=[second.pk, code]),
        reverse("report_assessment", args=[second.pk]),
        reverse("assessment_submit", args=[second.pk]),
        f"/api/v1/cases/{case.pk}",
        f"/api/v1/cases/{case.pk}/assessments/",
        f"/api/v1/assessments/{second.pk}",
        f"/api/v1/assessments/{second.pk}/scores",
        "/api/v1/cases/",
    ]


def _ids(data) -> set:
    """Every "id" anywhere in a JSON reply."""
    found = set()
    if isinstance(data, dict):
        found |= {data["id"]} if "id" in data else set()
        for value in data.values():
            found |= _ids(value)
    elif isinstance(data, list):
        for value in data:
            found |= _ids(value)
    return found


def test_no_page_of_the_second_analyst_names_the_first_scoring(
    client, alice_case, round_one, first, second, erin
):
    for url in _second_analysts_pages(alice_case, second):
        response = page(client, erin, url)
        body = response.content.decode()
        assert reverse("assessment_detail", args=[first.pk]) not in body, url
        assert f"/api/v1/assessments/{first.pk}" not in body, url
        if response["Content-Type"].startswith("application/json"):
            ids = _ids(json.loads(body))
            if "assessments" in url or "/assessments/" in url:
                assert first.pk not in ids, url

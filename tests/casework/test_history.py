"""Item history: who changed what, when, old → new."""

import pytest
from django.urls import reverse

from casework.services.answers import answer_save
from casework.services.assessments import assessment_start
from tests import factories


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.fixture
def edited(assessment, alice, unit_a):
    ann = factories.make_user("ann", unit=unit_a)
    ann.first_name, ann.last_name = "Ann", "Lee"
    ann.save()
    answer_save(
        assessment=assessment,
        criterion_code="TF-D1.1",
        user=alice,
        data={"level": 2, "evidence": "旧的证据"},
        expected_version=0,
    )
    answer_save(
        assessment=assessment,
        criterion_code="TF-D1.1",
        user=ann,
        data={"level": 4, "evidence": "新的证据"},
        expected_version=1,
    )
    return assessment


def url(assessment, code="TF-D1.1"):
    return reverse("answer_history", args=[assessment.pk, code])


def test_history_shows_who_changed_what_from_old_to_new(client, alice, edited):
    client.force_login(alice)
    response = client.get(url(edited), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ann Lee" in html and "alice" in html
    assert "旧的证据" in html and "新的证据" in html
    assert "2 · " in html and "4 · " in html
    # Newest first.
    assert html.index("Ann Lee") < html.index("alice")
    assert "<html" not in html  # a fragment for the offcanvas


def test_history_without_htmx_is_a_full_page(client, alice, edited):
    client.force_login(alice)
    response = client.get(url(edited))
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert reverse("wizard_step", args=[edited.pk, 1]) in response.content.decode()


def test_managers_may_read_the_history(client, bob, edited):
    client.force_login(bob)
    assert client.get(url(edited)).status_code == 200


def test_another_units_analyst_gets_404(client, charlie, edited):
    client.force_login(charlie)
    assert client.get(url(edited)).status_code == 404


def test_an_unknown_item_gives_404(client, alice, edited):
    client.force_login(alice)
    assert client.get(url(edited, "TF-NOPE")).status_code == 404


def test_an_untouched_item_has_no_changes(client, alice, assessment):
    client.force_login(alice)
    response = client.get(url(assessment, "TF-D1.2"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "cw-history-entry" not in response.content.decode()

"""Scores in a register row: clicked or typed as 1–5 in the table, saved at once, versioned."""

import pytest
from django.test import Client
from django.urls import reverse

from casework.models import Assessment, Risk, Stakeholder
from casework.services.assessments import assessment_start

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.fixture
def risk(assessment):
    return Risk.objects.create(
        assessment=assessment, category="technology", description="宕机", likelihood=2, impact=3
    )


def score_url(risk, register="risks"):
    return reverse("wizard_register_score", args=[risk.assessment_id, register, risk.pk])


def row_url(risk, register="risks"):
    return reverse("wizard_register_row", args=[risk.assessment_id, register, risk.pk])


def test_the_table_shows_each_score_as_five_buttons_with_the_stored_one_checked(
    client, alice, risk
):
    client.force_login(alice)
    html = client.get(row_url(risk), **HTMX).content.decode()
    assert html.count('class="btn-check"') == 10
    assert f'id="risks-row-{risk.pk}-likelihood-2" autocomplete="off" checked' in html
    assert f'id="risks-row-{risk.pk}-impact-3" autocomplete="off" checked' in html


def test_a_clicked_score_is_saved_with_a_new_version_and_the_row_comes_back(client, alice, risk):
    client.force_login(alice)
    response = client.post(
        score_url(risk), {"field": "likelihood", "value": "5", "version": "0"}, **HTMX
    )
    assert response.status_code == 200
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.version, risk.updated_by) == (5, 3, 1, alice)
    html = response.content.decode()
    assert "<td>15</td>" in html  # the severity follows
    assert 'name="version" value="1"' in html
    assert risk.history.latest().history_user == alice


def test_a_score_from_an_old_version_is_a_conflict_showing_the_stored_row(client, alice, risk):
    Risk.objects.filter(pk=risk.pk).update(impact=4, version=3)
    client.force_login(alice)
    response = client.post(
        score_url(risk), {"field": "impact", "value": "1", "version": "2"}, **HTMX
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert f'id="risks-row-{risk.pk}-impact-4" autocomplete="off" checked' in html
    assert 'name="version" value="3"' in html
    assert Risk.objects.get(pk=risk.pk).impact == 4


@pytest.mark.parametrize("value", ["0", "6", "x", ""])
def test_a_score_outside_one_to_five_is_refused(client, alice, risk, value):
    client.force_login(alice)
    response = client.post(
        score_url(risk), {"field": "impact", "value": value, "version": "0"}, **HTMX
    )
    assert response.status_code == 422
    assert Risk.objects.get(pk=risk.pk).impact == 3


def test_only_score_fields_can_be_saved_this_way(client, alice, risk):
    client.force_login(alice)
    response = client.post(
        score_url(risk), {"field": "description", "value": "1", "version": "0"}, **HTMX
    )
    assert response.status_code == 404


def test_stakeholder_scores_work_the_same_way(client, alice, assessment):
    stakeholder = Stakeholder.objects.create(
        assessment=assessment, name="市民", group="public", influence=2, interest=4
    )
    client.force_login(alice)
    response = client.post(
        score_url(stakeholder, "stakeholders"),
        {"field": "interest", "value": "5", "version": "0"},
        **HTMX,
    )
    assert response.status_code == 200
    assert Stakeholder.objects.get(pk=stakeholder.pk).interest == 5


def test_without_javascript_a_score_save_goes_back_to_the_step(client, alice, risk):
    client.force_login(alice)
    response = client.post(score_url(risk), {"field": "impact", "value": "5", "version": "0"})
    assert response.status_code == 302 and response.url.endswith("#register-risks")


@pytest.mark.parametrize(("persona", "status"), [("charlie", 404), ("diana", 404), ("bob", 403)])
def test_only_the_units_analysts_may_click_a_score(request, client, risk, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        score_url(risk), {"field": "impact", "value": "5", "version": "0"}, **HTMX
    )
    assert response.status_code == status
    assert Risk.objects.get(pk=risk.pk).impact == 3


def test_a_score_post_needs_the_csrf_token(alice, risk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(score_url(risk), {"field": "impact", "value": "5", "version": "0"})
    assert response.status_code == 403


def test_a_submitted_assessment_refuses_the_score_and_shows_no_buttons(client, alice, risk):
    Assessment.objects.filter(pk=risk.assessment_id).update(status=Assessment.Status.SUBMITTED)
    client.force_login(alice)
    response = client.post(
        score_url(risk), {"field": "impact", "value": "5", "version": "0"}, **HTMX
    )
    assert response.status_code == 423
    assert "btn-check" not in response.content.decode()
    assert Risk.objects.get(pk=risk.pk).impact == 3


def test_managers_see_the_scores_as_numbers(client, bob, risk):
    client.force_login(bob)
    html = client.get(row_url(risk), **HTMX).content.decode()
    assert "btn-check" not in html and "<td>2</td>" in html


def test_the_row_form_offers_scores_as_buttons_not_a_drop_down(client, alice, risk):
    client.force_login(alice)
    html = client.get(row_url(risk) + "?edit=1", **HTMX).content.decode()
    assert '<select name="likelihood"' not in html
    assert html.count('type="radio" name="likelihood"') == 5
    assert html.count('type="radio" name="impact"') == 5

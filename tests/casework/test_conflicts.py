"""Two people, one item: the second save sees both values and keeps the user's text."""

import pytest
from django.test import Client
from django.urls import reverse

from casework.models import Answer, Goal
from casework.services.assessments import assessment_start
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.fixture
def alice2(unit_a):
    return factories.make_user("alice2", unit=unit_a)


def post(client, assessment, code="TF-D1.1", version=0, **fields):
    data = {f"{code}-version": version}
    data.update({f"{code}-{name}": value for name, value in fields.items()})
    return client.post(reverse("wizard_answer_save", args=[assessment.pk, code]), data, **HTMX)


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_second_of_two_clients_gets_409_with_both_values(alice, alice2, assessment):
    first, second = login(alice), login(alice2)
    # Both loaded the item at version 0.
    assert post(first, assessment, level=2, evidence="甲的证据").status_code == 200
    response = post(second, assessment, level=4, evidence="乙的证据")

    assert response.status_code == 409
    html = response.content.decode()
    assert "甲的证据" in html and "乙的证据" in html
    assert "2 · " in html and "4 · " in html  # their level and mine, with labels
    assert "alice" in html  # who saved in between
    # The user's own text stays in the form, now at the current version.
    assert ">乙的证据</textarea>" in html
    assert 'name="TF-D1.1-version" value="1"' in html
    answer = Answer.objects.get(assessment=assessment, criterion__code="TF-D1.1")
    assert (answer.level, answer.evidence, answer.version) == (2, "甲的证据", 1)


def test_keep_mine_resubmits_at_the_current_version(alice, alice2, assessment):
    first, second = login(alice), login(alice2)
    post(first, assessment, level=2, evidence="甲的证据")
    assert post(second, assessment, level=4, evidence="乙的证据").status_code == 409

    response = post(second, assessment, version=1, level=4, evidence="乙的证据")
    assert response.status_code == 200
    answer = Answer.objects.get(assessment=assessment, criterion__code="TF-D1.1")
    assert (answer.level, answer.evidence, answer.version, answer.updated_by) == (
        4,
        "乙的证据",
        2,
        alice2,
    )


def test_take_theirs_reloads_the_current_card(alice, alice2, assessment):
    first, second = login(alice), login(alice2)
    post(first, assessment, level=2, evidence="甲的证据")
    response = second.get(reverse("wizard_answer_save", args=[assessment.pk, "TF-D1.1"]), **HTMX)
    assert response.status_code == 200
    assert ">甲的证据</textarea>" in response.content.decode()
    assert 'name="TF-D1.1-version" value="1"' in response.content.decode()


def test_two_people_saving_different_items_never_collide(alice, alice2, assessment):
    first, second = login(alice), login(alice2)
    assert post(first, assessment, code="TF-D1.1", level=2).status_code == 200
    assert post(second, assessment, code="TF-D1.2", level=3).status_code == 200
    levels = dict(
        Answer.objects.filter(assessment=assessment).values_list("criterion__code", "level")
    )
    assert (levels["TF-D1.1"], levels["TF-D1.2"]) == (2, 3)


def test_a_register_row_saved_by_someone_else_gives_409(alice, alice2, assessment):
    goal = Goal.objects.create(assessment=assessment, statement="建成电子证照库")
    first, second = login(alice), login(alice2)
    row_url = reverse("wizard_register_row", args=[assessment.pk, "goals", goal.pk])
    assert first.post(row_url, {"version": 0, "statement": "甲的目标"}, **HTMX).status_code == 200

    response = second.post(row_url, {"version": 0, "statement": "乙的目标"}, **HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "甲的目标" in html and "乙的目标" in html
    assert 'name="version" value="1"' in html
    goal.refresh_from_db()
    assert goal.statement == "甲的目标"


def test_deleting_a_row_someone_else_changed_gives_409(alice, alice2, assessment):
    goal = Goal.objects.create(assessment=assessment, statement="建成电子证照库")
    first, second = login(alice), login(alice2)
    first.post(
        reverse("wizard_register_row", args=[assessment.pk, "goals", goal.pk]),
        {"version": 0, "statement": "改过的目标"},
        **HTMX,
    )
    response = second.post(
        reverse("wizard_register_delete", args=[assessment.pk, "goals", goal.pk]),
        {"version": 0},
        **HTMX,
    )
    assert response.status_code == 409
    assert Goal.objects.filter(pk=goal.pk).exists()

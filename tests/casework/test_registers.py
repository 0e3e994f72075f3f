"""Register rows: services (validation, locking, history) and the htmx row endpoints."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from casework.models import Assessment, Goal, Indicator, Phase, Risk, Stakeholder
from casework.services.assessments import assessment_start
from casework.services.errors import AssessmentLocked, EditConflict
from casework.services.registers import register_row_add, register_row_delete, register_row_save

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


def add(assessment, user, register, **data):
    return register_row_add(assessment=assessment, register=register, user=user, data=data)


# --- services ---------------------------------------------------------------------------------


def test_adding_rows_appends_them_in_order(assessment, alice):
    first = add(assessment, alice, "goals", statement="建成电子证照库")
    second = add(assessment, alice, "goals", statement="两年内网上可办率达到80%", measurable=True)
    assert [g.pk for g in assessment.goals.all()] == [first.pk, second.pk]
    assert second.measurable and not second.specific
    assert first.history.get().history_user == alice


def test_adding_a_row_bumps_the_assessment_revision(assessment, alice):
    before = assessment.revision
    add(assessment, alice, "stakeholders", name="市民", group="public", influence=2, interest=5)
    assert Assessment.objects.get(pk=assessment.pk).revision == before + 1


def test_saving_a_row_checks_the_version_and_records_history(assessment, alice, ada):
    risk = add(
        assessment,
        alice,
        "risks",
        category="technology",
        description="系统宕机",
        likelihood=2,
        impact=4,
    )
    saved = register_row_save(
        assessment=assessment,
        register="risks",
        row_id=risk.pk,
        user=ada,
        data={"likelihood": 3},
        expected_version=0,
    )
    assert (saved.version, saved.likelihood, saved.impact) == (1, 3, 4)
    assert Risk.objects.get(pk=risk.pk).severity == 12
    assert saved.history.latest().history_user == ada
    with pytest.raises(EditConflict):
        register_row_save(
            assessment=assessment,
            register="risks",
            row_id=risk.pk,
            user=alice,
            data={"likelihood": 5},
            expected_version=0,
        )


def test_deleting_a_row_needs_the_current_version(assessment, alice):
    phase = add(assessment, alice, "phases", name="试点", start="2024-01-01", end="2024-06-30")
    with pytest.raises(EditConflict):
        register_row_delete(
            assessment=assessment,
            register="phases",
            row_id=phase.pk,
            user=alice,
            expected_version=3,
        )
    register_row_delete(
        assessment=assessment, register="phases", row_id=phase.pk, user=alice, expected_version=0
    )
    assert not Phase.objects.filter(pk=phase.pk).exists()


def test_a_phase_that_ends_before_it_starts_is_refused(assessment, alice):
    with pytest.raises(ValidationError) as error:
        add(assessment, alice, "phases", name="推广", start=date(2025, 6, 1), end=date(2025, 1, 1))
    assert "end" in error.value.message_dict
    assert not Phase.objects.exists()


@pytest.mark.parametrize("field", ["influence", "interest"])
@pytest.mark.parametrize("value", [0, 6])
def test_influence_and_interest_run_from_1_to_5(assessment, alice, field, value):
    data = {"name": "企业", "group": "enterprises", "influence": 3, "interest": 3, field: value}
    with pytest.raises(ValidationError) as error:
        add(assessment, alice, "stakeholders", **data)
    assert field in error.value.message_dict
    assert not Stakeholder.objects.exists()


@pytest.mark.parametrize("field", ["likelihood", "impact"])
def test_likelihood_and_impact_run_from_1_to_5(assessment, alice, field):
    data = {"category": "policy", "description": "政策变化", "likelihood": 3, "impact": 3, field: 9}
    with pytest.raises(ValidationError) as error:
        add(assessment, alice, "risks", **data)
    assert field in error.value.message_dict


def test_a_non_numeric_indicator_value_is_refused_with_a_clear_message(assessment, alice):
    with pytest.raises(ValidationError) as error:
        add(assessment, alice, "indicators", family="efficiency", name="办理时长", baseline="十天")
    assert "十天" in error.value.message_dict["baseline"][0]
    assert not Indicator.objects.exists()


def test_indicator_values_accept_decimals(assessment, alice):
    indicator = add(
        assessment,
        alice,
        "indicators",
        family="efficiency",
        name="办理时长",
        unit="天",
        baseline="10",
        target="2.5",
        actual="4",
        higher_is_better=False,
    )
    assert indicator.target == Decimal("2.5")
    assert round(indicator.progress, 2) == 0.8


def test_an_unknown_register_is_refused(assessment, alice):
    with pytest.raises(ValidationError):
        add(assessment, alice, "budgets", name="x")


def test_rows_of_a_submitted_assessment_are_locked(assessment, alice):
    goal = add(assessment, alice, "goals", statement="建成电子证照库")
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.APPROVED)
    with pytest.raises(AssessmentLocked):
        add(assessment, alice, "goals", statement="另一个目标")
    with pytest.raises(AssessmentLocked):
        register_row_save(
            assessment=assessment,
            register="goals",
            row_id=goal.pk,
            user=alice,
            data={"statement": "改"},
            expected_version=0,
        )


def test_a_row_of_another_assessment_cannot_be_saved(assessment, alice, alice_case, tiny_version):
    other = assessment_start(case=alice_case, version=tiny_version, user=alice)
    goal = add(other, alice, "goals", statement="别处的目标")
    with pytest.raises(Goal.DoesNotExist):
        register_row_save(
            assessment=assessment,
            register="goals",
            row_id=goal.pk,
            user=alice,
            data={"statement": "改"},
            expected_version=0,
        )


# --- views ------------------------------------------------------------------------------------


def register_url(assessment, register="goals"):
    return reverse("wizard_register", args=[assessment.pk, register])


def row_url(assessment, row, register="goals"):
    return reverse("wizard_register_row", args=[assessment.pk, register, row.pk])


def delete_url(assessment, row, register="goals"):
    return reverse("wizard_register_delete", args=[assessment.pk, register, row.pk])


def test_adding_a_goal_returns_its_row_with_smart_hints(client, alice, assessment):
    client.force_login(alice)
    response = client.post(
        register_url(assessment), {"statement": "两年内将网上可办率提升到80%"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<tr")
    assert "两年内将网上可办率提升到80%" in html
    assert "bi-lightbulb-fill" in html
    assert assessment.goals.get().updated_by == alice


def test_the_new_row_form_shows_the_fields(client, alice, assessment):
    client.force_login(alice)
    html = client.get(register_url(assessment, "stakeholders") + "?new=1", **HTMX).content.decode()
    for name in ("name", "group", "influence", "interest", "attitude", "approach"):
        assert f'name="{name}"' in html


def test_the_edit_form_shows_the_smart_boxes_with_hints(client, alice, assessment):
    goal = Goal.objects.create(
        assessment=assessment, statement="2027年底前实现百分之八十的事项一网通办"
    )
    client.force_login(alice)
    html = client.get(row_url(assessment, goal) + "?edit=1", **HTMX).content.decode()
    for name in ("specific", "measurable", "achievable", "relevant", "time_bound"):
        assert f'name="{name}"' in html
    assert "2027年底前" in html and "百分之八十" in html


def test_a_phase_ending_before_it_starts_gives_422_and_keeps_the_input(client, alice, assessment):
    client.force_login(alice)
    response = client.post(
        register_url(assessment, "phases"),
        {"name": "全面推广阶段", "start": "2025-06-01", "end": "2025-01-01", "status": "planned"},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "全面推广阶段" in html and "is-invalid" in html
    assert not Phase.objects.exists()


def test_a_non_numeric_indicator_gives_422_with_a_clear_message(client, alice, assessment):
    client.force_login(alice)
    response = client.post(
        register_url(assessment, "indicators"),
        {"family": "cost", "name": "运维成本", "baseline": "很多"},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "很多" in html and "85" in html  # the example in the message
    assert not Indicator.objects.exists()


def test_saving_a_row_returns_the_read_row(client, alice, assessment):
    risk = Risk.objects.create(
        assessment=assessment, category="policy", description="政策调整", likelihood=2, impact=2
    )
    client.force_login(alice)
    response = client.post(
        row_url(assessment, risk, "risks"),
        {
            "version": 0,
            "category": "policy",
            "description": "政策调整",
            "likelihood": 4,
            "impact": 5,
            "status": "open",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert ">20<" in response.content.decode()  # severity
    risk.refresh_from_db()
    assert (risk.likelihood, risk.version) == (4, 1)


def test_deleting_a_row_returns_nothing_to_swap_in(client, alice, assessment):
    goal = Goal.objects.create(assessment=assessment, statement="建成电子证照库")
    client.force_login(alice)
    response = client.post(delete_url(assessment, goal), {"version": 0}, **HTMX)
    assert response.status_code == 200
    assert response.content == b""
    assert not Goal.objects.exists()


def test_without_js_a_row_save_redirects_back_to_its_step(client, alice, assessment):
    client.force_login(alice)
    response = client.post(register_url(assessment), {"statement": "建成电子证照库"})
    assert response.status_code == 302
    assert "#register-goals" in response["Location"]


def test_without_js_the_edit_form_is_a_full_page(client, alice, assessment):
    goal = Goal.objects.create(assessment=assessment, statement="建成电子证照库")
    client.force_login(alice)
    response = client.get(row_url(assessment, goal) + "?edit=1")
    assert response.status_code == 200
    assert "<html" in response.content.decode()


def test_an_unknown_register_gives_404(client, alice, assessment):
    client.force_login(alice)
    assert client.post(register_url(assessment, "budgets"), {}, **HTMX).status_code == 404


def test_register_posts_need_the_csrf_token(alice, assessment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(register_url(assessment), {"statement": "x"}, **HTMX)
    assert response.status_code == 403
    assert not Goal.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("charlie", 404), ("diana", 404), ("bob", 403)])
def test_only_the_units_analysts_may_change_rows(request, client, assessment, persona, status):
    goal = Goal.objects.create(assessment=assessment, statement="原目标")
    client.force_login(request.getfixturevalue(persona))
    assert client.post(register_url(assessment), {"statement": "新"}, **HTMX).status_code == status
    assert (
        client.post(
            row_url(assessment, goal), {"version": 0, "statement": "改"}, **HTMX
        ).status_code
        == status
    )
    assert client.post(delete_url(assessment, goal), {"version": 0}, **HTMX).status_code == status
    assert list(Goal.objects.values_list("statement", flat=True)) == ["原目标"]


def test_managers_see_rows_without_edit_buttons(client, bob, assessment):
    goal = Goal.objects.create(assessment=assessment, statement="原目标")
    client.force_login(bob)
    response = client.get(row_url(assessment, goal), **HTMX)
    assert response.status_code == 200
    assert "bi-pencil" not in response.content.decode()
    assert client.get(row_url(assessment, goal) + "?edit=1", **HTMX).status_code == 200
    assert "<form" not in client.get(row_url(assessment, goal) + "?edit=1", **HTMX).content.decode()


def test_rows_of_a_submitted_assessment_give_423(client, alice, assessment):
    goal = Goal.objects.create(assessment=assessment, statement="原目标")
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    client.force_login(alice)
    response = client.post(row_url(assessment, goal), {"version": 0, "statement": "改"}, **HTMX)
    assert response.status_code == 423
    goal.refresh_from_db()
    assert goal.statement == "原目标"


def test_smart_hints_follow_what_is_typed(client, alice, assessment):
    client.force_login(alice)
    response = client.get(
        register_url(assessment),
        {"hints": "goals-row-new", "statement": "一年内上线统一身份认证"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="smart-goals-row-new-time_bound-hint"' in html
    assert "一年内" in html and "bi-lightbulb-fill" in html


def test_a_hint_reply_updates_only_the_hint_slots_never_the_boxes(client, alice, assessment):
    """A reply that arrives after the analyst ticked a box must not be able to untick it."""
    client.force_login(alice)
    response = client.get(
        register_url(assessment),
        {"hints": "goals-row-new", "statement": "一年内上线统一身份认证"},
        **HTMX,
    )
    html = response.content.decode()
    assert "<input" not in html
    slots = re.findall(r'<span class="cw-hint-slot" id="([^"]+)"[^>]*hx-swap-oob="true"', html)
    assert slots == [f"smart-goals-row-new-{name}-hint" for name in SMART_NAMES]


SMART_NAMES = ("specific", "measurable", "achievable", "relevant", "time_bound")


def test_a_double_clicked_delete_is_a_404_not_a_500(client, alice, assessment):
    goal = Goal.objects.create(assessment=assessment, statement="建成电子证照库")
    client.force_login(alice)
    assert client.post(delete_url(assessment, goal), {"version": 0}, **HTMX).status_code == 200
    assert client.post(delete_url(assessment, goal), {"version": 0}, **HTMX).status_code == 404


def test_a_row_gone_between_the_check_and_the_lock_is_a_404(client, alice, assessment, monkeypatch):
    from casework.views import registers as register_views

    goal = Goal.objects.create(assessment=assessment, statement="建成电子证照库")

    def deleted_meanwhile(**kwargs):
        Goal.objects.filter(pk=goal.pk).delete()
        return register_row_delete(**kwargs)

    monkeypatch.setattr(register_views, "register_row_delete", deleted_meanwhile)
    client.force_login(alice)
    assert client.post(delete_url(assessment, goal), {"version": 0}, **HTMX).status_code == 404


def test_adding_a_row_takes_the_assessments_lock_so_orders_never_collide(
    assessment, alice, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        add(assessment, alice, "goals", statement="建成电子证照库")
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)
    first = add(assessment, alice, "goals", statement="第二个目标")
    assert first.order == 2

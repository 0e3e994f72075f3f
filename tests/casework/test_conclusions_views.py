"""The Conclusions step: page, autosave of the cards, the action plan, permissions, conflicts."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from casework.models import Action, Answer, Assessment, DimensionFinding
from casework.services import assessments as assessment_services
from casework.services import narrative
from casework.services import rounds as round_services
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_services.assessment_start(case=alice_case, version=tiny_version, user=alice)


def step(assessment, n=3):
    """The tiny framework has two dimensions: step 3 is Conclusions."""
    return reverse("wizard_step", args=[assessment.pk, n])


def login(user):
    client = Client()
    client.force_login(user)
    return client


def post_conclusions(client, assessment, version=0, **fields):
    data = {"conclusions-version": version}
    data.update({f"conclusions-{name}": value for name, value in fields.items()})
    return client.post(reverse("wizard_conclusions_save", args=[assessment.pk]), data, **HTMX, **EN)


def post_finding(client, assessment, code="TF-D1", version=0, text=""):
    data = {f"finding-{code}-version": version, f"finding-{code}-text": text}
    return client.post(
        reverse("wizard_finding_save", args=[assessment.pk, code]), data, **HTMX, **EN
    )


def action_data(prefix="action-new", version=None, **fields):
    data = {
        "text": "建立数据目录",
        "owner": "",
        "priority": "medium",
        "due_on": "",
        "status": "proposed",
    }
    data.update(fields)
    posted = {f"{prefix}-{name}": value for name, value in data.items()}
    if version is not None:
        posted[f"{prefix}-version"] = version
    return posted


def stored(assessment):
    return Assessment.objects.get(pk=assessment.pk)


# --- The page ------------------------------------------------------------------------------------


def test_the_step_after_the_last_dimension_is_conclusions(client, alice, assessment):
    client.force_login(alice)
    response = client.get(step(assessment), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Step 3 of 3" in html and "Conclusions" in html
    assert 'name="conclusions-perspective"' in html and 'name="conclusions-conclusion"' in html
    assert 'name="conclusions-lessons"' in html
    for code in ("TF-D1", "TF-D2"):
        assert f'name="finding-{code}-text"' in html
    assert "Action plan" in html and 'data-testid="suggest-actions"' in html
    assert "<script>" not in html and "onclick" not in html


def test_the_last_dimension_leads_on_to_conclusions(client, alice, assessment):
    client.force_login(alice)
    html = client.get(step(assessment, 2), **EN).content.decode()
    assert 'value="step-3"' in html and 'name="go" value="next"' in html
    response = client.post(step(assessment, 2), {"go": "next", "TF-D2.1-version": 0})
    assert response["Location"] == step(assessment, 3)


def test_a_step_beyond_conclusions_gives_404(client, alice, assessment):
    client.force_login(alice)
    assert client.get(step(assessment, 4)).status_code == 404


def test_a_retrospective_assessment_speaks_of_lessons(client, alice, assessment):
    narrative.assessment_conclusions_save(
        assessment=assessment, user=alice, data={"perspective": "retrospective"}, expected_version=0
    )
    client.force_login(alice)
    html = client.get(step(assessment), **EN).content.decode()
    assert "Lessons to apply" in html and "Suggest lessons from gaps" in html
    assert "Action plan" not in html


def test_the_step_runs_a_constant_number_of_queries(
    client, alice, assessment, django_assert_max_num_queries
):
    client.force_login(alice)
    client.get(step(assessment))
    with django_assert_max_num_queries(15) as few:  # one lists what is left
        client.get(step(assessment))
    for i in range(12):
        narrative.action_add(assessment=assessment, user=alice, data={"text": f"行动 {i}"})
        narrative.finding_save(
            assessment=assessment,
            dimension_code="TF-D1",
            user=alice,
            text=f"发现 {i}",
            expected_version=i,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(step(assessment))
    assert response.content.decode().count('data-testid="action"') == 12


# --- Permissions ---------------------------------------------------------------------------------


def endpoints(assessment, action_id=1):
    return [
        reverse("wizard_conclusions_save", args=[assessment.pk]),
        reverse("wizard_finding_save", args=[assessment.pk, "TF-D1"]),
        reverse("wizard_action_add", args=[assessment.pk]),
        reverse("wizard_action_suggest", args=[assessment.pk]),
        reverse("wizard_action", args=[assessment.pk, action_id]),
        reverse("wizard_action_delete", args=[assessment.pk, action_id]),
    ]


def test_another_units_people_get_404_everywhere(charlie, diana, alice, assessment):
    action = narrative.action_add(assessment=assessment, user=alice, data={"text": "甲"})
    for user in (charlie, diana):
        client = login(user)
        assert client.get(step(assessment)).status_code == 404
        for url in endpoints(assessment, action.pk):
            assert client.post(url, {}, **HTMX).status_code == 404, url


def test_a_manager_sees_the_step_read_only_and_may_not_write(bob, alice, assessment):
    narrative.assessment_conclusions_save(
        assessment=assessment, user=alice, data={"conclusion": "已有结论"}, expected_version=0
    )
    action = narrative.action_add(assessment=assessment, user=alice, data={"text": "已有行动"})
    client = login(bob)
    response = client.get(step(assessment))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<textarea" not in html and "hx-post" not in html
    assert "已有结论" in html and "已有行动" in html
    for url in endpoints(assessment, action.pk):
        assert client.post(url, {}, **HTMX).status_code == 403, url
    assert client.post(step(assessment), {"conclusions-version": 0}).status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()


def test_a_submitted_assessment_refuses_every_write_with_423(alice, assessment):
    action = narrative.action_add(assessment=assessment, user=alice, data={"text": "甲"})
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    client = login(alice)
    assert post_conclusions(client, assessment, conclusion="晚了").status_code == 423
    assert post_finding(client, assessment, text="晚了").status_code == 423
    add = client.post(reverse("wizard_action_add", args=[assessment.pk]), action_data(), **HTMX)
    assert add.status_code == 423
    save = client.post(
        reverse("wizard_action", args=[assessment.pk, action.pk]),
        action_data(f"action-{action.pk}", version=0, text="改"),
        **HTMX,
    )
    assert save.status_code == 423
    delete = client.post(reverse("wizard_action_delete", args=[assessment.pk, action.pk]), **HTMX)
    assert delete.status_code == 423
    suggest = client.post(reverse("wizard_action_suggest", args=[assessment.pk]), **HTMX)
    assert suggest.status_code == 423
    assert stored(assessment).conclusion == "" and Action.objects.get().text == "甲"


# --- Autosave of the cards -----------------------------------------------------------------------


def test_autosave_stores_the_conclusions_and_returns_the_card_at_the_new_version(alice, assessment):
    client = login(alice)
    before = stored(assessment).revision
    response = post_conclusions(
        client, assessment, perspective="retrospective", conclusion="总体成功。", lessons="先试点。"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="conclusions-version" value="1"' in html and "bi-cloud-check" in html
    assert 'id="plan-wording" hx-swap-oob="true"' in html and "Lessons to apply" in html
    saved = stored(assessment)
    assert (saved.perspective, saved.conclusion, saved.lessons) == (
        "retrospective",
        "总体成功。",
        "先试点。",
    )
    assert saved.revision == before + 1


def test_a_stale_conclusions_save_gives_409_with_both_values_and_keeps_the_typing(
    alice, unit_a, assessment
):
    alice2 = factories.make_user("alice2", unit=unit_a)
    first, second = login(alice), login(alice2)
    assert post_conclusions(first, assessment, conclusion="甲的结论").status_code == 200
    response = post_conclusions(second, assessment, conclusion="乙的结论")
    assert response.status_code == 409
    html = response.content.decode()
    assert "甲的结论" in html and ">乙的结论</textarea>" in html
    assert 'name="conclusions-version" value="1"' in html  # "Keep mine" saves over theirs
    assert stored(assessment).conclusion == "甲的结论"
    assert post_conclusions(second, assessment, version=1, conclusion="乙的结论").status_code == 200
    assert stored(assessment).conclusion == "乙的结论"


def test_take_theirs_gives_the_current_conclusions_card(alice, assessment):
    client = login(alice)
    post_conclusions(client, assessment, conclusion="存下的")
    response = client.get(reverse("wizard_conclusions_save", args=[assessment.pk]), **HTMX)
    assert response.status_code == 200
    assert ">存下的</textarea>" in response.content.decode()


def test_too_long_a_conclusion_gives_422_and_keeps_the_text(alice, assessment):
    text = "长" * 8001
    response = post_conclusions(login(alice), assessment, conclusion=text)
    assert response.status_code == 422
    html = response.content.decode()
    assert "8000" in html and text in html


def test_a_finding_autosaves_and_a_stale_one_gives_409(alice, unit_a, assessment):
    alice2 = factories.make_user("alice2", unit=unit_a)
    first, second = login(alice), login(alice2)
    assert post_finding(first, assessment, text="协同不足").status_code == 200
    response = post_finding(second, assessment, text="领导重视")
    assert response.status_code == 409
    html = response.content.decode()
    assert "协同不足" in html and ">领导重视</textarea>" in html and "alice" in html
    assert DimensionFinding.objects.get().text == "协同不足"


def test_a_finding_of_an_unknown_dimension_gives_404(alice, assessment):
    assert post_finding(login(alice), assessment, code="NOPE", text="x").status_code == 404


def test_without_js_the_step_saves_the_changed_cards_and_goes_where_asked(alice, assessment):
    client = login(alice)
    data = {
        "go": "exit",
        "conclusions-version": 0,
        "conclusions-perspective": "ongoing",
        "conclusions-conclusion": "整页提交的结论",
        "conclusions-lessons": "",
        "finding-TF-D1-version": 0,
        "finding-TF-D1-text": "整页提交的发现",
        "finding-TF-D2-version": 0,
        "finding-TF-D2-text": "",
    }
    response = client.post(step(assessment), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment_detail", args=[assessment.pk])
    assert stored(assessment).conclusion == "整页提交的结论"
    assert DimensionFinding.objects.get().text == "整页提交的发现"
    # A stale whole-step save re-renders the page with both values.
    data["conclusions-conclusion"] = "过时的结论"
    response = client.post(step(assessment), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "过时的结论" in html and "整页提交的结论" in html


# --- The action plan -----------------------------------------------------------------------------


def test_adding_an_action_returns_a_fresh_form_and_the_new_row(alice, assessment):
    client = login(alice)
    before = stored(assessment).revision
    response = client.post(
        reverse("wizard_action_add", args=[assessment.pk]),
        action_data(owner="数据局", priority="high", due_on="2026-12-31"),
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-swap-oob="beforeend:#action-list"' in html and "建立数据目录" in html
    action = Action.objects.get()
    assert (action.owner, action.priority, str(action.due_on)) == ("数据局", "high", "2026-12-31")
    assert stored(assessment).revision == before + 1


def test_an_action_without_text_gives_422_and_keeps_the_rest(alice, assessment):
    response = login(alice).post(
        reverse("wizard_action_add", args=[assessment.pk]),
        action_data(text="", owner="留着的负责人"),
        **HTMX,
        **EN,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Write the action first." in html and 'value="留着的负责人"' in html
    assert not Action.objects.exists()


def test_without_js_adding_an_action_goes_back_to_the_plan(alice, assessment):
    response = login(alice).post(reverse("wizard_action_add", args=[assessment.pk]), action_data())
    assert response.status_code == 302
    assert response["Location"].endswith("/step/3/#action-plan")


def test_an_action_is_edited_dropped_and_a_stale_edit_gives_409(alice, unit_a, assessment):
    action = narrative.action_add(assessment=assessment, user=alice, data={"text": "原来的"})
    url = reverse("wizard_action", args=[assessment.pk, action.pk])
    prefix = f"action-{action.pk}"
    first = login(alice)
    response = first.post(
        url, action_data(prefix, version=0, text="改过的", status="dropped"), **HTMX
    )
    assert response.status_code == 200
    assert "is-dropped" in response.content.decode()
    assert (Action.objects.get().text, Action.objects.get().status) == ("改过的", "dropped")

    alice2 = factories.make_user("alice2", unit=unit_a)
    response = login(alice2).post(
        url, action_data(prefix, version=0, text="另一个人的"), **HTMX, **EN
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "改过的" in html and "另一个人的" in html and "Take theirs" in html
    assert f'name="{prefix}-version" value="1"' in html


def test_deleting_an_action_twice_is_harmless(alice, assessment):
    action = narrative.action_add(assessment=assessment, user=alice, data={"text": "删掉"})
    client = login(alice)
    url = reverse("wizard_action_delete", args=[assessment.pk, action.pk])
    first = client.post(url, {f"action-{action.pk}-version": 0}, **HTMX)
    again = client.post(url, {f"action-{action.pk}-version": 0}, **HTMX)
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.content == b""
    assert not Action.objects.exists()
    # Saving a deleted action is a 404, not a 500.
    save = client.post(
        reverse("wizard_action", args=[assessment.pk, action.pk]),
        action_data(f"action-{action.pk}", version=0),
        **HTMX,
    )
    assert save.status_code == 404


def test_suggest_creates_actions_from_gaps_and_returns_the_plan(alice, assessment):
    Answer.objects.filter(assessment=assessment, criterion__code="TF-D1.1").update(level=1)
    client = login(alice)
    with translation.override("en"):
        response = client.post(reverse("wizard_action_suggest", args=[assessment.pk]), **HTMX, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="action-plan"' in html and "1 suggestion added" in html
    assert Action.objects.get().criterion.code == "TF-D1.1"
    again = client.post(reverse("wizard_action_suggest", args=[assessment.pk]), **HTMX, **EN)
    assert "No new suggestions" in again.content.decode()
    assert Action.objects.count() == 1


def test_the_next_round_lists_the_previous_plan_with_its_status(alice, bob, assessment):
    narrative.action_add(
        assessment=assessment, user=alice, data={"text": "已完成的", "status": "done"}
    )
    narrative.action_add(
        assessment=assessment, user=alice, data={"text": "进行中的", "status": "in_progress"}
    )
    assessment_services.assessment_submit(assessment=assessment, user=alice)
    assessment_services.assessment_approve(assessment=assessment, user=bob)
    second = round_services.assessment_start_round(previous=assessment, user=alice)
    client = login(alice)
    html = client.get(step(second), **EN).content.decode()
    previous = html.split('data-testid="previous-actions"')[1]
    assert "已完成的" in previous and 'data-status="done"' in previous
    assert "进行中的" in previous and 'data-status="in_progress"' in previous
    assert "carried over from round 1" in html


# --- The assessment page -------------------------------------------------------------------------


def test_the_assessment_page_hints_at_an_empty_conclusion_without_blocking_submit(
    client, alice, assessment
):
    client.force_login(alice)
    url = reverse("assessment_detail", args=[assessment.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="conclusion-hint"' in html and step(assessment) in html
    narrative.assessment_conclusions_save(
        assessment=assessment, user=alice, data={"conclusion": "写好了"}, expected_version=0
    )
    assert 'data-testid="conclusion-hint"' not in client.get(url).content.decode()
    Assessment.objects.filter(pk=assessment.pk).update(conclusion="")
    response = client.post(reverse("assessment_submit", args=[assessment.pk]), {"comment": ""})
    assert response.status_code == 302
    assert stored(assessment).status == Assessment.Status.SUBMITTED

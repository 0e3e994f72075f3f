"""The wizard step page: layout, read-only views, the no-JS whole-step save, query counts."""

import pytest
from django.urls import reverse

from casework.models import Answer, Assessment, CaseSource, Goal
from casework.services.assessments import assessment_start
from frameworks.models import Dimension, FrameworkVersion
from tests import factories


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.fixture
def ca_assessment(alice, alice_case):
    """A framework whose first step edits goals and phases."""
    version = factories.make_tiny_framework("CA", publish=False)
    Dimension.objects.filter(version=version, code="CA-D1").update(registers=["goals", "phases"])
    version.status = FrameworkVersion.Status.PUBLISHED
    version.save()
    return assessment_start(case=alice_case, version=version, user=alice)


def step(assessment, n=1):
    return reverse("wizard_step", args=[assessment.pk, n])


def stored(assessment, code):
    return Answer.objects.get(assessment=assessment, criterion__code=code)


def test_a_step_shows_its_items_with_the_scale_and_the_step_list(client, alice, assessment):
    CaseSource.objects.create(case=assessment.case, title="市政府工作报告")
    client.force_login(alice)
    response = client.get(step(assessment))

    assert response.status_code == 200
    html = response.content.decode()
    for code in ("TF-D1.1", "TF-D1.2", "TF-D1.3"):
        assert f'data-code="{code}"' in html
    assert "TF-D2.1" not in html.split('id="step-form"')[1]  # only this step's items
    assert 'name="TF-D1.1-level"' in html and "持续优化" in html  # the scale, in Chinese
    assert 'name="TF-D1.3-observation"' in html
    assert "市政府工作报告" in html  # citations offer the case's sources
    assert "0/4" in html  # overall progress
    assert 'hx-post="' + reverse("wizard_answer_save", args=[assessment.pk, "TF-D1.1"]) in html


def test_the_rubric_of_an_item_replaces_the_scales_descriptions(client, alice, alice_case):
    from frameworks.models import Criterion, CriterionLevel

    version = factories.make_tiny_framework("RB", publish=False)
    CriterionLevel.objects.create(
        criterion=Criterion.objects.get(version=version, code="RB-D1.1"),
        value=3,
        description_zh="有书面的分工方案",
        description_en="A written division of labour",
    )
    version.status = FrameworkVersion.Status.PUBLISHED
    version.save()
    assessment = assessment_start(case=alice_case, version=version, user=alice)
    client.force_login(alice)
    assert "有书面的分工方案" in client.get(step(assessment)).content.decode()


def test_the_step_is_in_english_when_asked(client, alice, assessment):
    client.force_login(alice)
    client.cookies["django_language"] = "en"
    html = client.get(step(assessment), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Optimising" in html and "Dimension D1" in html


def test_completion_counts_answered_items_per_dimension(client, alice, assessment):
    Answer.objects.filter(assessment=assessment, criterion__code="TF-D1.1").update(level=2)
    Answer.objects.filter(assessment=assessment, criterion__code="TF-D1.3").update(
        observation="present"
    )
    Answer.objects.filter(assessment=assessment, criterion__code="TF-D2.1").update(
        not_applicable=True, na_reason="不涉及"
    )
    client.force_login(alice)
    response = client.get(step(assessment))
    # The page's own context (the kept step list is drawn from plain data of its own).
    page = next(context for context in response.context if "cards" in context)
    dims = {d.code: (d.done, d.total, d.complete) for d in page["dimensions"]}
    assert dims == {"TF-D1": (2, 3, False), "TF-D2": (1, 1, True)}
    assert page["overall_done"] == 3


def test_a_step_beyond_the_last_gives_404(client, alice, assessment):
    client.force_login(alice)
    assert client.get(step(assessment, 4)).status_code == 404  # step 3 is Conclusions
    assert client.get(step(assessment, 0)).status_code == 404


def test_another_units_people_get_404(client, charlie, diana, assessment):
    for user in (charlie, diana):
        client.force_login(user)
        assert client.get(step(assessment)).status_code == 404


def test_managers_see_the_wizard_read_only(client, bob, assessment):
    Answer.objects.filter(assessment=assessment, criterion__code="TF-D1.1").update(
        level=3, evidence="已有证据"
    )
    client.force_login(bob)
    response = client.get(step(assessment))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<textarea" not in html and "hx-post" not in html
    assert "3 · 已定义" in html and "已有证据" in html
    assert 'data-testid="read-only"' in html


def test_managers_may_not_post_a_step(client, bob, assessment):
    client.force_login(bob)
    response = client.post(step(assessment), {"TF-D1.1-version": 0, "TF-D1.1-level": 2})
    assert response.status_code == 403
    assert stored(assessment, "TF-D1.1").level is None


def test_a_submitted_assessment_is_read_only(client, alice, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    client.force_login(alice)
    html = client.get(step(assessment)).content.decode()
    assert "<textarea" not in html
    response = client.post(step(assessment), {"TF-D1.1-version": 0, "TF-D1.1-level": 2})
    assert response.status_code == 302
    assert stored(assessment, "TF-D1.1").level is None


def whole_step(**overrides):
    data = {
        "go": "next",
        "TF-D1.1-version": 0,
        "TF-D1.2-version": 0,
        "TF-D1.3-version": 0,
        "TF-D1.1-level": 2,
        "TF-D1.1-evidence": "全部页面提交",
        "TF-D1.3-observation": "unknown",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_without_js_next_saves_every_changed_item_and_goes_on(client, alice, assessment):
    client.force_login(alice)
    response = client.post(step(assessment), whole_step())

    assert response.status_code == 302
    assert response["Location"] == step(assessment, 2)
    assert (stored(assessment, "TF-D1.1").level, stored(assessment, "TF-D1.1").version) == (2, 1)
    assert stored(assessment, "TF-D1.3").observation == "unknown"
    assert stored(assessment, "TF-D1.2").version == 0  # untouched item, no new version


@pytest.mark.parametrize(("go", "target"), [("back", 1), ("stay", 1), ("step-2", 2)])
def test_without_js_the_buttons_go_where_they_say(client, alice, assessment, go, target):
    client.force_login(alice)
    response = client.post(step(assessment), whole_step(go=go))
    assert response["Location"] == step(assessment, target)


def test_save_and_exit_leaves_the_wizard(client, alice, assessment):
    client.force_login(alice)
    response = client.post(step(assessment, 2), {"go": "exit", "TF-D2.1-version": 0})
    assert response.status_code == 302
    assert response["Location"] != step(assessment, 2)


def test_without_js_errors_re_render_the_step_and_keep_what_was_typed(client, alice, assessment):
    client.force_login(alice)
    response = client.post(
        step(assessment),
        whole_step(**{"TF-D1.2-level": "9", "TF-D1.2-evidence": "我写的证据"}),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "我写的证据" in html and "全部页面提交" in html
    assert "is-invalid" in html
    # The valid card was saved; the invalid one was not.
    assert stored(assessment, "TF-D1.1").level == 2
    assert stored(assessment, "TF-D1.2").evidence == ""


def test_without_js_a_not_applicable_without_reason_keeps_the_step_open_to_ask_for_it(
    client, alice, assessment
):
    client.force_login(alice)
    response = client.post(
        step(assessment),
        whole_step(**{"TF-D1.2-not_applicable": "on", "TF-D1.2-evidence": "我写的理由之外的证据"}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "我写的理由之外的证据" in html and "is-na-pending" in html
    assert "is-invalid" not in html
    # Everything else saved; the item is not marked N/A until the reason is given.
    assert stored(assessment, "TF-D1.1").level == 2
    assert stored(assessment, "TF-D1.2").evidence == "我写的理由之外的证据"
    assert stored(assessment, "TF-D1.2").not_applicable is False


def test_without_js_a_conflicting_item_shows_both_values(client, alice, assessment):
    Answer.objects.filter(assessment=assessment, criterion__code="TF-D1.1").update(
        version=1, evidence="别人的证据"
    )
    client.force_login(alice)
    response = client.post(step(assessment), whole_step())
    assert response.status_code == 409
    html = response.content.decode()
    assert "别人的证据" in html and "全部页面提交" in html


def test_a_step_lists_its_registers(client, alice, ca_assessment):
    Goal.objects.create(assessment=ca_assessment, statement="两年内将网上可办率提升到80%")
    client.force_login(alice)
    html = client.get(step(ca_assessment)).content.decode()
    assert 'id="register-goals"' in html and 'id="register-phases"' in html
    assert "两年内将网上可办率提升到80%" in html
    assert "bi-lightbulb-fill" in html  # SMART hints beside the boxes


def make_framework(items_per_dimension):
    items = [(f"D1.{i}", "scored", 1) for i in range(items_per_dimension)]
    items += [(f"D1.o{i}", "observation", 1) for i in range(items_per_dimension // 3)]
    dims = (("D1", 1, items), ("D2", 1, [("D2.1", "scored", 1)]))
    version = factories.make_tiny_framework(
        f"Q{items_per_dimension}", publish=False, dimensions=dims
    )
    Dimension.objects.filter(version=version, order=0).update(registers=["goals", "risks"])
    version.status = FrameworkVersion.Status.PUBLISHED
    version.save()
    return version


@pytest.mark.parametrize("items", [3, 30])
def test_a_step_runs_a_constant_number_of_queries(
    client, alice, alice_case, django_assert_max_num_queries, items
):
    version = make_framework(items)
    assessment = assessment_start(case=alice_case, version=version, user=alice)
    for i in range(3):
        CaseSource.objects.create(case=alice_case, title=f"来源 {i}")
        Goal.objects.create(assessment=assessment, statement=f"目标 {i}")
    client.force_login(alice)
    client.get(step(assessment))  # warm the session
    # 8: the session, user and membership, the assessment, the answers (the progress, what is
    # left and the step's cards, one read), the sources (the cards' and the sources panel's)
    # and the two registers. The framework's dimensions, items and scale are kept per process
    # (frameworks.structure).
    with django_assert_max_num_queries(8):
        response = client.get(step(assessment))
    assert response.status_code == 200
    assert response.content.decode().count('class="cw-card cw-item') == items + items // 3


def test_a_step_shown_in_place_carries_its_messages_inside_the_swapped_part(
    client, alice, assessment
):
    client.force_login(alice)
    client.cookies["django_language"] = "en"
    assert client.post(step(assessment), whole_step()).status_code == 302
    html = client.get(step(assessment, 2), HTTP_HX_REQUEST="true").content.decode()
    page = html.split('id="cw-step-page"')[1]
    assert "data-cw-messages" in page and "Your answers are saved." in page
    assert 'id="cw-step-messages" aria-live="polite"' in html


def test_a_full_load_leaves_its_messages_to_the_page_above_the_step(client, alice, assessment):
    client.force_login(alice)
    client.cookies["django_language"] = "en"
    assert client.post(step(assessment), whole_step()).status_code == 302
    html = client.get(step(assessment, 2)).content.decode()
    assert "Your answers are saved." in html.split('id="cw-step-page"')[0]
    assert "data-cw-messages" not in html

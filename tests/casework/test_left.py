"""What is left: one rule for open items (readmodel), shown per step and overall in the wizard."""

import itertools

import pytest
from django.urls import reverse

from casework import readmodel
from casework.models import Answer, CaseSource
from casework.services.answers import answer_save
from casework.services.assessments import assessment_start

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


def save(assessment, user, code, **data):
    answer = Answer.objects.get(assessment=assessment, criterion__code=code)
    return answer_save(
        assessment=assessment,
        criterion_code=code,
        user=user,
        data=data,
        expected_version=answer.version,
    )


def gaps(assessment) -> dict:
    return {a.criterion.code: a.gap for a in readmodel.open_items(assessment.pk)}


def test_every_item_of_a_new_assessment_is_left_unanswered(assessment):
    assert gaps(assessment) == {
        "TF-D1.1": "unanswered",
        "TF-D1.2": "unanswered",
        "TF-D1.3": "unanswered",
        "TF-D2.1": "unanswered",
    }


def test_a_level_without_evidence_or_a_cited_source_is_left_for_its_evidence(assessment, alice):
    source = CaseSource.objects.create(case=assessment.case, title="市政府工作报告")
    save(assessment, alice, "TF-D1.1", level=3)
    save(assessment, alice, "TF-D1.2", level=2, evidence="年报第 12 页")
    save(assessment, alice, "TF-D2.1", level=4, citations=[source.pk])
    save(assessment, alice, "TF-D1.3", observation="present")
    assert gaps(assessment) == {"TF-D1.1": "evidence"}


def test_not_applicable_with_a_reason_is_done_and_without_one_is_left(assessment, alice):
    save(assessment, alice, "TF-D1.1", not_applicable=True, na_reason="省级统一办理")
    # Older data may hold N/A without a reason (the services refuse it now).
    Answer.objects.filter(assessment=assessment, criterion__code="TF-D1.2").update(
        not_applicable=True, na_reason=""
    )
    found = gaps(assessment)
    assert "TF-D1.1" not in found
    assert found["TF-D1.2"] == "na_reason"


def test_is_answered_and_the_sql_rule_agree_on_every_combination(assessment):
    """One definition of "answered": the Python rule and ANSWERED never disagree."""
    answers = list(Answer.objects.filter(assessment=assessment).select_related("criterion"))
    for level, na, observation in itertools.product((None, 0, 3), (False, True), ("", "present")):
        for answer in answers:
            Answer.objects.filter(pk=answer.pk).update(
                level=level, not_applicable=na, observation=observation
            )
        in_sql = set(
            Answer.objects.filter(readmodel.ANSWERED, assessment=assessment).values_list(
                "pk", flat=True
            )
        )
        for answer in Answer.objects.filter(assessment=assessment).select_related("criterion"):
            assert answer.is_answered == (answer.pk in in_sql), (level, na, observation)


def test_the_step_lists_its_open_items_with_links_and_the_other_steps(client, alice, assessment):
    save(assessment, alice, "TF-D1.1", level=3)
    client.force_login(alice)
    html = client.get(
        reverse("wizard_step", args=[assessment.pk, 1]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    left = html[html.index('id="cw-left"') : html.index("</details>")]
    assert 'href="#item-TF-D1-1" data-cw-jump="item-TF-D1-1" data-cw-focus="evidence"' in left
    assert 'href="#item-TF-D1-2"' in left and 'href="#item-TF-D1-3"' in left
    assert "3 items in this step" in left and "4 in all" in left
    step_2 = reverse("wizard_step", args=[assessment.pk, 2])
    assert f'href="{step_2}#item-TF-D2-1"' in left
    assert '<span class="fw-semibold">3</span> not answered yet' in left
    assert '<span class="fw-semibold">1</span> no evidence or cited source' in left


def test_a_finished_assessment_says_nothing_is_left(client, alice, assessment):
    for code in ("TF-D1.1", "TF-D1.2", "TF-D2.1"):
        save(assessment, alice, code, level=3, evidence="依据")
    save(assessment, alice, "TF-D1.3", observation="absent")
    client.force_login(alice)
    html = client.get(
        reverse("wizard_step", args=[assessment.pk, 2]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Nothing left: every item is answered, with its evidence." in html


def test_autosave_sends_the_new_list_along_out_of_band(client, alice, assessment):
    client.force_login(alice)
    response = client.post(
        reverse("wizard_answer_save", args=[assessment.pk, "TF-D1.1"]),
        {"TF-D1.1-version": 0, "TF-D1.1-level": 2, "TF-D1.1-evidence": "依据"},
        HTTP_ACCEPT_LANGUAGE="en",
        **HTMX,
    )
    html = response.content.decode()
    left = html[html.index('id="cw-left"') :]
    assert 'hx-swap-oob="true"' in left[:200]
    assert "#item-TF-D1-1" not in left and "#item-TF-D1-2" in left
    assert "3 in all" in left


@pytest.mark.parametrize("items", [3, 30])
def test_the_autosave_reply_runs_a_constant_number_of_queries(
    client, alice, alice_case, django_assert_max_num_queries, items
):
    from tests.casework.test_wizard_views import make_framework

    assessment = assessment_start(case=alice_case, version=make_framework(items), user=alice)
    code = f"Q{items}-D1.1"
    client.force_login(alice)
    url = reverse("wizard_answer_save", args=[assessment.pk, code])
    client.post(url, {f"{code}-version": 0, f"{code}-level": 2}, **HTMX)
    # 38: the save, the score snapshot, what is left, and the search index of the assessment.
    with django_assert_max_num_queries(38):
        response = client.post(url, {f"{code}-version": 1, f"{code}-level": 3}, **HTMX)
    assert response.status_code == 200
    assert 'id="cw-left"' in response.content.decode()


def test_the_conclusions_step_lists_what_is_left_in_every_step(client, alice, assessment):
    client.force_login(alice)
    html = client.get(
        reverse("wizard_step", args=[assessment.pk, 3]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    left = html[html.index('id="cw-left"') : html.index("</details>")]
    assert "4 in all" in left and "in this step" not in left
    for n, anchor in ((1, "item-TF-D1-1"), (2, "item-TF-D2-1")):
        assert f'href="{reverse("wizard_step", args=[assessment.pk, n])}#{anchor}"' in left


def test_what_is_left_groups_the_open_items_by_step_without_a_request(assessment, alice):
    from casework.presenters.left import what_is_left
    from casework.presenters.wizard import dimensions_with_progress

    save(assessment, alice, "TF-D1.3", observation="unknown")
    dimensions = dimensions_with_progress(assessment)
    left = what_is_left(assessment, dimensions, current=dimensions[0])
    assert left["total"] == 3
    assert [item["code"] for item in left["here"]] == ["TF-D1.1", "TF-D1.2"]
    assert [(s["code"], s["count"], s["current"]) for s in left["steps"]] == [
        ("TF-D1", 2, True),
        ("TF-D2", 1, False),
    ]
    assert [d.left for d in dimensions] == [2, 1]
    assert [gap for gap, _label, _count in left["counts"]] == ["unanswered"]

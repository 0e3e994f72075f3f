"""The review workflow through its pages: confirm, act, and wrong-state actions as messages."""

import pytest
from django.urls import reverse

from casework.models import Answer, Assessment
from casework.services.assessments import (
    assessment_approve,
    assessment_start,
    assessment_submit,
)
from frameworks.models import Criterion
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_analyst_confirms_then_submits(client, alice, draft):
    client.force_login(alice)
    confirm = client.get(reverse("assessment_submit", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert confirm.status_code == 200
    assert "0 of 4 items are answered." in confirm.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"  # a GET changes nothing
    response = client.post(
        reverse("assessment_submit", args=[draft.pk]), {"comment": "请审阅"}, follow=True
    )
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.submitted_by == alice
    assert "请审阅" in response.content.decode()


def test_submitting_without_a_comment_posts_no_empty_comment_into_the_thread(client, alice, draft):
    client.force_login(alice)
    response = client.post(
        reverse("assessment_submit", args=[draft.pk]),
        {"comment": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert response.context["comments"] == []
    html = response.content.decode()
    thread = html[html.index('id="comments"') : html.index('data-testid="status-history"')]
    assert "No comments yet." in thread and 'data-kind="submitted"' not in thread
    # The submission is still a step of the status history.
    assert [c.kind for c in response.context["history"]] == ["submitted"]


def test_manager_returns_with_a_comment_the_analyst_then_sees(client, alice, bob, draft):
    assessment_submit(assessment=draft, user=alice)
    client.force_login(bob)
    client.post(reverse("assessment_return", args=[draft.pk]), {"comment": "证据不足，请补充。"})
    draft.refresh_from_db()
    assert draft.status == "returned"
    assert draft.reviewed_by == bob
    client.force_login(alice)
    page = client.get(reverse("assessment_detail", args=[draft.pk])).content.decode()
    assert "证据不足，请补充。" in page
    assert reverse("assessment_submit", args=[draft.pk]) in page


def test_return_without_a_comment_shows_an_error_and_changes_nothing(client, alice, bob, draft):
    assessment_submit(assessment=draft, user=alice)
    client.force_login(bob)
    response = client.post(
        reverse("assessment_return", args=[draft.pk]), {"comment": "  "}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "comment" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert not draft.comments.filter(kind="returned").exists()


def test_manager_approves(client, alice, bob, draft):
    assessment_submit(assessment=draft, user=alice)
    client.force_login(bob)
    response = client.post(reverse("assessment_approve", args=[draft.pk]), {"comment": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.reviewed_by) == ("approved", bob)
    assert draft.reviewed_at is not None
    assert list(draft.comments.values_list("kind", flat=True)) == ["submitted", "approved"]


def test_approving_a_draft_is_a_message_not_a_500(client, bob, draft):
    client.force_login(bob)
    response = client.post(
        reverse("assessment_approve", args=[draft.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Only a submitted assessment can be approved." in messages_of(response)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_submitting_twice_is_a_message_not_a_500(client, alice, draft):
    client.force_login(alice)
    client.post(reverse("assessment_submit", args=[draft.pk]))
    response = client.post(
        reverse("assessment_submit", args=[draft.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Only a draft or a returned assessment can be submitted." in messages_of(response)
    assert draft.comments.filter(kind="submitted").count() == 1


def test_submitted_assessment_offers_review_to_managers_and_no_editing_to_analysts(
    client, alice, bob, draft
):
    assessment_submit(assessment=draft, user=alice)
    client.force_login(alice)
    page = client.get(reverse("assessment_detail", args=[draft.pk])).content.decode()
    assert reverse("assessment_submit", args=[draft.pk]) not in page
    assert reverse("assessment_approve", args=[draft.pk]) not in page
    client.force_login(bob)
    page = client.get(reverse("assessment_detail", args=[draft.pk])).content.decode()
    assert reverse("assessment_approve", args=[draft.pk]) in page
    assert reverse("assessment_return", args=[draft.pk]) in page


def test_item_comment_shows_the_item_code(client, bob, draft):
    item = Criterion.objects.get(version=draft.version, code="TF-D2.1")
    client.force_login(bob)
    client.post(
        reverse("assessment_comment", args=[draft.pk]), {"body": "请核实等级", "criterion": item.pk}
    )
    page = client.get(reverse("assessment_detail", args=[draft.pk])).content.decode()
    assert "请核实等级" in page
    assert "TF-D2.1" in page


def test_empty_comment_keeps_the_page_with_an_error(client, bob, draft):
    client.force_login(bob)
    response = client.post(reverse("assessment_comment", args=[draft.pk]), {"body": ""})
    assert response.status_code == 400
    assert "body" in response.context["comment_form"].errors
    assert not draft.comments.exists()


def test_comment_about_another_versions_item_is_refused(client, bob, draft):
    foreign = factories.make_tiny_framework("OF").criteria.first()
    client.force_login(bob)
    response = client.post(
        reverse("assessment_comment", args=[draft.pk]), {"body": "x", "criterion": foreign.pk}
    )
    assert response.status_code == 400
    assert not draft.comments.exists()


def test_new_round_page_starts_round_two_from_the_approved_round(client, alice, bob, draft):
    Answer.objects.filter(assessment=draft, criterion__code="TF-D1.1").update(level=4)
    assessment_submit(assessment=draft, user=alice)
    assessment_approve(assessment=draft, user=bob)
    client.force_login(alice)
    assert client.get(reverse("assessment_start_round", args=[draft.pk])).status_code == 200
    response = client.post(
        reverse("assessment_start_round", args=[draft.pk]), {"version": draft.version_id}
    )
    second = Assessment.objects.get(round=2)
    assert response["Location"] == second.get_absolute_url()
    assert second.answers.get(criterion__code="TF-D1.1").level == 4


def test_new_round_from_a_draft_is_a_message(client, alice, draft):
    client.force_login(alice)
    response = client.post(
        reverse("assessment_start_round", args=[draft.pk]),
        {"version": draft.version_id},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "A new round can start only from a submitted or approved assessment." in messages_of(
        response
    )
    assert Assessment.objects.count() == 1


def test_version_move_shows_the_preview_first_then_moves_on_confirm(client, alice, draft):
    Answer.objects.filter(assessment=draft, criterion__code="TF-D2.1").update(
        level=2, evidence="会丢失"
    )
    v2 = factories.make_tiny_framework(
        dimensions=(("D1", 1, [("D1.1", "scored", 1), ("D1.4", "scored", 1)]),)
    )
    client.force_login(alice)
    url = reverse("assessment_version_move", args=[draft.pk])
    preview = client.get(url, {"version": v2.pk}, HTTP_ACCEPT_LANGUAGE="en")
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "1 answer belongs to an item the new version no longer has" in page
    assert "TF-D1.4" in page and "TF-D2.1" in page
    draft.refresh_from_db()
    assert draft.version_id != v2.pk  # the preview changed nothing

    # Without the confirm flag a POST only previews.
    client.post(url, {"version": v2.pk})
    draft.refresh_from_db()
    assert draft.version_id != v2.pk

    response = client.post(url, {"version": v2.pk, "confirm": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == v2
    assert set(draft.answers.values_list("criterion__code", flat=True)) == {"TF-D1.1", "TF-D1.4"}


def test_version_move_of_a_submitted_assessment_is_a_message(client, alice, draft):
    v2 = factories.make_tiny_framework()
    assessment_submit(assessment=draft, user=alice)
    client.force_login(alice)
    response = client.post(
        reverse("assessment_version_move", args=[draft.pk]),
        {"version": v2.pk, "confirm": "1"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert any("can move to another framework version" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.version_id != v2.pk

"""The assessment overview page: completion per dimension, comments, history, rounds."""

import pytest
from django.urls import reverse

from casework.models import Answer
from casework.services.assessments import (
    assessment_approve,
    assessment_start,
    assessment_submit,
    comment_add,
)
from casework.services.rounds import assessment_start_round
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


def test_overview_counts_answered_items_per_dimension(client, alice, draft):
    Answer.objects.filter(assessment=draft, criterion__code="TF-D1.1").update(level=3)
    Answer.objects.filter(assessment=draft, criterion__code="TF-D1.2").update(not_applicable=True)
    Answer.objects.filter(assessment=draft, criterion__code="TF-D1.3").update(observation="")
    client.force_login(alice)
    response = client.get(reverse("assessment_detail", args=[draft.pk]))
    rows = {row.dimension.code: (row.answered, row.total) for row in response.context["dimensions"]}
    assert rows == {"TF-D1": (2, 3), "TF-D2": (0, 1)}
    assert response.context["completion"].percent == 50


def test_overview_shows_framework_version_round_status_and_links(client, alice, draft):
    client.force_login(alice)
    page = client.get(
        reverse("assessment_detail", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Tiny framework" in page
    assert "v1 (1.0)" in page
    assert 'data-status="draft"' in page
    assert reverse("wizard_step", args=[draft.pk, 1]) in page
    assert reverse("report_assessment", args=[draft.pk]) in page


def test_history_lists_each_status_change(client, alice, bob, draft):
    assessment_submit(assessment=draft, user=alice)
    assessment_approve(assessment=draft, user=bob)
    client.force_login(bob)
    response = client.get(reverse("assessment_detail", args=[draft.pk]))
    assert [c.kind for c in response.context["history"]] == ["submitted", "approved"]


def test_rounds_link_to_each_other(client, alice, bob, draft):
    assessment_submit(assessment=draft, user=alice)
    assessment_approve(assessment=draft, user=bob)
    second = assessment_start_round(previous=draft, user=alice)
    client.force_login(alice)
    page = client.get(reverse("assessment_detail", args=[second.pk])).content.decode()
    assert draft.get_absolute_url() in page
    # Only the latest round offers a new round.
    page = client.get(reverse("assessment_detail", args=[draft.pk])).content.decode()
    assert reverse("assessment_start_round", args=[draft.pk]) not in page


def test_comments_are_escaped(client, alice, bob, draft):
    comment_add(assessment=draft, user=bob, body="<b>粗体</b>")
    client.force_login(alice)
    page = client.get(reverse("assessment_detail", args=[draft.pk])).content.decode()
    assert "&lt;b&gt;粗体&lt;/b&gt;" in page


def test_overview_query_count_does_not_grow_with_comments_or_items(
    client, alice, bob, alice_case, django_assert_max_num_queries
):
    small = factories.make_tiny_framework("SM")
    big = factories.make_tiny_framework(
        "BG",
        dimensions=[(f"D{d}", 1, [(f"D{d}.{i}", "scored", 1) for i in range(8)]) for d in range(6)],
    )
    few = assessment_start(case=alice_case, version=small, user=alice)
    many = assessment_start(case=alice_case, version=big, user=alice)
    comment_add(assessment=few, user=bob, body="一条")
    for n in range(15):
        comment_add(
            assessment=many, user=bob, body=f"第{n}条", criterion=many.answers.all()[n].criterion
        )
    client.force_login(bob)
    with django_assert_max_num_queries(20) as baseline:
        client.get(reverse("assessment_detail", args=[few.pk]))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse("assessment_detail", args=[many.pk]))


def test_case_detail_query_count_does_not_grow_with_rounds(
    client, alice, bob, alice_case, tiny_version, django_assert_max_num_queries
):
    first = assessment_start(case=alice_case, version=tiny_version, user=alice)
    client.force_login(alice)
    with django_assert_max_num_queries(20) as baseline:
        client.get(reverse("case_detail", args=[alice_case.pk]))
    previous = first
    for _ in range(3):
        assessment_submit(assessment=previous, user=alice)
        previous = assessment_start_round(previous=previous, user=alice)
    factories.make_tiny_framework("OF")
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse("case_detail", args=[alice_case.pk]))
    assert [a.round for a in response.context["groups"][0].rounds] == [4, 3, 2, 1]

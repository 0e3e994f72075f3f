"""Who may do what: another unit's case is a 404, the wrong role is a 403.

alice (analyst, unit A) owns the case; bob manages unit A; charlie and diana are unit B's
analyst and manager; ada is an administrator.
"""

import pytest
from django.urls import reverse

from casework.models import Assessment
from casework.services.assessments import assessment_start, assessment_submit

pytestmark = pytest.mark.django_db

PERSONAS = ["alice", "bob", "charlie", "diana", "ada"]


@pytest.fixture
def draft(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.fixture
def submitted(draft, alice):
    return assessment_submit(assessment=draft, user=alice)


def as_user(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    return client


def case_post_data(case):
    return {
        "title": "改名",
        "body": case.body,
        "level": case.level,
        "region": "",
        "sector": "",
        "period_start": "",
        "period_end": "",
        "summary": "",
        "tags": "",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    list(zip(PERSONAS, [200, 200, 404, 404, 200], strict=True)),
)
def test_who_sees_a_case_and_its_assessment(client, request, alice_case, draft, persona, expected):
    as_user(client, request, persona)
    assert client.get(reverse("case_detail", args=[alice_case.pk])).status_code == expected
    assert client.get(reverse("assessment_detail", args=[draft.pk])).status_code == expected


@pytest.mark.parametrize(
    ("persona", "get", "post"),
    [
        ("alice", 200, 302),
        ("bob", 403, 403),
        ("charlie", 404, 404),
        ("diana", 404, 404),
        ("ada", 200, 302),
    ],
)
def test_who_edits_a_case(client, request, alice_case, persona, get, post):
    as_user(client, request, persona)
    url = reverse("case_edit", args=[alice_case.pk])
    assert client.get(url).status_code == get
    assert client.post(url, case_post_data(alice_case)).status_code == post
    alice_case.refresh_from_db()
    assert (alice_case.title == "改名") == (post == 302)


@pytest.mark.parametrize(
    ("persona", "expected"),
    list(zip(PERSONAS, [200, 403, 200, 403, 200], strict=True)),
)
def test_only_analysts_and_admins_create_cases(client, request, persona, expected):
    as_user(client, request, persona)
    assert client.get(reverse("case_create")).status_code == expected


@pytest.mark.parametrize("action", ["case_duplicate", "case_archive", "case_restore"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    list(zip(PERSONAS, [302, 403, 404, 404, 302], strict=True)),
)
def test_who_duplicates_archives_and_restores(
    client, request, alice_case, action, persona, expected
):
    as_user(client, request, persona)
    assert client.post(reverse(action, args=[alice_case.pk])).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    list(zip(PERSONAS, [302, 403, 404, 404, 302], strict=True)),
)
def test_who_submits(client, request, draft, persona, expected):
    as_user(client, request, persona)
    assert client.post(reverse("assessment_submit", args=[draft.pk])).status_code == expected
    draft.refresh_from_db()
    assert (draft.status == "submitted") == (expected == 302)


@pytest.mark.parametrize("action", ["assessment_approve", "assessment_return"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    list(zip(PERSONAS, [403, 302, 404, 404, 302], strict=True)),
)
def test_who_reviews(client, request, submitted, action, persona, expected):
    as_user(client, request, persona)
    response = client.post(reverse(action, args=[submitted.pk]), {"comment": "请补充证据"})
    assert response.status_code == expected
    submitted.refresh_from_db()
    assert (submitted.status != "submitted") == (expected == 302)


@pytest.mark.parametrize(
    ("persona", "expected"),
    list(zip(PERSONAS, [302, 302, 404, 404, 302], strict=True)),
)
def test_who_comments(client, request, draft, persona, expected):
    as_user(client, request, persona)
    response = client.post(reverse("assessment_comment", args=[draft.pk]), {"body": "看过了"})
    assert response.status_code == expected
    assert draft.comments.filter(body="看过了").exists() == (expected == 302)


@pytest.mark.parametrize("action", ["assessment_start_round", "assessment_version_move"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    list(zip(PERSONAS, [200, 403, 404, 404, 200], strict=True)),
)
def test_who_starts_rounds_and_moves_versions(
    client, request, submitted, action, persona, expected
):
    as_user(client, request, persona)
    assert client.get(reverse(action, args=[submitted.pk])).status_code == expected


def test_manager_posting_a_new_round_gets_403_and_nothing_changes(client, bob, submitted):
    client.force_login(bob)
    response = client.post(
        reverse("assessment_start_round", args=[submitted.pk]), {"version": submitted.version_id}
    )
    assert response.status_code == 403
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("name", ["case_list", "case_create"])
def test_anonymous_users_go_to_the_login_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_users_cannot_see_a_case(client, alice_case, draft):
    for url in (
        reverse("case_detail", args=[alice_case.pk]),
        reverse("assessment_detail", args=[draft.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

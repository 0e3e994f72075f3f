"""Specs for the portfolio's rank stability page: who sees it, which rounds count, its cost."""

import random

from django.urls import reverse
from django.utils import translation

from casework.models import Answer, Assessment
from casework.services.assessments import assessment_start
from tests import factories
from tests.reports.conftest import score_tiny
from tests.reports.test_portfolio import make_cases

URL = "portfolio_stability"


def approve(*assessments):
    Assessment.objects.filter(pk__in=[a.pk for a in assessments]).update(
        status=Assessment.Status.APPROVED
    )


def scored_case(*, unit, owner, version, title, level):
    case = factories.make_case(unit=unit, owner=owner, title=title)
    assessment = assessment_start(case=case, version=version, user=owner)
    score_tiny(assessment, d11=level, d12=level, d21=level)
    approve(assessment)
    return assessment


def titles(response):
    return [row["title"] for row in response.context["data"]["rows"]]


def test_analysts_are_refused(client, alice, tiny_version):
    client.force_login(alice)

    assert client.get(reverse(URL)).status_code == 403


def test_a_manager_sees_only_the_approved_cases_of_their_own_unit_ranked(
    client, bob, alice, charlie, unit_a, unit_b, tiny_version
):
    scored_case(unit=unit_a, owner=alice, version=tiny_version, title="甲 strong", level=5)
    scored_case(unit=unit_a, owner=alice, version=tiny_version, title="乙 weak", level=2)
    scored_case(unit=unit_b, owner=charlie, version=tiny_version, title="丙 other unit", level=4)
    draft = factories.make_case(unit=unit_a, owner=alice, title="丁 draft only")
    score_tiny(assessment_start(case=draft, version=tiny_version, user=alice), d11=3)
    client.force_login(bob)

    response = client.get(reverse(URL))

    assert response.status_code == 200
    assert titles(response) == ["甲 strong", "乙 weak"]
    assert [row["rank"] for row in response.context["data"]["rows"]] == [1, 2]
    assert "丙 other unit" not in response.content.decode()


def test_the_latest_approved_round_counts_and_a_second_scoring_never_does(
    client, bob, alice, unit_a, tiny_version
):
    first = scored_case(unit=unit_a, owner=alice, version=tiny_version, title="甲", level=1)
    other = scored_case(unit=unit_a, owner=alice, version=tiny_version, title="乙", level=3)
    # A second, blind scoring of 甲 that would put it on top, approved by mistake: it must not count.
    second = Assessment.objects.create(
        case_id=first.case_id,
        framework_id=first.framework_id,
        version_id=first.version_id,
        round=first.round,
        second_of=first,
        created_by=alice,
    )
    Answer.objects.bulk_create(
        Answer(assessment=second, criterion=answer.criterion) for answer in first.answers.all()
    )
    score_tiny(second, d11=5, d12=5, d21=5)
    approve(second)
    # A newer round of 乙 still in draft: its approved round stays the one shown.
    later = assessment_start(case=other.case, version=tiny_version, user=alice)
    score_tiny(later, d11=0, d12=0, d21=0)
    client.force_login(bob)

    rows = client.get(reverse(URL)).context["data"]["rows"]

    assert [(row["title"], row["rank"]) for row in rows] == [("乙", 1), ("甲", 2)]
    assert [row["assessment_id"] for row in rows] == [other.pk, first.pk]


def test_an_admin_sees_every_unit(client, ada, alice, charlie, unit_a, unit_b, tiny_version):
    scored_case(unit=unit_a, owner=alice, version=tiny_version, title="甲", level=4)
    scored_case(unit=unit_b, owner=charlie, version=tiny_version, title="丙", level=4)
    client.force_login(ada)

    response = client.get(reverse(URL))

    assert sorted(titles(response)) == ["丙", "甲"]
    # Equal scores share the better rank.
    assert [row["rank"] for row in response.context["data"]["rows"]] == [1, 1]


def test_an_unknown_version_is_not_found(client, bob, tiny_version):
    client.force_login(bob)

    assert client.get(reverse(URL), {"version": 999999}).status_code == 404


def test_the_page_explains_the_method_and_the_portfolio_links_to_it(
    client, bob, alice, unit_a, tiny_version
):
    scored_case(unit=unit_a, owner=alice, version=tiny_version, title="甲", level=4)
    client.force_login(bob)

    with translation.override("en"):
        page = client.get(reverse(URL), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        portfolio = client.get(reverse("portfolio"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "seed 20261201" in page
    assert "at most 2 places" in page
    assert reverse(URL) in portfolio


def test_page_queries_do_not_grow_with_cases(
    client, bob, alice, unit_a, tiny_version, django_assert_max_num_queries
):
    client.force_login(bob)
    approve(*make_cases(3, unit=unit_a, owner=alice, version=tiny_version))
    # Session, user, membership; versions, approved rounds, dimensions, scale levels.
    with django_assert_max_num_queries(7) as few:
        response = client.get(reverse(URL))
    assert response.context["data"]["count"] + response.context["data"]["unranked"] == 3

    more = make_cases(27, unit=unit_a, owner=alice, version=tiny_version, rng=random.Random(27))
    approve(*more)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(reverse(URL))

    assert response.context["data"]["count"] + response.context["data"]["unranked"] == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_table_is_paged_by_fifty_in_rank_order(client, bob, alice, unit_a, tiny_version):
    approve(*make_cases(55, unit=unit_a, owner=alice, version=tiny_version))
    client.force_login(bob)

    first = client.get(reverse(URL)).context["data"]
    second = client.get(reverse(URL), {"page": 2}).context["data"]

    assert (first["page_count"], len(first["rows"]), second["first_row"]) == (2, 50, 51)
    ranks = [row["rank"] for row in first["rows"] + second["rows"]]
    assert ranks == sorted(ranks) and len(ranks) == first["count"]

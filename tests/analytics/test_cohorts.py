"""Cohort percentiles: hand-checked values, the minimum cohort size, and unit boundaries.

Tiny framework (0–5; D1 = items weight 2 and 1, D2 weight 2). The assessment under test
scores D1 0.6667, D2 0.6, overall 0.6222. Each peer rates every item at level L, so that its
D1, D2 and overall are all L / 5.
"""

import pytest
from django.utils import translation

from casework import access
from casework.analytics.cohorts import cohort_percentiles, percentile_rank
from casework.models import Assessment, Case
from casework.reports.context import assessment_context
from casework.services.assessments import assessment_start
from tests import factories
from tests.reports.conftest import score_tiny


def _peer(*, unit, owner, version, rating, status=Assessment.Status.APPROVED, **case_fields):
    case = factories.make_case(unit=unit, owner=owner, title=f"peer {rating}", **case_fields)
    assessment = assessment_start(case=case, version=version, user=owner)
    score_tiny(assessment, d11=rating, d12=rating, d21=rating)
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    return assessment


@pytest.fixture
def target(alice_case, tiny_version, alice):
    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    score_tiny(assessment)  # D1 0.6667, D2 0.6, overall 0.6222
    return assessment


@pytest.fixture
def peers(alice, charlie, unit_a, unit_b, tiny_version):
    """Five approved peers in alice's unit (levels 1..5; level 5 is provincial, another sector),
    a draft that must not count, and five approved peers at level 0 in charlie's unit."""
    for level in (1, 2, 3, 4):
        _peer(unit=unit_a, owner=alice, version=tiny_version, rating=level)
    _peer(
        unit=unit_a,
        owner=alice,
        version=tiny_version,
        rating=5,
        sector="教育",
        level=Case.Level.PROVINCIAL,
    )
    _peer(unit=unit_a, owner=alice, version=tiny_version, rating=0, status=Assessment.Status.DRAFT)
    for _ in range(5):
        _peer(unit=unit_b, owner=charlie, version=tiny_version, rating=0)


def _cohorts(user, target):
    assessment = access.get_assessment_for_user(user, target.pk)
    with translation.override("en"):
        report = assessment_context(assessment, with_registers=False)
        return {
            c["code"]: c for c in cohort_percentiles(assessment, user, report=report)["cohorts"]
        }


def test_it_ranks_among_the_approved_peers_of_the_same_unit(bob, target, peers):
    cohorts = _cohorts(bob, target)
    everyone = cohorts["all"]
    # Peers 0.2, 0.4, 0.6, 0.8, 1.0: three below 0.6222 → 60 %; the draft is not a peer.
    assert (everyone["size"], everyone["shown"], everyone["overall"]) == (5, True, 60.0)
    d1, d2 = everyone["dimensions"]
    assert d1["percentile"] == 60.0  # 0.6667: three peers below
    assert d2["percentile"] == 50.0  # 0.6: two below, one tie counting half
    assert cohorts["unit"]["overall"] == 60.0


def test_it_never_counts_another_units_assessments(bob, charlie, target, peers):
    assert _cohorts(bob, target)["all"]["size"] == 5  # charlie's five peers are invisible to bob


def test_it_counts_every_unit_for_an_administrator(ada, target, peers):
    cohorts = _cohorts(ada, target)
    # Five more peers at 0.0: eight of ten below.
    assert (cohorts["all"]["size"], cohorts["all"]["overall"]) == (10, 80.0)
    assert (cohorts["unit"]["size"], cohorts["unit"]["overall"]) == (5, 60.0)


def test_it_hides_a_cohort_smaller_than_the_minimum_with_the_reason(bob, target, peers):
    cohorts = _cohorts(bob, target)
    for code in ("level", "sector"):  # the provincial peer in another sector drops out
        assert cohorts[code]["size"] == 4
        assert cohorts[code]["shown"] is False
        assert cohorts[code]["overall"] is None
        assert all(d["percentile"] is None for d in cohorts[code]["dimensions"])
        assert "at least 5" in cohorts[code]["reason"]


def test_it_follows_the_minimum_from_settings(bob, target, peers, settings):
    settings.COHORT_MIN_SIZE = 4
    cohorts = _cohorts(bob, target)
    # Peers 0.2, 0.4, 0.6, 0.8: three below → 75 %.
    assert (cohorts["level"]["shown"], cohorts["level"]["overall"]) == (True, 75.0)
    settings.COHORT_MIN_SIZE = 6
    assert _cohorts(bob, target)["all"]["shown"] is False


def test_it_gives_no_percentile_to_an_assessment_without_a_score(
    bob, alice, unit_a, tiny_version, peers
):
    case = factories.make_case(unit=unit_a, owner=alice, title="empty")
    empty = assessment_start(case=case, version=tiny_version, user=alice)
    cohorts = _cohorts(bob, empty)
    assert cohorts["all"]["overall"] is None
    assert cohorts["all"]["reason"] == "This assessment has no overall score yet."


def test_it_reads_the_whole_cohort_in_a_constant_number_of_queries(
    bob, target, peers, django_assert_max_num_queries
):
    assessment = access.get_assessment_for_user(bob, target.pk)
    report = assessment_context(assessment, with_registers=False)
    with django_assert_max_num_queries(5):
        cohort_percentiles(assessment, bob, report=report)


def test_it_counts_ties_as_half():
    assert percentile_rank(0.5, [0.1, 0.5, 0.9, 0.5]) == 50.0
    assert percentile_rank(1.0, [0.1, 0.2]) == 100.0
    assert percentile_rank(0.0, [0.0]) == 50.0


# --- the benchmark page ---------------------------------------------------------------------


def test_the_benchmark_page_shows_the_percentiles_and_says_why_a_cohort_is_hidden(
    client, bob, target, peers
):
    client.force_login(bob)
    with translation.override("en"):
        page = client.get(f"/assessments/{target.pk}/benchmark/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    # Bob's unit: peers at 0.2, 0.4, 0.6, 0.8, 1.0 → 0.6222 beats three of five.
    assert 'data-testid="percentile-unit">60.0<' in html
    assert 'data-testid="hidden-sector"' in html
    assert "not approved yet" in html


def test_another_units_benchmark_is_not_found(client, charlie, target, peers):
    client.force_login(charlie)
    assert client.get(f"/assessments/{target.pk}/benchmark/").status_code == 404


def test_the_report_links_to_the_benchmark(client, bob, target):
    client.force_login(bob)
    page = client.get(f"/assessments/{target.pk}/report/").content.decode()
    assert f'href="/assessments/{target.pk}/benchmark/"' in page

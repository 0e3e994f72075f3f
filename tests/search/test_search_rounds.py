"""Text a new round copies unchanged is one hit: the latest round's, noting the earlier rounds.

Scope and blindness come first: what the user may not see neither hides a hit nor adds to its
note. Runs on SQLite (FTS5) and, with DATABASE_URL, PostgreSQL (tsvector).
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from casework.models import Role
from casework.search.selectors import PER_PAGE, search
from casework.services.assessments import (
    assessment_approve,
    assessment_submit,
)
from casework.services.double import second_scoring_request
from casework.services.registers import register_row_save
from casework.services.rounds import assessment_start_round
from tests import factories
from tests.search.conftest import add_risk, say

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_one(alice, bob, alice_assessment):
    say(alice_assessment, alice, "TF-D1.1", level=1, evidence="历史数据质量差，迁移后记录对不上。")
    add_risk(alice_assessment, alice, "接口数据质量无人负责", status="open")
    assessment_submit(assessment=alice_assessment, user=alice)
    assessment_approve(assessment=alice_assessment, user=bob)
    return alice_assessment


@pytest.fixture
def round_two(round_one, alice):
    return assessment_start_round(previous=round_one, user=alice)


def hits(user, **query):
    results = search(user=user, **query)
    return results, [
        (e.kind, e.assessment.round, results.earlier.get(e.pk, [])) for e in results.entries
    ]


def test_text_copied_into_round_two_is_one_hit_from_round_two_noting_round_one(alice, round_two):
    results, found = hits(alice, q="数据质量")
    assert sorted(found) == [("answer", 2, [1]), ("risk", 2, [1])]
    assert results.counts == {"answer": 1, "risk": 1} and results.total == 2


def test_text_changed_in_the_new_round_is_a_hit_of_each_round(alice, round_two):
    say(round_two, alice, "TF-D1.1", evidence="历史数据质量差，第二轮已补录。")
    _results, found = hits(alice, q="数据质量", kind="answer")
    assert sorted(found) == [("answer", 1, []), ("answer", 2, [])]


def test_three_rounds_of_the_same_text_name_both_earlier_rounds(alice, bob, round_two):
    assessment_submit(assessment=round_two, user=alice)
    assessment_start_round(previous=round_two, user=alice)
    _results, found = hits(alice, q="迁移后", kind="answer")
    assert found == [("answer", 3, [1, 2])]


def test_the_page_says_where_else_the_text_appears(client, alice, round_two):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("search"), {"q": "迁移后"}).content.decode()
    assert page.count('data-testid="search-hit"') == 1
    assert "also in R1" in page and "TF · R2" in page


def test_counts_and_pages_count_each_text_once(alice, alice_assessment, bob):
    for n in range(PER_PAGE + 5):
        add_risk(alice_assessment, alice, f"接口风险 {n}")
    assessment_submit(assessment=alice_assessment, user=alice)
    assessment_start_round(previous=alice_assessment, user=alice)
    results = search(user=alice, q="接口")
    assert (results.total, results.pages) == (PER_PAGE + 5, 2)
    assert {e.assessment.round for e in results.entries} == {2}
    page_two = search(user=alice, q="接口", page=2)
    assert len(page_two.entries) == 5


def test_a_filter_is_applied_before_copies_are_folded(alice, round_two):
    risk = round_two.risks.get()
    register_row_save(
        assessment=round_two,
        register="risks",
        row_id=risk.pk,
        user=alice,
        data={"status": "closed"},
        expected_version=risk.version,
    )
    # Round 1's risk was open; round 2's copy, same words, is closed.
    assert hits(alice, q="数据质量", outcome="open")[1] == [("risk", 1, [])]
    assert hits(alice, q="数据质量", outcome="closed")[1] == [("risk", 2, [])]
    assert hits(alice, q="数据质量", kind="risk")[1] == [("risk", 2, [1])]


def test_a_blind_copy_neither_hides_the_earlier_round_nor_names_it(alice, bob, unit_a, round_two):
    erin = factories.make_user("erin", unit=unit_a, role=Role.ANALYST)
    second = second_scoring_request(assessment=round_two, analyst=erin, user=bob)
    say(second, erin, "TF-D1.1", level=2, evidence="第二评分人：数据质量尚可。")
    # erin may not see alice's round 2, so round 1's text is her hit, as if round 2 were not there.
    _results, found = hits(erin, q="迁移后")
    assert found == [("answer", 1, [])]
    results, found = hits(erin, q="数据质量", kind="answer")
    assert sorted(found) == [("answer", 1, []), ("answer", 2, [])]
    assert [e.assessment_id for e in results.entries if e.assessment.round == 2] == [second.pk]
    # alice sees her own copy, not erin's words; the manager sees both rounds' scorings.
    assert hits(alice, q="迁移后")[1] == [("answer", 2, [1])]
    assert hits(alice, q="第二评分人")[1] == []
    assert sorted(hits(bob, q="数据质量", kind="answer")[1]) == [
        ("answer", 2, []),
        ("answer", 2, [1]),
    ]


def test_another_units_copy_never_counts(alice, charlie, round_two, charlie_assessment):
    say(charlie_assessment, charlie, "TF-D1.1", evidence="历史数据质量差，迁移后记录对不上。")
    assert hits(alice, q="迁移后")[1] == [("answer", 2, [1])]
    assert hits(charlie, q="迁移后")[1] == [("answer", 1, [])]


def test_the_page_runs_a_fixed_number_of_queries_with_copies(
    alice, round_two, django_assert_max_num_queries
):
    client = Client()
    client.force_login(alice)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("search"), {"q": "数据质量"})
    for n in range(10):
        add_risk(round_two, alice, f"数据质量风险 {n}")
    assessment_submit(assessment=round_two, user=alice)
    assessment_start_round(previous=round_two, user=alice)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("search"), {"q": "数据质量"})

"""Searching: Chinese and English, filters, paging, escaping, and units kept apart."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from casework.models import Role
from casework.search.selectors import PER_PAGE, search
from casework.services.double import second_scoring_request
from casework.services.registers import register_row_add
from tests import factories
from tests.search.conftest import add_risk, say

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(alice, alice_assessment, charlie, charlie_assessment):
    """Both units write about data quality; charlie's text also names a secret."""
    say(alice_assessment, alice, "TF-D1.1", level=1, evidence="历史数据质量差，迁移后记录对不上。")
    say(
        alice_assessment,
        alice,
        "TF-D2.1",
        level=2,
        evidence="Legacy data quality checks were skipped",
    )
    add_risk(alice_assessment, alice, "数据质量责任不落实", status="occurred", outcome="回退旧系统")
    add_risk(alice_assessment, alice, "Peak load at launch", category="management")
    register_row_add(
        assessment=alice_assessment,
        register="indicators",
        user=alice,
        data={"family": "service", "name": "数据质量达标率", "target": "99", "actual": "90"},
    )
    say(charlie_assessment, charlie, "TF-D1.1", level=1, evidence="数据质量 Zanzibar 机密证据")
    add_risk(charlie_assessment, charlie, "数据质量 Zanzibar 机密风险", status="occurred")
    return alice_assessment


def below_the_form(page: str) -> str:
    """The results part of the search page, without links (they and the form echo the query)."""
    part = page.split('data-testid="search-form"', 1)[1].split("</form>", 1)[1]
    return re.sub(r'href="[^"]*"', "", part)


def found(user, **query):
    results = search(user=user, **query)
    return results, [(e.kind, e.body) for e in results.entries]


def test_a_chinese_phrase_finds_evidence_risks_and_indicators(alice, library):
    results, hits = found(alice, q="数据质量")
    assert {kind for kind, _body in hits} == {"answer", "risk", "indicator"}
    assert results.counts == {"answer": 1, "risk": 1, "indicator": 1}
    assert results.total == 3


def test_an_english_word_matches_longer_forms_and_a_quoted_phrase_its_words_in_order(
    alice, library
):
    assert found(alice, q="legac")[1] == [("answer", "Legacy data quality checks were skipped")]
    assert found(alice, q='"data quality"')[1] == [
        ("answer", "Legacy data quality checks were skipped")
    ]
    assert found(alice, q='"quality data"')[1] == []


def test_every_term_is_required(alice, library):
    assert found(alice, q="数据质量 launch")[1] == []
    assert found(alice, q="peak launch")[1] == [("risk", "Peak load at launch")]


def test_filters_by_outcome_item_and_kind(alice, library):
    assert found(alice, q="数据质量", outcome="occurred")[1] == [
        ("risk", "数据质量责任不落实\n\n回退旧系统")
    ]
    assert found(alice, q="数据质量", outcome="missed")[1] == [("indicator", "数据质量达标率")]
    assert found(alice, q="数据质量", item="TF-D1.1")[1] == [
        ("answer", "历史数据质量差，迁移后记录对不上。")
    ]
    assert [k for k, _ in found(alice, q="data", item="TF-D2")[1]] == ["answer"]
    results, hits = found(alice, q="数据质量", kind="risk")
    assert [k for k, _ in hits] == ["risk"]
    assert results.total == 1 and results.counts["answer"] == 1  # facets ignore the kind


def test_a_language_filter_keeps_chinese_or_english_text(alice, library):
    assert found(alice, q="data", language="en")[1] == [
        ("answer", "Legacy data quality checks were skipped")
    ]
    assert found(alice, q="data", language="zh")[1] == []
    assert {k for k, _ in found(alice, q="数据质量", language="zh")[1]} == {
        "answer",
        "risk",
        "indicator",
    }


def test_a_filter_alone_lists_the_newest_entries(alice, library):
    results, hits = found(alice, outcome="occurred")
    assert hits == [("risk", "数据质量责任不落实\n\n回退旧系统")]
    assert search(user=alice).searched is False


def test_another_units_text_never_matches_shows_or_counts(alice, charlie, ada, library):
    results, hits = found(alice, q="数据质量")
    assert all("Zanzibar" not in body and "机密" not in body for _kind, body in hits)
    assert results.counts == {"answer": 1, "risk": 1, "indicator": 1}
    assert found(alice, q="zanzibar")[0].total == 0
    assert found(alice, q="机密")[0].counts == {}
    assert found(alice, outcome="occurred")[0].total == 1
    # charlie sees only his own, and the admin sees both units.
    assert {b for _k, b in found(charlie, q="zanzibar")[1]} == {
        "机密摘要 Zanzibar 数据质量",
        "数据质量 Zanzibar 机密证据",
        "数据质量 Zanzibar 机密风险",
    }
    assert found(ada, q="数据质量")[0].total == 6  # charlie's case summary too


def test_the_page_shows_no_other_units_text_in_results_snippets_or_counts(
    alice, library, charlie_case
):
    client = Client()
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for q in ("数据质量", "Zanzibar", "机密", "审计处"):
        results = below_the_form(client.get(reverse("search"), {"q": q}).content.decode())
        assert "Zanzibar" not in results and "机密" not in results
        assert charlie_case.title not in results
    page = client.get(reverse("search"), {"q": "数据质量"}, HTTP_ACCEPT_LANGUAGE="en")
    results = below_the_form(page.content.decode())
    assert 'data-testid="facet-risk">1<' in results and "3 matches" in results
    assert 'data-testid="facet-case"' not in results  # charlie's case summary is not counted


def test_a_script_in_evidence_comes_back_escaped(alice, alice_assessment):
    say(alice_assessment, alice, "TF-D1.1", evidence="见附件<script>alert('x')</script>数据质量")
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("search"), {"q": "数据质量 script"}).content.decode()
    assert "<script>alert" not in page
    assert "&lt;<mark>script</mark>&gt;alert(&#x27;x&#x27;)" in page
    assert "<mark>数据质量</mark>" in page


def test_results_come_a_page_at_a_time(alice, alice_assessment):
    for n in range(PER_PAGE + 5):
        add_risk(alice_assessment, alice, f"接口风险 {n}")
    first = search(user=alice, q="接口")
    assert (first.total, first.pages, len(first.entries)) == (PER_PAGE + 5, 2, PER_PAGE)
    second = search(user=alice, q="接口", page=2)
    assert len(second.entries) == 5
    assert not {e.pk for e in first.entries} & {e.pk for e in second.entries}
    assert search(user=alice, q="接口", page=99).page == 2


def test_the_page_runs_a_fixed_number_of_queries(
    alice, alice_assessment, django_assert_max_num_queries
):
    client = Client()
    client.force_login(alice)
    add_risk(alice_assessment, alice, "接口风险")
    say(alice_assessment, alice, "TF-D1.1", evidence="接口证据")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("search"), {"q": "接口"})
    for n in range(15):
        add_risk(alice_assessment, alice, f"接口风险 {n}", category="business")
    say(alice_assessment, alice, "TF-D2.1", evidence="接口证据")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("search"), {"q": "接口"})


def test_a_bad_filter_is_an_error_in_the_users_language_and_the_query_is_kept(alice, library):
    client = Client()
    client.force_login(alice)
    page = client.get(
        reverse("search"), {"q": "数据质量", "outcome": "nonsense"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Select a valid choice" in page and 'value="数据质量"' in page
    assert 'data-testid="search-hit"' not in page


def test_search_needs_a_login():
    response = Client().get(reverse("search"), {"q": "数据"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_blind_second_analyst_finds_nothing_of_the_first_scoring_until_both_are_in(
    alice, bob, unit_a, library
):
    """Search must not undo double scoring's blindness: the first analyst's evidence stays hidden."""
    second_analyst = factories.make_user("erin", unit=unit_a, role=Role.ANALYST)
    second = second_scoring_request(assessment=library, analyst=second_analyst, user=bob)
    say(second, second_analyst, "TF-D1.1", level=3, evidence="数据质量 第二评分人的证据")

    _results, hits = found(second_analyst, q="数据质量")
    assert hits == [("answer", "数据质量 第二评分人的证据")]  # her own, none of alice's
    _results, hits = found(alice, q="第二评分人")
    assert hits == []  # and alice does not see the second rating either
    _results, hits = found(bob, q="数据质量")
    assert ("answer", "数据质量 第二评分人的证据") in hits and len(
        hits
    ) > 1  # the manager sees both

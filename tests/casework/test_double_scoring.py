"""Double scoring: asking for a blind second scoring, blindness, agreement page, adjudication.

Personas as in conftest, plus erin: a second analyst in alice's unit.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from casework.models import Adjudication, Answer, Assessment, Role
from casework.services.answers import answer_save
from casework.services.assessments import (
    assessment_approve,
    assessment_return,
    assessment_start,
    assessment_submit,
)
from casework.services.double import (
    adjudication_save,
    second_scoring_request,
    second_scoring_withdraw,
)
from casework.services.errors import EditConflict, WorkflowError
from casework.services.rounds import assessment_start_round
from tests import factories

DIMENSIONS = (
    ("D1", 1, [(f"D1.{i}", "scored", 1) for i in range(1, 6)] + [("D1.9", "observation", 1)]),
    ("D2", 1, [(f"D2.{i}", "scored", 1) for i in range(1, 5)]),
)
# alice's and erin's levels per item: D1.1 3 levels apart, D1.2 1 apart, D2.4 N/A vs 2.
ALICE = {"D1.1": 1, "D1.2": 3, "D1.3": 2, "D1.4": 4, "D1.5": 5, "D2.1": 0, "D2.2": 2, "D2.3": 3}
ERIN = {"D1.1": 4, "D1.2": 4, "D1.3": 2, "D1.4": 4, "D1.5": 5, "D2.1": 0, "D2.2": 2, "D2.3": 3}


@pytest.fixture
def erin(unit_a):
    return factories.make_user("erin", unit=unit_a, role=Role.ANALYST)


@pytest.fixture
def version(db):
    return factories.make_tiny_framework("DS", dimensions=DIMENSIONS)


@pytest.fixture
def first(alice, alice_case, version):
    return assessment_start(case=alice_case, version=version, user=alice)


def fill(assessment, user, levels, *, na=()):
    for code, level in levels.items():
        answer_save(
            assessment=assessment,
            criterion_code=f"DS-{code}",
            user=user,
            data={"level": level},
            expected_version=0,
        )
    for code in na:
        answer_save(
            assessment=assessment,
            criterion_code=f"DS-{code}",
            user=user,
            data={"not_applicable": True, "na_reason": "不适用"},
            expected_version=0,
        )


@pytest.fixture
def second(first, bob, erin):
    return second_scoring_request(assessment=first, analyst=erin, user=bob)


@pytest.fixture
def both_submitted(first, second, alice, erin):
    fill(first, alice, {**ALICE, "D2.4": 2})
    fill(second, erin, ERIN, na=["D2.4"])
    assessment_submit(assessment=first, user=alice)
    assessment_submit(assessment=second, user=erin)
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def login(client, user):
    client.force_login(user)
    return client


# --- asking for a second scoring -----------------------------------------------------------


def test_a_second_scoring_is_a_sibling_of_the_same_round_with_empty_answers(first, second, erin):
    assert (second.case_id, second.version_id, second.round) == (
        first.case_id,
        first.version_id,
        first.round,
    )
    assert second.second_of == first and second.created_by == erin
    assert second.answers.count() == first.answers.count()
    assert not second.answers.filter(level__isnull=False).exists()
    assert second.comments.filter(body__contains="erin").exists()
    assert not first.comments.filter(body__contains="erin").exists()


def test_the_second_analyst_must_be_another_analyst_of_the_unit(first, bob, alice, charlie):
    with pytest.raises(WorkflowError):
        second_scoring_request(assessment=first, analyst=alice, user=bob)
    with pytest.raises(WorkflowError):
        second_scoring_request(assessment=first, analyst=charlie, user=bob)
    with pytest.raises(WorkflowError):
        second_scoring_request(assessment=first, analyst=bob, user=bob)


def test_only_one_second_scoring_per_assessment_and_none_once_approved(first, second, bob, erin):
    with translation.override("en"), pytest.raises(WorkflowError, match="already"):
        second_scoring_request(assessment=first, analyst=erin, user=bob)
    with pytest.raises(WorkflowError):
        second_scoring_request(assessment=second, analyst=erin, user=bob)


def test_an_approved_assessment_cannot_be_scored_twice(first, alice, bob, erin):
    assessment_submit(assessment=first, user=alice)
    assessment_approve(assessment=first, user=bob)
    with translation.override("en"), pytest.raises(WorkflowError, match="approved"):
        second_scoring_request(assessment=first, analyst=erin, user=bob)


def test_only_a_manager_may_ask_for_a_second_scoring(client, first, alice, bob, erin):
    url = reverse("second_scoring_request", args=[first.pk])
    assert login(client, alice).post(url, {"analyst": erin.pk}).status_code == 403
    response = login(client, bob).post(url, {"analyst": erin.pk})
    assert response.status_code == 302
    assert Assessment.objects.filter(second_of=first, created_by=erin).exists()


def test_a_second_scoring_can_be_withdrawn_until_adjudicated(first, second, bob):
    second_scoring_withdraw(assessment=first, user=bob)
    assert not Assessment.objects.filter(second_of=first).exists()


def test_a_second_scoring_is_not_a_round_of_its_own(first, second, alice):
    from casework.readmodel import latest_rounds

    assert list(latest_rounds().filter(case=first.case)) == [first]
    assessment_submit(assessment=first, user=alice)
    with pytest.raises(WorkflowError):
        assessment_start_round(previous=second, user=alice)
    # The next round follows the first assessment, not the second scoring.
    assert assessment_start_round(previous=first, user=alice).round == first.round + 1


# --- blindness -----------------------------------------------------------------------------


def _urls(assessment):
    pk = assessment.pk
    code = "DS-D1.1"
    return [
        reverse("assessment_detail", args=[pk]),
        reverse("wizard_step", args=[pk, 1]),
        reverse("answer_history", args=[pk, code]),
        reverse("report_assessment", args=[pk]),
        reverse("export_assessment", args=[pk]),
        f"/api/v1/assessments/{pk}",
        f"/api/v1/assessments/{pk}/scores",
    ]


def test_the_second_analyst_sees_nothing_of_the_first_scoring(client, first, second, alice, erin):
    fill(first, alice, ALICE)
    login(client, erin)
    for url in _urls(first):
        assert client.get(url).status_code == 404, url
    # Nor the case report, which shows every assessment of the case.
    assert client.get(reverse("report_case", args=[first.case_id])).status_code == 403
    # Their own scoring is open to them, on the pages and in the API alike.
    for url in _urls(second):
        assert client.get(url).status_code == 200, url


def test_the_case_page_shows_each_analyst_only_their_own_scoring(
    client, first, second, alice, erin
):
    url = reverse("case_detail", args=[first.case_id])
    page = login(client, erin).get(url).content.decode()
    assert reverse("assessment_detail", args=[second.pk]) in page
    assert reverse("assessment_detail", args=[first.pk]) not in page
    page = login(client, alice).get(url).content.decode()
    assert reverse("assessment_detail", args=[first.pk]) in page
    assert reverse("assessment_detail", args=[second.pk]) not in page


def test_the_first_analyst_sees_nothing_of_the_second_until_both_submit(
    client, first, second, alice, erin
):
    login(client, alice)
    for url in _urls(second):
        assert client.get(url).status_code == 404, url
    fill(first, alice, ALICE)
    fill(second, erin, ERIN)
    assessment_submit(assessment=first, user=alice)
    for url in _urls(second):  # one submitted is not enough
        assert client.get(url).status_code == 404, url
    assessment_submit(assessment=second, user=erin)
    assert client.get(reverse("assessment_detail", args=[second.pk])).status_code == 200
    assert login(client, erin).get(reverse("assessment_detail", args=[first.pk])).status_code == 200


def test_returning_one_scoring_makes_both_blind_again(client, both_submitted, bob, erin):
    first, second = both_submitted
    assessment_return(assessment=second, user=bob, comment="再看看 D1.1")
    assert login(client, erin).get(reverse("assessment_detail", args=[first.pk])).status_code == 404


def test_the_manager_sees_both_scorings_while_they_are_scored(client, first, second, bob):
    login(client, bob)
    for assessment in (first, second):
        assert client.get(reverse("assessment_detail", args=[assessment.pk])).status_code == 200


def test_another_units_manager_sees_neither(client, first, second, diana):
    login(client, diana)
    for assessment in (first, second):
        assert client.get(reverse("assessment_detail", args=[assessment.pk])).status_code == 404


def test_the_api_lists_for_the_second_analyst_only_their_own_scoring(client, first, second, erin):
    rows = login(client, erin).get(f"/api/v1/cases/{first.case_id}/assessments/").json()
    assert [row["id"] for row in rows] == [second.pk]
    case = client.get(f"/api/v1/cases/{first.case_id}").json()
    assert [row["id"] for row in case["assessments"]] == [second.pk]


# --- agreement -----------------------------------------------------------------------------


def test_the_agreement_page_waits_for_both_scorings(client, first, second, bob):
    assert login(client, bob).get(reverse("agreement", args=[first.pk])).status_code == 404


def test_the_agreement_page_shows_the_figures_and_the_far_apart_items_first(
    client, both_submitted, bob, django_assert_max_num_queries
):
    first, _second = both_submitted
    login(client, bob)
    with translation.override("en"), django_assert_max_num_queries(20):
        response = client.get(reverse("agreement", args=[first.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    data = response.context["agreement"]
    assert data["overall"]["rated_by_both"] == 8
    assert data["overall"]["exact"] == pytest.approx(6 / 8)
    assert [row.code for row in data["items"][:3]] == ["DS-D1.1", "DS-D2.4", "DS-D1.2"]
    assert [row.status for row in data["items"][:3]] == ["far", "na", "near"]
    page = response.content.decode()
    assert "3 levels apart" in page and "Quadratic-weighted kappa" in page


@pytest.mark.parametrize("page", ["agreement", "adjudication"])
def test_the_agreement_and_adjudication_pages_cost_the_same_queries_however_many_items(
    client, bob, erin, alice, unit_a, page
):
    counts = []
    for size, title in ((3, "小"), (12, "大")):
        dims = (("D1", 1, [(f"D1.{i}", "scored", 1) for i in range(1, size + 1)]),)
        version = factories.make_tiny_framework(f"Q{size}", dimensions=dims)
        case = factories.make_case(unit=unit_a, owner=alice, title=title)
        first = assessment_start(case=case, version=version, user=alice)
        second = second_scoring_request(assessment=first, analyst=erin, user=bob)
        assessment_submit(assessment=first, user=alice)
        assessment_submit(assessment=second, user=erin)
        login(client, bob)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(page, args=[first.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- adjudication --------------------------------------------------------------------------


def _decide(first, bob, code, choice, *, level=None, reason="", version=0):
    return adjudication_save(
        assessment=first,
        criterion_code=code,
        user=bob,
        choice=choice,
        level=level,
        reason=reason,
        expected_version=version,
    )


def test_a_reason_is_required_where_the_analysts_differ(both_submitted, bob):
    first, _ = both_submitted
    with pytest.raises(ValidationError) as error:
        _decide(first, bob, "DS-D1.1", "second")
    assert "reason" in error.value.message_dict
    # Where they agree, keeping the answer needs no reason.
    assert _decide(first, bob, "DS-D1.3", "first").version == 1


def test_setting_another_level_than_both_agreed_needs_a_reason(both_submitted, bob):
    first, _ = both_submitted
    with pytest.raises(ValidationError):
        _decide(first, bob, "DS-D1.3", "set", level=5)


def test_adjudication_writes_the_agreed_level_into_the_first_with_history(both_submitted, bob):
    first, _ = both_submitted
    revision = first.revision
    _decide(first, bob, "DS-D1.1", "second", reason="第二位分析员引用了验收报告")
    answer = Answer.objects.get(assessment=first, criterion__code="DS-D1.1")
    assert answer.level == 4 and answer.updated_by == bob
    latest = answer.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == bob and "验收报告" in latest.history_change_reason
    first.refresh_from_db()
    assert first.revision > revision


def test_adjudication_keeps_the_raters_originals_so_agreement_does_not_move(both_submitted, bob):
    from casework.double import agreement_of, pair_of

    first, _ = both_submitted
    before = agreement_of(pair_of(first))["overall"]
    _decide(first, bob, "DS-D1.1", "set", level=3, reason="折中")
    after = agreement_of(pair_of(first))["overall"]
    assert before["kappa"] == after["kappa"] and before["exact"] == after["exact"]
    row = Adjudication.objects.get(assessment=first, criterion__code="DS-D1.1")
    assert (row.first_level, row.second_level, row.level) == (1, 4, 3)


def test_adjudication_is_versioned_against_lost_decisions(both_submitted, bob, ada):
    first, _ = both_submitted
    _decide(first, bob, "DS-D1.1", "second", reason="证据更充分")
    with pytest.raises(EditConflict):
        _decide(first, ada, "DS-D1.1", "first", reason="我不同意", version=0)
    row = _decide(first, bob, "DS-D1.1", "first", reason="重新核对", version=1)
    assert row.version == 2 and row.history.count() == 2
    assert Answer.objects.get(assessment=first, criterion__code="DS-D1.1").level == 1


def test_taking_the_second_analysts_not_applicable_copies_its_reason(both_submitted, bob):
    first, _ = both_submitted
    _decide(first, bob, "DS-D2.4", "second", reason="该事项不在本案范围")
    answer = Answer.objects.get(assessment=first, criterion__code="DS-D2.4")
    assert answer.not_applicable and answer.level is None and answer.na_reason == "不适用"


def test_adjudication_needs_both_scorings_submitted(first, second, bob):
    with pytest.raises(WorkflowError):
        _decide(first, bob, "DS-D1.1", "first", reason="太早")


def test_approval_waits_until_every_difference_is_decided(both_submitted, bob):
    first, second = both_submitted
    with translation.override("en"), pytest.raises(WorkflowError, match="3 items"):
        assessment_approve(assessment=first, user=bob)
    with pytest.raises(WorkflowError):
        assessment_approve(assessment=second, user=bob)
    _decide(first, bob, "DS-D1.1", "second", reason="证据")
    _decide(first, bob, "DS-D1.2", "first", reason="证据")
    _decide(first, bob, "DS-D2.4", "first", reason="适用")
    assessment_approve(assessment=first, user=bob)
    first.refresh_from_db()
    assert first.status == Assessment.Status.APPROVED
    with pytest.raises(WorkflowError):
        _decide(first, bob, "DS-D1.1", "first", reason="改主意", version=1)


def test_the_adjudication_page_is_for_managers(client, both_submitted, alice, bob):
    first, _ = both_submitted
    assert login(client, alice).get(reverse("adjudication", args=[first.pk])).status_code == 403
    assert login(client, bob).get(reverse("adjudication", args=[first.pk])).status_code == 200


def test_a_missing_reason_shows_the_form_again_with_what_was_typed(client, both_submitted, bob):
    first, _ = both_submitted
    url = reverse("adjudication_save", args=[first.pk, "DS-D1.1"])
    with translation.override("en"):
        response = login(client, bob).post(
            url,
            {"i-DS-D1.1-choice": "set", "i-DS-D1.1-level": "2", "i-DS-D1.1-version": "0"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    assert not Adjudication.objects.exists()


def test_a_decision_posted_through_the_page_is_saved(client, both_submitted, bob):
    first, _ = both_submitted
    url = reverse("adjudication_save", args=[first.pk, "DS-D1.1"])
    data = {"i-DS-D1.1-choice": "set", "i-DS-D1.1-level": "2", "i-DS-D1.1-version": "0"}
    response = login(client, bob).post(url, {**data, "i-DS-D1.1-reason": "取中间值"})
    assert response.status_code == 302
    assert Answer.objects.get(assessment=first, criterion__code="DS-D1.1").level == 2


def test_the_case_list_shows_the_second_analyst_no_score_of_the_first(
    client, first, second, alice, erin
):
    fill(first, alice, ALICE)
    login(client, erin)
    page = client.get(reverse("case_list")).content.decode()
    assert first.case.title in page
    assert reverse("assessment_detail", args=[first.pk]) not in page
    for band in range(6):  # filtering by band reveals nothing either
        found = client.get(reverse("case_list"), {"band": band}).content.decode()
        assert first.case.title not in found, band
    # While alice, who scored it, finds her case in its band.
    login(client, alice)
    bands = [
        band
        for band in range(6)
        if first.case.title in client.get(reverse("case_list"), {"band": band}).content.decode()
    ]
    assert len(bands) == 1


def test_both_analysts_may_read_the_agreement_once_both_submitted(
    client, both_submitted, alice, erin
):
    first, _ = both_submitted
    for user in (alice, erin):
        assert login(client, user).get(reverse("agreement", args=[first.pk])).status_code == 200


def test_the_first_analyst_learns_only_that_a_blind_scoring_is_under_way(
    client, first, second, alice
):
    with translation.override("en"):
        page = login(client, alice).get(
            reverse("assessment_detail", args=[first.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    card = page.context["double"]
    assert card["blind"] and "A second analyst is scoring this round blind" in page.content.decode()
    assert reverse("assessment_detail", args=[second.pk]) not in page.content.decode()


def test_only_a_manager_may_withdraw_a_second_scoring(client, first, second, alice, bob):
    url = reverse("second_scoring_withdraw", args=[first.pk])
    assert login(client, alice).post(url).status_code == 403
    assert login(client, bob).post(url).status_code == 302
    assert not Assessment.objects.filter(pk=second.pk).exists()


def test_a_second_scoring_cannot_be_withdrawn_once_adjudicated(both_submitted, bob):
    first, _ = both_submitted
    _decide(first, bob, "DS-D1.3", "first")
    with pytest.raises(WorkflowError):
        second_scoring_withdraw(assessment=first, user=bob)


def test_the_wizard_tells_the_second_analyst_the_scoring_is_blind(client, second, erin):
    with translation.override("en"):
        page = login(client, erin).get(
            reverse("wizard_step", args=[second.pk, 1]), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert 'data-testid="second-scoring-note"' in page.content.decode()


def test_a_double_scored_assessment_stays_on_its_version(first, second, alice, erin):
    from casework.services.rounds import assessment_version_move

    newer = factories.make_tiny_framework("DS", dimensions=DIMENSIONS)
    for assessment, user in ((first, alice), (second, erin)):
        with translation.override("en"), pytest.raises(WorkflowError, match="same items"):
            assessment_version_move(assessment=assessment, to_version=newer, user=user)


def test_search_finds_nothing_of_the_other_scoring_while_blind(first, second, alice, erin, bob):
    from casework.search.selectors import search

    answer_save(
        assessment=first,
        criterion_code="DS-D1.1",
        user=alice,
        data={"level": 3, "evidence": "窗口排队时间明显缩短"},
        expected_version=0,
    )
    assert search(user=erin, q="排队时间").total == 0
    assert search(user=bob, q="排队时间").total == 1  # the manager sees both scorings

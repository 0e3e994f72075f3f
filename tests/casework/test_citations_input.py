"""Citations with a page or section and a quote: the answer service and the wizard card."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from casework.citations import LOCATOR_MAX_CHARS, QUOTE_MAX_CHARS
from casework.models import Answer, CaseSource
from casework.services.answers import answer_save
from casework.services.assessments import (
    assessment_approve,
    assessment_start,
    assessment_submit,
)
from casework.services.rounds import assessment_start_round
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}
CODE = "TF-D1.1"


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.fixture
def report(alice_case):
    return CaseSource.objects.create(case=alice_case, title="市政府工作报告 2024")


@pytest.fixture
def audit(alice_case):
    return CaseSource.objects.create(case=alice_case, title="审计报告")


def stored(assessment, code=CODE):
    return Answer.objects.get(assessment=assessment, criterion__code=code)


def save(assessment, user, citations, version=0):
    return answer_save(
        assessment=assessment,
        criterion_code=CODE,
        user=user,
        data={"citations": citations},
        expected_version=version,
    )


def test_citations_given_as_ids_or_dicts_are_stored_in_one_shape(assessment, alice, report, audit):
    save(
        assessment,
        alice,
        [report.pk, {"source": str(audit.pk), "locator": " p. 12 ", "quote": "覆盖 80%"}],
    )
    assert stored(assessment).citations == [
        {"source": report.pk, "locator": "", "quote": ""},
        {"source": audit.pk, "locator": "p. 12", "quote": "覆盖 80%"},
    ]


def test_an_old_style_citation_saved_again_unchanged_makes_no_new_version(
    assessment, alice, report
):
    Answer.objects.filter(pk=stored(assessment).pk).update(citations=[report.pk])
    again = save(assessment, alice, [{"source": report.pk, "locator": "", "quote": ""}])
    assert again.version == 0


@pytest.mark.parametrize(
    ("citation", "words"),
    [
        ({"locator": "第" * (LOCATOR_MAX_CHARS + 1)}, f"at most {LOCATOR_MAX_CHARS} characters"),
        ({"quote": "引" * (QUOTE_MAX_CHARS + 1)}, f"limited to {QUOTE_MAX_CHARS} characters"),
        ({"page": "12"}, "not page"),
    ],
)
def test_a_citation_too_long_or_of_the_wrong_shape_is_refused_with_a_clear_message(
    assessment, alice, report, citation, words
):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        save(assessment, alice, [{"source": report.pk, **citation}])
    message = " ".join(error.value.message_dict["citations"])
    assert words in message
    assert stored(assessment).version == 0


def test_a_locator_too_long_names_the_source(assessment, alice, report):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        save(assessment, alice, [{"source": report.pk, "locator": "x" * 100}])
    assert "市政府工作报告 2024" in error.value.message_dict["citations"][0]


def test_citing_another_cases_source_with_a_locator_is_refused(assessment, alice, unit_a):
    other = factories.make_case(unit=unit_a, owner=alice, title="别的案例")
    foreign = CaseSource.objects.create(case=other, title="别人的来源")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        save(assessment, alice, [{"source": foreign.pk, "locator": "p. 1"}])
    assert "not this case's" in error.value.message_dict["citations"][0]


def test_a_new_round_copies_citations_with_their_locators(assessment, alice, bob, report):
    save(assessment, alice, [{"source": report.pk, "locator": "§3", "quote": "原文"}])
    assessment_submit(assessment=assessment, user=alice)
    assessment_approve(assessment=assessment, user=bob)
    second = assessment_start_round(previous=assessment, user=alice)
    assert stored(second).citations == [{"source": report.pk, "locator": "§3", "quote": "原文"}]


# --- The card -------------------------------------------------------------------------------


def post(client, assessment, version=0, citations=(), **fields):
    data = {f"{CODE}-version": version, f"{CODE}-citations": [str(c) for c in citations]}
    data.update({f"{CODE}-{name}": value for name, value in fields.items()})
    return client.post(reverse("wizard_answer_save", args=[assessment.pk, CODE]), data, **HTMX)


def test_the_card_offers_a_page_and_a_quote_input_per_source(client, alice, assessment, report):
    save(assessment, alice, [{"source": report.pk, "locator": "p. 7", "quote": "一句原话"}])
    client.force_login(alice)
    html = client.get(reverse("wizard_step", args=[assessment.pk, 1])).content.decode()
    assert f'name="{CODE}-locator-{report.pk}"' in html
    assert 'value="p. 7"' in html and 'value="一句原话"' in html
    # Autosave posts these inputs with the card.
    assert f"{CODE}-locator-{report.pk},{CODE}-quote-{report.pk}" in html


def test_autosave_stores_the_page_and_quote_of_each_checked_source(
    client, alice, assessment, report, audit
):
    client.force_login(alice)
    response = post(
        client,
        assessment,
        citations=[report.pk],
        **{
            f"locator-{report.pk}": "p. 12",
            f"quote-{report.pk}": "原文",
            f"locator-{audit.pk}": "不算",
        },
    )
    assert response.status_code == 200
    assert stored(assessment).citations == [
        {"source": report.pk, "locator": "p. 12", "quote": "原文"}
    ]


def test_a_quote_too_long_gives_422_and_keeps_what_was_typed(client, alice, assessment, report):
    client.force_login(alice)
    long_quote = "很长的引文" * 120
    response = client.post(
        reverse("wizard_answer_save", args=[assessment.pk, CODE]),
        {
            f"{CODE}-version": 0,
            f"{CODE}-citations": [str(report.pk)],
            f"{CODE}-evidence": "我的证据",
            f"{CODE}-quote-{report.pk}": long_quote,
        },
        HTTP_ACCEPT_LANGUAGE="en",
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f"limited to {QUOTE_MAX_CHARS} characters" in html
    assert long_quote in html and "我的证据" in html
    assert stored(assessment).version == 0


def test_a_conflict_shows_both_citations_with_their_pages(alice, unit_a, assessment, report):
    alice2 = factories.make_user("alice2", unit=unit_a)
    first, second = Client(), Client()
    first.force_login(alice)
    second.force_login(alice2)
    assert (
        post(
            first, assessment, citations=[report.pk], **{f"locator-{report.pk}": "p. 1"}
        ).status_code
        == 200
    )
    response = post(second, assessment, citations=[report.pk], **{f"locator-{report.pk}": "p. 99"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "市政府工作报告 2024, p. 1" in html and "市政府工作报告 2024, p. 99" in html
    assert 'value="p. 99"' in html  # the user's typing stays in the input


def test_history_shows_the_page_of_a_citation(client, alice, assessment, report):
    save(assessment, alice, [report.pk])
    save(assessment, alice, [{"source": report.pk, "locator": "§2.1"}], version=1)
    client.force_login(alice)
    html = client.get(reverse("answer_history", args=[assessment.pk, CODE])).content.decode()
    assert "市政府工作报告 2024, §2.1" in html


def test_a_read_only_card_lists_the_citations_with_their_pages(
    client, bob, alice, assessment, report
):
    save(assessment, alice, [{"source": report.pk, "locator": "p. 3", "quote": "引文"}])
    client.force_login(bob)
    html = client.get(reverse("wizard_step", args=[assessment.pk, 1])).content.decode()
    assert "市政府工作报告 2024, p. 3" in html and "<q" in html and "引文" in html

"""Citation chips: the presenter, the carry-in from earlier steps, the step page and the JSON."""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from casework.citation_chips import (
    TOKENS,
    carry_in,
    chip_placeholder,
    chips_for,
    short_title,
    source_numbers,
    sources_payload,
)
from casework.models import CaseSource
from casework.services.answers import answer_save
from casework.services.assessments import assessment_start, assessment_submit
from frameworks.models import Dimension
from tests import factories


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.fixture
def sources(alice_case):
    return [
        CaseSource.objects.create(case=alice_case, title="市政府工作报告 2024", order=1),
        CaseSource.objects.create(case=alice_case, title="审计报告", order=2),
        CaseSource.objects.create(case=alice_case, title="访谈记录", order=3),
    ]


def cite(assessment, user, code, citations, version=0):
    return answer_save(
        assessment=assessment,
        criterion_code=code,
        user=user,
        data={"citations": citations},
        expected_version=version,
    )


def row(source, *, checked=False, locator="", quote=""):
    return {
        "source": source,
        "checked": checked,
        "locator": locator,
        "quote": quote,
        "locator_name": f"X-locator-{source.pk}",
        "quote_name": f"X-quote-{source.pk}",
    }


def fake_source(pk, title, published_on=None):
    return SimpleNamespace(pk=pk, title=title, published_on=published_on)


# --- The presenter, without a database --------------------------------------------------------


def test_a_short_title_is_kept_whole():
    assert short_title("Audit report") == "Audit report"


def test_a_long_title_is_cut_with_an_ellipsis_and_chinese_counts_double():
    latin = short_title("Qingshan County grid-governance implementation plan")
    chinese = short_title("青山县网格化治理平台建设项目可行性研究报告")
    assert latin.endswith("…") and len(latin) <= 26
    assert chinese.endswith("…") and len(chinese) <= 13  # 12 wide characters and "…"
    assert short_title("  two\n  lines ") == "two lines"


def test_chips_are_numbered_as_the_case_lists_its_sources_and_carry_the_citation():
    rows = [
        row(fake_source(7, "市政府工作报告", date(2024, 3, 1))),
        row(fake_source(3, "审计报告"), checked=True, locator="p. 12", quote="原文"),
    ]
    first, second = chips_for(rows)
    assert (first.number, first.source_id, first.pressed) == (1, 7, False)
    assert (second.number, second.source_id, second.pressed) == (2, 3, True)
    assert (second.locator, second.quote, second.locator_name) == ("p. 12", "原文", "X-locator-3")
    assert source_numbers([fake_source(7, "a"), fake_source(3, "b")]) == {7: 1, 3: 2}


def test_the_placeholder_chip_names_its_inputs_as_the_card_form_does():
    chip = chip_placeholder(lambda kind, source_id: f"CA-1.1-{kind}-{source_id}")
    assert chip.source_id == TOKENS["source_id"] and chip.title == TOKENS["title"]
    assert chip.locator_name == "CA-1.1-locator-__SRC__"
    assert chip.quote_name == "CA-1.1-quote-__SRC__"
    assert not chip.pressed


def test_the_sources_payload_numbers_and_shortens():
    payload = sources_payload([fake_source(5, "访谈记录"), fake_source(9, "x" * 40)])
    assert payload[0] == {"id": 5, "number": 1, "short": "访谈记录", "title": "访谈记录"}
    assert payload[1]["number"] == 2 and payload[1]["short"].endswith("…")
    assert payload[1]["title"] == "x" * 40


# --- What earlier steps cited -----------------------------------------------------------------


def test_step_one_has_nothing_to_carry_in_and_asks_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert carry_in(assessment_id=1, earlier_dimension_ids=[]) is None


def test_the_carry_in_is_the_last_cited_scored_item_of_the_earlier_steps(
    alice, alice_case, sources, django_assert_num_queries
):
    version = factories.make_tiny_framework(
        "CI",
        dimensions=(
            ("D1", 1, [("D1.1", "scored", 1), ("D1.2", "scored", 1), ("D1.3", "observation", 1)]),
            ("D2", 1, [("D2.1", "scored", 1), ("D2.2", "scored", 1)]),
            ("D3", 1, [("D3.1", "scored", 1)]),
        ),
    )
    assessment = assessment_start(case=alice_case, version=version, user=alice)
    report, audit, interview = sources
    cite(assessment, alice, "CI-D1.1", [report.pk])
    cite(assessment, alice, "CI-D1.2", [audit.pk, interview.pk])
    cite(assessment, alice, "CI-D2.1", [interview.pk])  # D2.2, after it, cites nothing
    d1, d2, _d3 = Dimension.objects.filter(version=version).order_by("order")

    with django_assert_num_queries(1):
        found = carry_in(assessment_id=assessment.pk, earlier_dimension_ids=[d1.pk, d2.pk])
    assert (found.code, found.source_ids) == ("CI-D2.1", [interview.pk])
    found = carry_in(assessment_id=assessment.pk, earlier_dimension_ids=[d1.pk])
    assert (found.code, found.source_ids) == ("CI-D1.2", [audit.pk, interview.pk])


def test_nothing_is_carried_in_when_no_earlier_item_cites_a_source(alice, assessment):
    first_dimension = Dimension.objects.get(version=assessment.version, order=0)
    assert carry_in(assessment_id=assessment.pk, earlier_dimension_ids=[first_dimension.pk]) is None


# --- The step page ----------------------------------------------------------------------------


def step(assessment, n=1):
    return reverse("wizard_step", args=[assessment.pk, n])


def test_a_scored_card_shows_a_chip_per_source_pressed_where_cited(
    client, alice, assessment, sources
):
    report, audit, _interview = sources
    cite(assessment, alice, "TF-D1.1", [{"source": audit.pk, "locator": "p. 4"}])
    client.force_login(alice)
    html = client.get(step(assessment)).content.decode()
    card = html.split('id="item-TF-D1-1"')[1].split('id="item-TF-D1-2"')[0]

    chips = re.findall(r'class="cw-chip" aria-pressed="(\w+)" data-cw-chip="[\w-]+-src-\d+"', card)
    assert chips == ["false", "true", "false"]
    assert '<span class="cw-chip-n">2</span><span class="cw-chip-title">审计报告</span>' in card
    # Without JS the same source is a checkbox, checked, with its page beside it.
    assert f'value="{audit.pk}" id="item-TF-D1-1-src-{audit.pk}" checked' in card
    assert 'value="p. 4"' in card
    assert "data-cw-same-sources" in card
    assert "__SRC__" in card  # the template a source added later is made from


def test_an_observation_card_has_no_chips(client, alice, assessment, sources):
    client.force_login(alice)
    html = client.get(step(assessment)).content.decode()
    assert "cw-chip" not in html.split('id="item-TF-D1-3"')[1].split("</form>")[0]


def test_step_two_carries_in_what_step_one_cited_last(client, alice, assessment, sources):
    report, audit, _interview = sources
    cite(assessment, alice, "TF-D1.2", [audit.pk, report.pk])
    client.force_login(alice)
    html = client.get(step(assessment, 2)).content.decode()
    assert 'data-code="TF-D1.2"' in html
    assert f'data-sources="{audit.pk} {report.pk}"' in html


def test_a_read_only_step_has_no_chips_and_no_carry_in(client, alice, bob, assessment, sources):
    cite(assessment, alice, "TF-D1.1", [sources[0].pk])
    client.force_login(bob)
    html = client.get(step(assessment, 2)).content.decode()
    assert "cw-chip" not in html and "cw-citation-carry" not in html
    assessment_submit(assessment=assessment, user=alice)
    client.force_login(alice)
    html = client.get(step(assessment)).content.decode()
    assert "cw-chip" not in html and "cw-citation-carry" not in html


@pytest.mark.parametrize("items", [3, 30])
def test_a_later_step_with_chips_runs_a_constant_number_of_queries(
    client, alice, alice_case, django_assert_max_num_queries, items
):
    version = factories.make_tiny_framework(
        f"K{items}",
        dimensions=(
            ("D1", 1, [(f"D1.{i}", "scored", 1) for i in range(items)]),
            ("D2", 1, [(f"D2.{i}", "scored", 1) for i in range(items)]),
        ),
    )
    assessment = assessment_start(case=alice_case, version=version, user=alice)
    source = CaseSource.objects.create(case=alice_case, title="来源")
    cite(assessment, alice, f"K{items}-D1.0", [source.pk])
    client.force_login(alice)
    client.get(step(assessment, 2))  # warm the session
    # A later step: the page, its cards, what is left, the sources panel and the carry-in;
    # the framework's structure is kept per process, so it costs no query.
    with django_assert_max_num_queries(10):
        response = client.get(step(assessment, 2))
    chips = re.findall(r'data-cw-chip="[\w-]+-src-\d+"', response.content.decode())
    assert len(chips) == items


# --- The sources as JSON, for a refresh after a source is added ---------------------------------


def sources_url(assessment):
    return reverse("wizard_citation_sources", args=[assessment.pk])


def test_the_sources_json_lists_the_cases_sources_numbered(client, alice, assessment, sources):
    client.force_login(alice)
    response = client.get(sources_url(assessment))
    assert response.status_code == 200
    payload = response.json()["sources"]
    assert [s["number"] for s in payload] == [1, 2, 3]
    assert payload[1] == {
        "id": sources[1].pk,
        "number": 2,
        "short": "审计报告",
        "title": "审计报告",
    }


def test_another_units_analyst_gets_404_for_the_sources_json(client, charlie, assessment, sources):
    client.force_login(charlie)
    assert client.get(sources_url(assessment)).status_code == 404


def test_the_sources_json_needs_a_login(client, assessment):
    response = client.get(sources_url(assessment))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_conflict_card_keeps_my_pressed_chips_and_my_page(
    client, alice, unit_a, assessment, sources
):
    report, audit, _interview = sources
    other = factories.make_user("alice2", unit=unit_a)
    cite(assessment, other, "TF-D1.1", [report.pk])
    client.force_login(alice)
    response = client.post(
        reverse("wizard_answer_save", args=[assessment.pk, "TF-D1.1"]),
        {
            "TF-D1.1-version": 0,
            "TF-D1.1-citations": [str(audit.pk)],
            f"TF-D1.1-locator-{audit.pk}": "p. 9",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    html = response.content.decode().split("<template")[0]
    pressed = re.findall(r'aria-pressed="true" data-cw-chip="[\w-]+-src-(\d+)"', html)
    assert pressed == [str(audit.pk)]
    assert 'value="p. 9"' in html


def test_a_source_title_with_markup_is_escaped_in_the_chip(client, alice, alice_case, assessment):
    CaseSource.objects.create(case=alice_case, title='<img src=x onerror=alert(1)>"报告')
    client.force_login(alice)
    html = client.get(step(assessment)).content.decode()
    assert "<img src=x" not in html
    assert 'title="&lt;img src=x onerror=alert(1)&gt;&quot;报告"' in html

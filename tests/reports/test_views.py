"""Specs for the HTML reports: access, content, and the figure JSON drawn by Plotly."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from casework.models import Answer
from casework.services.assessments import assessment_start
from frameworks.models import Framework
from tests.reports.conftest import RECORD, figures_in, score_tiny


def test_analyst_sees_the_report_of_her_assessment(client, alice, scored_assessment):
    client.force_login(alice)

    response = client.get(reverse("report_assessment", args=[scored_assessment.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "城市一网通办改革" in html
    assert "62.2" in html
    assert "已定义" in html
    assert "改进 D1.2" in html  # the top gap's recommendation
    assert "市政府工作报告 2024" in html  # the cited source, in the numbered bibliography
    assert "vendor/plotly/plotly.min.js" in html
    assert "cdn" not in html.lower()


def test_manager_of_the_unit_sees_the_report(client, bob, scored_assessment):
    client.force_login(bob)

    assert client.get(reverse("report_assessment", args=[scored_assessment.pk])).status_code == 200


def test_analyst_of_another_unit_gets_404(client, charlie, scored_assessment):
    client.force_login(charlie)

    assert client.get(reverse("report_assessment", args=[scored_assessment.pk])).status_code == 404
    assert client.get(reverse("report_case", args=[scored_assessment.case_id])).status_code == 404


def test_anonymous_user_is_sent_to_login(client, scored_assessment):
    response = client.get(reverse("report_assessment", args=[scored_assessment.pk]))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_page_carries_the_radar_data_with_the_right_scores(client, alice, scored_assessment):
    client.force_login(alice)

    figures = figures_in(client.get(reverse("report_assessment", args=[scored_assessment.pk])))

    radar = figures[f"a{scored_assessment.pk}-radar"]
    trace = radar["data"][0]
    assert trace["type"] == "scatterpolar"
    # Closed loop: D1, D2, back to D1.
    assert trace["r"] == [66.7, 60.0, 66.7]
    # Long labels are wrapped onto lines for the chart.
    labels = [label.replace("<br>", " ") for label in trace["theta"]]
    assert labels[:2] == ["TF-D1 维度 D1", "TF-D2 维度 D2"]


def test_page_carries_the_register_charts(client, alice, scored_assessment):
    client.force_login(alice)

    figures = figures_in(client.get(reverse("report_assessment", args=[scored_assessment.pk])))

    prefix = f"a{scored_assessment.pk}-"
    assert set(figures) == {
        prefix + n for n in ("radar", "risks", "stakeholders", "indicators", "phases")
    }
    heat = figures[prefix + "risks"]["data"][0]
    # Two risks at likelihood 4 × impact 5, one at 2 × 3.
    assert heat["text"][3][4] == "2"
    assert heat["text"][1][2] == "1"
    assert sum(int(cell or 0) for row in heat["text"] for cell in row) == 3
    people = figures[prefix + "stakeholders"]["data"]
    assert sorted((t["x"][0], t["y"][0]) for t in people) == [(4, 5), (5, 2)]
    assert figures[prefix + "indicators"]["data"][0]["x"] == [71.4]


def test_page_overlays_the_previous_round(client, alice, scored_assessment, tiny_version):
    second = assessment_start(case=scored_assessment.case, version=tiny_version, user=alice)
    score_tiny(second, d11=5, d12=5, d21=5)
    client.force_login(alice)

    figures = figures_in(client.get(reverse("report_assessment", args=[second.pk])))

    # The third trace, when there is one, is the part resting on firm evidence (tests/analytics).
    current, previous = figures[f"a{second.pk}-radar"]["data"][:2]
    assert current["r"] == [100.0, 100.0, 100.0]
    assert previous["r"] == [66.7, 60.0, 66.7]


def test_case_report_links_to_compare_rounds(client, alice, scored_assessment, tiny_version):
    second = assessment_start(case=scored_assessment.case, version=tiny_version, user=alice)
    client.force_login(alice)

    response = client.get(reverse("report_case", args=[scored_assessment.case_id]))

    assert response.status_code == 200
    assert (
        f"{reverse('compare')}?a={scored_assessment.pk}&amp;a={second.pk}"
        in response.content.decode()
    )


def test_report_is_bilingual(client, alice, scored_assessment):
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("report_assessment", args=[scored_assessment.pk])).content.decode()

    assert "Executive summary" in html
    assert "Defined" in html
    assert "Dimension D1" in html


def test_report_page_queries_stay_constant(
    client, alice, scored_assessment, django_assert_max_num_queries
):
    client.force_login(alice)

    # Session, user, access, the report context (sources, timeline, findings, actions and
    # measurements included) and the page's links: none per item or per row. The assessment
    # is loaded twice on a first view: without its people for the page's version (as every
    # view does, test_report_page_cost), with them for the body.
    with django_assert_max_num_queries(21):
        client.get(reverse("report_assessment", args=[scored_assessment.pk]))


@pytest.mark.django_db
def test_case_report_with_the_real_frameworks(client, alice, alice_case):
    call_command("load_frameworks", verbosity=0)
    for code in ("SF", "CA"):
        version = Framework.objects.get(code=code).latest_published()
        assessment = assessment_start(case=alice_case, version=version, user=alice)
        Answer.objects.filter(assessment=assessment, criterion__kind="scored").update(level=3)
    client.force_login(alice)

    response = client.get(reverse("report_case", args=[alice_case.pk]))

    assert response.status_code == 200
    figures = figures_in(response)
    radars = {key: fig for key, fig in figures.items() if key.endswith("-radar")}
    assert len(radars) == 2
    for fig in radars.values():
        # Six dimensions, all at level 3 of 0–5, loop closed.
        assert fig["data"][0]["r"] == [60.0] * 7
    # The cross-walk: CA-1 informs SF-1 and SF-2, both scored.
    assert response.context["crosswalk"][0]["code"] == "CA-1"
    targets = response.context["crosswalk"][0]["informs"]
    assert {(t["code"], t["percent"]) for t in targets} == {("SF-1", 60.0), ("SF-2", 60.0)}


@pytest.mark.parametrize(
    ("language", "locale", "loads_chinese"), [("zh-hans", "zh-CN", True), ("en", "en", False)]
)
def test_charts_are_drawn_in_the_page_language_from_static_files_only(
    client, alice, scored_assessment, language, locale, loads_chinese
):
    client.force_login(alice)
    client.cookies["django_language"] = language

    html = client.get(reverse("report_assessment", args=[scored_assessment.pk])).content.decode()

    assert f'data-locale="{locale}"' in html
    assert ("vendor/plotly/zh-cn.js" in html) is loads_chinese
    # Every script is a static file or the figure JSON: no inline code.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert " src=" in tag or 'type="application/json"' in tag, tag
    assert "onclick=" not in html.lower()


def test_the_vendored_plotly_locale_is_found_with_its_licence():
    from django.contrib.staticfiles import finders

    for path in ("vendor/plotly/zh-cn.js", "vendor/plotly/LICENSE-locales", "js/report-figures.js"):
        assert finders.find(path), path


# --- a report of record ------------------------------------------------------------------


def record_page(client, user, assessment) -> str:
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("report_assessment", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_opens_with_the_case_and_its_numbered_sources(client, alice, record_assessment):
    html = record_page(client, alice, record_assessment)

    case_part = html[html.index('id="case"') : html.index(f'id="a{record_assessment.pk}"')]
    assert RECORD["summary"] in case_part and RECORD["summary_2"] in case_part
    assert RECORD["context"] in case_part
    assert RECORD["event"] in case_part and "March 1, 2024" in case_part
    assert "portal" in case_part  # a tag
    # The bibliography: numbered entries with anchors, publisher, link and accessed date.
    assert '<li id="src-1" value="1">' in case_part
    assert f'<span class="cw-bib-title">{RECORD["source"]}</span>' in case_part
    assert RECORD["publisher"] in case_part
    assert f'href="{RECORD["url"]}"' in case_part
    assert "accessed Nov. 30, 2026" in case_part
    assert '<li id="src-2" value="2">' in case_part


def test_evidence_cites_by_number_with_a_link_a_quote_and_the_note(
    client, alice, record_assessment
):
    html = record_page(client, alice, record_assessment)

    assert f'<a href="#src-1" title="{RECORD["source"]}">[1, p. 12]</a>' in html
    assert f'<q class="cw-quote">{RECORD["quote"]}</q>' in html
    assert RECORD["note"] in html
    assert RECORD["problem_note"] in html  # an observation's note


def test_the_analysts_judgement_and_the_action_plan_are_in_the_report(
    client, alice, record_assessment
):
    html = record_page(client, alice, record_assessment)

    summary = html[html.index(f'id="a{record_assessment.pk}-summary"') :]
    # The conclusion comes first in the executive summary, before the computed strengths.
    assert summary.index(RECORD["conclusion"]) < summary.index("Top strengths")
    assert RECORD["findings"] in html
    assert RECORD["lessons"] in html
    # Retrospective: the plan is worded as lessons to apply.
    assert "Lessons to apply" in html and "Action plan" not in html
    actions = html[html.index('data-testid="actions-TF"') :]
    assert RECORD["action"] in actions
    assert "TF-D1.2" in actions and "June 30, 2026" in actions


def test_a_present_negative_observation_is_marked_as_a_problem(client, alice, record_assessment):
    html = record_page(client, alice, record_assessment)

    badge = re.search(
        r'<span class="cw-obs cw-tone-(\w+)" data-tone="\w+">Present · problem</span>'
        r" <strong>TF-D1.3</strong>",
        html,
    )
    assert badge and badge.group(1) == "problem"
    problems = html[
        html.index("Problems found") : html.index(f'id="a{record_assessment.pk}-radar"')
    ]
    assert "TF-D1.3" in problems and RECORD["problem_note"] in problems
    assert "a problem found" in html  # the legend


def test_an_occurred_risk_stands_out_with_what_happened(client, alice, record_assessment):
    html = record_page(client, alice, record_assessment)

    risks = html[html.index('data-testid="risks-TF"') :]
    row = risks[risks.index('<tr class="cw-occurred">') :].split("</tr>")[0]
    assert "Occurred" in row and RECORD["outcome"] in row


def test_a_lower_is_better_kpi_that_misses_is_missed_in_the_table_and_the_figure(
    client, alice, record_assessment
):
    html = record_page(client, alice, record_assessment)

    table = html[html.index('data-testid="indicators-TF"') :].split("</table>")[0]
    assert "Lower is better" in table
    assert 'data-met="missed"' in table and "Missed" in table
    # Latest measurement with its date, numbers written with their unit.
    assert "5天" in table and "June 30, 2025" in table and "3天" in table and "10天" in table
    figures = figures_in_html(html)
    prefix = f"a{record_assessment.pk}-"
    assert figures[prefix + "indicators"]["layout"]["meta"]["missed"] == ["企业开办时间"]
    trend = figures[prefix + "indicator_trends"]
    assert trend["layout"]["meta"]["missed"] == ["企业开办时间"]
    assert trend["data"][0]["x"] == ["2024-06-30", "2025-06-30"]


def test_the_version_is_written_for_a_reader(client, alice, record_assessment):
    html = record_page(client, alice, record_assessment)

    assert "rev." not in html
    assert f"Round 1 · Version {record_assessment.revision}, saved " in html


def figures_in_html(html: str) -> dict:
    import json

    match = re.search(
        r'<script id="report-figures" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(match.group(1))

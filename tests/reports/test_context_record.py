"""Specs for the parts of the report context that make it a report of record.

The case itself (summary, context, timeline, numbered sources), citations by number with a page,
the analyst's judgement (findings, conclusion, lessons, perspective), the action plan, findings
with a direction, and registers that hold a past case (occurred risks, dated measurements).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from casework.models import (
    Action,
    Answer,
    Assessment,
    CaseEvent,
    CaseSource,
    Indicator,
    Measurement,
    Risk,
)
from casework.models.narrative import DimensionFinding
from casework.reports.context import _tone, assessment_context, case_facts, paragraphs
from casework.services.assessments import assessment_start
from frameworks.models import Criterion
from tests.reports.conftest import score_tiny


def test_paragraphs_split_on_blank_lines_only():
    assert paragraphs("第一段\n仍是第一段\n\n第二段\r\n\r\n\n") == ["第一段\n仍是第一段", "第二段"]
    assert paragraphs("") == []


def test_the_case_opens_with_its_story_timeline_and_numbered_sources(alice_case):
    alice_case.summary = "市里推行一网通办。\n\n三年后复盘。"
    alice_case.context = "背景一。\n\n背景二。"
    alice_case.tags = ["一网通办", "营商环境"]
    alice_case.save()
    CaseEvent.objects.create(case=alice_case, happened_on=date(2023, 5, 1), title="系统上线")
    CaseEvent.objects.create(case=alice_case, happened_on=date(2022, 1, 10), title="启动")
    CaseSource.objects.create(
        case=alice_case,
        title="审计报告",
        publisher="市审计局",
        reference="https://example.org/audit.pdf",
        published_on=date(2024, 3, 1),
        accessed_on=date(2026, 11, 2),
        order=2,
    )
    CaseSource.objects.create(
        case=alice_case, title="访谈记录", reference="内部档案 12 号", order=1
    )

    case = case_facts(alice_case)

    assert case["summary_paragraphs"] == ["市里推行一网通办。", "三年后复盘。"]
    assert case["context_paragraphs"] == ["背景一。", "背景二。"]
    assert case["tags"] == ["一网通办", "营商环境"]
    assert [e["title"] for e in case["events"]] == ["启动", "系统上线"]
    first, second = case["sources"]
    assert (first["number"], first["title"], first["url"]) == (1, "访谈记录", "")
    assert (second["number"], second["anchor"], second["publisher"]) == (2, "src-2", "市审计局")
    # Only an http(s) reference becomes a link; anything else stays text.
    assert second["url"] == "https://example.org/audit.pdf"
    assert second["accessed_on"] == date(2026, 11, 2)


def test_citations_carry_the_source_number_and_page(scored_assessment):
    source = CaseSource.objects.get(case=scored_assessment.case)
    Answer.objects.filter(assessment=scored_assessment, criterion__code="TF-D1.1").update(
        citations=[
            {"source": source.pk, "locator": "p. 12", "quote": "压缩到三个工作日"},
            {"source": 999_999, "locator": "", "quote": ""},
        ]
    )

    item = assessment_context(scored_assessment)["dimensions"][0]["items"][0]

    cited, removed = item["citations"]
    assert cited["label"] == "[1, p. 12]"
    assert cited["anchor"] == "src-1"
    assert cited["quote"] == "压缩到三个工作日"
    # A source deleted since is still cited, as a number nobody can follow.
    assert removed["number"] is None
    assert removed["label"] == "[?]"


@pytest.mark.parametrize(
    ("polarity", "observation", "tone"),
    [
        ("negative", "present", "problem"),
        ("negative", "absent", "good"),
        ("positive", "present", "good"),
        ("positive", "absent", "problem"),
        ("neutral", "present", "neutral"),
        ("negative", "unknown", "unknown"),
        ("positive", "", "unknown"),
    ],
)
def test_an_observation_reads_by_its_polarity(polarity, observation, tone):
    assert _tone(polarity, observation) == tone


def test_a_present_negative_observation_is_reported_as_a_problem(frameworks, alice_case, alice):
    assessment = assessment_start(case=alice_case, version=frameworks["CA"], user=alice)
    overrun = Criterion.objects.get(version=frameworks["CA"], code="CA-2.2.7")
    assert overrun.polarity == "negative"
    Answer.objects.filter(assessment=assessment, criterion=overrun).update(
        observation="present", note="预算超支 40%"
    )

    report = assessment_context(assessment)

    problems = report["summary"]["problems"]
    assert [(p["code"], p["tone"], p["note"]) for p in problems] == [
        ("CA-2.2.7", "problem", "预算超支 40%")
    ]
    scope = next(d for d in report["dimensions"] if d["code"] == "CA-2")
    assert [p["code"] for p in scope["problems"]] == ["CA-2.2.7"]


def test_the_analysts_judgement_is_in_the_report(scored_assessment):
    Assessment.objects.filter(pk=scored_assessment.pk).update(
        perspective="retrospective",
        conclusion="改革总体成功。\n\n但数据共享滞后。",
        lessons="先打通数据，再上线服务。",
    )
    DimensionFinding.objects.create(
        assessment=scored_assessment, dimension_code="TF-D1", text="目标清晰 [1, p. 3]。"
    )
    scored_assessment.refresh_from_db()

    with translation.override("en"):
        report = assessment_context(scored_assessment)

    facts = report["assessment"]
    assert facts["is_retrospective"] is True
    assert facts["conclusion_paragraphs"] == ["改革总体成功。", "但数据共享滞后。"]
    assert facts["lessons_paragraphs"] == ["先打通数据，再上线服务。"]
    assert report["summary"]["conclusion_paragraphs"] == facts["conclusion_paragraphs"]
    assert report["action_heading"] == "Lessons to apply"
    by_code = {d["code"]: d for d in report["dimensions"]}
    assert by_code["TF-D1"]["findings"] == "目标清晰 [1, p. 3]。"
    assert by_code["TF-D2"]["findings_paragraphs"] == []


def test_the_action_plan_and_the_previous_rounds_actions(scored_assessment, alice):
    gap = Criterion.objects.get(version=scored_assessment.version, code="TF-D1.2")
    done = Action.objects.create(
        assessment=scored_assessment,
        criterion=gap,
        text="把目标写进年度计划",
        owner="办公室",
        priority="high",
        due_on=date(2025, 6, 30),
        status="done",
    )
    Assessment.objects.filter(pk=scored_assessment.pk).update(status="approved")
    second = assessment_start(
        case=scored_assessment.case, version=scored_assessment.version, user=alice
    )
    Action.objects.filter(assessment=second).delete()
    Action.objects.create(assessment=second, text="建立季度复盘", carried_from=done, order=1)

    with translation.override("en"):
        report = assessment_context(second)

    assert report["action_heading"] == "Action plan"
    (action,) = report["actions"]
    assert action["text"] == "建立季度复盘"
    assert action["carried_from_round"] == 1
    assert action["is_open"] is True
    (previous,) = report["previous_actions"]
    assert (previous["status"], previous["status_label"]) == ("done", "Done")
    assert (previous["criterion_code"], previous["priority_label"]) == ("TF-D1.2", "High")


def test_registers_hold_a_past_case(scored_assessment):
    risk = Risk.objects.get(assessment=scored_assessment, description="旧系统数据难以迁移")
    risk.status = Risk.Status.OCCURRED
    risk.outcome = "迁移延误四个月"
    risk.save()
    availability = Indicator.objects.create(
        assessment=scored_assessment,
        family=Indicator.Family.TECHNOLOGY,
        name="系统可用率",
        unit="%",
        target=Decimal("99"),
    )
    Measurement.objects.create(
        indicator=availability, measured_on=date(2024, 1, 1), value=Decimal("43")
    )
    Measurement.objects.create(
        indicator=availability, measured_on=date(2023, 1, 1), value=Decimal("20")
    )

    report = assessment_context(scored_assessment)

    registers = report["registers"]
    occurred = [r for r in registers["risks"] if r["occurred"]]
    assert [(r["description"], r["outcome"]) for r in occurred] == [
        ("旧系统数据难以迁移", "迁移延误四个月")
    ]
    row = next(i for i in registers["indicators"] if i["name"] == "系统可用率")
    assert [m["value"] for m in row["measurements"]] == [20.0, 43.0]
    assert (row["latest"], row["latest_date"]) == (43.0, date(2024, 1, 1))
    # No baseline: progress against the target alone, not a dash.
    assert row["progress_percent"] == pytest.approx(43.4)
    assert row["met"] is False
    summary = report["summary"]
    assert [r["description"] for r in summary["occurred_risks"]] == ["旧系统数据难以迁移"]
    assert summary["severe_risks"][0]["occurred"] is True
    assert [i["name"] for i in summary["missed_indicators"]][0] == "系统可用率"


def test_a_lower_is_better_indicator_that_misses_is_reported_missed(scored_assessment):
    # The fixture's 企业开办时间: baseline 10 days, target 3, actual 5, lower is better.
    report = assessment_context(scored_assessment)

    row = next(i for i in report["registers"]["indicators"] if i["name"] == "企业开办时间")
    assert row["met"] is False
    assert row["progress_percent"] == pytest.approx(71.4)
    assert row in report["summary"]["missed_indicators"]


def test_context_reads_the_new_parts_in_a_constant_number_of_queries(
    scored_assessment, django_assert_max_num_queries
):
    score_tiny(scored_assessment)
    # 21: the case's listed sector is one (the access helper joins it; this fixture does not).
    with django_assert_max_num_queries(21):
        assessment_context(scored_assessment)


def test_a_draft_never_renames_the_framework_on_a_done_report(scored_assessment):
    from frameworks.services import framework_version_new_draft

    before = assessment_context(scored_assessment)["framework"]["name"]
    draft = framework_version_new_draft(version=scored_assessment.version)
    draft.name_zh = draft.name_en = "改过名的草稿"
    draft.save()

    report = assessment_context(scored_assessment)

    assert report["framework"]["name"] == before != "改过名的草稿"

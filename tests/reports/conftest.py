"""Report fixtures: a scored assessment of alice's case on the tiny framework, with registers.

Hand-checked scores (scale 0–5; D1 weight 1, D2 weight 2):
- TF-D1.1 (weight 2) level 4 → 0.8; TF-D1.2 (weight 1) level 2 → 0.4; TF-D1.3 observation present
  D1 = (2·0.8 + 1·0.4) / 3 = 0.6667 → 66.7, band 3
- TF-D2.1 level 3 → 0.6: D2 = 60.0, band 3
- overall = (1·0.6667 + 2·0.6) / 3 = 0.6222 → 62.2, band round(3.11) = 3 "已定义" / "Defined"
"""

from datetime import date
from decimal import Decimal

import pytest

from casework.models import Answer, CaseSource, Goal, Indicator, Phase, Risk, Stakeholder
from casework.services.assessments import assessment_start, assessment_touch


def set_answer(assessment, code, **fields):
    """Write an answer row directly, then touch the assessment as every writer does."""
    updated = Answer.objects.filter(assessment=assessment, criterion__code=code).update(**fields)
    assert updated == 1, code
    assessment_touch(assessment_id=assessment.pk)  # the stored scores follow the answers


def score_tiny(assessment, *, d11=4, d12=2, d21=3, evidence="市里把 120 个事项搬到了网上。"):
    set_answer(assessment, "TF-D1.1", level=d11, confidence="high", evidence=evidence)
    set_answer(assessment, "TF-D1.2", level=d12, confidence="medium")
    set_answer(assessment, "TF-D1.3", observation="present")
    set_answer(assessment, "TF-D2.1", level=d21, confidence="low")


def add_registers(assessment):
    Goal.objects.create(
        assessment=assessment,
        statement="年底前把企业开办时间压缩到三个工作日",
        target="3 个工作日",
        owner="市政务服务管理局",
        deadline=date(2025, 12, 31),
        specific=True,
        measurable=True,
        achievable=True,
        relevant=True,
        time_bound=True,
    )
    Stakeholder.objects.create(
        assessment=assessment,
        name="分管副市长",
        group=Stakeholder.Group.LEADERS,
        influence=5,
        interest=4,
        attitude=Stakeholder.Attitude.CHAMPION,
    )
    Stakeholder.objects.create(
        assessment=assessment,
        name="窗口工作人员",
        group=Stakeholder.Group.BUSINESS_STAFF,
        influence=2,
        interest=5,
        attitude=Stakeholder.Attitude.SCEPTICAL,
    )
    Risk.objects.create(
        assessment=assessment,
        category=Risk.Category.TECHNOLOGY,
        description="旧系统数据难以迁移",
        likelihood=4,
        impact=5,
    )
    Risk.objects.create(
        assessment=assessment,
        category=Risk.Category.MANAGEMENT,
        description="部门之间数据共享意愿不足",
        likelihood=4,
        impact=5,
    )
    Risk.objects.create(
        assessment=assessment,
        category=Risk.Category.POLICY,
        description="上级政策调整",
        likelihood=2,
        impact=3,
    )
    Indicator.objects.create(
        assessment=assessment,
        family=Indicator.Family.EFFICIENCY,
        name="企业开办时间",
        unit="天",
        baseline=Decimal("10"),
        target=Decimal("3"),
        actual=Decimal("5"),
        higher_is_better=False,
    )
    Phase.objects.create(
        assessment=assessment,
        name="试点区县上线",
        start=date(2024, 1, 1),
        end=date(2024, 6, 30),
        is_pilot=True,
        status=Phase.Status.DONE,
    )
    Phase.objects.create(
        assessment=assessment,
        name="全市推广",
        start=date(2024, 7, 1),
        end=date(2025, 6, 30),
        status=Phase.Status.IN_PROGRESS,
    )


def build_scored_assessment(*, case, version, user):
    """The tiny framework scored as in the module docstring, one cited source, all registers."""
    assessment = assessment_start(case=case, version=version, user=user)
    source = CaseSource.objects.create(case=case, title="市政府工作报告 2024", order=1)
    score_tiny(assessment)
    Answer.objects.filter(assessment=assessment, criterion__code="TF-D1.1").update(
        citations=[source.pk]
    )
    add_registers(assessment)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def scored_assessment(alice_case, tiny_version, alice):
    return build_scored_assessment(case=alice_case, version=tiny_version, user=alice)


# What `record_assessment` writes, for the tests that look for it in the HTML and the PDF.
RECORD = {
    "summary": "把高频事项搬到网上办理。",
    "summary_2": "Three years on, the back offices never joined up.",
    "context": "The city started in 2023 under a provincial drive.",
    "event": "Portal launched",
    "source": "City work report 2024",
    "publisher": "City government",
    "url": "https://example.org/report-2024",
    "second_source": "Audit office review",
    "locator": "p. 12",
    "quote": "120 services moved online",
    "note": "Seen in the 2024 work report, section 3.",
    "problem_note": "Staff pushed back at every counter.",
    "findings": "Leadership was strong; the data work lagged behind.",
    "conclusion": "The one-stop portal worked for citizens but the back offices never joined up.",
    "lessons": "Fund the data sharing before the front end.",
    "action": "Agree a data sharing charter with every bureau",
    "outcome": "Two legacy systems could not be migrated.",
}


def make_record_version():
    """The tiny framework with TF-D1.3 as a negative observation: found present, a problem."""
    from frameworks.models import Criterion, FrameworkVersion
    from tests import factories

    version = factories.make_tiny_framework(publish=False)
    Criterion.objects.filter(dimension__version=version, code="TF-D1.3").update(polarity="negative")
    version.status = FrameworkVersion.Status.PUBLISHED
    version.save()
    return version


def make_record(*, case, version, user):
    """A retrospective assessment with everything a report of record shows.

    The case: two summary paragraphs, context, tags, one event, two numbered sources.
    TF-D1.1 cites [1, p. 12] with a quote and has a note; TF-D1.3 (negative) was found present
    with a note; D1 has findings; conclusion, lessons and one action; the first risk occurred;
    the lower-is-better indicator (target 3 天) was measured at 7 then 5 天: missed.
    """
    from casework.models import Action, CaseEvent, Measurement
    from casework.models.narrative import DimensionFinding
    from frameworks.models import Criterion

    case.summary = f"{RECORD['summary']}\n\n{RECORD['summary_2']}"
    case.context = RECORD["context"]
    case.tags = ["一网通办", "portal"]
    case.save()
    CaseEvent.objects.create(case=case, happened_on=date(2024, 3, 1), title=RECORD["event"])
    first = CaseSource.objects.create(
        case=case,
        title=RECORD["source"],
        publisher=RECORD["publisher"],
        reference=RECORD["url"],
        published_on=date(2024, 2, 1),
        accessed_on=date(2026, 11, 30),
        order=1,
    )
    CaseSource.objects.create(case=case, title=RECORD["second_source"], order=2)

    assessment = assessment_start(case=case, version=version, user=user)
    score_tiny(assessment)
    set_answer(
        assessment,
        "TF-D1.1",
        citations=[{"source": first.pk, "locator": RECORD["locator"], "quote": RECORD["quote"]}],
        note=RECORD["note"],
    )
    set_answer(assessment, "TF-D1.3", note=RECORD["problem_note"])
    add_registers(assessment)
    DimensionFinding.objects.create(
        assessment=assessment, dimension_code="TF-D1", text=RECORD["findings"]
    )
    Action.objects.create(
        assessment=assessment,
        text=RECORD["action"],
        owner="市政务服务管理局",
        priority=Action.Priority.HIGH,
        due_on=date(2026, 6, 30),
        criterion=Criterion.objects.get(dimension__version=version, code="TF-D1.2"),
        order=1,
    )
    risk = Risk.objects.filter(assessment=assessment).order_by("id").first()
    risk.status = Risk.Status.OCCURRED
    risk.outcome = RECORD["outcome"]
    risk.save()
    indicator = Indicator.objects.get(assessment=assessment)
    Measurement.objects.create(indicator=indicator, measured_on=date(2024, 6, 30), value=7)
    Measurement.objects.create(indicator=indicator, measured_on=date(2025, 6, 30), value=5)
    assessment.conclusion = RECORD["conclusion"]
    assessment.lessons = RECORD["lessons"]
    assessment.perspective = "retrospective"
    assessment.save()
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def record_assessment(alice_case, alice):
    return make_record(case=alice_case, version=make_record_version(), user=alice)


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached PDFs must not leak from one test into the next (the cache is per process)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def figures_in(response) -> dict:
    """The figure JSON the page hands to Plotly, parsed back."""
    import json
    import re

    match = re.search(
        r'<script id="report-figures" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no figure JSON in the page"
    return json.loads(match.group(1))


def pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)

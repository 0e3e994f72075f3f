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


@pytest.fixture
def scored_assessment(alice_case, tiny_version, alice):
    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    source = CaseSource.objects.create(case=alice_case, title="市政府工作报告 2024", order=1)
    score_tiny(assessment)
    Answer.objects.filter(assessment=assessment, criterion__code="TF-D1.1").update(
        citations=[source.pk]
    )
    add_registers(assessment)
    assessment.refresh_from_db()
    return assessment


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

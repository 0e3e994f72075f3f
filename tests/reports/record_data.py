"""The parts of a report of record, added to a scored assessment (tests/reports/conftest.py).

After `add_record`: the case has a summary, context, a timeline and two numbered sources;
TF-D1.1 cites source [1] at "p. 12" with a quote and has an observation note; D1 has findings; the assessment has a
conclusion, lessons and two actions; one risk occurred; the indicator has two measurements.
On `make_problem_framework()`, TF-D1.3 (found present) is a negative observation: a problem.
"""

from datetime import date
from decimal import Decimal

from casework.models import (
    Action,
    Answer,
    CaseEvent,
    CaseSource,
    Indicator,
    Measurement,
    Risk,
)
from casework.models.narrative import DimensionFinding
from frameworks.models import Criterion

CONCLUSION = "The one-stop portal worked for citizens but the back offices never joined up."
LESSONS = "Fund the data sharing before the front end."
FINDINGS = "Leadership was strong; the data work lagged behind."
NOTE = "Seen in the 2024 work report, section 3."
ACTION = "Agree a data sharing charter with every bureau"
QUOTE = "120 services moved online"


def make_problem_framework():
    """The tiny framework with TF-D1.3 as a negative observation (set before publishing)."""
    from frameworks.models import FrameworkVersion
    from tests import factories

    version = factories.make_tiny_framework(publish=False)
    Criterion.objects.filter(dimension__version=version, code="TF-D1.3").update(polarity="negative")
    version.status = FrameworkVersion.Status.PUBLISHED
    version.save()
    return version


def add_record(assessment):
    case = assessment.case
    case.summary = "把高频事项搬到网上办理。\n\n第二段摘要。"
    case.context = "The city started in 2023.\n\nA second paragraph of context."
    case.tags = ["一网通办", "portal"]
    case.save()
    CaseEvent.objects.create(
        case=case, happened_on=date(2024, 3, 1), title="Portal launched", description="Pilot"
    )
    first = CaseSource.objects.filter(case=case).order_by("order", "id").first()
    if first is None:
        first = CaseSource.objects.create(case=case, title="市政府工作报告 2024", order=1)
    first.publisher = "City government"
    first.reference = "https://example.org/report-2024"
    first.published_on = date(2024, 2, 1)
    first.accessed_on = date(2025, 1, 5)
    first.save()
    CaseSource.objects.create(case=case, title="Audit office review", order=2)
    Answer.objects.filter(assessment=assessment, criterion__code="TF-D1.1").update(
        citations=[{"source": first.pk, "locator": "p. 12", "quote": QUOTE}], note=NOTE
    )
    DimensionFinding.objects.create(assessment=assessment, dimension_code="TF-D1", text=FINDINGS)
    Action.objects.create(
        assessment=assessment,
        text=ACTION,
        owner="市政务服务管理局",
        priority=Action.Priority.HIGH,
        due_on=date(2026, 6, 30),
        criterion=Criterion.objects.get(dimension__version=assessment.version, code="TF-D1.2"),
        order=1,
    )
    Action.objects.create(assessment=assessment, text="Publish the KPIs monthly", order=2)
    risk = Risk.objects.filter(assessment=assessment).order_by("id").first()
    risk.status = Risk.Status.OCCURRED
    risk.outcome = "Two legacy systems could not be migrated."
    risk.save()
    indicator = Indicator.objects.filter(assessment=assessment).first()
    Measurement.objects.create(
        indicator=indicator, measured_on=date(2024, 6, 30), value=Decimal("7"), note="at launch"
    )
    Measurement.objects.create(
        indicator=indicator, measured_on=date(2025, 6, 30), value=Decimal("4.5")
    )
    assessment.conclusion = CONCLUSION
    assessment.lessons = LESSONS
    assessment.perspective = "retrospective"
    assessment.save()
    assessment.refresh_from_db()
    return assessment

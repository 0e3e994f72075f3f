"""What the demo data holds: users and roles, cases at every stage, registers, rounds, a case of
record and a double scoring. The demo is seeded once for the module, in a transaction that is
rolled back when the module is done (seeding took 2.5 s on SQLite and 8 s on PostgreSQL a test).
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from casework.citations import cited_source_ids, normalize_citations
from casework.models import Answer, Assessment, Case, OrgUnit, Role
from casework.selectors import completion_by_assessment
from frameworks.models import Framework
from tests.factories import demo_snapshot as snapshot
from tests.factories import seed_demo as seed
from tests.module_data import rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The frameworks and the demo, seeded with known passwords: {output, frameworks}."""
    with rolled_back(django_db_blocker), pytest.MonkeyPatch.context() as env:
        env.setenv("DEMO_PASSWORD", "demo-secret-1")
        env.setenv("ADMIN_PASSWORD", "admin-secret-1")
        call_command("load_frameworks", stdout=StringIO())
        output = seed()
        yield {
            "output": output,
            "frameworks": set(Framework.objects.values_list("code", flat=True)),
        }


def test_seed_demo_creates_units_users_and_cases_at_every_stage(demo):
    output = demo["output"]
    assert "demo-secret-1" not in output and "admin-secret-1" not in output

    assert OrgUnit.objects.count() == 2
    User = get_user_model()
    roles = {u.username: u.membership.role for u in User.objects.select_related("membership")}
    assert roles == {
        "analyst": Role.ANALYST,
        "manager": Role.MANAGER,
        "analyst2": Role.ANALYST,
        "manager2": Role.MANAGER,
        "analyst3": Role.ANALYST,
        "admin": Role.ADMIN,
    }
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="analyst").check_password("demo-secret-1")
    assert User.objects.get(username="admin").check_password("admin-secret-1")
    units = {
        u.membership.unit_id for u in User.objects.filter(username__in=["analyst", "analyst2"])
    }
    assert len(units) == 2

    assert Case.objects.count() >= 3
    assert Case.objects.filter(title__regex=r"^[A-Za-z]").exists()  # one English case
    latest = {}
    for a in Assessment.objects.select_related("case").order_by("round"):
        latest[(a.case.title, a.framework_id)] = a
    stages = {a.status for a in latest.values()}
    assert {"approved", "submitted", "draft"} <= stages


def test_the_approved_demo_case_is_fully_scored_with_registers_and_two_rounds(demo):
    approved = Assessment.objects.filter(status="approved", round=2)
    assert {a.framework.code for a in approved} == demo["frameworks"]
    case = approved.first().case
    for current in approved:
        answered, total = completion_by_assessment([current.pk])[current.pk]
        assert answered == total > 0
        assert current.previous.status == "approved" and current.previous.round == 1
        levels = set(current.answers.exclude(level=None).values_list("level", flat=True))
        assert len(levels) >= 3  # levels vary
        assert set(current.answers.exclude(confidence="").values_list("confidence", flat=True)) >= {
            "high",
            "medium",
        }
        cited = current.answers.exclude(citations=[]).values_list("citations", flat=True)
        source_ids = set(case.sources.values_list("pk", flat=True))
        assert cited and all(set(cited_source_ids(c)) <= source_ids for c in cited)
        assert current.answers.exclude(evidence="").count() > total // 2
    ca = approved.get(framework__code="CA")
    assert ca.goals.count() >= 3 and ca.goals.filter(specific=True, measurable=True).exists()
    assert ca.stakeholders.count() >= 5
    assert ca.risks.count() >= 5
    assert ca.indicators.count() >= 4
    assert not ca.indicators.filter(actual=None).exists()
    assert ca.phases.count() >= 3 and ca.phases.filter(is_pilot=True).exists()
    # Round 2 improved on round 1 somewhere.
    before = dict(ca.previous.answers.values_list("criterion__code", "level"))
    after = dict(ca.answers.values_list("criterion__code", "level"))
    assert any((after[c] or 0) > (before[c] or 0) for c in after)


def test_the_draft_demo_case_is_half_filled(demo):
    draft = Assessment.objects.filter(status="draft").first()
    answered, total = completion_by_assessment([draft.pk])[draft.pk]
    assert 0 < answered < total


def test_the_demo_holds_an_ongoing_and_a_retrospective_case_of_record(demo):
    troubled = Case.objects.get(title__contains="复盘")
    assert troubled.context and troubled.events.count() >= 5
    assert troubled.sources.exclude(publisher="").count() == troubled.sources.count()
    for assessment in troubled.assessments.all():
        assert assessment.status == "approved"
        assert assessment.perspective == "retrospective"
        assert assessment.conclusion and assessment.lessons
        assert assessment.findings.exclude(text="").exists()
        assert assessment.actions.exists()
    ca = troubled.assessments.get(framework__code="CA")
    assert ca.risks.filter(status="occurred").exclude(outcome="").count() >= 2
    availability = ca.indicators.get(name="系统可用率")
    assert availability.measurements.count() >= 2 and availability.baseline is None
    overrun = ca.answers.get(criterion__code="CA-2.2.7")
    assert (overrun.observation, overrun.note) == ("present", "审计认定超出批复概算约 40%。")

    ongoing = Case.objects.get(title__contains="一网通办")
    latest_sf = ongoing.assessments.get(framework__code="SF", round=2)
    assert latest_sf.perspective == "ongoing" and latest_sf.conclusion
    assert latest_sf.actions.exclude(carried_from=None).exists()


def test_observation_notes_are_notes_and_citations_point_to_pages(demo):
    observations = Answer.objects.filter(criterion__kind="observation").exclude(observation="")
    assert observations.exclude(note="").count() == observations.count()
    cited = Answer.objects.exclude(citations=[]).first()
    assert all(c["locator"] for c in normalize_citations(cited.citations))


def test_one_demo_case_is_scored_twice_blind_and_adjudicated(demo):
    from casework.double import agreement_of, pair_of
    from casework.reports.context import assessment_context

    first = Assessment.objects.get(second_rating__isnull=False)
    second = first.second_rating
    assert (first.status, second.status) == ("approved", "submitted")
    assert second.created_by.username == "analyst3" != first.created_by.username
    agreement = agreement_of(pair_of(first))
    assert agreement["overall"]["to_decide"] > 0 and agreement["undecided"] == 0
    assert all(row.adjudication.reason for row in agreement["to_decide"])
    assert "agreement" in assessment_context(first)
    before = snapshot()
    seed()
    assert snapshot() == before

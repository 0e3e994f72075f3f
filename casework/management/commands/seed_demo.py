"""Demo data: two units, users for every role, and invented cases at different stages.

The data is in fixtures/demo/: cases.yaml (people, cases, their scoring and registers) and
record.yaml (each case's narrative). This command turns it into rows through the services.

Safe to run again: units, users and cases that exist (matched by code, username and title)
are left alone, and passwords are only ever set when a user is created.
"""

import os
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from casework import db_statistics
from casework.management.demo_double import double_score
from casework.management.demo_record import (
    add_measurements,
    apply_record,
    case_spec_fields,
    load_record,
    load_seed,
)
from casework.models import (
    Answer,
    Assessment,
    Case,
    Comment,
    Goal,
    Indicator,
    Membership,
    OrgUnit,
    Phase,
    Risk,
    Role,
    Stakeholder,
)
from casework.services.assessments import (
    assessment_approve,
    assessment_return,
    assessment_submit,
    assessment_touch,
    comment_add,
)
from casework.services.cases import case_create, latest_published_versions
from casework.services.rounds import assessment_start_round
from frameworks.models import Criterion, Dimension


@dataclass
class CaseSpec:
    key: str
    unit: str
    owner: str
    title: str
    body: str
    level: str
    region: str
    sector: str
    period: tuple
    summary: str
    tags: list
    sources: list
    facts: list
    mean_level: float
    stage: str  # approved-twice | approved | submitted | returned | draft
    share_answered: float = 1.0
    registers: dict = field(default_factory=dict)
    last_worked_on: date | None = None
    # Indicator name → [(date, value, note)]; item code → (observation, note).
    measurements: dict = field(default_factory=dict)
    observations: dict = field(default_factory=dict)
    # Register changes made in round 2 (approved-twice cases): indicator actuals, phase and
    # risk statuses, by name.
    round_two: dict = field(default_factory=dict)
    # A framework code: that assessment is scored a second time, blind, and adjudicated.
    double_scored: str = ""


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


class Command(BaseCommand):
    help = "Create demo units, users and cases (safe to run again: existing data is kept)."

    def handle(self, *args, **options):
        if not latest_published_versions():
            raise CommandError("Load the frameworks first: manage.py load_frameworks")
        seed, record = load_seed(), load_record()
        self.people = seed["people"]
        entries = seed["cases"] + record["cases"]
        specs = [CaseSpec(**case_spec_fields(entry)) for entry in entries]
        self.narratives = record["record"]
        with transaction.atomic():
            units = self._units()
            users, passwords = self._users(units)
            made = [self._case(spec, units, users) for spec in specs]
        db_statistics.refresh()  # the planner's statistics (SQLite) describe the data loaded
        for username, password in passwords:
            self.stdout.write(f"Created user {username!r} with password: {password}")
        if passwords:
            self.stdout.write("Write these down: they are not shown again.")
        created = [spec.title for spec, new in zip(specs, made, strict=True) if new]
        for title in created:
            self.stdout.write(f"Created demo case: {title}")
        if not created and not passwords:
            self.stdout.write("Demo data already present; nothing changed.")

    # --- units and users --------------------------------------------------------------------

    def _judgement(self, level) -> str:
        return self.people["judgements"].get(level, "")

    def _units(self) -> dict[str, OrgUnit]:
        units = {}
        for unit in self.people["units"]:
            units[unit["code"]], _ = OrgUnit.objects.get_or_create(
                code=unit["code"], defaults={"name_zh": unit["name_zh"], "name_en": unit["name_en"]}
            )
        return units

    def _users(self, units):
        User = get_user_model()
        passwords = []
        shared = os.getenv("DEMO_PASSWORD") or None
        generated = None
        users = {}
        for person in self.people["users"]:
            username, name, unit_code = person["username"], person["name"], person["unit"]
            role = Role(person["role"])
            user = User.objects.filter(username=username).first()
            if user is None:
                password = shared
                if password is None:
                    generated = generated or secrets.token_urlsafe(12)
                    password = generated
                    passwords.append((username, password))
                user = User.objects.create_user(
                    username=username,
                    password=password,
                    first_name=name,
                    email=f"{username}@demo.example",
                )
                Membership.objects.create(user=user, unit=units[unit_code], role=role)
            users[username] = user
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            password = os.getenv("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            if not os.getenv("ADMIN_PASSWORD"):
                passwords.append(("admin", password))
            admin = User.objects.create_superuser(
                username="admin", password=password, email="admin@demo.example", first_name="管理员"
            )
            Membership.objects.create(user=admin, unit=units["city-data"], role=Role.ADMIN)
        users["admin"] = admin
        return users, passwords

    # --- cases ------------------------------------------------------------------------------

    def _case(self, spec: CaseSpec, units, users) -> bool:
        unit = units[spec.unit]
        if Case.objects.filter(unit=unit, title=spec.title).exists():
            return False
        analyst = users[spec.owner]
        manager = users["manager" if spec.unit == "city-data" else "manager2"]
        result = case_create(
            owner=analyst,
            unit=unit,
            data={
                "title": spec.title,
                "body": spec.body,
                "level": spec.level,
                "region": spec.region,
                "sector": spec.sector,
                "period_start": spec.period[0],
                "period_end": spec.period[1],
                "summary": spec.summary,
                "tags": spec.tags,
            },
            sources=[
                source
                if isinstance(source, dict)
                else {"title": source[0], "reference": source[1], "published_on": source[2]}
                for source in spec.sources
            ],
        )
        case = result.case
        source_ids = list(case.sources.values_list("pk", flat=True))
        for assessment in result.started:
            self._fill(spec, assessment, analyst, source_ids)
            if spec.registers and self._has_registers(assessment):
                self._registers(assessment, spec.registers, analyst)
                for indicator in assessment.indicators.filter(name__in=list(spec.measurements)):
                    add_measurements(indicator, spec.measurements[indicator.name])
            self._advance(spec, assessment, analyst, manager, source_ids)
            if spec.double_scored == assessment.framework.code:
                double_score(
                    assessment,
                    analyst=analyst,
                    second_analyst=users["analyst3"],
                    manager=manager,
                    facts=spec.facts,
                )
        apply_record(case, self.narratives.get(spec.key, {}), analyst=analyst)
        if spec.stage not in ("approved-twice", "approved") and spec.last_worked_on:
            self._backdate_recent(case, spec.last_worked_on)
        if spec.last_worked_on:
            # Spread the cases over time, as they would be in real use.
            Case.objects.filter(pk=case.pk).update(
                created_at=_aware(spec.period[0]), updated_at=_aware(spec.last_worked_on)
            )
        return True

    def _has_registers(self, assessment) -> bool:
        return any(
            Dimension.objects.filter(version_id=assessment.version_id).values_list(
                "registers", flat=True
            )
        )

    def _fill(self, spec, assessment, analyst, source_ids):
        """Realistic, varied answers: levels around the case's mean, Chinese evidence, citations."""
        rng = random.Random(f"{spec.key}:{assessment.framework.code}:{assessment.round}")
        scale = list(assessment.version.scale_levels.values_list("value", flat=True))
        low, high = min(scale), max(scale)
        answers = list(
            Answer.objects.filter(assessment=assessment)
            .select_related("criterion__dimension")
            .order_by("criterion__dimension__order", "criterion__order")
        )
        answered = answers[: round(len(answers) * spec.share_answered)]
        dimension_bias = {}
        for answer in answered:
            criterion = answer.criterion
            bias = dimension_bias.setdefault(criterion.dimension_id, rng.uniform(-0.8, 0.8))
            fact = rng.choice(spec.facts)
            if criterion.kind == Criterion.Kind.OBSERVATION:
                observation = rng.choices(["present", "absent", "unknown"], [7, 2, 1])[0]
                note = self.people["observation_notes"][observation]
                if criterion.code in spec.observations:
                    observation, note = spec.observations[criterion.code]
                elif criterion.polarity == Criterion.Polarity.NEGATIVE:
                    # An invented problem is the analyst's to state, never the dice's.
                    observation, note = "absent", self.people["observation_notes"]["absent"]
                answer.observation = observation
                # What the analyst types beside an observation is its note, not its evidence.
                answer.evidence = f"{fact}。"
                answer.note = note
            elif rng.random() < 0.04:
                answer.not_applicable = True
                answer.na_reason = self.people["na_reason"]
            else:
                mean = spec.mean_level + bias
                level = max(low, min(high, round(rng.gauss(mean, 0.8))))
                answer.level = level
                answer.evidence = f"{fact}。对照“{criterion.title_zh}”：{self.people['judgements'].get(level, '')}"
            answer.confidence = rng.choices(["high", "medium", "low"], [5, 4, 1])[0]
            if source_ids and not answer.not_applicable:
                cited = sorted(rng.sample(source_ids, k=min(len(source_ids), rng.randint(1, 2))))
                answer.citations = [
                    {"source": pk, "locator": f"第 {rng.randint(1, 40)} 页", "quote": ""}
                    for pk in cited
                ]
            answer.updated_by = analyst
            answer.version += 1
            answer.save()
        assessment_touch(assessment_id=assessment.pk)

    def _improve(self, spec, assessment, analyst):
        """Round 2 starts from round 1's answers; about half the items moved up a level."""
        rng = random.Random(f"{spec.key}:{assessment.framework.code}:improve")
        high = max(assessment.version.scale_levels.values_list("value", flat=True))
        answers = Answer.objects.filter(assessment=assessment, level__isnull=False).select_related(
            "criterion"
        )
        for answer in answers:
            roll = rng.random()
            step = 1 if roll < 0.5 else (-1 if roll > 0.93 else 0)
            level = max(0, min(high, answer.level + step))
            if level == answer.level:
                continue
            answer.level = level
            answer.evidence = (
                f"{rng.choice(spec.facts)}。第二轮复核：{self.people['judgements'].get(level, '')}"
            )
            answer.updated_by = analyst
            answer.version += 1
            answer.save()
        assessment_touch(assessment_id=assessment.pk)

    def _registers(self, assessment, registers, analyst):
        models = {
            "goals": Goal,
            "stakeholders": Stakeholder,
            "risks": Risk,
            "indicators": Indicator,
            "phases": Phase,
        }
        for name, rows in registers.items():
            for order, row in enumerate(rows):
                models[name].objects.create(
                    assessment=assessment, order=order, updated_by=analyst, **row
                )
        assessment_touch(assessment_id=assessment.pk)

    def _advance(self, spec, assessment, analyst, manager, source_ids):
        """Walk the assessment through the workflow to the stage the spec asks for."""
        if spec.stage == "draft":
            return
        if spec.stage == "returned":
            assessment_submit(assessment=assessment, user=analyst)
            assessment_return(
                assessment=assessment,
                user=manager,
                comment="部分条目的证据只引用了建设方案，请补充运行数据或访谈记录后再提交。",
            )
            comment_add(
                assessment=assessment,
                user=manager,
                body="请核实该项的等级，材料显示只在部分乡镇推行。",
                criterion=assessment.answers.filter(level__isnull=False).first().criterion,
            )
            return
        assessment_submit(
            assessment=assessment, user=analyst, comment="全部条目已评分，证据已注明来源。"
        )
        if spec.stage == "submitted":
            return
        if spec.stage == "approved":
            assessment_approve(
                assessment=assessment, user=manager, comment="同意，可作为复盘材料。"
            )
            self._backdate(
                assessment,
                _aware(spec.last_worked_on - timedelta(days=40)),
                _aware(spec.last_worked_on),
            )
            return
        # approved-twice: round 1 approved in mid-2024, round 2 approved in autumn 2025.
        assessment_approve(assessment=assessment, user=manager, comment="同意，作为基线。")
        self._backdate(assessment, _aware(date(2024, 6, 3)), _aware(date(2024, 7, 8)))
        second = assessment_start_round(previous=assessment, user=analyst)
        self._improve(spec, second, analyst)
        self._round_two_registers(second, spec.round_two)
        comment_add(
            assessment=second,
            user=manager,
            body="第二轮请重点关注区县窗口与线上流程的一致性。",
        )
        assessment_submit(assessment=second, user=analyst, comment="第二轮评估完成。")
        assessment_approve(
            assessment=second, user=manager, comment="改进明显，同意。指标数据请注明统计口径。"
        )
        self._backdate(second, _aware(date(2025, 8, 25)), _aware(date(2025, 9, 26)))

    def _round_two_registers(self, assessment, changes: dict):
        for name, actual in changes.get("indicators", {}).items():
            assessment.indicators.filter(name=name).update(actual=Decimal(str(actual)))
        for name, status in changes.get("phases", {}).items():
            assessment.phases.filter(name=name).update(status=status)
        for description, status in changes.get("risks", {}).items():
            assessment.risks.filter(description=description).update(status=status)
        assessment_touch(assessment_id=assessment.pk)

    def _backdate_recent(self, case, last: date):
        """Round 1 started six weeks before `last`; submitted two days before; reviewed on it."""
        started, submitted, reviewed = (
            _aware(last - timedelta(days=42)),
            _aware(last - timedelta(days=2), 15),
            _aware(last, 11),
        )
        assessments = Assessment.objects.filter(case=case)
        assessments.update(created_at=started)
        assessments.exclude(submitted_at=None).update(submitted_at=submitted)
        assessments.exclude(reviewed_at=None).update(reviewed_at=reviewed)
        comments = Comment.objects.filter(assessment__case=case)
        comments.filter(kind=Comment.Kind.SUBMITTED).update(created_at=submitted)
        comments.exclude(kind=Comment.Kind.SUBMITTED).update(created_at=reviewed)

    def _backdate(self, assessment, started, reviewed):
        """Spread the workflow over realistic dates so the history reads like real work."""
        submitted = reviewed - timedelta(days=4)
        Assessment.objects.filter(pk=assessment.pk).update(
            created_at=started, submitted_at=submitted, reviewed_at=reviewed
        )
        comments = Comment.objects.filter(assessment=assessment)
        comments.filter(kind=Comment.Kind.SUBMITTED).update(created_at=submitted)
        comments.filter(kind=Comment.Kind.APPROVED).update(created_at=reviewed)
        comments.filter(kind=Comment.Kind.NOTE).update(created_at=started + timedelta(days=10))

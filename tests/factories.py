"""Small builders for test data. Personas live in conftest.py."""

from datetime import date
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from casework.models import Answer, Assessment, Case, Comment, Membership, OrgUnit, Role
from casework.sectors import find_sector
from frameworks.io import parse_framework_file
from frameworks.models import Criterion, Dimension, Framework, FrameworkVersion, ScaleLevel
from frameworks.services import framework_import, framework_version_publish

SCALE = [
    (0, "无", "None"),
    (1, "初始", "Initial"),
    (2, "发展中", "Developing"),
    (3, "已定义", "Defined"),
    (4, "已管理", "Managed"),
    (5, "持续优化", "Optimising"),
]


def make_user(username, *, unit=None, role=Role.ANALYST, superuser=False):
    user = get_user_model().objects.create_user(
        username=username,
        password="pass-" + username,
        email=f"{username}@example.org",
        is_superuser=superuser,
        is_staff=superuser,
    )
    if unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def make_unit(code, zh, en):
    return OrgUnit.objects.create(code=code, name_zh=zh, name_en=en)


def make_tiny_framework(
    code="TF",
    *,
    publish=True,
    dimensions=(
        ("D1", 1, [("D1.1", "scored", 2), ("D1.2", "scored", 1), ("D1.3", "observation", 1)]),
        ("D2", 2, [("D2.1", "scored", 1)]),
    ),
):
    """A published version with a 0–5 scale, built straight through the ORM."""
    framework, _ = Framework.objects.get_or_create(
        code=code, defaults={"name_zh": "小框架", "name_en": "Tiny framework"}
    )
    number = (
        framework.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = FrameworkVersion.objects.create(
        framework=framework, number=number, label=f"{number}.0", **framework.texts()
    )
    for value, zh, en in SCALE:
        ScaleLevel.objects.create(version=version, value=value, label_zh=zh, label_en=en)
    for order, (dcode, weight, items) in enumerate(dimensions):
        dim = Dimension.objects.create(
            version=version,
            code=f"{code}-{dcode}",
            order=order,
            title_zh=f"维度 {dcode}",
            title_en=f"Dimension {dcode}",
            source_ref="000 §1",
            weight=weight,
        )
        for iorder, (icode, kind, iweight) in enumerate(items):
            Criterion.objects.create(
                dimension=dim,
                code=f"{code}-{icode}",
                order=iorder,
                kind=kind,
                title_zh=f"条目 {icode}",
                title_en=f"Item {icode}",
                weight=iweight,
                source_ref="000 §1.1",
                recommendation_zh=f"改进 {icode}",
                recommendation_en=f"Improve {icode}",
            )
    if publish:
        version.status = FrameworkVersion.Status.PUBLISHED
        version.save()
    return version


def make_case(*, unit, owner, title="城市一网通办改革", **fields):
    defaults = {
        "body": "某市政务服务管理局",
        "level": Case.Level.MUNICIPAL,
        "region": "华东",
        "sector": "政务服务",
        "period_start": date(2024, 1, 1),
        "period_end": date(2025, 12, 31),
        "summary": "把高频事项搬到网上办理。",
    }
    defaults.update(fields)
    # As the case form does: a sector text naming a listed sector becomes that sector.
    listed = find_sector(defaults["sector"]) if "sector_ref" not in defaults else None
    if listed is not None:
        defaults["sector_ref"], defaults["sector"] = listed, ""
    return Case.objects.create(unit=unit, owner=owner, title=title, **defaults)


# The same shape as make_tiny_framework, written as a file and loaded through the real importer.
TINY_FRAMEWORK_YAML = """\
framework:
  code: TY
  name: {zh: 小框架, en: Tiny framework}
  description: {zh: 测试用的小框架。, en: A small framework for tests.}
  source: {author: IT_learner, title: {zh: 测试, en: Tests}, reference: "https://example.org/tiny"}
version:
  label: "1.0"
  notes: {zh: 初版。, en: First release.}
scale:
  - {value: 0, label: {zh: 无, en: None}, description: {zh: 没有, en: Nothing}}
  - {value: 1, label: {zh: 初始, en: Initial}, description: {zh: 零星, en: Ad hoc}}
  - {value: 2, label: {zh: 发展中, en: Developing}, description: {zh: 部分, en: Partial}}
  - {value: 3, label: {zh: 已定义, en: Defined}, description: {zh: 成文, en: Documented}}
  - {value: 4, label: {zh: 已管理, en: Managed}, description: {zh: 度量, en: Measured}}
  - {value: 5, label: {zh: 持续优化, en: Optimising}, description: {zh: 改进, en: Improving}}
dimensions:
  - code: TY-D1
    title: {zh: 维度 D1, en: Dimension D1}
    guidance: {zh: 指引 D1, en: Guidance D1}
    source: "000 §1"
    weight: 1
    registers: [goals]
    informs: []
    items:
      - code: TY-D1.1
        kind: scored
        title: {zh: 条目 D1.1, en: Item D1.1}
        guidance: {zh: 指引, en: Guidance}
        weight: 2
        source: "000 §1.1"
        recommendation: {zh: 改进 D1.1, en: Improve D1.1}
        levels:
          - {value: 0, description: {zh: 没有目标, en: No goals}}
          - {value: 5, description: {zh: 目标完整, en: Complete goals}}
      - code: TY-D1.2
        kind: scored
        title: {zh: 条目 D1.2, en: Item D1.2}
        guidance: {zh: 指引, en: Guidance}
        weight: 1
        source: "000 §1.2"
        recommendation: {zh: 改进 D1.2, en: Improve D1.2}
        levels: []
      - code: TY-D1.3
        kind: observation
        title: {zh: 条目 D1.3, en: Item D1.3}
        guidance: {zh: 指引, en: Guidance}
        weight: 1
        source: "001 §1.1"
        recommendation: {zh: 改进 D1.3, en: Improve D1.3}
        levels: []
  - code: TY-D2
    title: {zh: 维度 D2, en: Dimension D2}
    guidance: {zh: 指引 D2, en: Guidance D2}
    source: "000 §2"
    weight: 2
    registers: []
    informs: [CA-1]
    items:
      - code: TY-D2.1
        kind: scored
        title: {zh: 条目 D2.1, en: Item D2.1}
        guidance: {zh: 指引, en: Guidance}
        weight: 1
        source: "000 §2.1"
        recommendation: {zh: 改进 D2.1, en: Improve D2.1}
        levels: []
"""


def import_tiny_framework(text=TINY_FRAMEWORK_YAML, *, publish=True):
    """TINY_FRAMEWORK_YAML (or another file's text) through the real parser and importer."""
    version = framework_import(data=parse_framework_file(text))
    if publish:
        version = framework_version_publish(version=version)
    return version


def ensure_sectors():
    """The managed sectors that migration 0008 seeds; a transactional test's flush empties them."""
    from importlib import import_module

    from casework.models import Sector

    seeded = import_module("casework.migrations.0008_sectors").SECTORS
    for order, (code, zh, en) in enumerate(seeded, start=1):
        Sector.objects.get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "order": order * 10}
        )


def seed_demo() -> str:
    """Run `manage.py seed_demo`; return what it printed."""
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def demo_snapshot():
    """Counts and states that a second seed_demo must leave as they were."""
    return {
        "units": OrgUnit.objects.count(),
        "users": get_user_model().objects.count(),
        "cases": Case.objects.count(),
        "assessments": list(Assessment.objects.values_list("pk", "status", "revision")),
        "answers": Answer.objects.count(),
        "comments": Comment.objects.count(),
    }

"""Small builders for test data. Personas live in conftest.py."""

from datetime import date

from django.contrib.auth import get_user_model

from casework.models import Case, Membership, OrgUnit, Role
from frameworks.models import Criterion, Dimension, Framework, FrameworkVersion, ScaleLevel

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
        framework=framework, number=number, label=f"{number}.0"
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
    return Case.objects.create(unit=unit, owner=owner, title=title, **defaults)

"""Demo data: two units, users for every role, and invented cases at different stages.

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

from casework.management.demo_double import double_score
from casework.management.demo_record import (
    add_measurements,
    apply_record,
    case_spec_fields,
    load_record,
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
    assessment_start_round,
    assessment_submit,
    assessment_touch,
    comment_add,
)
from casework.services.cases import case_create, latest_published_versions
from frameworks.models import Criterion, Dimension

UNITS = [
    ("city-data", "临江市数据局", "Linjiang Municipal Data Bureau"),
    ("prov-gsc", "江南省政务服务中心", "Jiangnan Provincial Government Service Centre"),
]

# username, first name, unit code, role
USERS = [
    ("analyst", "陈思远", "city-data", Role.ANALYST),
    ("manager", "周敏", "city-data", Role.MANAGER),
    ("analyst2", "刘晓雯", "prov-gsc", Role.ANALYST),
    ("manager2", "王建国", "prov-gsc", Role.MANAGER),
    # The second analyst of the double-scored case.
    ("analyst3", "孙静怡", "city-data", Role.ANALYST),
]

JUDGEMENTS = {
    0: "案例材料中未见相关安排或做法。",
    1: "仅有零星、临时性的做法，依赖个别负责人推动，尚未形成制度。",
    2: "已有初步安排并在部分部门试行，但覆盖不全、执行不够稳定。",
    3: "已形成书面制度和标准流程，并在项目范围内统一执行。",
    4: "做法已常态化，并用指标持续跟踪效果，偏差能及时纠正。",
    5: "形成了“评估—改进—再评估”的闭环，做法被上级部门推广借鉴。",
}
NA_REASON = "该项针对的业务在本案例范围之外，材料中无从判断。"
OBSERVATION_NOTES = {
    "present": "材料中有明确记载。",
    "absent": "材料中没有相关记载，访谈也未能证实。",
    "unknown": "现有材料不足以判断，需要补充调研。",
}


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
    # A framework code: that assessment is scored a second time, blind, and adjudicated.
    double_scored: str = ""


ONE_STOP_REGISTERS = {
    "goals": [
        {
            "statement": "2023年底前，高频政务服务事项“一网通办”覆盖率达到 90%。",
            "owner": "市政务服务和数据管理局",
            "deadline": date(2023, 12, 31),
            "target": "覆盖率 ≥ 90%",
            "specific": True,
            "measurable": True,
            "achievable": True,
            "relevant": True,
            "time_bound": True,
        },
        {
            "statement": "企业开办、不动产登记等“一件事”平均办理时长压缩到 5 个工作日以内。",
            "owner": "市营商环境办",
            "deadline": date(2024, 6, 30),
            "target": "≤ 5 个工作日",
            "specific": True,
            "measurable": True,
            "achievable": True,
            "relevant": True,
            "time_bound": True,
        },
        {
            "statement": "建立跨部门数据共享责任清单，推动政务数据按需共享。",
            "owner": "市数据局",
            "deadline": date(2024, 12, 31),
            "target": "责任清单覆盖全部市级部门",
            "specific": True,
            "measurable": False,
            "achievable": True,
            "relevant": True,
            "time_bound": True,
        },
        {
            "statement": "提升群众和企业办事满意度，培育“好差评”持续改进机制。",
            "owner": "市政务服务中心",
            "target": "满意度 ≥ 95%",
            "specific": False,
            "measurable": True,
            "achievable": True,
            "relevant": True,
            "time_bound": False,
        },
    ],
    "stakeholders": [
        {
            "name": "市委、市政府主要领导",
            "group": "leaders",
            "influence": 5,
            "interest": 4,
            "attitude": "champion",
            "approach": "每月专题会听取进展，重大事项提请常务会议决策。",
        },
        {
            "name": "各委办局业务处室",
            "group": "business_staff",
            "influence": 4,
            "interest": 3,
            "attitude": "sceptical",
            "approach": "联络员制度＋流程再造工作坊，逐项确认事项清单。",
        },
        {
            "name": "市大数据中心技术团队",
            "group": "technical_staff",
            "influence": 3,
            "interest": 5,
            "attitude": "supportive",
            "approach": "双周技术例会，统一接口规范和数据标准。",
        },
        {
            "name": "办事群众",
            "group": "public",
            "influence": 2,
            "interest": 5,
            "attitude": "supportive",
            "approach": "政务服务网、“好差评”和 12345 热线收集意见。",
        },
        {
            "name": "市场主体（企业）",
            "group": "enterprises",
            "influence": 3,
            "interest": 5,
            "attitude": "supportive",
            "approach": "企业座谈会和营商环境监测点定期反馈。",
        },
        {
            "name": "平台建设运维服务商",
            "group": "suppliers",
            "influence": 2,
            "interest": 4,
            "attitude": "supportive",
            "approach": "合同约定服务水平，按季度考核。",
        },
        {
            "name": "市审计局",
            "group": "regulators",
            "influence": 4,
            "interest": 2,
            "attitude": "neutral",
            "approach": "项目节点前主动沟通资金使用和采购合规情况。",
        },
    ],
    "risks": [
        {
            "category": "technology",
            "description": "部门业务系统接口标准不一，数据对接进度滞后。",
            "likelihood": 4,
            "impact": 4,
            "response": "制定统一接口规范，设立对接专班，按周通报进度。",
            "owner": "市大数据中心",
            "status": "mitigating",
        },
        {
            "category": "management",
            "description": "部分部门协同动力不足，事项梳理流于形式。",
            "likelihood": 3,
            "impact": 4,
            "response": "纳入年度绩效考核，由市领导牵头督办。",
            "owner": "市政府办公室",
            "status": "mitigating",
        },
        {
            "category": "business",
            "description": "线下窗口与线上流程不一致，群众重复提交材料。",
            "likelihood": 3,
            "impact": 3,
            "response": "推行“一套标准”，线上线下同源办理。",
            "owner": "市政务服务中心",
            "status": "open",
        },
        {
            "category": "policy",
            "description": "个人信息保护和数据安全合规要求提高，共享范围受限。",
            "likelihood": 2,
            "impact": 5,
            "response": "开展数据分级分类，建立共享授权和审计留痕机制。",
            "owner": "市数据局",
            "status": "open",
        },
        {
            "category": "technology",
            "description": "申报高峰期平台性能不足，出现排队和超时。",
            "likelihood": 2,
            "impact": 4,
            "response": "扩容并引入弹性伸缩，上线前做压力测试。",
            "owner": "平台运维服务商",
            "status": "closed",
        },
    ],
    "indicators": [
        {
            "family": "efficiency",
            "name": "“一件事”平均办理时长",
            "unit": "工作日",
            "baseline": Decimal("12"),
            "target": Decimal("5"),
            "actual": Decimal("7.5"),
            "higher_is_better": False,
        },
        {
            "family": "service",
            "name": "全程网办率",
            "unit": "%",
            "baseline": Decimal("35"),
            "target": Decimal("90"),
            "actual": Decimal("78"),
        },
        {
            "family": "service",
            "name": "办事群众满意度",
            "unit": "%",
            "baseline": Decimal("82"),
            "target": Decimal("95"),
            "actual": Decimal("90"),
        },
        {
            "family": "cost",
            "name": "群众平均跑动次数",
            "unit": "次",
            "baseline": Decimal("2.6"),
            "target": Decimal("0.5"),
            "actual": Decimal("1.1"),
            "higher_is_better": False,
        },
        {
            "family": "technology",
            "name": "跨部门数据共享调用量",
            "unit": "万次/月",
            "baseline": Decimal("12"),
            "target": Decimal("80"),
            "actual": Decimal("45"),
        },
    ],
    "phases": [
        {
            "name": "需求梳理与流程再造",
            "start": date(2022, 3, 1),
            "end": date(2022, 8, 31),
            "status": "done",
        },
        {
            "name": "试点：企业开办与不动产登记“一件事”",
            "start": date(2022, 9, 1),
            "end": date(2023, 3, 31),
            "is_pilot": True,
            "status": "done",
        },
        {
            "name": "全市推广",
            "start": date(2023, 4, 1),
            "end": date(2024, 6, 30),
            "status": "in_progress",
        },
        {
            "name": "深化应用与持续优化",
            "start": date(2024, 7, 1),
            "end": date(2025, 12, 31),
            "status": "planned",
        },
    ],
}

# What changed between round 1 (mid-2024) and round 2 (autumn 2025) of the one-stop case.
ONE_STOP_ROUND_2 = {
    "indicators": {
        "“一件事”平均办理时长": Decimal("4.6"),
        "全程网办率": Decimal("91"),
        "办事群众满意度": Decimal("94.5"),
        "群众平均跑动次数": Decimal("0.6"),
        "跨部门数据共享调用量": Decimal("86"),
    },
    "phases": {"全市推广": "done", "深化应用与持续优化": "in_progress"},
    "risks": {"部门业务系统接口标准不一，数据对接进度滞后。": "closed"},
}

SHARING_REGISTERS = {
    "goals": [
        {
            "statement": "2024年底前建成省、市、县三级贯通的数据共享交换平台。",
            "owner": "省政务服务中心",
            "deadline": date(2024, 12, 31),
            "target": "三级贯通，接入率 100%",
            "specific": True,
            "measurable": True,
            "achievable": True,
            "relevant": True,
            "time_bound": True,
        },
        {
            "statement": "数据共享申请平均响应时间缩短到 3 个工作日。",
            "owner": "省大数据中心",
            "target": "≤ 3 个工作日",
            "specific": True,
            "measurable": True,
            "achievable": False,
            "relevant": True,
            "time_bound": False,
        },
    ],
    "stakeholders": [
        {
            "name": "省政府分管领导",
            "group": "leaders",
            "influence": 5,
            "interest": 3,
            "attitude": "champion",
        },
        {
            "name": "省直部门数据管理员",
            "group": "business_staff",
            "influence": 3,
            "interest": 3,
            "attitude": "neutral",
        },
        {
            "name": "市县数据主管部门",
            "group": "other_departments",
            "influence": 3,
            "interest": 4,
            "attitude": "supportive",
        },
        {
            "name": "省网信办",
            "group": "regulators",
            "influence": 4,
            "interest": 3,
            "attitude": "neutral",
        },
    ],
    "risks": [
        {
            "category": "policy",
            "description": "部分数据的共享属性和开放边界不清。",
            "likelihood": 3,
            "impact": 4,
            "response": "编制共享目录并明确共享条件。",
            "status": "mitigating",
        },
        {
            "category": "technology",
            "description": "市县老旧系统改造成本高。",
            "likelihood": 4,
            "impact": 3,
            "response": "提供标准前置机和改造补助。",
            "status": "open",
        },
        {
            "category": "management",
            "description": "数据质量责任不落实，共享数据更新不及时。",
            "likelihood": 4,
            "impact": 4,
            "response": "建立数据质量通报和异议处理机制。",
            "status": "open",
        },
    ],
    "indicators": [
        {
            "family": "technology",
            "name": "接入平台的省直部门数",
            "unit": "个",
            "baseline": Decimal("18"),
            "target": Decimal("52"),
            "actual": Decimal("47"),
        },
        {
            "family": "efficiency",
            "name": "共享申请平均响应时间",
            "unit": "工作日",
            "baseline": Decimal("15"),
            "target": Decimal("3"),
            "actual": Decimal("6"),
            "higher_is_better": False,
        },
    ],
    "phases": [
        {
            "name": "试点：社保与不动产数据共享",
            "start": date(2023, 3, 1),
            "end": date(2023, 9, 30),
            "is_pilot": True,
            "status": "done",
        },
        {
            "name": "全省推广接入",
            "start": date(2023, 10, 1),
            "end": date(2024, 12, 31),
            "status": "done",
        },
        {
            "name": "数据质量治理",
            "start": date(2025, 1, 1),
            "end": date(2025, 12, 31),
            "status": "in_progress",
        },
    ],
}

CASES = [
    CaseSpec(
        key="one-stop",
        unit="city-data",
        owner="analyst",
        title="临江市“一网通办”政务服务改革",
        body="临江市政务服务和数据管理局",
        level=Case.Level.MUNICIPAL,
        region="华东 · 临江市",
        sector="政务服务",
        period=(date(2022, 3, 1), date(2025, 12, 31)),
        summary=(
            "临江市以“一网通办”为抓手，推进政务服务流程再造：梳理 1,200 余项高频事项，"
            "打通 38 个部门业务系统，推出企业开办、不动产登记等 30 个“一件事”集成服务。"
            "改革分试点、推广、深化三个阶段推进，依托“好差评”机制持续改进。"
        ),
        tags=["一网通办", "流程再造", "政务服务", "数据共享"],
        sources=[
            ("临江市人民政府关于深化“一网通办”改革的实施意见", "临政发〔2022〕12号", "2022-03-15"),
            (
                "临江市 2023 年政务服务工作总结",
                "https://www.linjiang.gov.example/zwgk/2024-01",
                "2024-01-20",
            ),
            ("“一件事”集成服务试点评估报告（第三方）", "临江市营商环境研究院", "2023-05-10"),
            ("市政务服务中心窗口人员访谈纪要", "课题组内部资料", "2025-08-22"),
        ],
        facts=[
            "试点期间企业开办由 5 个环节压缩为 1 个环节",
            "市政府常务会议每季度专题听取改革进展",
            "各部门已按统一标准编制事项清单",
            "“好差评”数据每月通报并纳入部门考核",
            "第三方评估指出部分区县线下窗口仍要求重复提交材料",
            "平台已与省级数据共享交换平台对接",
            "市财政安排专项资金并实行项目化管理",
        ],
        mean_level=3.4,
        stage="approved-twice",
        last_worked_on=date(2025, 9, 26),
        registers=ONE_STOP_REGISTERS,
    ),
    CaseSpec(
        key="data-sharing",
        unit="prov-gsc",
        owner="analyst2",
        title="江南省政务数据共享交换平台建设",
        body="江南省政务服务中心",
        level=Case.Level.PROVINCIAL,
        region="华东 · 江南省",
        sector="数据共享",
        period=(date(2023, 1, 1), date(2025, 12, 31)),
        summary=(
            "江南省建设省、市、县三级贯通的政务数据共享交换平台，编制全省政务数据共享目录，"
            "实行“一数一源、按需共享”，支撑跨部门审批和基层减负。"
        ),
        tags=["数据共享", "数据治理", "省级平台"],
        sources=[
            ("江南省政务数据共享管理办法", "江南省人民政府令第 21 号", "2023-01-05"),
            (
                "江南省政务数据共享目录（2024 年版）",
                "https://data.jiangnan.gov.example/catalog",
                "2024-03-01",
            ),
            ("省政务服务中心 2024 年度工作报告", "内部资料", "2025-02-18"),
        ],
        facts=[
            "平台已接入 47 个省直部门",
            "共享目录按“有条件共享”和“无条件共享”分类管理",
            "市县前置机部署进度不一",
            "数据质量异议处理平均用时仍超过两周",
        ],
        mean_level=2.8,
        stage="submitted",
        last_worked_on=date(2025, 10, 14),
        registers=SHARING_REGISTERS,
    ),
    CaseSpec(
        key="smart-grid",
        unit="city-data",
        owner="analyst",
        title="Qingshan County Smart Grid-Governance Platform",
        body="Qingshan County Social Governance Centre",
        level=Case.Level.COUNTY,
        region="East China · Qingshan County",
        sector="Grassroots governance",
        period=(date(2024, 5, 1), date(2026, 4, 30)),
        summary=(
            "Qingshan County links its 312 community grids, the 12345 hotline and township "
            "service stations on one platform, so that grid workers report issues from a mobile "
            "app and departments resolve them within set deadlines. Phase one covers three pilot "
            "townships."
        ),
        tags=["grid governance", "基层治理", "county"],
        sources=[
            (
                "Qingshan County grid-governance implementation plan",
                "青山县委办〔2024〕9号",
                "2024-04-20",
            ),
            ("Pilot township field notes", "Research team", "2025-06-12"),
        ],
        facts=[
            "三个试点乡镇已上线网格员移动端",
            "事件处置时限已写入县级考核办法",
            "部门之间的事件流转规则仍在讨论",
        ],
        mean_level=2.2,
        stage="draft",
        last_worked_on=date(2025, 11, 3),
        share_answered=0.5,
    ),
    CaseSpec(
        key="e-health",
        unit="prov-gsc",
        owner="analyst2",
        title="云溪县医共体“互联网+医疗健康”服务平台",
        body="云溪县卫生健康局",
        level=Case.Level.COUNTY,
        region="西南 · 云溪县",
        sector="医疗健康",
        period=(date(2023, 6, 1), date(2025, 6, 30)),
        summary=(
            "云溪县依托县域医共体建设远程会诊、检查结果互认和电子健康档案共享平台，"
            "让乡镇卫生院患者在家门口获得县级医院诊疗服务。"
        ),
        tags=["医共体", "互联网+医疗健康", "县域"],
        sources=[
            ("云溪县紧密型县域医共体建设方案", "云卫发〔2023〕7号", "2023-05-28"),
            ("远程会诊中心运行月报（2024 年 12 月）", "县人民医院", "2025-01-08"),
        ],
        facts=[
            "远程会诊中心覆盖全部 14 个乡镇卫生院",
            "检查结果互认目录已发布",
            "基层医生使用平台的培训不足",
        ],
        mean_level=2.6,
        stage="returned",
        last_worked_on=date(2025, 10, 30),
        share_answered=0.9,
    ),
    CaseSpec(
        key="hotline",
        unit="city-data",
        owner="analyst",
        title="临江市 12345 政务服务便民热线归并整合",
        body="临江市政务服务和数据管理局",
        level=Case.Level.MUNICIPAL,
        region="华东 · 临江市",
        sector="政务服务",
        period=(date(2023, 4, 1), date(2025, 10, 31)),
        summary=(
            "临江市把 26 条部门服务热线并入 12345 一个号码，建立统一知识库和工单系统，"
            "按“接诉即办”要求派单、督办和回访，并用工单数据分析群众诉求的热点。"
        ),
        tags=["12345 热线", "接诉即办", "政务服务"],
        sources=[
            ("临江市 12345 热线归并整合工作方案", "临政办发〔2023〕18号", "2023-04-06"),
            ("12345 热线 2024 年度运行分析报告", "市政务服务热线中心", "2025-02-11"),
            ("区县承办单位座谈记录", "课题组内部资料", "2025-09-17"),
        ],
        facts=[
            "26 条部门热线已全部归并，保留 3 条紧急类热线双号并行",
            "工单按时办结率 2024 年为 96.2%",
            "统一知识库收录政策问答 1.8 万条，每周更新",
            "部分区县承办单位回访流于形式，满意度数据存在“刷单”疑问",
            "热线数据按月向市领导报送诉求热点分析",
        ],
        mean_level=3.0,
        stage="submitted",
        last_worked_on=date(2025, 11, 12),
        double_scored="CA",
    ),
]


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


class Command(BaseCommand):
    help = "Create demo units, users and cases (safe to run again: existing data is kept)."

    def handle(self, *args, **options):
        if not latest_published_versions():
            raise CommandError("Load the frameworks first: manage.py load_frameworks")
        record = load_record()
        specs = CASES + [CaseSpec(**case_spec_fields(entry)) for entry in record["cases"]]
        self.narratives = record["record"]
        with transaction.atomic():
            units = self._units()
            users, passwords = self._users(units)
            made = [self._case(spec, units, users) for spec in specs]
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

    def _units(self) -> dict[str, OrgUnit]:
        units = {}
        for code, zh, en in UNITS:
            units[code], _ = OrgUnit.objects.get_or_create(
                code=code, defaults={"name_zh": zh, "name_en": en}
            )
        return units

    def _users(self, units):
        User = get_user_model()
        passwords = []
        shared = os.getenv("DEMO_PASSWORD") or None
        generated = None
        users = {}
        for username, name, unit_code, role in USERS:
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
                note = OBSERVATION_NOTES[observation]
                if criterion.code in spec.observations:
                    observation, note = spec.observations[criterion.code]
                elif criterion.polarity == Criterion.Polarity.NEGATIVE:
                    # An invented problem is the analyst's to state, never the dice's.
                    observation, note = "absent", OBSERVATION_NOTES["absent"]
                answer.observation = observation
                # What the analyst types beside an observation is its note, not its evidence.
                answer.evidence = f"{fact}。"
                answer.note = note
            elif rng.random() < 0.04:
                answer.not_applicable = True
                answer.na_reason = NA_REASON
            else:
                mean = spec.mean_level + bias
                level = max(low, min(high, round(rng.gauss(mean, 0.8))))
                answer.level = level
                answer.evidence = f"{fact}。对照“{criterion.title_zh}”：{JUDGEMENTS.get(level, '')}"
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
            answer.evidence = f"{rng.choice(spec.facts)}。第二轮复核：{JUDGEMENTS.get(level, '')}"
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
        self._round_two_registers(second)
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

    def _round_two_registers(self, assessment):
        for name, actual in ONE_STOP_ROUND_2["indicators"].items():
            assessment.indicators.filter(name=name).update(actual=actual)
        for name, status in ONE_STOP_ROUND_2["phases"].items():
            assessment.phases.filter(name=name).update(status=status)
        for description, status in ONE_STOP_ROUND_2["risks"].items():
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

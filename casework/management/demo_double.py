"""The demo's double-scored case: a second analyst scores one round blind, the manager adjudicates.

Everything goes through the services, as a real second scoring would: request, the second
analyst's answers, both submissions, a decision with a reason on every item that differs,
approval.
"""

import random

from casework.models import Answer, Assessment
from casework.services.answers import answer_save
from casework.services.assessments import assessment_approve, assessment_submit
from casework.services.double import adjudication_save, second_scoring_request
from frameworks.models import Criterion

# The second analyst's note beside a level, by how it compares with the first analyst's.
SECOND_EVIDENCE = {
    "same": "独立核对材料后给出相同判断：{fact}。",
    "up": "结合热线工单抽样，判断略高：{fact}。",
    "down": "访谈显示执行不如文件所述：{fact}。",
}
# The manager's reasons, by what was decided.
REASONS = {
    "first": "第一位分析员引用的运行数据更新、更直接，采纳其等级。",
    "second": "第二位分析员的工单抽样覆盖区县，更能反映实际执行情况，采纳其等级。",
    "set": "两位分析员各有依据：文件已落实但区县执行不一，取中间等级。",
}


def _second_level(rng, level, low, high) -> int:
    """Mostly the same level; sometimes one level off; now and then two."""
    roll = rng.random()
    if roll < 0.72:
        return level
    step = 1 if roll < 0.9 else 2
    direction = rng.choice((-1, 1))
    moved = level + direction * step
    if not low <= moved <= high:
        moved = level - direction * step
    return max(low, min(high, moved))


def _score_second(second, first, analyst, facts, rng) -> None:
    scale = list(first.version.scale_levels.values_list("value", flat=True))
    low, high = min(scale), max(scale)
    answers = (
        Answer.objects.filter(assessment=first, criterion__kind=Criterion.Kind.SCORED)
        .select_related("criterion")
        .order_by("criterion__dimension__order", "criterion__order")
    )
    for answer in answers:
        if answer.not_applicable:
            data = {"not_applicable": True, "na_reason": answer.na_reason}
        elif answer.level is None:
            continue
        else:
            level = _second_level(rng, answer.level, low, high)
            key = "same" if level == answer.level else ("up" if level > answer.level else "down")
            data = {
                "level": level,
                "evidence": SECOND_EVIDENCE[key].format(fact=rng.choice(facts)),
                "confidence": rng.choice(["high", "medium", "medium"]),
            }
        answer_save(
            assessment=second,
            criterion_code=answer.criterion.code,
            user=analyst,
            data=data,
            expected_version=0,
        )


def _adjudicate(first, manager) -> None:
    from casework.double import agreement_of, pair_of

    for row in agreement_of(pair_of(first))["to_decide"]:
        (a, _), (b, _) = row.first, row.second
        if a is not None and b is not None and abs(a - b) >= 2:
            choice, level = "set", (a + b) // 2
        elif row.code[-1] in "13579":
            choice, level = "second", None
        else:
            choice, level = "first", None
        adjudication_save(
            assessment=first,
            criterion_code=row.code,
            user=manager,
            choice=choice,
            level=level,
            reason=REASONS[choice],
            expected_version=0,
        )


def double_score(first: Assessment, *, analyst, second_analyst, manager, facts) -> Assessment:
    """Ask for, fill, submit and adjudicate a second scoring of `first`, then approve `first`."""
    rng = random.Random(f"double:{first.case.title}:{first.framework.code}")
    second = second_scoring_request(assessment=first, analyst=second_analyst, user=manager)
    _score_second(second, first, second_analyst, facts, rng)
    if first.status != Assessment.Status.SUBMITTED:
        assessment_submit(assessment=first, user=analyst, comment="全部条目已评分。")
    assessment_submit(
        assessment=second, user=second_analyst, comment="独立评分完成，未查看第一位分析员的答案。"
    )
    _adjudicate(first, manager)
    assessment_approve(assessment=first, user=manager, comment="两位分析员的分歧已逐项裁定，同意。")
    return second

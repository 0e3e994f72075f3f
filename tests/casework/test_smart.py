"""SMART hints: suggestions from a goal's wording, in Chinese and English."""

from datetime import date

import pytest

from casework.smart import smart_hints


@pytest.mark.parametrize(
    ("statement", "snippet"),
    [
        ("两年内将网上可办率提升到80%", "80%"),
        ("将群众满意度提高到 30% 以上", "30%"),
        ("2027年底前实现百分之八十的事项一网通办", "百分之八十"),
        ("每年线上办理 1000 件企业开办业务", "1000 件"),
        ("Cut the approval time for business licences to 3 days", "3 days"),
        ("Raise online uptake of permits to 80 percent", "80 percent"),
    ],
)
def test_numbers_and_percentages_look_measurable(statement, snippet):
    hints = smart_hints(statement)
    assert hints["measurable"]["met"]
    assert snippet in hints["measurable"]["matches"]


@pytest.mark.parametrize(
    ("statement", "snippet"),
    [
        ("两年内建成统一身份认证平台", "两年内"),
        ("一年内完成数据共享交换平台建设", "一年内"),
        ("2027年底前实现企业开办全程网办", "2027年底前"),
        ("Launch the one-stop portal by 2027", "by 2027"),
        ("Move all licences online within 2 years", "within 2 years"),
        ("Connect every county by end of 2026", "by end of 2026"),
    ],
)
def test_deadlines_look_time_bound(statement, snippet):
    hints = smart_hints(statement)
    assert hints["time_bound"]["met"]
    assert snippet in hints["time_bound"]["matches"]


def test_a_deadline_year_is_not_mistaken_for_a_measure():
    hints = smart_hints("Launch the one-stop portal by 2027")
    assert hints["time_bound"]["met"]
    assert not hints["measurable"]["met"]


def test_a_deadline_date_makes_the_goal_time_bound():
    hints = smart_hints("建成统一身份认证平台", deadline=date(2026, 6, 30))
    assert hints["time_bound"]["met"]
    assert "2026-06-30" in hints["time_bound"]["matches"]


def test_a_number_in_the_target_counts_as_measurable():
    assert smart_hints("网上可办率", target="90%")["measurable"]["met"]


@pytest.mark.parametrize(
    "statement", ["提升服务水平", "进一步提高工作效率", "Improve service quality", ""]
)
def test_vague_wording_is_neither_specific_nor_measurable(statement):
    hints = smart_hints(statement)
    assert not hints["specific"]["met"]
    assert not hints["measurable"]["met"]
    assert not hints["time_bound"]["met"]


@pytest.mark.parametrize(
    "statement",
    [
        "建成全市统一的电子证照库并接入政务服务平台",
        "两年内将企业开办时间压缩到1天",
        "Publish every licensing procedure on the provincial portal",
    ],
)
def test_a_statement_naming_an_object_and_action_looks_specific(statement):
    assert smart_hints(statement)["specific"]["met"]


def test_vague_words_are_reported_for_display():
    assert "提升" in smart_hints("提升服务水平")["vague"]

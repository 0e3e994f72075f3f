"""Registers of a past case: occurred risks with what happened, indicator direction, dated values."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from casework.models import Assessment, Indicator, Measurement, Risk
from casework.services.assessments import assessment_start
from casework.services.errors import AssessmentLocked
from casework.services.registers import (
    measurement_add,
    measurement_delete,
    register_row_add,
)

HTMX = {"HTTP_HX_REQUEST": "true"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.fixture
def indicator(assessment, alice):
    return register_row_add(
        assessment=assessment,
        register="indicators",
        user=alice,
        data={
            "family": "service",
            "name": "平均办理时长",
            "unit": "天",
            "baseline": "20",
            "target": "5",
            "actual": "15",
            "higher_is_better": False,
        },
    )


def revision(assessment):
    return Assessment.objects.get(pk=assessment.pk).revision


def add_url(assessment, indicator):
    return reverse("wizard_measurement_add", args=[assessment.pk, indicator.pk])


def delete_url(assessment, indicator, measurement):
    return reverse("wizard_measurement_delete", args=[assessment.pk, indicator.pk, measurement.pk])


def login(user):
    client = Client()
    client.force_login(user)
    return client


# --- services ------------------------------------------------------------------------------------


def test_measurements_are_added_by_date_and_bump_the_revision(assessment, alice, indicator):
    before = revision(assessment)
    for day, value, note in [("2025-01-01", "8", "一年后"), ("2024-01-01", "12.5", "上线时")]:
        measurement_add(
            assessment=assessment,
            indicator_id=indicator.pk,
            user=alice,
            data={"measured_on": day, "value": value, "note": note},
        )
    assert list(indicator.measurements.values_list("measured_on", "value", "note")) == [
        (date(2024, 1, 1), Decimal("12.5"), "上线时"),
        (date(2025, 1, 1), Decimal("8"), "一年后"),
    ]
    assert revision(assessment) == before + 2


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"value": "8"}, "measured_on", "date"),
        ({"measured_on": "2024-01-01"}, "value", "measured value"),
        ({"measured_on": "2024-01-01", "value": "八"}, "value", "not a number"),
    ],
)
def test_a_bad_measurement_is_refused_with_a_clear_message(
    assessment, alice, indicator, data, field, words
):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        measurement_add(assessment=assessment, indicator_id=indicator.pk, user=alice, data=data)
    assert words in error.value.message_dict[field][0]
    assert not Measurement.objects.exists()


def test_measurements_of_another_assessment_or_a_locked_one_are_refused(
    assessment, alice, indicator, alice_case, tiny_version
):
    other = assessment_start(case=alice_case, version=tiny_version, user=alice)
    data = {"measured_on": "2024-01-01", "value": "1"}
    with pytest.raises(Indicator.DoesNotExist):
        measurement_add(assessment=other, indicator_id=indicator.pk, user=alice, data=data)
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    with pytest.raises(AssessmentLocked):
        measurement_add(assessment=assessment, indicator_id=indicator.pk, user=alice, data=data)


def test_deleting_a_measurement_twice_is_harmless(assessment, alice, indicator):
    measurement = Measurement.objects.create(
        indicator=indicator, measured_on=date(2024, 1, 1), value=3
    )
    before = revision(assessment)
    assert measurement_delete(assessment=assessment, measurement_id=measurement.pk, user=alice)
    assert not measurement_delete(assessment=assessment, measurement_id=measurement.pk, user=alice)
    assert revision(assessment) == before + 1


def test_a_risk_can_be_marked_as_occurred_with_what_happened(assessment, alice):
    risk = register_row_add(
        assessment=assessment,
        register="risks",
        user=alice,
        data={
            "category": "technology",
            "description": "旧系统无法对接",
            "likelihood": 4,
            "impact": 5,
            "status": "occurred",
            "outcome": "上线推迟三个月，追加预算。",
        },
    )
    assert (risk.status, risk.outcome) == ("occurred", "上线推迟三个月，追加预算。")


# --- views ---------------------------------------------------------------------------------------


def test_the_indicator_row_shows_direction_measurements_and_progress_of_the_latest(
    alice, assessment, indicator
):
    client = login(alice)
    response = client.post(
        add_url(assessment, indicator),
        {"measured_on": "2025-06-30", "value": "10", "note": "一年后"},
        **HTMX,
        **EN,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<tr") and "Lower is better" in html
    assert "2025-06-30" in html and "10 天" in html and "一年后" in html
    # From 20 down to a target of 5: the latest value, 10, has come two thirds of the way.
    assert "67%" in html
    assert Indicator.objects.get().measurements.count() == 1


def test_a_bad_measurement_gives_422_and_keeps_what_was_typed(alice, assessment, indicator):
    response = login(alice).post(
        add_url(assessment, indicator),
        {"measured_on": "2025-06-30", "value": "十", "note": "留着的备注"},
        **HTMX,
        **EN,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "not a number" in html and 'value="十"' in html and 'value="留着的备注"' in html
    assert "<details open" in html


def test_without_js_a_measurement_goes_back_to_the_step(alice, assessment, indicator):
    response = login(alice).post(
        add_url(assessment, indicator), {"measured_on": "2025-06-30", "value": "10"}
    )
    assert response.status_code == 302 and "#register-indicators" in response["Location"]


def test_removing_a_measurement_returns_the_row_and_twice_is_harmless(alice, assessment, indicator):
    measurement = Measurement.objects.create(
        indicator=indicator, measured_on=date(2024, 1, 1), value=3
    )
    client = login(alice)
    first = client.post(delete_url(assessment, indicator, measurement), **HTMX)
    again = client.post(delete_url(assessment, indicator, measurement), **HTMX)
    assert (first.status_code, again.status_code) == (200, 200)
    assert not Measurement.objects.exists()


def test_only_the_units_analysts_may_add_or_remove_measurements(
    bob, charlie, alice, assessment, indicator
):
    measurement = Measurement.objects.create(
        indicator=indicator, measured_on=date(2024, 1, 1), value=3
    )
    data = {"measured_on": "2025-01-01", "value": "1"}
    for user, status in ((bob, 403), (charlie, 404)):
        client = login(user)
        assert client.post(add_url(assessment, indicator), data, **HTMX).status_code == status
        response = client.post(delete_url(assessment, indicator, measurement), **HTMX)
        assert response.status_code == status
    assert list(Measurement.objects.all()) == [measurement]


def test_a_submitted_assessment_refuses_measurements_with_423(alice, assessment, indicator):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    response = login(alice).post(
        add_url(assessment, indicator), {"measured_on": "2025-01-01", "value": "1"}, **HTMX
    )
    assert response.status_code == 423
    assert not Measurement.objects.exists()


def test_the_indicator_form_says_which_way_is_good_in_words(alice, assessment, indicator):
    client = login(alice)
    url = reverse("wizard_register_row", args=[assessment.pk, "indicators", indicator.pk])
    html = client.get(url + "?edit=1", **HTMX, **EN).content.decode()
    assert '<option value="False" selected>Lower is better</option>' in html
    response = client.post(
        url,
        {
            "version": indicator.version,
            "family": "service",
            "name": "平均办理时长",
            "unit": "天",
            "baseline": "20",
            "target": "5",
            "actual": "15",
            "higher_is_better": "True",
        },
        **HTMX,
        **EN,
    )
    assert response.status_code == 200 and "Higher is better" in response.content.decode()
    assert Indicator.objects.get().higher_is_better is True


def test_the_risk_form_offers_occurred_and_what_happened(alice, assessment):
    client = login(alice)
    url = reverse("wizard_register", args=[assessment.pk, "risks"])
    html = client.get(url + "?new=1", **HTMX, **EN).content.decode()
    assert 'value="occurred"' in html and 'name="outcome"' in html
    response = client.post(
        url,
        {
            "category": "management",
            "description": "部门协同不畅",
            "likelihood": "3",
            "impact": "4",
            "status": "occurred",
            "outcome": "两个部门的数据迟迟不能共享。",
        },
        **HTMX,
        **EN,
    )
    assert response.status_code == 200
    assert "两个部门的数据迟迟不能共享。" in response.content.decode()
    assert Risk.objects.get().status == "occurred"


def test_the_indicator_table_runs_a_constant_number_of_queries(
    alice, assessment, indicator, django_assert_max_num_queries
):
    client = login(alice)
    url = reverse("wizard_register", args=[assessment.pk, "indicators"])
    client.get(url, **HTMX)
    with django_assert_max_num_queries(20) as few:
        client.get(url, **HTMX)
    for i in range(5):
        row = Indicator.objects.create(assessment=assessment, family="cost", name=f"指标 {i}")
        Measurement.objects.create(indicator=row, measured_on=date(2024, 1, 1 + i), value=i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, **HTMX)
    assert response.content.decode().count('data-testid="measurement"') == 5

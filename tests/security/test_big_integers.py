"""Integers too large for the database: a 404 in a URL, a form error in a form, never a 500."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from casework.forms.cases import CaseForm
from casework.forms.wizard import AnswerForm
from casework.models import CaseSource, Risk
from casework.services.assessments import assessment_start

HUGE = "99999999999999999999999"  # 23 digits: more than a 64-bit integer holds
HTMX = {"HTTP_HX_REQUEST": "true"}


def project_patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from project_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def with_huge_numbers(route: str) -> str | None:
    if "<num:" not in route:
        return None
    path = re.sub(r"<num:\w+>", HUGE, route)
    path = re.sub(r"<slug:register>", "goals", path)
    return "/" + re.sub(r"<\w+:\w+>", "x", path)


NUMBERED = [path for route in project_patterns() if (path := with_huge_numbers(route))]


def test_every_number_in_the_project_urls_is_bounded():
    assert len(NUMBERED) >= 20
    for module in ("casework/urls.py", "casework/reports/urls.py"):
        assert "<int:" not in Path(settings.BASE_DIR, module).read_text()
    for module in Path(settings.BASE_DIR, "casework/views").glob("*urls*.py"):
        assert "<int:" not in module.read_text(), module


@pytest.mark.parametrize("path", NUMBERED)
def test_a_number_too_large_for_the_database_in_a_url_is_a_404(path, client, ada):
    with pytest.raises(Resolver404):
        resolve(path)
    client.force_login(ada)
    assert client.get(path).status_code == 404
    assert client.post(path, HTMX=True).status_code == 404


def test_numbers_that_fit_still_resolve():
    assert resolve("/cases/9223372036854775807/").kwargs == {"pk": 2**63 - 1}
    assert reverse("case_detail", args=[42]) == "/cases/42/"


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["version", "level"])
def test_the_answer_form_refuses_numbers_too_large(assessment, field):
    criterion = assessment.version.dimensions.first().criteria.filter(kind="scored").first()
    data = {f"{criterion.code}-version": "0", f"{criterion.code}-{field}": HUGE}
    form = AnswerForm(data, criterion=criterion)
    assert not form.is_valid()
    assert field in form.errors


@pytest.mark.django_db
def test_an_autosave_citing_a_source_id_too_large_is_a_form_error(client, alice, assessment):
    CaseSource.objects.create(case=assessment.case, title="国务院关于加快推进政务服务的意见")
    client.force_login(alice)
    response = client.post(
        reverse("wizard_answer_save", args=[assessment.pk, "TF-D1.1"]),
        {"TF-D1.1-version": 0, "TF-D1.1-level": 1, "TF-D1.1-citations": [HUGE]},
        **HTMX,
    )
    assert response.status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize(
    "register, data",
    [
        ("goals", {"statement": "建成电子证照库", "version": HUGE}),
        ("risks", {"category": "policy", "description": "政策调整", "likelihood": HUGE}),
        ("risks", {"category": "policy", "description": "政策调整", "impact": "-" + HUGE}),
        ("stakeholders", {"name": "市民", "group": "public", "influence": HUGE}),
        ("indicators", {"family": "cost", "name": "运维成本", "baseline": HUGE * 2}),
        ("indicators", {"family": "cost", "name": "运维成本", "actual": "1e999999"}),
    ],
)
def test_register_rows_with_numbers_too_large_are_form_errors(
    client, alice, assessment, register, data
):
    client.force_login(alice)
    url = reverse("wizard_register", args=[assessment.pk, register])
    response = client.post(url, {"status": "open", **data}, **HTMX)
    assert response.status_code == 422
    assert "is-invalid" in response.content.decode()


@pytest.mark.django_db
def test_saving_a_register_row_with_a_version_too_large_is_refused(client, alice, assessment):
    risk = Risk.objects.create(
        assessment=assessment, category="policy", description="政策调整", likelihood=2, impact=2
    )
    client.force_login(alice)
    url = reverse("wizard_register_row", args=[assessment.pk, "risks", risk.pk])
    data = {"version": HUGE, "category": "policy", "description": "改", "status": "open"}
    assert client.post(url, data, **HTMX).status_code == 422
    delete = reverse("wizard_register_delete", args=[assessment.pk, "risks", risk.pk])
    assert client.post(delete, {"version": HUGE}, **HTMX).status_code in (404, 409, 422)
    risk.refresh_from_db()
    assert risk.description == "政策调整"


@pytest.mark.django_db
def test_the_case_form_refuses_a_version_too_large(alice_case):
    form = CaseForm(
        {"title": "t", "body": "b", "level": "municipal", "expected_version": HUGE},
        instance=alice_case,
    )
    assert not form.is_valid()
    assert "expected_version" in form.errors


@pytest.mark.django_db
def test_comparing_an_assessment_id_too_large_is_a_message_not_a_500(client, bob, assessment):
    client.force_login(bob)
    response = client.get(reverse("compare") + f"?a={HUGE}&a={assessment.pk}")
    assert response.status_code in (200, 400)


@pytest.mark.django_db
def test_every_integer_column_refuses_values_the_database_cannot_store():
    """ModelForms (admin included) validate with these: Django gives each column its range."""
    for app in ("casework", "frameworks"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.IntegerField) and not field.primary_key:
                    with pytest.raises(ValidationError):
                        field.run_validators(int(HUGE))

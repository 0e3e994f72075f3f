"""Importing register rows: the all-or-nothing service and the preview → confirm pages."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from casework.models import Assessment, Risk, Stakeholder
from casework.register_import import parse_table, read_text
from casework.services.assessments import assessment_start
from casework.services.errors import AssessmentLocked
from casework.services.register_import import register_rows_import
from frameworks.models import Dimension, FrameworkVersion
from tests import factories

PASTE = "姓名\t群体\t影响力\t关注度\n市民\t公众\t2\t5\n供应商\tsuppliers\t4\t3\n审计局\tregulators\t5\t4\n"


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


def kept(register, text):
    return parse_table(register, read_text(text)).stored()


def import_url(assessment, register="stakeholders"):
    return reverse("register_import", args=[assessment.pk, register])


def confirm_url(assessment, register="stakeholders"):
    return reverse("register_import_confirm", args=[assessment.pk, register])


# --- service ------------------------------------------------------------------------------------


def test_importing_appends_every_row_after_the_existing_ones_with_history(assessment, alice):
    Stakeholder.objects.create(
        assessment=assessment, name="原有", group="public", influence=1, interest=1, order=4
    )
    before = Assessment.objects.get(pk=assessment.pk).revision
    created = register_rows_import(
        assessment=assessment, register="stakeholders", user=alice, rows=kept("stakeholders", PASTE)
    )
    assert [s.name for s in assessment.stakeholders.all()] == ["原有", "市民", "供应商", "审计局"]
    assert [s.order for s in created] == [5, 6, 7]
    assert all(s.history.get().history_user == alice for s in created)
    assert created[0].updated_by == alice and created[0].version == 0
    assert Assessment.objects.get(pk=assessment.pk).revision == before + 1


@pytest.mark.parametrize("count", [3, 200])
def test_an_import_takes_the_same_few_queries_for_3_rows_or_200(
    assessment, alice, count, django_assert_max_num_queries
):
    text = "name,group,influence,interest\n" + "x,public,1,1\n" * count
    rows = kept("stakeholders", text)
    # 30: the rows and their history in bulk (a few batches at most: 200 rows are the cap),
    # the score snapshot and the search index of the assessment.
    with django_assert_max_num_queries(30):
        register_rows_import(assessment=assessment, register="stakeholders", user=alice, rows=rows)
    assert Stakeholder.objects.count() == count


def test_one_bad_row_and_nothing_is_written(assessment, alice):
    rows = kept(
        "risks", "category,description,likelihood,impact\ntechnology,宕机,2,3\npolicy,,9,1\n"
    )
    with translation.override("en"), pytest.raises(ValidationError, match="1 row has errors"):
        register_rows_import(assessment=assessment, register="risks", user=alice, rows=rows)
    assert not Risk.objects.exists()


def test_the_service_checks_the_rows_itself(assessment, alice):
    rows = kept("stakeholders", PASTE)
    rows[0]["raw"]["interest"] = "50"  # as if the kept rows had been tampered with
    with pytest.raises(ValidationError):
        register_rows_import(assessment=assessment, register="stakeholders", user=alice, rows=rows)
    assert not Stakeholder.objects.exists()


def test_a_submitted_assessment_takes_no_import(assessment, alice):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    assessment.refresh_from_db()
    with pytest.raises(AssessmentLocked):
        register_rows_import(
            assessment=assessment,
            register="stakeholders",
            user=alice,
            rows=kept("stakeholders", PASTE),
        )


# --- pages --------------------------------------------------------------------------------------


def test_the_preview_shows_every_row_and_writes_nothing(client, alice, assessment):
    client.force_login(alice)
    response = client.post(import_url(assessment), {"text": PASTE})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="preview-row"') == 3
    assert "审计局" in html and 'data-testid="import-confirm"' in html
    assert not Stakeholder.objects.exists()


def test_the_preview_summary_in_chinese_has_no_stray_english_full_stop(client, alice, assessment):
    """The row count and the header note are two lines, joined by no hard-coded punctuation."""
    client.force_login(alice)
    response = client.post(import_url(assessment), {"text": PASTE}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    summary = html.split('data-testid="import-preview"')[1].split("</p>")[0]
    assert 'data-testid="import-header-note"' in summary
    assert not re.search(r"</strong>\s*\.|行\.|读取了[^<]*\.\s", summary)


def test_confirming_writes_the_rows_once_and_goes_back_to_the_register(client, alice, assessment):
    client.force_login(alice)
    client.post(import_url(assessment), {"text": PASTE})
    token = client.session["register_import"]["token"]
    response = client.post(confirm_url(assessment), {"token": token})
    assert response.status_code == 302 and response.url.endswith("#register-stakeholders")
    assert Stakeholder.objects.count() == 3
    again = client.post(confirm_url(assessment), {"token": token})  # a second click
    assert again.status_code == 409
    assert Stakeholder.objects.count() == 3


def test_a_preview_with_errors_offers_no_confirm_and_names_the_cell(client, alice, assessment):
    client.force_login(alice)
    with translation.override("en"):
        response = client.post(
            import_url(assessment, "risks"),
            {"text": "category\tdescription\tlikelihood\timpact\ntechnology\t宕机\tabc\t3\n"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    html = response.content.decode()
    assert "“abc” is not a whole number from 1 to 5." in html
    assert 'data-testid="import-confirm"' not in html
    assert "register_import" not in client.session


def test_errors_come_in_chinese_for_a_chinese_user(client, alice, assessment):
    client.force_login(alice)
    response = client.post(
        import_url(assessment, "risks"),
        {"text": "类别,描述,可能性,影响\n技术,,2,3\n"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "此字段不能为空" in response.content.decode()


def test_a_later_preview_with_errors_withdraws_the_earlier_one(client, alice, assessment):
    client.force_login(alice)
    client.post(import_url(assessment), {"text": PASTE})
    token = client.session["register_import"]["token"]
    client.post(import_url(assessment), {"text": PASTE.replace("\t2\t5", "\t2\t50")})
    assert client.post(confirm_url(assessment), {"token": token}).status_code == 409
    assert not Stakeholder.objects.exists()


def test_a_wrong_token_imports_nothing(client, alice, assessment):
    client.force_login(alice)
    client.post(import_url(assessment), {"text": PASTE})
    assert client.post(confirm_url(assessment), {"token": "guess"}).status_code == 409
    assert not Stakeholder.objects.exists()


def test_a_preview_of_one_register_cannot_be_confirmed_into_another(client, alice, assessment):
    client.force_login(alice)
    client.post(import_url(assessment), {"text": PASTE})
    token = client.session["register_import"]["token"]
    assert client.post(confirm_url(assessment, "goals"), {"token": token}).status_code == 409
    assert not assessment.goals.exists()


def test_an_uploaded_xlsx_previews_like_a_paste(client, alice, assessment):
    from openpyxl import Workbook

    book = Workbook()
    for row in PASTE.strip().split("\n"):
        book.active.append(row.split("\t"))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "stakeholders.xlsx"
    client.force_login(alice)
    response = client.post(import_url(assessment), {"file": buffer})
    assert response.content.decode().count('data-testid="preview-row"') == 3


def test_an_empty_form_says_what_to_do(client, alice, assessment):
    client.force_login(alice)
    response = client.post(import_url(assessment), {"text": "  "}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "Paste some rows or choose a file." in response.content.decode()


def test_an_unknown_register_is_a_404(client, alice, assessment):
    client.force_login(alice)
    assert client.get(import_url(assessment, "budgets")).status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("charlie", 404), ("diana", 404), ("bob", 403)])
def test_only_the_units_analysts_may_import(request, client, assessment, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(import_url(assessment)).status_code == status
    assert client.post(import_url(assessment), {"text": PASTE}).status_code == status
    assert client.post(confirm_url(assessment), {"token": "x"}).status_code == status
    assert not Stakeholder.objects.exists()


def test_import_posts_need_the_csrf_token(alice, assessment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(import_url(assessment), {"text": PASTE}).status_code == 403


def test_a_submitted_assessment_shows_the_lock_and_no_form(client, alice, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    client.force_login(alice)
    response = client.post(import_url(assessment), {"text": PASTE})
    assert response.status_code == 423
    assert 'name="text"' not in response.content.decode()


def test_the_register_table_links_to_the_import(client, alice, alice_case):
    version = factories.make_tiny_framework("RI", publish=False)
    Dimension.objects.filter(version=version, code="RI-D1").update(registers=["stakeholders"])
    version.status = FrameworkVersion.Status.PUBLISHED
    version.save()
    assessment = assessment_start(case=alice_case, version=version, user=alice)
    client.force_login(alice)
    html = client.get(reverse("wizard_step", args=[assessment.pk, 1])).content.decode()
    assert reverse("register_import", args=[assessment.pk, "stakeholders"]) in html

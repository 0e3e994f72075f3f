"""Every free-text field has a length limit: in the model, in the form, and in every service.

Over-long input is refused with a clear message and what the user typed stays in the form.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import translation

from casework.forms.cases import CaseForm, CommentForm, WorkflowCommentForm
from casework.forms.registers import register_form_class
from casework.models import Answer, Comment, Goal, Risk, Stakeholder
from casework.models.fields import text_limit
from casework.services import assessments as services
from casework.services.answers import answer_save
from casework.services.errors import ServiceError
from casework.services.registers import register_row_add, register_row_save

HTMX = {"HTTP_HX_REQUEST": "true"}
ONE_MB = "目" * (1024 * 1024 // 3)  # about 1 MB of UTF-8


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return services.assessment_start(case=alice_case, version=tiny_version, user=alice)


def _text_fields(app_label):
    for model in apps.get_app_config(app_label).get_models():
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField):
                yield model, field


# --- Models -----------------------------------------------------------------------------


@pytest.mark.parametrize("app_label", ["casework", "frameworks"])
def test_every_text_field_has_a_length_limit(app_label):
    unbounded = [
        f"{model.__name__}.{field.name}"
        for model, field in _text_fields(app_label)
        if text_limit(model, field.name) is None
    ]
    assert unbounded == []


def test_casework_text_fields_check_their_limit_in_model_validation_too():
    # Django's TextField hands max_length to forms only; services clean with the model field.
    for model, field in _text_fields("casework"):
        limit = text_limit(model, field.name)
        with pytest.raises(ValidationError):
            field.clean("x" * (limit + 1), None)


def test_evidence_has_one_limit_the_setting(settings):
    settings.EVIDENCE_MAX_CHARS = 12
    assert text_limit(Answer, "evidence") == 12
    Answer._meta.get_field("evidence").run_validators("x" * 12)
    with pytest.raises(ValidationError):
        Answer._meta.get_field("evidence").run_validators("x" * 13)


@pytest.mark.parametrize(
    ("model", "name", "limit"),
    [
        (Answer, "na_reason", 2000),
        (Answer, "note", 4000),
        (Comment, "body", 5000),
        (Goal, "statement", 2000),
        (Goal, "target", 200),
        (Stakeholder, "approach", 2000),
        (Risk, "description", 2000),
        (Risk, "response", 2000),
    ],
)
def test_the_limits_people_type_against(model, name, limit):
    assert text_limit(model, name) == limit


# --- The answer service ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "field", "data"),
    [
        ("TF-D1.1", "na_reason", {"not_applicable": True, "na_reason": "因" * 2001}),
        ("TF-D1.3", "note", {"note": "记" * 4001}),
    ],
)
def test_the_answer_service_refuses_over_long_text_with_a_clear_message(
    assessment, alice, code, field, data
):
    with pytest.raises(ValidationError) as caught:
        answer_save(
            assessment=assessment, criterion_code=code, user=alice, data=data, expected_version=0
        )
    message = caught.value.message_dict[field][0]
    assert "is limited to" in message and "characters; this text has" in message
    assert Answer.objects.get(assessment=assessment, criterion__code=code).version == 0


def test_the_answer_service_accepts_text_at_the_limit(assessment, alice):
    answer = answer_save(
        assessment=assessment,
        criterion_code="TF-D1.3",
        user=alice,
        data={"note": "记" * 4000},
        expected_version=0,
    )
    assert len(answer.note) == 4000


def test_the_evidence_message_names_the_limit_in_chinese_too(assessment, alice, settings):
    settings.EVIDENCE_MAX_CHARS = 10
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        answer_save(
            assessment=assessment,
            criterion_code="TF-D1.1",
            user=alice,
            data={"evidence": "证" * 11},
            expected_version=0,
        )
    assert "10" in caught.value.message_dict["evidence"][0]


def test_an_over_long_note_in_the_wizard_gives_422_and_keeps_the_typing(client, alice, assessment):
    client.force_login(alice)
    client.cookies["django_language"] = "en"
    text = "我的观察记录" * 700  # 4,200 characters
    response = client.post(
        reverse("wizard_answer_save", args=[assessment.pk, "TF-D1.3"]),
        {"TF-D1.3-version": 0, "TF-D1.3-observation": "present", "TF-D1.3-note": text},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert text in html
    assert "is limited to 4000 characters" in html
    assert Answer.objects.get(assessment=assessment, criterion__code="TF-D1.3").note == ""


def test_the_wizard_card_shows_a_counter_for_each_text(client, alice, assessment):
    client.force_login(alice)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("wizard_step", args=[assessment.pk, 1])).content.decode()
    assert 'data-limit="2000"' in html  # the reason it does not apply
    assert 'data-limit="4000"' in html  # an observation's note
    assert "-na_reason-count" in html and "-note-count" in html


# --- Registers ---------------------------------------------------------------------------


def test_a_one_megabyte_goal_statement_can_no_longer_be_saved(assessment, alice):
    with pytest.raises(ValidationError) as caught:
        register_row_add(
            assessment=assessment, register="goals", user=alice, data={"statement": ONE_MB}
        )
    assert "statement" in caught.value.message_dict
    assert not Goal.objects.exists()


def test_editing_a_risk_is_bounded_too(assessment, alice):
    risk = Risk.objects.create(
        assessment=assessment, category="policy", description="政策调整", likelihood=2, impact=2
    )
    with pytest.raises(ValidationError) as caught:
        register_row_save(
            assessment=assessment,
            register="risks",
            row_id=risk.pk,
            user=alice,
            data={"response": "应" * 2001},
            expected_version=0,
        )
    assert "response" in caught.value.message_dict
    risk.refresh_from_db()
    assert (risk.response, risk.version) == ("", 0)


def test_a_one_megabyte_goal_in_the_wizard_is_refused_and_kept_in_the_form(
    client, alice, assessment
):
    client.force_login(alice)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("wizard_register", args=[assessment.pk, "goals"]), {"statement": ONE_MB}, **HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert ONE_MB in html
    assert "at most 2000 characters" in html
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    ("register", "field", "limit"),
    [
        ("goals", "statement", 2000),
        ("goals", "target", 200),
        ("stakeholders", "approach", 2000),
        ("risks", "description", 2000),
        ("risks", "response", 2000),
    ],
)
def test_register_forms_carry_the_limit_for_the_counter(register, field, limit):
    form = register_form_class(register)()
    assert f'maxlength="{limit}"' in str(form[field])


# --- Comments ----------------------------------------------------------------------------


def test_the_comment_forms_take_their_limit_from_the_model():
    limit = text_limit(Comment, "body")
    assert CommentForm().fields["body"].max_length == limit
    assert WorkflowCommentForm().fields["comment"].max_length == limit
    assert f'maxlength="{limit}"' in str(WorkflowCommentForm()["comment"])


def test_the_comment_service_refuses_an_over_long_comment(assessment, alice):
    with pytest.raises(ServiceError) as caught:
        services.comment_add(assessment=assessment, user=alice, body="评" * 5001)
    assert "5000" in str(caught.value.message)
    assert not Comment.objects.exists()


def test_the_review_services_refuse_an_over_long_comment(assessment, alice, bob):
    with pytest.raises(ServiceError):
        services.assessment_submit(assessment=assessment, user=alice, comment="评" * 5001)
    assessment.refresh_from_db()
    assert assessment.status == "draft"
    services.assessment_submit(assessment=assessment, user=alice)
    with pytest.raises(ServiceError):
        services.assessment_return(assessment=assessment, user=bob, comment="退" * 5001)
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


def test_an_over_long_comment_on_the_page_is_refused_and_kept(client, alice, assessment):
    client.force_login(alice)
    client.cookies["django_language"] = "en"
    text = "这条评论太长了" * 800  # 5,600 characters
    response = client.post(
        reverse("assessment_comment", args=[assessment.pk]), {"body": text, "criterion": ""}
    )
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not Comment.objects.exists()


def test_an_over_long_return_comment_is_refused_and_kept(client, alice, bob, assessment):
    services.assessment_submit(assessment=assessment, user=alice)
    client.force_login(bob)
    client.cookies["django_language"] = "en"
    text = "请补充证据" * 1100  # 5,500 characters
    response = client.post(reverse("assessment_return", args=[assessment.pk]), {"comment": text})
    assert response.status_code == 200
    assert text in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


# --- Cases -------------------------------------------------------------------------------


def test_the_case_form_carries_the_limits_of_its_texts(db):
    form = CaseForm()
    assert f'maxlength="{text_limit(CaseForm.Meta.model, "summary")}"' in str(form["summary"])


# --- The counter -------------------------------------------------------------------------


def test_every_page_loads_the_counter_script_from_a_file(client, alice):
    client.force_login(alice)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("case_list")).content.decode()
    assert 'src="/static/js/char-counter.js"' in html
    script = Path(settings.BASE_DIR, "static", "js", "char-counter.js").read_text()
    assert "maxlength" in script and "aria-live" in script

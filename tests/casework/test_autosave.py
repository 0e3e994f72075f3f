"""The autosave endpoint: one card in, the re-rendered card out (htmx)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from casework.models import Answer, Assessment, CaseSource
from casework.services.assessments import assessment_start
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


def url(assessment, code="TF-D1.1"):
    return reverse("wizard_answer_save", args=[assessment.pk, code])


def post(client, assessment, code="TF-D1.1", version=0, **fields):
    data = {f"{code}-version": version}
    data.update({f"{code}-{name}": value for name, value in fields.items()})
    return client.post(url(assessment, code), data, **HTMX)


def stored(assessment, code="TF-D1.1"):
    return Answer.objects.get(assessment=assessment, criterion__code=code)


def test_autosave_returns_the_card_at_the_new_version(client, alice, assessment):
    client.force_login(alice)
    source = CaseSource.objects.create(
        case=assessment.case, title="国务院关于加快推进政务服务的意见"
    )
    response = post(
        client,
        assessment,
        level=3,
        evidence="覆盖 80% 事项",
        citations=[source.pk],
        confidence="medium",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="TF-D1.1-version" value="1"' in html
    assert "cw-status" in html and "bi-cloud-check" in html
    answer = stored(assessment)
    assert (answer.level, answer.evidence, answer.citations, answer.confidence) == (
        3,
        "覆盖 80% 事项",
        [{"source": source.pk, "locator": "", "quote": ""}],
        "medium",
    )


def test_autosave_of_an_observation_item(client, alice, assessment):
    client.force_login(alice)
    response = post(client, assessment, code="TF-D1.3", observation="absent", note="未见公开")
    assert response.status_code == 200
    assert stored(assessment, "TF-D1.3").observation == "absent"


def test_a_level_off_the_scale_gives_422_with_the_message_and_writes_nothing(
    client, alice, assessment
):
    client.force_login(alice)
    response = post(client, assessment, level=9, evidence="我的证据文字")
    assert response.status_code == 422
    html = response.content.decode()
    assert "0–5" in html
    assert "我的证据文字" in html  # what the user typed is kept
    assert stored(assessment).version == 0


def test_not_applicable_without_a_reason_waits_for_it_and_saves_the_rest(client, alice, assessment):
    """Switching N/A on is a pending state: no error, nothing marked N/A, the evidence saved."""
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post(
        client, assessment, not_applicable="on", na_reason="", evidence="网上大厅已上线"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "is-na-pending" in html and "Reason needed" in html
    assert "is-invalid" not in html and "invalid-feedback" not in html
    assert "Answered" not in html
    answer = stored(assessment)
    assert answer.not_applicable is False
    assert answer.evidence == "网上大厅已上线"
    assert not answer.is_answered


def test_a_pending_not_applicable_is_saved_and_answered_once_the_reason_is_given(
    client, alice, assessment
):
    client.force_login(alice)
    post(client, assessment, not_applicable="on", na_reason="")
    version = stored(assessment).version
    response = post(
        client, assessment, version=version, not_applicable="on", na_reason="由省级统一办理"
    )
    assert response.status_code == 200
    assert "is-na-pending" not in response.content.decode()
    answer = stored(assessment)
    assert (answer.not_applicable, answer.na_reason) == (True, "由省级统一办理")
    assert answer.is_answered


def test_evidence_over_the_limit_gives_422_and_keeps_the_text(client, alice, assessment, settings):
    settings.EVIDENCE_MAX_CHARS = 20
    client.force_login(alice)
    text = "很长的证据" * 10
    response = post(client, assessment, evidence=text)
    assert response.status_code == 422
    assert text in response.content.decode()
    assert stored(assessment).evidence == ""


def test_an_unknown_item_code_gives_422(client, alice, assessment):
    client.force_login(alice)
    response = post(client, assessment, code="TF-D9.9", level=1)
    assert response.status_code == 422
    assert "TF-D9.9" in response.content.decode()


def test_an_item_of_another_framework_gives_422(client, alice, assessment):
    factories.make_tiny_framework("XF")
    client.force_login(alice)
    response = post(client, assessment, code="XF-D1.1", level=1)
    assert response.status_code == 422
    assert "XF-D1.1" in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment, criterion__code="XF-D1.1").exists()


def test_user_text_is_escaped_in_the_card(client, alice, assessment):
    client.force_login(alice)
    response = post(client, assessment, evidence="<script>alert(1)</script>")
    assert response.status_code == 200
    # The saved card is swapped in only for its status, but it must be safe all the same.
    response = client.get(url(assessment), **HTMX)
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


@pytest.mark.parametrize("status", [Assessment.Status.SUBMITTED, Assessment.Status.APPROVED])
def test_autosave_to_a_submitted_assessment_is_refused(client, alice, assessment, status):
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    client.force_login(alice)
    response = post(client, assessment, level=2)
    assert response.status_code == 423
    assert stored(assessment).level is None


def test_a_post_without_the_csrf_token_is_refused(alice, assessment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = post(client, assessment, level=2)
    assert response.status_code == 403
    assert stored(assessment).level is None


def test_the_csrf_token_in_the_htmx_header_is_accepted(alice, assessment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get(reverse("wizard_step", args=[assessment.pk, 1]))
    token = page.cookies["csrftoken"].value
    response = client.post(
        url(assessment), {"TF-D1.1-version": 0, "TF-D1.1-level": 2}, HTTP_X_CSRFTOKEN=token, **HTMX
    )
    assert response.status_code == 200
    assert stored(assessment).level == 2


@pytest.mark.parametrize(("persona", "status"), [("charlie", 404), ("diana", 404), ("bob", 403)])
def test_only_the_units_analysts_may_autosave(request, client, assessment, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = post(client, assessment, level=2)
    assert response.status_code == status
    assert stored(assessment).level is None


def test_an_admin_may_autosave(client, ada, assessment):
    client.force_login(ada)
    assert post(client, assessment, level=2).status_code == 200


def test_a_manager_may_read_the_card(client, bob, assessment):
    client.force_login(bob)
    response = client.get(url(assessment), **HTMX)
    assert response.status_code == 200
    assert "<textarea" not in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(client, assessment):
    response = post(client, assessment, level=2)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_autosave_sends_the_step_progress_out_of_band(client, alice, assessment):
    client.force_login(alice)
    html = post(client, assessment, level=1).content.decode()
    assert 'hx-swap-oob="true"' in html
    assert "1/3" in html and "1/4" in html  # the dimension, and overall


def test_a_level_can_be_cleared_again(client, alice, assessment):
    client.force_login(alice)
    post(client, assessment, level=3)
    response = post(client, assessment, version=1, level="")
    assert response.status_code == 200
    assert stored(assessment).level is None

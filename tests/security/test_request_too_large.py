"""A request body over DATA_UPLOAD_MAX_MEMORY_SIZE: the app's own 413, in the user's language."""

import pytest
from django.conf import settings
from django.urls import reverse

from casework.models import Answer, Case
from casework.services.assessments import assessment_start
from tests import factories

pytestmark = pytest.mark.django_db

# About 1 MB of Chinese text: 3 MB as UTF-8, 9 MB once percent-encoded in a form post.
EVIDENCE = "政务服务事项网上可办率达到百分之九十以上。" * 50_000


def test_a_huge_evidence_autosave_gets_a_fragment_and_nothing_is_saved(client, alice, alice_case):
    assessment = assessment_start(
        case=alice_case, version=factories.make_tiny_framework(), user=alice
    )
    client.force_login(alice)
    response = client.post(
        reverse("wizard_answer_save", args=[assessment.pk, "TF-D1.1"]),
        {"TF-D1.1-version": 0, "TF-D1.1-level": 1, "TF-D1.1-evidence": EVIDENCE},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-cw-error="too-large"' in html
    limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:g} MB"
    assert "Not saved" in html and limit in html
    assert Answer.objects.get(assessment=assessment, criterion__code="TF-D1.1").evidence == ""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_huge_form_gets_a_page_in_the_layout_and_the_users_language(client, alice, language):
    client.force_login(alice)
    response = client.post(
        reverse("case_create"),
        {"title": "省级政务数据共享平台", "summary": EVIDENCE},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert f'lang="{language}"' in page
    assert 'data-testid="error-413"' in page and 'id="main"' in page
    if language == "en":
        assert "Too much text at once" in page
    assert not Case.objects.exists()


def test_other_bad_requests_keep_their_400(client):
    response = client.get(reverse("login"), HTTP_HOST="bad host name")
    assert response.status_code == 400

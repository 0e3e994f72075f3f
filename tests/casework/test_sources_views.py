"""The sources panel on the case page and in the wizard, and the document download."""

import hashlib
from urllib.parse import quote

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from casework.models import CaseSource
from casework.services import documents as services
from casework.services.assessments import assessment_start
from tests import documents as samples
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def add_url(case):
    return reverse("source_add", args=[case.pk])


def source_data(**overrides):
    data = {
        "source-title": "市审计局审计报告",
        "source-publisher": "市审计局",
        "source-reference": "https://example.org/audit",
        "source-published_on": "2025-03-01",
    }
    data.update(overrides)
    return data


def with_document(data: bytes, name="审计报告.pdf", **overrides):
    return {**source_data(**overrides), "source-document": SimpleUploadedFile(name, data)}


@pytest.fixture
def pdf_source(alice, alice_case):
    return services.source_create(
        case=alice_case,
        user=alice,
        data={"title": "审计报告"},
        upload=SimpleUploadedFile("2025年 审计报告.pdf", samples.pdf()),
    )


def test_a_source_with_a_document_is_added_from_the_panel_and_the_panel_is_redrawn(
    client, alice, alice_case
):
    client.force_login(alice)
    response = client.post(add_url(alice_case), with_document(samples.docx(), "访谈.docx"), **HTMX)

    assert response.status_code == 200
    source = alice_case.sources.get()
    assert (source.title, source.publisher) == ("市审计局审计报告", "市审计局")
    assert source.document_type.endswith("wordprocessingml.document")
    html = response.content.decode()
    assert 'id="sources-panel-body"' in html and 'data-cw-sources-changed="1"' in html
    assert "访谈.docx" in html
    assert reverse("source_document", args=[alice_case.pk, source.pk]) in html
    # The count on the page follows, out of band.
    assert 'id="cw-sources-count" hx-swap-oob="true"' in html


def test_without_javascript_the_form_goes_back_to_the_page_it_came_from(
    client, alice, alice_case, tiny_version
):
    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    step = reverse("wizard_step", args=[assessment.pk, 1])
    client.force_login(alice)

    response = client.post(add_url(alice_case), source_data(next=step))
    assert response.status_code == 302 and response["Location"] == step

    response = client.post(add_url(alice_case), source_data(next="https://evil.example/"))
    assert response["Location"] == alice_case.get_absolute_url()


def test_a_source_without_a_title_is_refused_and_keeps_what_was_typed(client, alice, alice_case):
    client.force_login(alice)
    response = client.post(add_url(alice_case), source_data(**{"source-title": ""}), **HTMX, **EN)
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html
    assert 'value="市审计局"' in html and 'value="https://example.org/audit"' in html
    assert not CaseSource.all_objects.exists()


@pytest.mark.parametrize(
    ("name", "words"),
    [("html", "markup"), ("exe", "Programs and scripts"), ("gif", "Accepted: PDF")],
)
def test_a_refused_document_says_why_in_the_panel_and_nothing_is_saved(
    client, alice, alice_case, name, words
):
    client.force_login(alice)
    response = client.post(
        add_url(alice_case), with_document(samples.REFUSED[name], "看起来像.pdf"), **HTMX, **EN
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert words in html
    assert 'value="市审计局审计报告"' in html
    assert not CaseSource.all_objects.exists()


def test_refusals_speak_chinese_by_default(client, alice, alice_case):
    client.force_login(alice)
    response = client.post(add_url(alice_case), with_document(samples.REFUSED["exe"]), **HTMX)
    assert response.status_code == 422
    assert 'lang="zh-hans"' not in response.content.decode()  # a fragment, not a page
    assert response["Content-Language"] == "zh-hans"


@override_settings(DOCUMENT_MAX_BYTES=1024)
def test_an_upload_over_the_cap_is_stopped_while_it_arrives_with_a_413(client, alice, alice_case):
    """The upload handler stops reading at the cap; the 413 fragment names the document limit."""
    client.force_login(alice)
    big = b"%PDF-" + b"0" * 4096
    response = client.post(add_url(alice_case), with_document(big), **HTMX, **EN)
    assert response.status_code == 413
    assert "Not saved: a document may be at most 1 KB." in response.content.decode()
    assert not CaseSource.all_objects.exists()


def test_the_document_downloads_as_an_attachment_with_a_safe_chinese_name(
    client, alice, alice_case, pdf_source
):
    client.force_login(alice)
    response = client.get(reverse("source_document", args=[alice_case.pk, pdf_source.pk]))

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == pdf_source.document_sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('2025年 审计报告.pdf')}"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_text_document_is_still_a_download_never_a_page(client, alice, alice_case):
    source = services.source_create(
        case=alice_case,
        user=alice,
        data={"title": "纪要"},
        upload=SimpleUploadedFile("notes.html", samples.text()),
    )
    client.force_login(alice)
    response = client.get(reverse("source_document", args=[alice_case.pk, source.pk]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'


def test_a_manager_of_the_unit_may_download(client, bob, alice_case, pdf_source):
    client.force_login(bob)
    response = client.get(reverse("source_document", args=[alice_case.pk, pdf_source.pk]))
    assert response.status_code == 200


def test_another_units_document_and_sources_are_a_404(client, charlie, alice_case, pdf_source):
    client.force_login(charlie)
    args = [alice_case.pk, pdf_source.pk]
    assert client.get(reverse("source_document", args=args)).status_code == 404
    assert client.post(add_url(alice_case), source_data()).status_code == 404
    assert client.post(reverse("source_remove", args=args), {"version": 0}).status_code == 404
    assert client.get(reverse("source_panel", args=[alice_case.pk])).status_code == 404
    assert alice_case.sources.count() == 1


def test_a_source_of_another_case_is_a_404_even_under_ones_own_case(
    client, alice, unit_a, alice_case, pdf_source
):
    other = factories.make_case(unit=unit_a, owner=alice, title="另一个案例")
    client.force_login(alice)
    assert client.get(reverse("source_document", args=[other.pk, pdf_source.pk])).status_code == 404


def test_a_manager_sees_the_sources_but_may_not_add_any(client, bob, alice_case):
    client.force_login(bob)
    assert client.post(add_url(alice_case), source_data()).status_code == 403
    html = client.get(alice_case.get_absolute_url()).content.decode()
    assert 'data-testid="source-add-form"' not in html


def test_posts_need_the_csrf_token(alice, alice_case, pdf_source):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(add_url(alice_case), source_data()).status_code == 403
    remove = reverse("source_remove", args=[alice_case.pk, pdf_source.pk])
    assert client.post(remove, {"version": 0}).status_code == 403
    assert alice_case.sources.count() == 1


def test_a_removed_sources_document_is_gone(
    client, alice, alice_case, pdf_source, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    remove = reverse("source_remove", args=[alice_case.pk, pdf_source.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove, {"version": 0}, **HTMX)
    assert response.status_code == 200
    assert 'data-cw-sources-changed="0"' in response.content.decode()
    download = reverse("source_document", args=[alice_case.pk, pdf_source.pk])
    assert client.get(download).status_code == 404
    assert not storages["documents"].exists(pdf_source.document_file)


def test_a_document_is_attached_to_an_existing_source_and_a_stale_page_is_told(
    client, alice, alice_case
):
    source = CaseSource.objects.create(case=alice_case, title="政府工作报告")
    client.force_login(alice)
    attach = reverse("source_document_attach", args=[alice_case.pk, source.pk])
    upload = SimpleUploadedFile("报告.xlsx", samples.xlsx())
    response = client.post(attach, {"version": 0, "document": upload}, **HTMX, **EN)
    assert response.status_code == 200
    source.refresh_from_db()
    assert source.document_type.endswith("spreadsheetml.sheet") and source.version == 1

    again = SimpleUploadedFile("报告.pdf", samples.pdf())
    response = client.post(attach, {"version": 0, "document": again}, **HTMX, **EN)
    assert response.status_code == 422
    assert "Someone else changed this source" in response.content.decode()
    source.refresh_from_db()
    assert source.document_type.endswith("spreadsheetml.sheet")


def test_deleting_the_document_keeps_the_source(client, alice, alice_case, pdf_source):
    client.force_login(alice)
    url = reverse("source_document_remove", args=[alice_case.pk, pdf_source.pk])
    assert client.post(url, {"version": 0}).status_code == 302
    pdf_source.refresh_from_db()
    assert pdf_source.document_file == "" and pdf_source.removed_at is None


def test_the_case_page_lists_every_source_with_its_document_in_constant_queries(
    client, alice, alice_case, pdf_source, django_assert_max_num_queries
):
    for n in range(20):
        CaseSource.objects.create(case=alice_case, title=f"来源 {n}", order=n + 1)
    client.force_login(alice)
    client.get(alice_case.get_absolute_url())
    with django_assert_max_num_queries(12):
        response = client.get(alice_case.get_absolute_url(), **EN)
    html = response.content.decode()
    assert html.count('class="cw-source ') == 21
    assert "2025年 审计报告.pdf" in html and "PDF · 1 KB" in html
    assert 'data-testid="source-add-form"' in html and 'enctype="multipart/form-data"' in html


def test_the_wizard_step_offers_the_panel_without_leaving_the_step(
    client, alice, alice_case, tiny_version, pdf_source
):
    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    client.force_login(alice)
    html = client.get(reverse("wizard_step", args=[assessment.pk, 1]), **EN).content.decode()
    assert 'id="sources-panel"' in html and 'data-testid="sources-open"' in html
    assert f'hx-post="{add_url(alice_case)}"' in html
    assert 'hx-encoding="multipart/form-data"' in html
    assert "js/sources.js" in html
    assert 'id="cw-sources-count" class="badge text-bg-light border">1<' in html


def test_the_panel_alone_can_be_fetched_to_redraw_it(client, bob, alice_case, pdf_source):
    client.force_login(bob)
    response = client.get(reverse("source_panel", args=[alice_case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="sources-panel-body"') and "审计报告" in html


def test_an_archived_case_takes_no_new_source_and_says_so(client, alice, alice_case):
    alice_case.archived_at = alice_case.updated_at
    alice_case.save()
    client.force_login(alice)
    response = client.post(add_url(alice_case), source_data(), **HTMX, **EN)
    assert response.status_code == 422
    assert "archived" in response.content.decode()
    assert not CaseSource.all_objects.exists()


def test_without_javascript_a_refusal_is_a_page_with_the_form_and_the_typing(
    client, alice, alice_case
):
    client.force_login(alice)
    response = client.post(add_url(alice_case), with_document(samples.REFUSED["svg"]), **EN)
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" in html and "markup" in html
    assert 'value="市审计局审计报告"' in html
    assert '<details class="cw-source-add" open>' in html

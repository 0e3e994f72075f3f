"""Case pages: list, create, detail, edit, duplicate, archive and restore."""

from datetime import date

import pytest
from django.urls import reverse

from casework.models import Assessment, Case, CaseSource
from tests import factories

pytestmark = pytest.mark.django_db


def case_data(**overrides):
    data = {
        "title": "省级政务数据共享平台",
        "body": "省大数据发展管理局",
        "level": "provincial",
        "region": "西南",
        "sector": "数据共享",
        "period_start": "2023-03-01",
        "period_end": "2025-06-30",
        "summary": "打通省市县三级数据共享通道。",
        "tags": "数据共享，一网通办, 平台",
        "sources-TOTAL_FORMS": "2",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
        "sources-0-title": "省政府办公厅关于数据共享的通知",
        "sources-0-reference": "https://example.gov.cn/notice/1",
        "sources-0-published_on": "2023-02-15",
        "sources-1-title": "",
        "sources-1-reference": "",
        "sources-1-published_on": "",
    }
    data.update(overrides)
    return data


def test_analyst_creates_a_case_with_sources_tags_and_round_one_of_each_framework(
    client, alice, tiny_version
):
    other = factories.make_tiny_framework("OF")
    client.force_login(alice)
    response = client.post(reverse("case_create"), case_data())
    case = Case.objects.get(title="省级政务数据共享平台")
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert case.unit == alice.membership.unit
    assert case.owner == alice
    assert case.tags == ["数据共享", "一网通办", "平台"]
    assert list(case.sources.values_list("title", "published_on")) == [
        ("省政府办公厅关于数据共享的通知", date(2023, 2, 15))
    ]
    started = Assessment.objects.filter(case=case)
    assert {(a.version_id, a.round, a.status) for a in started} == {
        (tiny_version.pk, 1, "draft"),
        (other.pk, 1, "draft"),
    }
    assert started.first().answers.count() == 4


def test_new_case_uses_the_latest_published_version_only(client, alice, tiny_version):
    newer = factories.make_tiny_framework()  # TF v2, published
    factories.make_tiny_framework(publish=False)  # TF v3, a draft
    client.force_login(alice)
    client.post(reverse("case_create"), case_data())
    case = Case.objects.get()
    assert list(case.assessments.values_list("version_id", flat=True)) == [newer.pk]


def test_case_is_created_and_the_page_says_so_when_no_framework_is_published(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("case_create"), case_data(), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    case = Case.objects.get()
    assert case.assessments.count() == 0
    page = response.content.decode()
    assert "No framework has a published version yet" in page
    assert "No assessment has been started" in page


def test_end_before_start_is_an_error_on_the_end_field_and_keeps_what_was_typed(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("case_create"),
        case_data(period_start="2025-01-01", period_end="2024-01-01", title="保留我输入的标题"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "period_end" in form.errors
    assert "before its start" in str(form.errors["period_end"])
    page = response.content.decode()
    assert 'value="保留我输入的标题"' in page
    assert "省政府办公厅关于数据共享的通知" in page
    assert not Case.objects.exists()


def test_end_before_start_error_speaks_chinese_by_default(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("case_create"), case_data(period_start="2025-01-01", period_end="2024-01-01")
    )
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


def test_admin_chooses_the_unit_of_a_new_case(client, ada, unit_b, tiny_version):
    client.force_login(ada)
    response = client.post(reverse("case_create"), case_data(unit=unit_b.pk))
    assert response.status_code == 302
    assert Case.objects.get().unit == unit_b


def test_case_detail_shows_facts_sources_tags_and_assessments_with_links(
    client, alice, alice_case, tiny_version
):
    from casework.services.assessments import assessment_start

    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    CaseSource.objects.create(
        case=alice_case, title="市政府工作报告 2024", reference="https://x.test/r"
    )
    alice_case.tags = ["一网通办"]
    alice_case.save()
    client.force_login(alice)
    response = client.get(reverse("case_detail", args=[alice_case.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert alice_case.title in page
    assert "市政府工作报告 2024" in page
    assert "一网通办" in page
    assert f"/assessments/{assessment.pk}/step/1/" in page
    assert f"/assessments/{assessment.pk}/report/" in page
    assert "0/4" in page


def test_analyst_edits_a_case_and_its_sources(client, alice, alice_case):
    kept = CaseSource.objects.create(case=alice_case, title="旧来源", order=0)
    gone = CaseSource.objects.create(case=alice_case, title="要删除的来源", order=1)
    client.force_login(alice)
    data = case_data(
        title="改过的标题",
        **{
            "sources-TOTAL_FORMS": "3",
            "sources-INITIAL_FORMS": "2",
            "sources-0-id": str(kept.pk),
            "sources-0-title": "旧来源（修订）",
            "sources-0-reference": "",
            "sources-0-published_on": "",
            "sources-1-id": str(gone.pk),
            "sources-1-title": "要删除的来源",
            "sources-1-DELETE": "on",
            "sources-2-title": "新来源",
        },
    )
    response = client.post(reverse("case_edit", args=[alice_case.pk]), data)
    assert response.status_code == 302
    alice_case.refresh_from_db()
    assert alice_case.title == "改过的标题"
    assert list(alice_case.sources.values_list("title", flat=True)) == ["旧来源（修订）", "新来源"]


def test_edit_form_shows_existing_tags_joined_with_commas(client, alice, alice_case):
    alice_case.tags = ["数据共享", "平台"]
    alice_case.save()
    client.force_login(alice)
    page = client.get(reverse("case_edit", args=[alice_case.pk])).content.decode()
    assert 'value="数据共享, 平台"' in page


def test_duplicate_copies_case_and_sources_for_the_current_user_with_fresh_assessments(
    client, alice, unit_a, tiny_version
):
    from casework.services.assessments import assessment_start, assessment_submit

    colleague = factories.make_user("colleague", unit=unit_a)
    case = factories.make_case(unit=unit_a, owner=colleague, tags=["x"])
    CaseSource.objects.create(case=case, title="来源甲", reference="ref-1")
    original = assessment_start(case=case, version=tiny_version, user=colleague)
    assessment_submit(assessment=original, user=colleague)
    client.force_login(alice)
    response = client.post(reverse("case_duplicate", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    copy = Case.objects.exclude(pk=case.pk).get()
    assert response.status_code == 302
    assert copy.title == f"{case.title} (copy)"
    assert copy.owner == alice
    assert copy.unit == unit_a
    assert copy.tags == ["x"]
    assert list(copy.sources.values_list("title", "reference")) == [("来源甲", "ref-1")]
    assert [(a.round, a.status) for a in copy.assessments.all()] == [(1, "draft")]


def test_duplicate_needs_post(client, alice, alice_case):
    client.force_login(alice)
    assert client.get(reverse("case_duplicate", args=[alice_case.pk])).status_code == 405


def test_archived_cases_leave_the_list_and_come_back_when_restored(client, alice, alice_case):
    client.force_login(alice)
    client.post(reverse("case_archive", args=[alice_case.pk]))
    alice_case.refresh_from_db()
    assert alice_case.is_archived
    assert alice_case.title not in client.get(reverse("case_list")).content.decode()
    archived = client.get(reverse("case_list"), {"archived": "on"}).content.decode()
    assert alice_case.title in archived
    client.post(reverse("case_restore", args=[alice_case.pk]))
    alice_case.refresh_from_db()
    assert not alice_case.is_archived
    assert alice_case.title in client.get(reverse("case_list")).content.decode()


def test_archive_and_restore_are_post_only(client, alice, alice_case):
    client.force_login(alice)
    assert client.get(reverse("case_archive", args=[alice_case.pk])).status_code == 405
    assert client.get(reverse("case_restore", args=[alice_case.pk])).status_code == 405
    assert Case.objects.filter(pk=alice_case.pk).exists()


def test_a_stale_case_edit_is_refused_shows_both_values_and_keeps_the_typing(
    client, alice, alice_case
):
    client.force_login(alice)
    loaded_version = alice_case.version
    # Someone else saves the case after alice opened the form.
    client.post(
        reverse("case_edit", args=[alice_case.pk]),
        case_data(title="别人改的标题", expected_version=loaded_version),
    )
    response = client.post(
        reverse("case_edit", args=[alice_case.pk]),
        case_data(title="爱丽丝的标题", expected_version=loaded_version),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "别人改的标题" in page and "爱丽丝的标题" in page
    assert 'data-testid="case-conflict"' in page
    alice_case.refresh_from_db()
    assert alice_case.title == "别人改的标题"


def test_saving_again_after_seeing_the_conflict_keeps_the_users_version(client, alice, alice_case):
    client.force_login(alice)
    loaded_version = alice_case.version
    client.post(
        reverse("case_edit", args=[alice_case.pk]),
        case_data(title="别人改的标题", expected_version=loaded_version),
    )
    conflict = client.post(
        reverse("case_edit", args=[alice_case.pk]),
        case_data(title="爱丽丝的标题", expected_version=loaded_version),
    )
    rebased = conflict.context["form"]["expected_version"].value()
    response = client.post(
        reverse("case_edit", args=[alice_case.pk]),
        case_data(title="爱丽丝的标题", expected_version=rebased),
    )
    assert response.status_code == 302
    alice_case.refresh_from_db()
    assert alice_case.title == "爱丽丝的标题"


def test_archived_cases_cannot_be_edited_even_by_url(client, alice, alice_case):
    client.force_login(alice)
    client.post(reverse("case_archive", args=[alice_case.pk]))
    response = client.post(reverse("case_edit", args=[alice_case.pk]), case_data(title="改不了"))
    assert response.status_code == 302
    alice_case.refresh_from_db()
    assert alice_case.title != "改不了"

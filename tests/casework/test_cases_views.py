"""Case pages: list, create, detail, edit, duplicate, archive and restore."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from casework.models import Assessment, Case, CaseEvent, CaseSource
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
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
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


def test_a_case_keeps_its_context_timeline_and_full_sources(client, alice, tiny_version):
    client.force_login(alice)
    data = case_data(
        context="改革前，企业开办需要跑五个部门。\n\n2023 年起，市政府推动一窗受理。",
        **{
            "sources-0-publisher": "省政府办公厅",
            "sources-0-accessed_on": "2024-05-01",
            "events-TOTAL_FORMS": "3",
            "events-0-happened_on": "2023-06-01",
            "events-0-title": "平台上线",
            "events-0-description": "首批 200 项事项上线。",
            "events-1-happened_on": "2023-03-01",
            "events-1-title": "改革方案印发",
            "events-2-happened_on": "",
            "events-2-title": "",
        },
    )
    response = client.post(reverse("case_create"), data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.context.startswith("改革前")
    source = case.sources.get()
    assert (source.publisher, source.accessed_on) == ("省政府办公厅", date(2024, 5, 1))
    assert list(case.events.values_list("happened_on", "title")) == [
        (date(2023, 3, 1), "改革方案印发"),
        (date(2023, 6, 1), "平台上线"),
    ]

    page = client.get(case.get_absolute_url()).content.decode()
    assert "<p>改革前，企业开办需要跑五个部门。</p>" in page
    assert page.index("改革方案印发") < page.index("平台上线")
    assert "首批 200 项事项上线。" in page and "省政府办公厅" in page and "2024-05-01" in page


def test_an_event_without_a_date_is_an_error_and_keeps_the_typing(client, alice):
    client.force_login(alice)
    data = case_data(**{"events-TOTAL_FORMS": "1", "events-0-title": "没写日期的事件"})
    with translation.override("en"):
        response = client.post(reverse("case_create"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give the event a date." in page and "没写日期的事件" in page
    assert not Case.objects.exists()


def test_a_source_read_before_it_was_published_is_an_error(client, alice):
    client.force_login(alice)
    data = case_data(**{"sources-0-accessed_on": "2023-01-01"})
    response = client.post(reverse("case_create"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "before it was published" in response.content.decode()


def test_analyst_edits_and_deletes_timeline_events(client, alice, alice_case):
    kept = CaseEvent.objects.create(case=alice_case, happened_on=date(2024, 1, 1), title="启动")
    gone = CaseEvent.objects.create(case=alice_case, happened_on=date(2024, 2, 1), title="删掉")
    client.force_login(alice)
    data = case_data(
        context="新的背景",
        expected_version=alice_case.version,
        **{
            "events-TOTAL_FORMS": "3",
            "events-INITIAL_FORMS": "2",
            "events-0-id": str(kept.pk),
            "events-0-happened_on": "2024-01-05",
            "events-0-title": "正式启动",
            "events-1-id": str(gone.pk),
            "events-1-happened_on": "2024-02-01",
            "events-1-title": "删掉",
            "events-1-DELETE": "on",
            "events-2-happened_on": "2024-09-01",
            "events-2-title": "验收",
        },
    )
    response = client.post(reverse("case_edit", args=[alice_case.pk]), data)
    assert response.status_code == 302
    alice_case.refresh_from_db()
    assert alice_case.context == "新的背景"
    assert list(alice_case.events.values_list("happened_on", "title")) == [
        (date(2024, 1, 5), "正式启动"),
        (date(2024, 9, 1), "验收"),
    ]


def test_a_stale_edit_of_the_context_shows_both_values(client, alice, alice_case):
    client.force_login(alice)
    loaded = alice_case.version
    client.post(
        reverse("case_edit", args=[alice_case.pk]),
        case_data(context="别人写的背景", expected_version=loaded),
    )
    response = client.post(
        reverse("case_edit", args=[alice_case.pk]),
        case_data(
            context="我写的背景",
            expected_version=loaded,
            **{
                "events-TOTAL_FORMS": "1",
                "events-0-happened_on": "2024-01-01",
                "events-0-title": "我加的事件",
            },
        ),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "别人写的背景" in page and "我写的背景" in page and "我加的事件" in page
    assert not CaseEvent.objects.exists()


def test_the_case_form_offers_add_row_buttons_without_inline_script(client, alice, alice_case):
    client.force_login(alice)
    page = client.get(reverse("case_edit", args=[alice_case.pk])).content.decode()
    assert 'data-cw-add-row="events"' in page and 'data-cw-add-row="sources"' in page
    assert 'data-cw-formset-template="events"' in page and "js/formset.js" in page
    assert "onclick" not in page and "<script>" not in page


def test_duplicate_copies_the_timeline_and_source_details(client, alice, alice_case):
    CaseSource.objects.create(
        case=alice_case, title="来源", publisher="出版者", accessed_on=date(2024, 3, 3)
    )
    CaseEvent.objects.create(case=alice_case, happened_on=date(2024, 1, 1), title="启动")
    client.force_login(alice)
    client.post(reverse("case_duplicate", args=[alice_case.pk]))
    copy = Case.objects.exclude(pk=alice_case.pk).get()
    assert list(copy.sources.values_list("publisher", "accessed_on")) == [
        ("出版者", date(2024, 3, 3))
    ]
    assert list(copy.events.values_list("title", flat=True)) == ["启动"]

"""The framework admin: administrators only, published versions read-only, publish with a diff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import Assessment
from frameworks.io import dump_version
from frameworks.models import Criterion, Dimension, FrameworkVersion
from frameworks.services import framework_version_new_draft
from tests.factories import TINY_FRAMEWORK_YAML, import_tiny_framework, make_user
from tests.frameworks.helpers import row_counts, tiny_data, to_yaml

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(name, *args):
    return reverse(f"admin:frameworks_frameworkversion_{name}", args=args)


@pytest.fixture
def published(db):
    return import_tiny_framework()


@pytest.fixture
def draft(published):
    draft = framework_version_new_draft(version=published)
    criterion = Criterion.objects.get(version=draft, code="TY-D1.2")
    criterion.title_en = "Goals are written down"
    criterion.save()
    return draft


@pytest.fixture
def ada_client(client, ada):
    client.force_login(ada)
    return client


# --- Who may come in --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/frameworks/frameworkversion/",
        "/admin/frameworks/frameworkversion/import/",
    ],
)
def test_anonymous_users_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={path}"


def test_admin_login_url_sends_anonymous_users_to_the_app_login(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/"


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_analysts_and_managers_get_403_not_a_login_form(client, persona, request, published):
    client.force_login(request.getfixturevalue(persona))
    for path in (
        "/admin/",
        reverse("admin:login"),
        url("changelist"),
        url("change", published.pk),
        url("import"),
        url("export", published.pk, "yaml"),
        reverse("admin:casework_case_changelist"),
    ):
        assert client.get(path).status_code == 403, path


def test_analysts_cant_import_or_publish(client, alice, draft):
    client.force_login(alice)
    before = row_counts()
    upload = SimpleUploadedFile("tiny.yaml", TINY_FRAMEWORK_YAML.encode())
    assert client.post(url("import"), {"file": upload}).status_code == 403
    assert client.post(url("publish", draft.pk)).status_code == 403
    assert client.post(url("new_draft", draft.pk)).status_code == 403
    assert row_counts() == before
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_staff_user_without_the_admin_role_is_refused(client, unit_a):
    staff = make_user("sam", unit=unit_a)
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 403


def test_admins_see_the_index_with_frameworks_and_cases(ada_client):
    page = ada_client.get("/admin/", **EN).content.decode()
    assert "Framework versions" in page
    assert "Cases" in page
    assert "Organisation units" in page


# --- Lists and pages --------------------------------------------------------------------


def test_version_list_filters_and_searches_in_both_languages(ada_client, frameworks):
    page = ada_client.get(url("changelist"), {"status__exact": "published"}, **EN)
    assert page.status_code == 200
    assert "Import framework file" in page.content.decode()
    found = ada_client.get(url("changelist"), {"q": "成功要素"}).context["cl"].result_list
    assert [v.framework.code for v in found] == ["SF"]
    found = ada_client.get(url("changelist"), {"q": "Case Analysis"}).context["cl"].result_list
    assert [v.framework.code for v in found] == ["CA"]


def test_criteria_can_be_searched_by_code_and_title(ada_client, frameworks):
    changelist = reverse("admin:frameworks_criterion_changelist")
    codes = [c.code for c in ada_client.get(changelist, {"q": "SF-1.2"}).context["cl"].result_list]
    assert codes == ["SF-1.2"]
    assert ada_client.get(changelist, {"q": "SMART"}).context["cl"].result_count >= 1


def test_version_page_shows_scale_and_dimensions_in_both_languages(
    ada_client, frameworks, django_assert_max_num_queries
):
    version = frameworks["CA"]
    with django_assert_max_num_queries(40):
        response = ada_client.get(url("change", version.pk), **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "驱动因素与目标" in page and "Drivers and goals" in page
    assert "持续优化" in page and "Optimising" in page
    dimension = version.dimensions.get(code="CA-1")
    assert reverse("admin:frameworks_dimension_change", args=[dimension.pk]) in page


def test_dimension_page_lists_its_items_and_links_to_the_rubric(ada_client, frameworks):
    dimension = frameworks["SF"].dimensions.get(code="SF-1")
    page = ada_client.get(
        reverse("admin:frameworks_dimension_change", args=[dimension.pk]), **EN
    ).content.decode()
    criterion = Criterion.objects.get(version=frameworks["SF"], code="SF-1.2")
    assert "目标符合 SMART 原则" in page and "Goals meet the SMART criteria" in page
    assert reverse("admin:frameworks_criterion_change", args=[criterion.pk]) in page
    page = ada_client.get(
        reverse("admin:frameworks_criterion_change", args=[criterion.pk]), **EN
    ).content.decode()
    assert "Rubric levels" in page
    assert "没有书面目标。" in page


def test_published_pages_are_read_only_and_say_why(ada_client, published):
    dimension = published.dimensions.first()
    criterion = Criterion.objects.filter(version=published).first()
    for path in (
        url("change", published.pk),
        reverse("admin:frameworks_dimension_change", args=[dimension.pk]),
        reverse("admin:frameworks_criterion_change", args=[criterion.pk]),
    ):
        page = ada_client.get(path, **EN).content.decode()
        assert "can no longer be changed" in page, path
        assert 'name="_save"' not in page, path


def test_post_to_a_published_version_is_refused_and_changes_nothing(ada_client, published):
    before = dump_version(published)
    dimension = published.dimensions.first()
    criterion = Criterion.objects.filter(version=published).first()
    for path, data in (
        (url("change", published.pk), {"label": "hacked", "notes_zh": "", "notes_en": ""}),
        (
            reverse("admin:frameworks_dimension_change", args=[dimension.pk]),
            {"code": "X", "title_zh": "x", "title_en": "x", "source_ref": "x", "weight": "1"},
        ),
        (
            reverse("admin:frameworks_criterion_change", args=[criterion.pk]),
            {"code": "X", "title_zh": "x", "title_en": "x", "source_ref": "x", "weight": "1"},
        ),
        (url("delete", published.pk), {"post": "yes"}),
    ):
        assert ada_client.post(path, data).status_code == 403, path
    published.refresh_from_db()
    assert dump_version(published) == before


def test_a_draft_item_can_be_edited_with_its_rubric(ada_client, draft):
    criterion = Criterion.objects.get(version=draft, code="TY-D1.2")
    data = {
        "code": "TY-D1.2",
        "order": "1",
        "kind": "scored",
        "polarity": "positive",
        "weight": "1.5",
        "source_ref": "000 §1.2",
        "title_zh": "目标成文",
        "title_en": "Goals are written",
        "guidance_zh": "",
        "guidance_en": "",
        "recommendation_zh": "",
        "recommendation_en": "",
        "levels-TOTAL_FORMS": "1",
        "levels-INITIAL_FORMS": "0",
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "1000",
        "levels-0-value": "3",
        "levels-0-description_zh": "成文",
        "levels-0-description_en": "Written down",
        "_save": "Save",
    }
    response = ada_client.post(
        reverse("admin:frameworks_criterion_change", args=[criterion.pk]), data
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.title_en == "Goals are written"
    assert list(criterion.levels.values_list("value", "description_en")) == [(3, "Written down")]


def test_item_weight_must_be_positive_in_the_admin_too(ada_client, draft):
    criterion = Criterion.objects.get(version=draft, code="TY-D1.2")
    data = {
        "code": "TY-D1.2",
        "order": "1",
        "kind": "scored",
        "weight": "0",
        "source_ref": "000 §1.2",
        "title_zh": "x",
        "title_en": "x",
        "levels-TOTAL_FORMS": "0",
        "levels-INITIAL_FORMS": "0",
    }
    response = ada_client.post(
        reverse("admin:frameworks_criterion_change", args=[criterion.pk]), data, **EN
    )
    assert response.status_code == 200
    assert "weight must be greater than 0" in response.content.decode()


def test_dimension_registers_and_informs_are_edited_as_choices_and_codes(ada_client, draft):
    dimension = draft.dimensions.get(code="TY-D2")
    data = {
        "code": "TY-D2",
        "order": "1",
        "weight": "2",
        "source_ref": "000 §2",
        "title_zh": "维度 D2",
        "title_en": "Dimension D2",
        "registers": ["risks", "goals"],
        "informs": "CA-1， CA-3, CA-1",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
    }
    response = ada_client.post(
        reverse("admin:frameworks_dimension_change", args=[dimension.pk]), data
    )
    assert response.status_code == 302
    dimension.refresh_from_db()
    assert dimension.registers == ["goals", "risks"]
    assert dimension.informs == ["CA-1", "CA-3"]


# --- Lifecycle buttons ------------------------------------------------------------------


def test_publish_shows_the_diff_first_and_publishes_only_on_post(ada_client, draft):
    Criterion.objects.get(version=draft, code="TY-D1.3").delete()
    response = ada_client.get(url("publish", draft.pk), **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Compared with" in page
    assert "TY-D1.3" in page  # removed
    assert "Goals are written down" in page  # changed title
    assert "Yes, publish this version" in page
    draft.refresh_from_db()
    assert draft.is_draft

    response = ada_client.post(url("publish", draft.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.PUBLISHED


def test_publish_explains_why_a_broken_draft_cant_be_published(ada_client, draft):
    Dimension.objects.create(
        version=draft, code="TY-D9", order=9, title_zh="空", title_en="Empty", source_ref="000 §9"
    )
    response = ada_client.post(url("publish", draft.pk), follow=True, **EN)
    assert "can&#x27;t be published yet" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft


def test_new_draft_button_copies_the_version_and_opens_the_copy(ada_client, published):
    assert ada_client.get(url("new_draft", published.pk)).status_code == 405
    response = ada_client.post(url("new_draft", published.pk))
    draft = FrameworkVersion.objects.get(parent=published)
    assert response["Location"] == url("change", draft.pk)
    assert draft.is_draft


def test_retire_asks_first_then_retires(ada_client, published):
    page = ada_client.get(url("retire", published.pk), **EN).content.decode()
    assert "0 assessments use this version" in page
    published.refresh_from_db()
    assert published.status == FrameworkVersion.Status.PUBLISHED
    ada_client.post(url("retire", published.pk))
    published.refresh_from_db()
    assert published.status == FrameworkVersion.Status.RETIRED


def test_retire_counts_the_assessments_that_keep_the_version(
    ada_client, published, alice, alice_case
):
    Assessment.objects.create(
        case=alice_case, framework=published.framework, version=published, created_by=alice
    )
    page = ada_client.get(url("retire", published.pk), **EN).content.decode()
    assert "1 assessment uses this version" in page


@pytest.mark.parametrize(
    "fmt, content_type", [("yaml", "application/yaml"), ("json", "application/json")]
)
def test_export_downloads_the_file(ada_client, published, fmt, content_type):
    response = ada_client.get(url("export", published.pk, fmt))
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="TY-v1.{fmt}"'
    assert response.content.decode() == dump_version(published, fmt)


def test_export_of_an_unknown_format_is_404(ada_client, published):
    assert ada_client.get(url("export", published.pk, "xml")).status_code == 404


def test_diff_page_compares_with_the_parent_or_any_other_version(ada_client, draft, published):
    page = ada_client.get(url("diff", draft.pk), **EN).content.decode()
    assert "Goals are written down" in page
    page = ada_client.get(url("diff", published.pk), {"against": draft.pk}, **EN).content.decode()
    assert "Goals are written down" in page


# --- Import -----------------------------------------------------------------------------


def test_import_page_creates_a_draft_and_opens_it(ada_client, published):
    upload = SimpleUploadedFile("tiny.yaml", dump_version(published).encode())
    response = ada_client.post(url("import"), {"file": upload})
    draft = FrameworkVersion.objects.get(framework=published.framework, number=2)
    assert response.status_code == 302
    assert response["Location"] == url("change", draft.pk)
    assert draft.is_draft and draft.parent == published


def test_import_page_lists_every_problem_and_writes_nothing(ada_client, published):
    data = tiny_data()
    data["dimensions"][0]["items"][0]["weight"] = 0
    data["dimensions"][1]["items"][0]["code"] = "TY-D1.1"
    before = row_counts()
    upload = SimpleUploadedFile("bad.yaml", to_yaml(data).encode())
    response = ada_client.post(url("import"), {"file": upload}, **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in page
    assert "dimensions[0].items[0] (TY-D1.1): weight must be greater than 0" in page
    assert "duplicate item code TY-D1.1" in page
    assert row_counts() == before


def test_import_page_refuses_an_oversized_file_unread(ada_client, settings):
    settings.FRAMEWORK_IMPORT_MAX_BYTES = 100
    before = row_counts()
    upload = SimpleUploadedFile("big.yaml", TINY_FRAMEWORK_YAML.encode())
    page = ada_client.post(url("import"), {"file": upload}, **EN).content.decode()
    assert "The file is too large" in page
    assert row_counts() == before


def test_import_page_escapes_what_the_file_says(ada_client):
    data = tiny_data()
    data["dimensions"][0]["items"][0]["<script>x</script>"] = 1
    upload = SimpleUploadedFile("bad.yaml", to_yaml(data).encode())
    page = ada_client.post(url("import"), {"file": upload}).content.decode()
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;" in page


# --- Deleting ---------------------------------------------------------------------------


def test_a_draft_can_be_deleted_from_its_page(ada_client, draft):
    response = ada_client.post(url("delete", draft.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not FrameworkVersion.objects.filter(pk=draft.pk).exists()


def test_a_used_draft_shows_what_protects_it(ada_client, draft, alice, alice_case):
    Assessment.objects.create(
        case=alice_case, framework=draft.framework, version=draft, created_by=alice
    )
    response = ada_client.post(url("delete", draft.pk), {"post": "yes"}, **EN)
    assert response.status_code == 200
    assert "protected related objects" in response.content.decode()
    assert FrameworkVersion.objects.filter(pk=draft.pk).exists()


# --- Case admin -------------------------------------------------------------------------


def test_case_and_assessment_pages_open_for_admins(ada_client, alice, alice_case, published):
    from casework.services.assessments import assessment_start

    assessment = assessment_start(case=alice_case, version=published, user=alice)
    for path in (
        reverse("admin:casework_case_changelist"),
        reverse("admin:casework_case_change", args=[alice_case.pk]),
        reverse("admin:casework_assessment_changelist"),
        reverse("admin:casework_assessment_change", args=[assessment.pk]),
        reverse("admin:casework_membership_changelist"),
        reverse("admin:casework_orgunit_changelist"),
    ):
        assert ada_client.get(path).status_code == 200, path


def test_assessments_are_read_only_in_the_admin(ada_client, alice, alice_case, published):
    from casework.services.assessments import assessment_start

    assessment = assessment_start(case=alice_case, version=published, user=alice)
    path = reverse("admin:casework_assessment_change", args=[assessment.pk])
    assert 'name="_save"' not in ada_client.get(path).content.decode()
    assert ada_client.post(path, {"status": "approved"}).status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_two_new_items_with_one_code_are_refused_on_the_dimension_page(ada_client, draft):
    dimension = draft.dimensions.get(code="TY-D2")
    existing = dimension.criteria.get()
    row = {
        "kind": "scored",
        "weight": "1",
        "source_ref": "000 §2",
        "title_zh": "新",
        "title_en": "New",
    }
    data = {
        "code": "TY-D2",
        "order": "1",
        "weight": "2",
        "source_ref": "000 §2",
        "title_zh": "维度 D2",
        "title_en": "Dimension D2",
        "informs": "",
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "1",
        "criteria-0-id": str(existing.pk),
        "criteria-0-dimension": str(dimension.pk),
        "criteria-0-code": existing.code,
        "criteria-0-order": "0",
        **{f"criteria-0-{k}": v for k, v in row.items()},
        **{f"criteria-1-{k}": v for k, v in row.items()},
        "criteria-1-code": "TY-D2.2",
        "criteria-1-order": "1",
        **{f"criteria-2-{k}": v for k, v in row.items()},
        "criteria-2-code": "TY-D2.2",
        "criteria-2-order": "2",
    }
    before = row_counts()
    response = ada_client.post(
        reverse("admin:frameworks_dimension_change", args=[dimension.pk]), data, **EN
    )
    assert response.status_code == 200
    assert "The code TY-D2.2 is used twice." in response.content.decode()
    assert row_counts() == before


def test_admin_pages_carry_the_language_switcher_and_follow_it(ada_client):
    page = ada_client.get("/admin/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert 'lang="zh-hans"' in page
    ada_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert 'lang="en"' in ada_client.get("/admin/").content.decode()

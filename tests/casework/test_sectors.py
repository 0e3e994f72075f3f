"""Managed sectors: the case form's list and "other" text, sector keys, cohorts, the admin."""

import pytest
from django.urls import reverse
from django.utils import translation

from casework import sectors
from casework.analytics.cohorts import cohort_percentiles
from casework.forms.cases import OTHER, CaseForm
from casework.models import Assessment, Case, Sector
from casework.reports.context import assessment_context
from casework.services.assessments import assessment_start
from tests import factories
from tests.casework.test_cases_views import case_data
from tests.reports.conftest import score_tiny

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def transport():
    return Sector.objects.get(code="transport")


def form_for(**fields):
    data = {"title": "案例", "body": "某局", "level": "municipal", **fields}
    with translation.override("en"):
        form = CaseForm(data=data)
        form.is_valid()
    return form


# --- pure keys ---------------------------------------------------------------------------------


def test_the_key_is_the_code_else_the_normalised_other_text_else_empty():
    assert sectors.sector_key("transport", "ignored") == "transport"
    assert sectors.sector_key(None, "  Ports ") == "other:ports"
    assert sectors.sector_key(None, "   ") == ""


def test_a_case_labels_its_listed_sector_in_the_active_language_and_keys_by_its_code(alice, unit_a):
    case = factories.make_case(unit=unit_a, owner=alice, sector="Transport")
    assert (case.sector_ref, case.sector) == (transport(), "")
    with translation.override("zh-hans"):
        assert case.sector_label == "交通"
    with translation.override("en"):
        assert case.sector_label == "Transport"
    assert case.sector_key == "transport"
    other = factories.make_case(unit=unit_a, owner=alice, sector=" 港口物流 ")
    assert (other.sector_label, other.sector_key) == (" 港口物流 ", "other:港口物流")


# --- the case form -----------------------------------------------------------------------------


def test_the_form_offers_the_active_sectors_then_other_and_not_the_inactive_ones():
    Sector.objects.filter(code="justice").update(active=False)
    with translation.override("en"):
        choices = dict(CaseForm().fields["sector_ref"].choices)
    assert choices[str(transport().pk)] == "Transport"
    assert "Justice" not in choices.values()
    assert list(choices)[-1] == OTHER


def test_a_case_keeps_its_inactive_sector_on_the_form(alice, unit_a):
    case = factories.make_case(unit=unit_a, owner=alice, sector="交通")
    Sector.objects.filter(code="transport").update(active=False)
    form = CaseForm(instance=case)
    assert str(case.sector_ref_id) in dict(form.fields["sector_ref"].choices)
    assert form.fields["sector_ref"].initial == str(case.sector_ref_id)


def test_a_chosen_sector_is_saved_as_the_listed_sector():
    form = form_for(sector_ref=str(transport().pk))
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["sector_ref"], form.cleaned_data["sector"]) == (transport(), "")


def test_other_text_is_kept_as_text_and_text_naming_a_listed_sector_becomes_it():
    form = form_for(sector_ref=OTHER, sector="港口物流")
    assert (form.cleaned_data["sector_ref"], form.cleaned_data["sector"]) == (None, "港口物流")
    form = form_for(sector_ref=OTHER, sector=" TRANSPORT ")
    assert (form.cleaned_data["sector_ref"], form.cleaned_data["sector"]) == (transport(), "")


def test_no_sector_at_all_stays_allowed():
    form = form_for()
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["sector_ref"], form.cleaned_data["sector"]) == (None, "")


def test_other_without_text_or_a_sector_with_text_is_refused_with_a_clear_error():
    with translation.override("en"):
        _assert_both_refused()


def _assert_both_refused():
    assert form_for(sector_ref=OTHER).errors["sector"] == [
        "Type the sector, or choose one from the list."
    ]
    assert form_for(sector_ref=str(transport().pk), sector="港口").errors["sector"] == [
        "Choose a sector from the list or type another one, not both."
    ]


def test_an_unknown_sector_choice_is_refused():
    assert "sector_ref" in form_for(sector_ref="999999").errors


def test_the_page_keeps_what_was_typed_when_the_sector_is_refused(client, alice, tiny_version):
    client.force_login(alice)
    data = case_data(sector_ref=str(transport().pk), sector="港口物流<b>")
    response = client.post(reverse("case_create"), data, **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Case.objects.filter(title=data["title"]).exists()
    assert 'value="港口物流&lt;b&gt;"' in html
    assert f'<option value="{transport().pk}" selected>' in html
    assert "not both" in html


def test_a_case_created_with_other_text_shows_it_escaped(client, alice, tiny_version):
    client.force_login(alice)
    data = case_data(sector_ref=OTHER, sector="<script>x</script>港口")
    response = client.post(reverse("case_create"), data, **EN)
    case = Case.objects.get(title=data["title"])
    assert response.status_code == 302
    assert (case.sector_ref, case.sector) == (None, "<script>x</script>港口")
    for page in (case.get_absolute_url(), reverse("case_list")):
        html = client.get(page, **EN).content.decode()
        assert "<script>x</script>" not in html
        assert "&lt;script&gt;x&lt;/script&gt;港口" in html


def test_the_case_list_filters_by_the_listed_sector_whatever_the_spelling(client, alice, unit_a):
    factories.make_case(unit=unit_a, owner=alice, title="甲", sector="交通")
    factories.make_case(unit=unit_a, owner=alice, title="乙", sector="transport ")
    factories.make_case(unit=unit_a, owner=alice, title="丙", sector="港口")
    client.force_login(alice)
    response = client.get(reverse("case_list"), {"sector": "transport"}, **EN)
    titles = sorted(case.title for case in response.context["page"].object_list)
    assert titles == ["乙", "甲"]
    html = response.content.decode()
    assert '<option value="other:港口">港口</option>' in html


# --- cohorts -----------------------------------------------------------------------------------


def test_two_spellings_of_one_listed_sector_make_one_cohort(bob, alice, unit_a, tiny_version):
    own = factories.make_case(unit=unit_a, owner=alice, title="本案", sector="交通")
    target = assessment_start(case=own, version=tiny_version, user=alice)
    score_tiny(target)
    for index, spelling in enumerate(["交通", "Transport", " transport", "TRANSPORT ", "交通"]):
        case = factories.make_case(unit=unit_a, owner=alice, title=f"peer {index}", sector=spelling)
        peer = assessment_start(case=case, version=tiny_version, user=alice)
        score_tiny(peer, d11=index, d12=index, d21=index)
        Assessment.objects.filter(pk=peer.pk).update(status=Assessment.Status.APPROVED)
    # Same words typed as "other" text in another case: not the listed sector's cohort.
    stray = factories.make_case(unit=unit_a, owner=alice, title="stray", sector="交通运输")
    peer = assessment_start(case=stray, version=tiny_version, user=alice)
    score_tiny(peer)
    Assessment.objects.filter(pk=peer.pk).update(status=Assessment.Status.APPROVED)

    with translation.override("en"):
        report = assessment_context(target, with_registers=False)
        cohorts = {c["code"]: c for c in cohort_percentiles(target, bob, report=report)["cohorts"]}
    assert cohorts["sector"]["size"] == 5
    assert cohorts["sector"]["shown"] is True


# --- admin -------------------------------------------------------------------------------------


def test_administrators_add_sectors_in_the_admin(client, ada):
    client.force_login(ada)
    response = client.post(
        reverse("admin:casework_sector_add"),
        {"code": "ports", "name_zh": "港口", "name_en": "Ports", "order": "200", "active": "on"},
    )
    assert response.status_code == 302
    assert Sector.objects.get(code="ports").name_en == "Ports"


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_analysts_and_managers_cannot_touch_sectors_in_the_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("admin:casework_sector_changelist")).status_code == 403
    response = client.post(
        reverse("admin:casework_sector_add"), {"code": "x", "name_zh": "x", "name_en": "x"}
    )
    assert response.status_code == 403
    assert not Sector.objects.filter(code="x").exists()


def test_a_sector_in_use_cannot_be_deleted(alice, unit_a):
    from django.db.models import ProtectedError

    factories.make_case(unit=unit_a, owner=alice, sector="交通")
    with pytest.raises(ProtectedError):
        transport().delete()


def test_searching_the_case_list_finds_a_case_by_its_listed_sectors_name(client, alice, unit_a):
    factories.make_case(unit=unit_a, owner=alice, title="停车平台", sector="交通")
    factories.make_case(unit=unit_a, owner=alice, title="其他", sector="教育")
    client.force_login(alice)
    for q in ("Transport", "交通"):
        response = client.get(reverse("case_list"), {"q": q}, **EN)
        assert [case.title for case in response.context["page"].object_list] == ["停车平台"]

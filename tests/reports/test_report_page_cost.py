"""Specs for what the report page reuses: charts cached by content, the cross-walk from stored scores."""

import pytest
from django.urls import reverse

from casework.reports import figures as report_figures
from casework.reports.context import assessment_context, assessment_crosswalk, crosswalk
from casework.services.assessments import assessment_start, assessment_touch
from tests.reports.conftest import figures_in, score_tiny, set_answer


def counting_figures(monkeypatch) -> list:
    calls = []
    original = report_figures.report_figures

    def counted(report):
        calls.append(report["assessment"]["id"])
        return original(report)

    monkeypatch.setattr(report_figures, "report_figures", counted)
    return calls


def test_the_charts_of_an_unchanged_report_are_drawn_once(
    client, alice, scored_assessment, monkeypatch
):
    calls = counting_figures(monkeypatch)
    client.force_login(alice)
    url = reverse("report_assessment", args=[scored_assessment.pk])

    first = client.get(url)
    second = client.get(url)

    assert calls == [scored_assessment.pk]
    assert figures_in(first) == figures_in(second)
    assert figures_in(second)[f"a{scored_assessment.pk}-radar"]["data"]


def test_a_changed_score_or_language_draws_new_charts(
    client, alice, scored_assessment, monkeypatch
):
    calls = counting_figures(monkeypatch)
    client.force_login(alice)
    url = reverse("report_assessment", args=[scored_assessment.pk])
    before = figures_in(client.get(url))

    score_tiny(scored_assessment, d11=5, d12=5, d21=5)
    after = figures_in(client.get(url))
    client.cookies["django_language"] = "en"
    client.get(url)

    assert calls == [scored_assessment.pk] * 3
    radar = f"a{scored_assessment.pk}-radar"
    assert before[radar]["data"][0]["r"] != after[radar]["data"][0]["r"]


def test_the_crosswalk_from_stored_scores_equals_the_one_from_full_reports(
    scored_assessment, alice
):
    from tests.factories import make_tiny_framework

    other = make_tiny_framework(
        "XF", publish=False, dimensions=(("E1", 1, [("E1.1", "scored", 1)]),)
    )
    other.dimensions.filter(code="XF-E1").update(informs=["TF-D2"])
    other.status = other.Status.PUBLISHED
    other.save()
    xf = assessment_start(case=scored_assessment.case, version=other, user=alice)
    set_answer(xf, "XF-E1.1", level=1)
    report = assessment_context(scored_assessment)

    fast = assessment_crosswalk(scored_assessment, report)

    full = crosswalk([report, assessment_context(xf, with_registers=False)])
    assert fast == full
    assert fast[0]["percent"] == 20.0


def test_the_portfolio_draws_its_box_plots_once_per_set_of_numbers(
    client, bob, scored_assessment, monkeypatch
):
    from casework.reports import portfolio

    calls = []
    original = portfolio.portfolio_figures
    monkeypatch.setattr(
        portfolio, "portfolio_figures", lambda data: calls.append(1) or original(data)
    )
    client.force_login(bob)

    first = client.get(reverse("portfolio")).context["figures"]
    second = client.get(reverse("portfolio"), {"sort": "title"}).context["figures"]
    score_tiny(scored_assessment, d11=5, d12=5, d21=5)
    third = client.get(reverse("portfolio")).context["figures"]

    assert len(calls) == 2
    assert first == second != third


def counting_bodies(monkeypatch) -> list:
    from casework.reports import views

    calls = []
    original = views._body_context

    def counted(**kwargs):
        calls.append(kwargs["case"]["id"])
        return original(**kwargs)

    monkeypatch.setattr(views, "_body_context", counted)
    return calls


def test_a_repeat_view_of_an_unchanged_report_renders_no_body_in_five_queries(
    client, alice, scored_assessment, monkeypatch, django_assert_max_num_queries
):
    bodies = counting_bodies(monkeypatch)
    client.force_login(alice)
    url = reverse("report_assessment", args=[scored_assessment.pk])
    first = client.get(url)

    # Session, user, the user's units and the assessment (access), and the case's rounds
    # (the report's version); 20 on a first view (test_views).
    with django_assert_max_num_queries(5):
        second = client.get(url)

    assert len(bodies) == 1
    assert _same_body(first, second)


def _same_body(first, second) -> bool:
    # Only the per-request parts (CSRF token, CSP nonce) may differ.
    def body(response):
        html = response.content.decode()
        return html[html.index('<div class="cw-report">') : html.index("</main>")]

    return body(first) == body(second)


def test_the_cached_body_follows_every_change_to_what_the_report_shows(
    client, alice, scored_assessment, monkeypatch
):
    from casework.models import CaseSource
    from casework.services.documents import source_create

    bodies = counting_bodies(monkeypatch)
    client.force_login(alice)
    url = reverse("report_assessment", args=[scored_assessment.pk])
    client.get(url)

    score_tiny(scored_assessment, d11=5, d12=5, d21=5)  # answers: the revision
    assert "100.0" in client.get(url).content.decode()
    source_create(case=scored_assessment.case, user=alice, data={"title": "新来源 2026"})
    assert "新来源 2026" in client.get(url).content.decode()  # the case's sources
    client.cookies["django_language"] = "en"
    assert "Executive summary" in client.get(url).content.decode()  # the language
    client.get(url)

    assert len(bodies) == 4
    assert CaseSource.objects.filter(title="新来源 2026").exists()


def test_a_new_round_of_the_case_changes_the_page_of_an_earlier_one(
    client, alice, scored_assessment, monkeypatch
):
    bodies = counting_bodies(monkeypatch)
    client.force_login(alice)
    url = reverse("report_assessment", args=[scored_assessment.pk])
    client.get(url)

    second = assessment_start(
        case=scored_assessment.case, version=scored_assessment.version, user=alice
    )
    html = client.get(url).content.decode()

    assert len(bodies) == 2
    assert f"a={scored_assessment.pk}&amp;a={second.pk}" in html  # the compare-rounds link


@pytest.mark.parametrize("who", ["analyst", "reviewer"])
def test_renaming_someone_the_report_names_renders_a_new_body(
    client, alice, bob, scored_assessment, monkeypatch, who
):
    named = alice if who == "analyst" else bob
    if who == "reviewer":
        type(scored_assessment).objects.filter(pk=scored_assessment.pk).update(reviewed_by=bob)
        assessment_touch(assessment_id=scored_assessment.pk)
    bodies = counting_bodies(monkeypatch)
    client.force_login(bob)
    url = reverse("report_assessment", args=[scored_assessment.pk])
    client.get(url)

    # A rename writes the user only: neither the case nor the assessment changes.
    named.first_name, named.last_name = "Renée", "Nouveau-Nom"
    named.save()
    html = client.get(url).content.decode()

    assert len(bodies) == 2
    assert "Renée Nouveau-Nom" in html


def test_renaming_the_unit_renders_a_new_body(client, alice, scored_assessment, monkeypatch):
    bodies = counting_bodies(monkeypatch)
    client.force_login(alice)
    client.cookies["django_language"] = "en"
    url = reverse("report_assessment", args=[scored_assessment.pk])
    client.get(url)
    unit = scored_assessment.case.unit
    unit.name_en = "Renamed Division"
    unit.save()

    assert "Renamed Division" in client.get(url).content.decode()
    assert len(bodies) == 2


def test_a_repeat_view_of_an_unchanged_case_report_renders_no_body_in_six_queries(
    client, alice, scored_assessment, monkeypatch, django_assert_max_num_queries
):
    bodies = counting_bodies(monkeypatch)
    client.force_login(alice)
    url = reverse("report_case", args=[scored_assessment.case_id])
    first = client.get(url)

    # Session, user, the user's units, the case, whether a blind scoring hides one of its
    # assessments (access), and the case's rounds with the names they show (the version).
    with django_assert_max_num_queries(6):
        second = client.get(url)

    assert len(bodies) == 1
    assert _same_body(first, second)
    assert figures_in(first) == figures_in(second)

"""Specs for what the report page reuses: charts cached by content, the cross-walk from stored scores."""

from django.urls import reverse

from casework.reports import figures as report_figures
from casework.reports.context import assessment_context, assessment_crosswalk, crosswalk
from casework.services.assessments import assessment_start
from tests.reports.conftest import score_tiny, set_answer


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
    assert first.context["figures"] == second.context["figures"]
    assert second.context["figures"][f"a{scored_assessment.pk}-radar"]["data"]


def test_a_changed_score_or_language_draws_new_charts(
    client, alice, scored_assessment, monkeypatch
):
    calls = counting_figures(monkeypatch)
    client.force_login(alice)
    url = reverse("report_assessment", args=[scored_assessment.pk])
    before = client.get(url).context["figures"]

    score_tiny(scored_assessment, d11=5, d12=5, d21=5)
    after = client.get(url).context["figures"]
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

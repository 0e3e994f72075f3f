"""The sensitivity section: its context from a real report context, and the partial rendered."""

import json

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from casework.analytics.report import sensitivity_context
from casework.reports.context import assessment_context
from tests.reports.conftest import build_scored_assessment


@pytest.fixture
def report(alice_case, tiny_version, alice):
    # D1 = 0.6667 (items 0.8 weight 2, 0.4 weight 1), D2 = 0.6, overall 0.6222, band 3.
    assessment = build_scored_assessment(case=alice_case, version=tiny_version, user=alice)
    with translation.override("en"):
        return assessment_context(assessment, with_registers=False)


def test_it_lists_every_scenario_with_hand_checked_overalls(report):
    with translation.override("en"):
        context = sensitivity_context(report)
    rows = {(row["code"], row["dimension"]): row for row in context["rows"]}
    assert rows[("framework", "")]["percent"] == 62.2
    assert rows[("equal", "")]["percent"] == 63.3
    assert rows[("equal_items", "")]["percent"] == 60.0  # D1 becomes (0.8 + 0.4) / 2
    assert rows[("without", "TF-D1")]["percent"] == 60.0
    assert rows[("without", "TF-D2")]["percent"] == 66.7
    assert rows[("geometric", "")]["percent"] == 62.1  # (0.6667 × 0.6²)^(1/3)
    assert rows[("without", "TF-D1")]["label"] == "Without TF-D1 Dimension D1"
    assert all(row["band"] == 3 and not row["changes_band"] for row in context["rows"])
    json.dumps(context)  # plain data: the PDF hashes the report context


def test_it_calls_the_rating_robust_when_the_band_stays_in_band_three(report):
    with translation.override("en"):
        context = sensitivity_context(report)
    assert context["robust"] is True
    assert 60.0 <= context["band"]["low_percent"] <= context["band"]["high_percent"] <= 66.7
    assert context["verdict"].startswith("Robust")
    assert "band 3 (Defined)" in context["verdict"]
    d1 = context["dimensions"][0]
    assert (d1["min_percent"], d1["max_percent"], d1["varies"]) == (60.0, 66.7, True)


def test_it_says_when_the_rating_depends_on_the_weights():
    report = {
        "scale": {"min": 0, "max": 5, "levels": [{"value": v, "label": f"L{v}"} for v in range(6)]},
        "dimensions": [
            {"code": "A", "title": "<b>A</b>", "weight": 1.0, "score": 1.0, "items": []},
            {"code": "B", "title": "B", "weight": 1.0, "score": 0.0, "items": []},
        ],
    }
    with translation.override("en"):
        context = sensitivity_context(report)
        html = render_to_string("reports/_sensitivity.html", {"sensitivity": context})
    assert context["robust"] is False
    assert context["verdict"].startswith("Sensitive to the weights")
    assert "Geometric mean of the dimensions" in html
    assert "&lt;b&gt;A&lt;/b&gt;" in html and "<b>A</b>" not in html
    assert "changes band" in html


def test_it_renders_the_partial_with_the_band_and_the_seed(report):
    with translation.override("en"):
        context = sensitivity_context(report)
        html = render_to_string("reports/_sensitivity.html", {"sensitivity": context})
    assert 'data-testid="sensitivity"' in html
    assert "Framework weights" in html and "62.2" in html
    assert "5–95 % band" in html
    assert str(context["band"]["seed"]) in html
    assert context["verdict"] in html
    assert "<script" not in html


def test_it_has_nothing_to_show_before_anything_is_scored():
    report = {"dimensions": [{"code": "A", "title": "A", "weight": 1.0, "score": None}]}
    with translation.override("en"):
        context = sensitivity_context(report)
        html = render_to_string("reports/_sensitivity.html", {"sensitivity": context})
    assert context["available"] is False
    assert "Not scored yet" in html
    assert "<table" not in html


def test_the_what_if_panel_starts_from_the_reports_own_scores_and_weights(report):
    from casework.analytics.report import whatif_data

    data = whatif_data(report)
    assert data["scale"] == {"min": 0, "max": 5}
    assert data["overall"] == report["overall"]["score"]
    by_code = {d["code"]: d for d in data["dimensions"]}
    assert by_code["TF-D1"]["weight"] == 2.0 or by_code["TF-D1"]["weight"] > 0
    assert round(by_code["TF-D1"]["score"], 4) == 0.6667
    assert by_code["TF-D1"]["equal_items_score"] == pytest.approx(0.6)
    assert json.dumps(data)  # plain data, ready for json_script


def test_the_what_if_panel_is_on_the_page_but_not_in_the_printed_report(
    client, alice, alice_case, tiny_version
):
    from casework.reports.render import assessment_print_html

    assessment = build_scored_assessment(case=alice_case, version=tiny_version, user=alice)
    client.force_login(alice)
    page = client.get(f"/assessments/{assessment.pk}/report/").content.decode()
    assert 'data-testid="whatif"' in page
    assert f'id="whatif-{assessment.pk}-data"' in page
    assert 'data-testid="whatif"' not in assessment_print_html(assessment)

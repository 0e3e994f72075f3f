"""How much of a score rests on weak evidence: the split, and where the report shows it."""

import pytest
from django.conf import settings
from django.utils import translation

from casework.analytics.evidence import is_weak, split
from casework.models import Answer
from casework.reports.context import assessment_context
from casework.reports.figures import assessment_radar
from tests.reports.conftest import build_scored_assessment


def item(score, weight=1.0, *, confidence="high", evidence="seen in the audit", citations=()):
    return {
        "score": score,
        "weight": weight,
        "confidence": confidence,
        "evidence": evidence,
        "citations": list(citations),
    }


@pytest.mark.parametrize(
    ("fields", "weak"),
    [
        ({}, False),
        ({"confidence": "medium"}, False),
        ({"confidence": "low"}, True),
        ({"confidence": ""}, True),
        ({"evidence": "  "}, True),
        ({"evidence": "", "citations": [{"source": 1}]}, False),
    ],
)
def test_an_item_is_weak_with_low_or_no_confidence_or_with_nothing_to_show(fields, weak):
    assert is_weak(item(0.6, **fields)) is weak


def test_the_firm_and_weak_parts_add_up_to_the_weighted_mean():
    items = [
        item(0.8, 2),
        item(0.4, 1, confidence="low"),
        item(None, 5, confidence="low"),  # not applicable: no score, no part
    ]
    parts = split(items)
    assert parts["firm"] == pytest.approx(1.6 / 3)
    assert parts["weak"] == pytest.approx(0.4 / 3)
    assert parts["firm"] + parts["weak"] == pytest.approx((0.8 * 2 + 0.4) / 3)
    assert (parts["weak_items"], parts["rated_items"]) == (1, 2)


def test_nothing_rated_has_no_parts():
    assert split([item(None)])["firm"] is None


@pytest.fixture
def report(alice_case, tiny_version, alice):
    """D1 = 0.8 (weight 2, cited, high confidence) and 0.4 (weight 1, no confidence); D2 weak."""
    assessment = build_scored_assessment(case=alice_case, version=tiny_version, user=alice)
    Answer.objects.filter(assessment=assessment, criterion__code="TF-D1.1").update(
        confidence="high"
    )
    with translation.override("en"):
        return assessment_context(assessment, with_registers=False)


def test_each_dimension_of_a_report_says_how_much_of_it_rests_on_weak_evidence(report):
    d1, d2 = report["dimensions"]
    assert (d1["firm_percent"], d1["weak_points"], d1["weak_share"]) == (53.3, 13.3, 20.0)
    assert (d1["weak_items"], d1["rated_items"]) == (1, 2)
    assert d2["firm_percent"] == 0.0
    assert d2["weak_points"] == d2["percent"]
    assert report["has_weak_evidence"] is True


def test_the_radar_draws_the_firm_part_inside_the_score_only_when_some_evidence_is_weak(report):
    with translation.override("en"):
        radar = assessment_radar(report)
        assert radar.data[-1].name == "of which on firm evidence"
        assert list(radar.data[-1].r) == [53.3, 0.0, 53.3]  # the loop is closed
        report["has_weak_evidence"] = False
        assert [t.name for t in assessment_radar(report).data] == ["Round 1"]


def test_the_page_states_the_weak_part_with_a_legend(client, alice, alice_case, tiny_version):
    assessment = build_scored_assessment(case=alice_case, version=tiny_version, user=alice)
    Answer.objects.filter(assessment=assessment, criterion__code="TF-D1.1").update(
        confidence="high"
    )
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/assessments/{assessment.pk}/report/").content.decode()
    assert 'data-testid="weak-evidence-legend"' in html
    assert "13.3 (20.0 %)" in html
    assert "rests on weak evidence" in html

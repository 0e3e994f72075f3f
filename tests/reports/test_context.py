"""Specs for the report context: scores, bands, counts, strengths, gaps, previous rounds."""

from casework.reports.context import assessment_context, case_context, crosswalk
from casework.services.assessments import assessment_start
from tests.reports.conftest import score_tiny, set_answer


def test_context_scores_match_the_hand_calculation(scored_assessment):
    report = assessment_context(scored_assessment)

    assert report["overall"]["percent"] == 62.2
    assert report["overall"]["band"] == 3
    assert report["overall"]["band_label"] == "已定义"
    by_code = {d["code"]: d for d in report["dimensions"]}
    assert by_code["TF-D1"]["percent"] == 66.7
    assert by_code["TF-D2"]["percent"] == 60.0
    assert by_code["TF-D1"]["band_label"] == "已定义"


def test_context_counts_completeness_na_and_confidence(scored_assessment):
    set_answer(scored_assessment, "TF-D1.2", level=None, not_applicable=True, na_reason="不适用")

    report = assessment_context(scored_assessment)

    assert report["counts"] == {
        "scored_total": 3,
        "answered": 3,
        "not_applicable": 1,
        "unanswered": 0,
        "completeness_percent": 100.0,
    }
    assert report["confidence"] == {"low": 1, "medium": 0, "high": 1, "unset": 0}
    # D1 now rests on TF-D1.1 alone: 0.8.
    assert report["dimensions"][0]["percent"] == 80.0
    assert report["observations"]["present"] == 1


def test_context_lists_strengths_and_gaps_with_recommendations(scored_assessment):
    report = assessment_context(scored_assessment)

    assert [i["code"] for i in report["strengths"]] == ["TF-D1.1", "TF-D2.1", "TF-D1.2"]
    assert [i["code"] for i in report["gaps"]] == ["TF-D1.2", "TF-D2.1", "TF-D1.1"]
    assert report["gaps"][0]["recommendation"] == "改进 D1.2"


def test_context_resolves_citations_to_source_titles(scored_assessment):
    report = assessment_context(scored_assessment)

    item = report["dimensions"][0]["items"][0]
    assert item["code"] == "TF-D1.1"
    assert [(c["number"], c["title"], c["label"]) for c in item["citations"]] == [
        (1, "市政府工作报告 2024", "[1]")
    ]
    assert item["level_label"] == "已管理"


def test_context_observations_are_listed_not_scored(scored_assessment):
    report = assessment_context(scored_assessment)

    d1 = report["dimensions"][0]
    assert [i["code"] for i in d1["items"]] == ["TF-D1.1", "TF-D1.2"]
    assert [i["code"] for i in d1["observation_items"]] == ["TF-D1.3"]
    assert d1["observation_items"][0]["observation"] == "present"


def test_context_overlays_the_previous_round(scored_assessment, tiny_version, alice):
    second = assessment_start(case=scored_assessment.case, version=tiny_version, user=alice)
    score_tiny(second, d11=5, d12=5, d21=5)

    report = assessment_context(second)

    assert report["previous"]["round"] == 1
    assert report["previous"]["percent"] == 62.2
    assert report["dimensions"][0]["previous_percent"] == 66.7
    assert report["overall"]["percent"] == 100.0


def test_context_registers_are_plain_rows(scored_assessment):
    registers = assessment_context(scored_assessment)["registers"]

    assert [r["severity"] for r in registers["risks"]] == [20, 20, 6]
    # Lower is better here: from 10 days to 5 of a target of 3 is 5/7 of the way.
    assert registers["indicators"][0]["progress_percent"] == 71.4
    assert registers["goals"][0]["smart_count"] == 5


def test_english_context_uses_english_labels(scored_assessment, settings):
    from django.utils import translation

    with translation.override("en"):
        report = assessment_context(scored_assessment)

    assert report["overall"]["band_label"] == "Defined"
    assert report["dimensions"][0]["title"] == "Dimension D1"


def test_case_context_takes_latest_round_per_framework_with_crosswalk(scored_assessment, alice):
    from tests.factories import make_tiny_framework

    other = make_tiny_framework(
        "XF", publish=False, dimensions=(("E1", 1, [("E1.1", "scored", 1)]),)
    )
    # The XF dimension informs TF-D2 (the YAML's `informs`, set while still a draft).
    other.dimensions.filter(code="XF-E1").update(informs=["TF-D2"])
    other.status = other.Status.PUBLISHED
    other.save()
    xf = assessment_start(case=scored_assessment.case, version=other, user=alice)
    set_answer(xf, "XF-E1.1", level=1)

    data = case_context(scored_assessment.case)

    assert [r["framework"]["code"] for r in data["reports"]] == ["TF", "XF"]
    assert data["crosswalk"] == [
        {
            "framework": "XF",
            "code": "XF-E1",
            "title": "维度 E1",
            "percent": 20.0,
            "informs": [{"code": "TF-D2", "framework": "TF", "title": "维度 D2", "percent": 60.0}],
        }
    ]
    assert crosswalk([]) == []

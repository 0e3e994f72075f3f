"""Specs for the scoring read model: the stored scores are casework.scoring's, on any input."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework import readmodel, selectors
from casework.models import Answer, Assessment, ScoreSnapshot
from casework.reports.portfolio import PortfolioFilters, portfolio_context
from casework.scoring import (
    DimensionSpec,
    ItemAnswer,
    Scale,
    score_assessment,
    to_percent,
)
from casework.services.assessments import assessment_start, assessment_touch
from frameworks.models import Criterion, Dimension, Framework, FrameworkVersion, ScaleLevel
from tests import factories

weights = st.integers(min_value=1, max_value=999).map(lambda n: Decimal(n) / 100)


@st.composite
def assessments(draw):
    """A random framework version and one random answer per item, as plain data."""
    low = draw(st.integers(min_value=-2, max_value=2))
    high = low + draw(st.integers(min_value=1, max_value=6))
    dimensions = []
    for d in range(draw(st.integers(min_value=1, max_value=4))):
        items = []
        for i in range(draw(st.integers(min_value=0, max_value=4))):
            kind = draw(st.sampled_from(["scored", "scored", "observation"]))
            answer = {"level": None, "not_applicable": False, "confidence": "", "observation": ""}
            if kind == "scored":
                choice = draw(st.sampled_from(["level", "level", "na", "na+level", "unanswered"]))
                if choice in ("level", "na+level"):
                    answer["level"] = draw(st.integers(min_value=low, max_value=high))
                    answer["confidence"] = draw(st.sampled_from(["", "low", "medium", "high"]))
                answer["not_applicable"] = choice.startswith("na")
            else:
                answer["observation"] = draw(st.sampled_from(["", "present", "absent", "unknown"]))
            items.append({"code": f"D{d}.{i}", "kind": kind, "weight": draw(weights), **answer})
        dimensions.append({"code": f"D{d}", "weight": draw(weights), "items": items})
    return {"min": low, "max": high, "dimensions": dimensions}


def reference_score(data):
    """What casework.scoring says about the drawn data, with no database involved."""
    return score_assessment(
        scale=Scale(min=data["min"], max=data["max"]),
        dimensions=[DimensionSpec(code=d["code"], weight=d["weight"]) for d in data["dimensions"]],
        items=[
            ItemAnswer(
                code=i["code"],
                dimension=d["code"],
                weight=i["weight"],
                kind=i["kind"],
                level=i["level"],
                not_applicable=i["not_applicable"],
                confidence=i["confidence"],
                observation=i["observation"],
            )
            for d in data["dimensions"]
            for i in d["items"]
        ],
    )


def store(data, *, case, user) -> Assessment:
    """The drawn version, published, and an assessment of `case` answered as drawn."""
    framework, _ = Framework.objects.get_or_create(
        code="HY", defaults={"name_zh": "随机框架", "name_en": "Random framework"}
    )
    version = FrameworkVersion.objects.create(framework=framework, number=1, label="1.0")
    for value in range(data["min"], data["max"] + 1):
        ScaleLevel.objects.create(
            version=version, value=value, label_zh=f"级 {value}", label_en=f"L{value}"
        )
    for order, d in enumerate(data["dimensions"]):
        dimension = Dimension.objects.create(
            version=version,
            code=d["code"],
            order=order,
            title_zh=d["code"],
            title_en=d["code"],
            source_ref="-",
            weight=d["weight"],
        )
        for i_order, item in enumerate(d["items"]):
            Criterion.objects.create(
                dimension=dimension,
                code=item["code"],
                order=i_order,
                kind=item["kind"],
                title_zh=item["code"],
                title_en=item["code"],
                weight=item["weight"],
                source_ref="-",
            )
    version.status = FrameworkVersion.Status.PUBLISHED
    version.save()
    assessment = assessment_start(case=case, version=version, user=user)
    for d in data["dimensions"]:
        for item in d["items"]:
            Answer.objects.filter(assessment=assessment, criterion__code=item["code"]).update(
                level=item["level"],
                not_applicable=item["not_applicable"],
                confidence=item["confidence"],
                observation=item["observation"],
            )
    assessment_touch(assessment_id=assessment.pk)
    return assessment


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=assessments())
def test_stored_scores_are_the_scorers_on_random_assessments(ada, unit_a, data):
    expected = reference_score(data)
    with transaction.atomic():
        case = factories.make_case(unit=unit_a, owner=ada)
        assessment = store(data, case=case, user=ada)

        snapshot = ScoreSnapshot.objects.get(assessment=assessment)
        assert snapshot.overall == pytest.approx(expected.overall, abs=1e-12)
        assert snapshot.band == expected.band
        assert snapshot.percent() == expected.percent()
        assert (snapshot.scored_total, snapshot.answered, snapshot.not_applicable) == (
            expected.scored_total,
            expected.answered,
            expected.not_applicable,
        )
        assert snapshot.unanswered == expected.unanswered
        assert snapshot.completeness == pytest.approx(expected.completeness)
        assert snapshot.dimensions == {
            code: pytest.approx(d.score, abs=1e-12) if d.score is not None else None
            for code, d in expected.dimensions.items()
        }

        # The pages that read the stored scores agree with the scorer too.
        for band in range(data["min"], data["max"] + 1):
            listed = selectors.case_list(user=ada, band=band).filter(pk=case.pk).exists()
            assert listed == (band == expected.band)
        (framework,) = portfolio_context(ada, PortfolioFilters())["frameworks"]
        (row,) = framework["rows"]
        assert row["percent"] == expected.percent()
        assert row["band"] == expected.band
        assert row["dimensions"] == {
            code: to_percent(d.score) for code, d in expected.dimensions.items()
        }
        transaction.set_rollback(True)


def test_every_service_write_leaves_the_stored_scores_current(alice, alice_case, tiny_version):
    from casework.services.answers import answer_save

    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    assert not readmodel.stale_assessments().exists()

    answer_save(
        assessment=assessment,
        criterion_code="TF-D2.1",
        user=alice,
        data={"level": 4},
        expected_version=0,
    )

    assert not readmodel.stale_assessments().exists()
    snapshot = ScoreSnapshot.objects.get(assessment=assessment)
    assert (snapshot.overall, snapshot.band, snapshot.answered) == (0.8, 4, 1)
    assert snapshot.dimensions == {"TF-D1": None, "TF-D2": 0.8}


def test_a_refresh_repairs_scores_written_behind_the_services_back(alice, alice_case, tiny_version):
    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    Answer.objects.filter(assessment=assessment, criterion__kind="scored").update(level=5)
    ScoreSnapshot.objects.filter(assessment=assessment).delete()
    assert list(readmodel.stale_assessments()) == [assessment]

    assert readmodel.scores_refresh_all() == 1

    assert ScoreSnapshot.objects.get(assessment=assessment).percent() == 100.0
    assert not readmodel.stale_assessments().exists()


@pytest.mark.parametrize(
    "answered,total,percent,done",
    [(0, 0, 0, False), (0, 3, 0, False), (1, 3, 33, False), (2, 3, 67, False), (3, 3, 100, True)],
)
def test_completion_is_a_whole_percent_and_done_only_when_every_item_is_answered(
    answered, total, percent, done
):
    completion = readmodel.Completion(answered, total)
    assert (completion.percent, completion.done) == (percent, done)


def test_progress_and_open_items_read_together_what_each_reads_alone(
    alice, alice_case, tiny_version, django_assert_num_queries
):
    from casework.services.answers import answer_save

    assessment = assessment_start(case=alice_case, version=tiny_version, user=alice)
    for code, data in [
        ("TF-D2.1", {"level": 4, "evidence": "依据"}),
        ("TF-D1.1", {"level": 2}),  # answered, no evidence
    ]:
        answer_save(
            assessment=assessment, criterion_code=code, user=alice, data=data, expected_version=0
        )
    with django_assert_num_queries(1):
        progress, items = readmodel.progress_and_open_items(
            assessment.pk, version_id=assessment.version_id
        )
    assert progress == readmodel.completion_by_dimension(assessment.pk)
    assert [(a.pk, a.gap) for a in items] == [
        (a.pk, a.gap) for a in readmodel.open_items(assessment.pk)
    ]
    assert {a.gap for a in items} == {readmodel.GAP_EVIDENCE, readmodel.GAP_UNANSWERED}

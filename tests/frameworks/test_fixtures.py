"""The two real frameworks in fixtures/frameworks load and have the expected shape."""

import re

import pytest

from frameworks.models import Criterion, FrameworkVersion

SOURCE = re.compile(r"^00[01] §\d")


def test_both_frameworks_load_as_published_versions(frameworks):
    assert set(frameworks) == {"SF", "CA"}
    for version in frameworks.values():
        assert version.status == FrameworkVersion.Status.PUBLISHED
        assert version.published_at is not None
        assert version.label == "1.0"


def test_success_factors_have_six_dimensions_of_three_to_five_scored_items(frameworks):
    dimensions = list(frameworks["SF"].dimensions.all())
    assert len(dimensions) == 6
    for dimension in dimensions:
        scored = dimension.criteria.filter(kind=Criterion.Kind.SCORED).count()
        assert 3 <= scored <= 5, dimension.code


def test_case_analysis_has_six_dimensions_with_at_least_two_scored_items(frameworks):
    dimensions = list(frameworks["CA"].dimensions.all())
    assert len(dimensions) == 6
    for dimension in dimensions:
        assert dimension.criteria.filter(kind=Criterion.Kind.SCORED).count() >= 2, dimension.code


@pytest.mark.parametrize("code", ["SF", "CA"])
def test_every_item_cites_its_article_section_and_has_both_titles(frameworks, code):
    criteria = Criterion.objects.filter(version=frameworks[code])
    assert criteria.exists()
    for criterion in criteria:
        assert SOURCE.match(criterion.source_ref), criterion.code
        assert criterion.title_zh.strip() and criterion.title_en.strip(), criterion.code
    for dimension in frameworks[code].dimensions.all():
        assert SOURCE.match(dimension.source_ref), dimension.code


@pytest.mark.parametrize("code", ["SF", "CA"])
def test_both_frameworks_use_a_contiguous_scale(frameworks, code):
    values = list(frameworks[code].scale_levels.values_list("value", flat=True))
    assert values == list(range(values[0], values[0] + len(values)))
    assert len(values) >= 2


def test_case_analysis_dimensions_inform_existing_success_factors(frameworks):
    sf_codes = set(frameworks["SF"].dimensions.values_list("code", flat=True))
    informed = {code for dim in frameworks["CA"].dimensions.all() for code in dim.informs}
    assert informed
    assert informed <= sf_codes


def test_codes_of_items_start_with_their_dimension_code(frameworks):
    for version in frameworks.values():
        for criterion in Criterion.objects.filter(version=version).select_related("dimension"):
            assert criterion.code.startswith(criterion.dimension.code + "."), criterion.code

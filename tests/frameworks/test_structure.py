"""A version's structure is read once per process when frozen, and every time while a draft."""

from frameworks.models import Criterion, Dimension, FrameworkVersion
from frameworks.structure import forget, version_structure
from tests import factories


def test_a_published_version_is_read_once_then_kept(db, django_assert_num_queries):
    version = factories.make_tiny_framework()
    with django_assert_num_queries(5):  # status, dimensions, items, rubrics, scale
        first = version_structure(version.pk)
    with django_assert_num_queries(0):
        again = version_structure(version.pk)
    assert again is first
    assert [d.code for d in first.dimensions] == ["TF-D1", "TF-D2"]
    d1 = first.dimensions[0]
    assert [c.code for c in first.criteria_in(d1.pk)] == ["TF-D1.1", "TF-D1.2", "TF-D1.3"]
    assert first.criterion("TF-D2.1").dimension.code == "TF-D2"
    assert first.criterion("XX-9") is None
    assert first.scale_values == [0, 1, 2, 3, 4, 5]
    assert [(code, float(weight)) for code, weight in first.dimension_weights()] == [
        ("TF-D1", 1.0),
        ("TF-D2", 2.0),
    ]


def test_a_draft_is_read_afresh_so_an_edit_shows_at_once(db):
    draft = factories.make_tiny_framework("DR", publish=False)
    before = version_structure(draft.pk)
    assert not before.frozen
    dimension = Dimension.objects.get(version=draft, code="DR-D1")
    Criterion.objects.filter(code="DR-D1.1").update(title_en="Renamed while a draft")
    Criterion.objects.create(
        dimension=dimension, code="DR-D1.9", order=9, title_zh="新条目", title_en="New item"
    )
    after = version_structure(draft.pk)
    assert after.criterion("DR-D1.1").title_en == "Renamed while a draft"
    assert after.criterion("DR-D1.9") is not None
    assert before.criterion("DR-D1.9") is None  # what was handed out earlier is not changed


def test_publishing_a_draft_that_was_read_starts_it_afresh_and_keeps_it(
    db, django_assert_num_queries
):
    draft = factories.make_tiny_framework("PB", publish=False)
    version_structure(draft.pk)
    Criterion.objects.filter(code="PB-D1.2").update(title_en="Last edit before publishing")
    draft.status = FrameworkVersion.Status.PUBLISHED
    draft.save()
    published = version_structure(draft.pk)
    assert published.frozen
    assert published.criterion("PB-D1.2").title_en == "Last edit before publishing"
    with django_assert_num_queries(0):
        version_structure(draft.pk)


def test_retiring_a_version_forgets_it_and_keeps_it_again_frozen(db, django_assert_num_queries):
    version = factories.make_tiny_framework()
    kept = version_structure(version.pk)
    version.status = FrameworkVersion.Status.RETIRED
    version.save()
    retired = version_structure(version.pk)
    assert retired is not kept and retired.frozen
    with django_assert_num_queries(0):
        version_structure(version.pk)
    forget(version.pk)
    assert version_structure(version.pk) is not retired


def test_dimension_copies_take_annotations_without_touching_the_kept_ones(db):
    version = factories.make_tiny_framework()
    structure = version_structure(version.pk)
    copies = structure.dimension_copies()
    copies[0].done = 3
    assert not hasattr(structure.dimensions[0], "done")
    assert copies[0].code == structure.dimensions[0].code

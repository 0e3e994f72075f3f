"""The hot reads written once per process (casework.statements) give what the ORM gives:
the same rows, fields converted alike, related objects cached as select_related caches them."""

import pytest
from django.db.models import Model

from casework import readmodel, statements
from casework.access import get_assessment_for_user
from casework.models import Answer, Assessment, CaseSource
from casework.services.answers import answer_save
from casework.services.assessments import assessment_start

RELATED = ("case", "case__unit", "framework", "version", "second_rating")
PEOPLE = (
    *RELATED,
    "case__owner",
    "case__sector_ref",
    "created_by",
    "reviewed_by",
    "second_rating__created_by",
)


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


def fields(obj: Model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_whole_rows_are_the_orms_rows(alice, assessment):
    answer_save(
        assessment=assessment,
        criterion_code="TF-D1.1",
        user=alice,
        data={"level": 2, "evidence": "依据", "not_applicable": False},
        expected_version=0,
    )
    CaseSource.objects.create(case=assessment.case, title="乙", order=2)
    CaseSource.objects.create(case=assessment.case, title="甲", order=1).delete()  # kept, removed
    plain = statements.objects(Answer, {"assessment": assessment.pk})
    orm = list(Answer.objects.filter(assessment=assessment))
    assert sorted(map(fields, plain), key=str) == sorted(map(fields, orm), key=str)
    sources = statements.objects(CaseSource, {"case": assessment.case_id}, order=("order", "id"))
    assert [fields(s) for s in sources] == [
        fields(s) for s in CaseSource.all_objects.filter(case_id=assessment.case_id)
    ]
    assert all(not s._state.adding and s._state.db == "default" for s in sources)


def test_the_assessments_answers_read_as_values_make_the_same_answers(alice, assessment):
    answer_save(
        assessment=assessment,
        criterion_code="TF-D1.1",
        user=alice,
        data={"level": 3, "evidence": "依据"},
        expected_version=0,
    )
    rows = readmodel.answers_of(assessment.pk)
    for answer in Answer.objects.filter(assessment=assessment):
        assert fields(rows.answer(answer.criterion_id)) == fields(answer)
    assert rows.answer(-1) is None
    assert readmodel.progress_and_open_items(
        assessment.pk, answers=rows
    ) == readmodel.progress_and_open_items(assessment.pk)


@pytest.mark.parametrize("related", [RELATED, PEOPLE])
def test_a_joined_read_is_select_related(alice, assessment, related, django_assert_num_queries):
    (plain,) = statements.joined(Assessment, related, {"id": assessment.pk})
    orm = Assessment.objects.select_related(*related).get(pk=assessment.pk)
    with django_assert_num_queries(0):  # everything asked for is in hand
        assert fields(plain) == fields(orm)
        assert fields(plain.case) == fields(orm.case)
        assert fields(plain.case.unit) == fields(orm.case.unit)
        assert fields(plain.framework) == fields(orm.framework)
        assert fields(plain.version) == fields(orm.version)
        with pytest.raises(Assessment.DoesNotExist):
            plain.second_rating  # noqa: B018  (none: cached as missing, no query)
        if "reviewed_by" in related:
            assert plain.reviewed_by is None and fields(plain.created_by) == fields(alice)
            assert plain.case.sector_ref == orm.case.sector_ref
    assert statements.joined(Assessment, related, {"id": assessment.pk + 1000}) == []


def second_rating(assessment, *, by):
    """A blind second scoring of `assessment`, by another analyst."""
    return Assessment.objects.create(
        case_id=assessment.case_id,
        framework_id=assessment.framework_id,
        version_id=assessment.version_id,
        round=assessment.round,
        second_of=assessment,
        created_by=by,
    )


def test_a_joined_read_finds_a_second_rating_and_its_analyst(
    alice, bob, assessment, django_assert_num_queries
):
    second = second_rating(assessment, by=bob)
    (plain,) = statements.joined(Assessment, PEOPLE, {"id": assessment.pk})
    with django_assert_num_queries(0):
        assert plain.second_rating.pk == second.pk
        assert plain.second_rating.created_by.username == "bob"
        assert plain.second_rating.second_of is plain
    (other,) = statements.joined(Assessment, RELATED, {"id": second.pk})
    with django_assert_num_queries(0):
        with pytest.raises(Assessment.DoesNotExist):
            other.second_rating  # noqa: B018
        assert other.second_of_id == assessment.pk


def test_access_reads_what_it_read_through_the_orm(alice, assessment, django_assert_num_queries):
    found = get_assessment_for_user(alice, assessment.pk, action="edit", people=False)
    assert fields(found) == fields(Assessment.objects.get(pk=assessment.pk))
    with django_assert_num_queries(0):
        assert found.case.unit.pk == alice.membership.unit_id
        assert found.version.pk == assessment.version_id


def outcome(user, pk, **kwargs):
    try:
        return get_assessment_for_user(user, pk, **kwargs).pk
    except Exception as error:  # noqa: BLE001  (the outcome is the point: 404, 403 or the row)
        return type(error).__name__


@pytest.mark.parametrize("action", ["view", "edit", "review"])
def test_the_lean_read_answers_who_may_do_what_exactly_as_the_full_one(
    alice, bob, charlie, ada, assessment, action
):
    second = second_rating(assessment, by=bob)
    for user in (alice, bob, charlie, ada):
        for pk in (assessment.pk, second.pk, second.pk + 1000):
            full = outcome(user, pk, action=action)
            assert outcome(user, pk, action=action, lean=True) == full
            assert outcome(user, pk, action=action, people=False) == full

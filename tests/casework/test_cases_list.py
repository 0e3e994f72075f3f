"""The case list: search, filters, sorting, pagination and a constant number of queries."""

import pytest
from django.urls import reverse

from casework.models import Answer
from casework.services.assessments import assessment_start, assessment_submit, assessment_touch
from tests import factories

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [case.title for case in response.context["page"].object_list]


@pytest.fixture
def cases(alice, unit_a, tiny_version):
    one_stop = factories.make_case(
        unit=unit_a, owner=alice, title="一网通办改革", region="华东", tags=["政务服务"]
    )
    sharing = factories.make_case(
        unit=unit_a,
        owner=alice,
        title="数据共享平台",
        body="省大数据局",
        level="provincial",
        region="西南",
        sector="数据共享",
        tags=["数据要素"],
    )
    grid = factories.make_case(
        unit=unit_a,
        owner=alice,
        title="Smart grid governance",
        level="county",
        region="华北",
        sector="网格治理",
        tags=["grid"],
    )
    submitted = assessment_start(case=sharing, version=tiny_version, user=alice)
    assessment_submit(assessment=submitted, user=alice)
    assessment_start(case=one_stop, version=tiny_version, user=alice)
    return {"one_stop": one_stop, "sharing": sharing, "grid": grid}


def test_analyst_sees_only_their_units_cases(client, alice, cases, unit_b, charlie):
    factories.make_case(unit=unit_b, owner=charlie, title="审计处的案例")
    client.force_login(alice)
    response = client.get(reverse("case_list"))
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(c.title for c in cases.values())


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("共享", ["数据共享平台"]),  # title
        ("大数据局", ["数据共享平台"]),  # government body
        ("华东", ["一网通办改革"]),  # region
        ("数据要素", ["数据共享平台"]),  # Chinese tag
        ("GRID", ["Smart grid governance"]),  # case-insensitive
    ],
)
def test_search_looks_in_title_body_region_and_tags(client, alice, cases, q, expected):
    client.force_login(alice)
    assert titles(client.get(reverse("case_list"), {"q": q})) == expected


def test_filter_by_status_of_the_latest_round(client, alice, cases):
    client.force_login(alice)
    assert titles(client.get(reverse("case_list"), {"status": "submitted"})) == ["数据共享平台"]
    assert titles(client.get(reverse("case_list"), {"status": "draft"})) == ["一网通办改革"]


def test_filter_by_level_and_sector(client, alice, cases):
    client.force_login(alice)
    assert titles(client.get(reverse("case_list"), {"level": "county"})) == [
        "Smart grid governance"
    ]
    assert titles(client.get(reverse("case_list"), {"sector": "data-sharing"})) == ["数据共享平台"]


def test_admin_filters_by_unit_and_others_do_not_get_the_filter(
    client, ada, alice, cases, unit_b, charlie
):
    factories.make_case(unit=unit_b, owner=charlie, title="审计处的案例")
    client.force_login(ada)
    assert titles(client.get(reverse("case_list"), {"unit": unit_b.pk})) == ["审计处的案例"]
    client.force_login(alice)
    response = client.get(reverse("case_list"), {"unit": unit_b.pk})
    assert "unit" not in response.context["form"].fields
    assert "审计处的案例" not in titles(response)


def test_sort_by_title_and_level(client, alice, cases):
    client.force_login(alice)
    assert titles(client.get(reverse("case_list"), {"sort": "title"})) == sorted(
        c.title for c in cases.values()
    )
    by_level = titles(client.get(reverse("case_list"), {"sort": "level"}))
    assert by_level[0] == "Smart grid governance"  # "county" sorts first


def test_list_pages_by_25(client, alice, unit_a):
    for n in range(27):
        factories.make_case(unit=unit_a, owner=alice, title=f"案例 {n:02d}")
    client.force_login(alice)
    first = client.get(reverse("case_list"), {"sort": "title"})
    assert len(titles(first)) == 25
    second = client.get(reverse("case_list"), {"sort": "title", "page": 2})
    assert titles(second) == ["案例 25", "案例 26"]
    assert "sort=title&amp;page=2" in first.content.decode()


def test_empty_filter_result_says_so(client, alice, cases):
    client.force_login(alice)
    page = client.get(reverse("case_list"), {"q": "不存在"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "No case matches these filters." in page.content.decode()


def test_user_text_is_escaped_in_the_list(client, alice, unit_a):
    factories.make_case(unit=unit_a, owner=alice, title="<script>alert(1)</script>")
    client.force_login(alice)
    page = client.get(reverse("case_list")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize("persona", ["alice", "bob", "ada"])
def test_case_list_query_count_does_not_grow_with_the_number_of_cases(
    client, request, django_assert_max_num_queries, unit_a, alice, tiny_version, persona
):
    def add_cases(n):
        for i in range(n):
            case = factories.make_case(unit=unit_a, owner=alice, title=f"批量案例 {i}")
            assessment_start(case=case, version=tiny_version, user=alice)

    client.force_login(request.getfixturevalue(persona))
    add_cases(3)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("case_list"), {"q": "批量"})
    add_cases(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("case_list"), {"q": "批量"})
    assert len(titles(response)) == 25


def test_filter_by_score_band_of_the_latest_round(client, alice, unit_a, tiny_version):

    strong = factories.make_case(unit=unit_a, owner=alice, title="高分案例")
    weak = factories.make_case(unit=unit_a, owner=alice, title="低分案例")
    factories.make_case(unit=unit_a, owner=alice, title="未评分案例")
    for case, level in ((strong, 5), (weak, 1)):
        assessment = assessment_start(case=case, version=tiny_version, user=alice)
        Answer.objects.filter(assessment=assessment, criterion__kind="scored").update(level=level)
        assessment_touch(assessment_id=assessment.pk)
    client.force_login(alice)
    assert titles(client.get(reverse("case_list"), {"band": 5})) == ["高分案例"]
    assert titles(client.get(reverse("case_list"), {"band": 1})) == ["低分案例"]
    response = client.get(reverse("case_list"), {"band": 0})
    assert titles(response) == []
    assert response.context["filtered"]


def test_list_shows_the_overall_score_of_each_latest_round(client, alice, unit_a, tiny_version):

    case = factories.make_case(unit=unit_a, owner=alice, title="有分数的案例")
    assessment = assessment_start(case=case, version=tiny_version, user=alice)
    Answer.objects.filter(assessment=assessment, criterion__kind="scored").update(level=4)
    assessment_touch(assessment_id=assessment.pk)
    client.force_login(alice)
    assert "80.0%" in client.get(reverse("case_list")).content.decode()


def test_band_filter_and_score_sort_read_stored_scores_in_constant_queries(
    client, django_assert_max_num_queries, unit_a, alice, tiny_version
):
    def add_cases(n, level):
        for i in range(n):
            case = factories.make_case(unit=unit_a, owner=alice, title=f"评分案例 {level}-{i:02d}")
            assessment = assessment_start(case=case, version=tiny_version, user=alice)
            Answer.objects.filter(assessment=assessment, criterion__kind="scored").update(
                level=level
            )
            assessment_touch(assessment_id=assessment.pk)

    client.force_login(alice)
    query = {"band": 4, "sort": "score"}
    add_cases(2, 4)
    add_cases(1, 2)
    with django_assert_max_num_queries(12) as few:
        response = client.get(reverse("case_list"), query)
    assert titles(response) == ["评分案例 4-00", "评分案例 4-01"]

    add_cases(27, 4)
    add_cases(10, 1)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(reverse("case_list"), query)

    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(titles(response)) == 25


def test_score_sort_puts_the_best_latest_round_first_and_unscored_cases_last(
    client, alice, unit_a, tiny_version
):
    for title, level in (("中等", 3), ("最好", 5), ("未评分", None), ("较差", 1)):
        case = factories.make_case(unit=unit_a, owner=alice, title=title)
        assessment = assessment_start(case=case, version=tiny_version, user=alice)
        Answer.objects.filter(assessment=assessment, criterion__kind="scored").update(level=level)
        assessment_touch(assessment_id=assessment.pk)
    client.force_login(alice)

    response = client.get(reverse("case_list"), {"sort": "score"})

    assert titles(response) == ["最好", "中等", "较差", "未评分"]

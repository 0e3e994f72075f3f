"""Specs for comparing assessments: same framework, 2 to 6, visible ones only."""

from django.urls import reverse

from casework.services.assessments import assessment_start
from tests import factories
from tests.reports.conftest import figures_in, score_tiny


def compare(client, ids):
    return client.get(reverse("compare"), {"a": ids})


def test_two_rounds_are_overlaid_with_differences(client, alice, scored_assessment, tiny_version):
    second = assessment_start(case=scored_assessment.case, version=tiny_version, user=alice)
    score_tiny(second, d11=5, d12=5, d21=2)
    client.force_login(alice)

    response = compare(client, [scored_assessment.pk, second.pk])

    assert response.status_code == 200
    comparison = response.context["comparison"]
    d1, d2 = comparison["rows"]
    assert [c["percent"] for c in d1["cells"]] == [66.7, 100.0]
    assert d1["cells"][1]["diff"] == 33.3
    assert d2["cells"][1]["diff"] == -20.0
    # Overall: (1·1.0 + 2·0.4) / 3 = 0.6 → 60.0, 2.2 below the first.
    assert comparison["overall"][1] == {"percent": 60.0, "diff": -2.2}
    radar = figures_in(response)["compare"]
    assert [trace["r"] for trace in radar["data"]] == [[66.7, 60.0, 66.7], [100.0, 40.0, 100.0]]
    assert "(+33.3)" in response.content.decode()


def test_mixed_frameworks_are_refused(client, alice, scored_assessment):
    other = factories.make_tiny_framework("XF")
    xf = assessment_start(case=scored_assessment.case, version=other, user=alice)
    client.force_login(alice)

    response = compare(client, [scored_assessment.pk, xf.pk])

    assert response.status_code == 400
    assert response.context["comparison"] is None
    assert "TF" in response.context["error"] and "XF" in response.context["error"]


def test_more_than_six_are_refused(client, alice, scored_assessment, tiny_version):
    ids = [scored_assessment.pk] + [
        assessment_start(case=scored_assessment.case, version=tiny_version, user=alice).pk
        for _ in range(6)
    ]
    client.force_login(alice)

    response = compare(client, ids)

    assert response.status_code == 400
    assert "6" in response.context["error"]


def test_one_is_not_enough(client, alice, scored_assessment):
    client.force_login(alice)

    response = compare(client, [scored_assessment.pk])

    assert response.status_code == 400
    assert response.context["error"]


def test_another_units_assessment_cannot_be_compared(
    client, alice, charlie, unit_b, scored_assessment, tiny_version
):
    theirs = assessment_start(
        case=factories.make_case(unit=unit_b, owner=charlie, title="审计署案例"),
        version=tiny_version,
        user=charlie,
    )
    client.force_login(alice)

    response = compare(client, [scored_assessment.pk, theirs.pk])

    assert response.status_code == 400
    assert "审计署案例" not in response.content.decode()


def test_picker_lists_only_visible_assessments(
    client, alice, charlie, unit_b, scored_assessment, tiny_version
):
    assessment_start(
        case=factories.make_case(unit=unit_b, owner=charlie, title="审计署案例"),
        version=tiny_version,
        user=charlie,
    )
    client.force_login(alice)

    response = client.get(reverse("compare"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "城市一网通办改革" in html
    assert "审计署案例" not in html


def test_garbage_ids_get_a_clear_message(client, alice, scored_assessment):
    client.force_login(alice)

    response = client.get(reverse("compare"), {"a": ["1", "x"]})

    assert response.status_code == 400
    assert response.context["error"]


def test_picker_search_narrows_by_case_title(
    client, alice, unit_a, scored_assessment, tiny_version
):
    other = factories.make_case(unit=unit_a, owner=alice, title="省级平台建设")
    assessment_start(case=other, version=tiny_version, user=alice)
    client.force_login(alice)

    html = client.get(reverse("compare"), {"q": "省级"}).content.decode()

    assert "省级平台建设" in html
    assert "城市一网通办改革 · R1" not in html

"""The observation sweep: a step's observation items set in one table, row by row versioned."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from casework.models import Answer, Assessment, ScoreSnapshot
from casework.services.answers import answer_save
from casework.services.assessments import assessment_start, assessment_submit
from casework.services.errors import AssessmentLocked
from casework.services.observations import ObservationEdit, observations_save
from tests import factories

OBS = ["SW-D1.o1", "SW-D1.o2", "SW-D1.o3", "SW-D1.o4"]


def sweep_framework(code="SW", observations=4):
    items = [("D1.s1", "scored", 1)]
    items += [(f"D1.o{i}", "observation", 1) for i in range(1, observations + 1)]
    return factories.make_tiny_framework(
        code, dimensions=(("D1", 1, items), ("D2", 1, [("D2.o1", "observation", 1)]))
    )


@pytest.fixture
def assessment(alice, alice_case):
    return assessment_start(case=alice_case, version=sweep_framework(), user=alice)


def stored(assessment, code):
    return Answer.objects.get(assessment=assessment, criterion__code=code)


def edit(code, observation, note="", version=0):
    return ObservationEdit(code=code, observation=observation, note=note, expected_version=version)


# --- The service ------------------------------------------------------------------------------


def test_each_edited_row_is_saved_with_a_new_version_and_its_author(alice, assessment):
    outcomes = observations_save(
        assessment=assessment,
        user=alice,
        edits=[edit(OBS[0], "present", "见审计报告"), edit(OBS[1], "absent")],
    )
    assert all(outcome.saved for outcome in outcomes.values())
    first = stored(assessment, OBS[0])
    assert (first.observation, first.note, first.version) == ("present", "见审计报告", 1)
    assert first.updated_by == alice and first.history.first().history_user == alice
    assert stored(assessment, OBS[1]).observation == "absent"
    assert stored(assessment, OBS[2]).version == 0  # not in the batch: untouched


def test_a_batch_touches_the_assessment_once_and_its_stored_scores_follow(alice, assessment):
    before = Assessment.objects.get(pk=assessment.pk).revision
    observations_save(
        assessment=assessment,
        user=alice,
        edits=[edit(code, "present") for code in OBS[:3]],
    )
    assert Assessment.objects.get(pk=assessment.pk).revision == before + 1
    assert ScoreSnapshot.objects.get(assessment=assessment).revision == before + 1


def test_a_batch_that_saves_nothing_leaves_the_assessment_alone(alice, assessment):
    before = Assessment.objects.get(pk=assessment.pk).revision
    outcomes = observations_save(
        assessment=assessment, user=alice, edits=[edit("SW-D1.s1", "present")]
    )
    assert not outcomes["SW-D1.s1"].saved
    assert Assessment.objects.get(pk=assessment.pk).revision == before


def test_a_conflict_on_one_row_reports_that_row_and_the_others_are_saved(alice, unit_a, assessment):
    other = factories.make_user("alice2", unit=unit_a)
    answer_save(
        assessment=assessment,
        criterion_code=OBS[1],
        user=other,
        data={"observation": "unknown"},
        expected_version=0,
    )
    outcomes = observations_save(
        assessment=assessment,
        user=alice,
        edits=[edit(OBS[0], "present"), edit(OBS[1], "absent"), edit(OBS[2], "present")],
    )
    assert outcomes[OBS[0]].saved and outcomes[OBS[2]].saved
    conflict = outcomes[OBS[1]]
    assert not conflict.saved
    assert (conflict.current.observation, conflict.current.version) == ("unknown", 1)
    assert stored(assessment, OBS[1]).observation == "unknown"  # theirs is kept
    assert stored(assessment, OBS[2]).observation == "present"


def test_a_row_with_bad_input_reports_its_errors_and_leaves_no_trace(alice, assessment):
    with translation.override("en"):
        outcomes = observations_save(
            assessment=assessment,
            user=alice,
            edits=[
                edit(OBS[0], "present", "x" * 4001),
                edit(OBS[1], "maybe"),
                edit(OBS[2], "absent"),
            ],
        )
    assert "limited to 4000 characters" in outcomes[OBS[0]].errors[0]
    assert "present, absent or unknown" in outcomes[OBS[1]].errors[0]
    assert outcomes[OBS[2]].saved
    assert stored(assessment, OBS[0]).version == 0 and stored(assessment, OBS[0]).note == ""


def test_a_scored_item_or_another_frameworks_item_is_refused_as_a_row_error(alice, assessment):
    sweep_framework("OT")
    outcomes = observations_save(
        assessment=assessment,
        user=alice,
        edits=[edit("SW-D1.s1", "present"), edit("OT-D1.o1", "present"), edit(OBS[0], "absent")],
    )
    assert outcomes["SW-D1.s1"].errors and outcomes["OT-D1.o1"].errors
    assert outcomes[OBS[0]].saved
    assert stored(assessment, "SW-D1.s1").version == 0


def test_a_submitted_assessment_saves_no_row(alice, assessment):
    assessment_submit(assessment=assessment, user=alice)
    with pytest.raises(AssessmentLocked):
        observations_save(assessment=assessment, user=alice, edits=[edit(OBS[0], "present")])
    assert stored(assessment, OBS[0]).observation == ""


def test_one_item_twice_in_a_batch_is_a_programming_error(alice, assessment):
    with pytest.raises(ValueError):
        observations_save(
            assessment=assessment,
            user=alice,
            edits=[edit(OBS[0], "present"), edit(OBS[0], "absent")],
        )


# --- The page ---------------------------------------------------------------------------------


def sweep_url(assessment, n=1):
    return reverse("observation_sweep", args=[assessment.pk, n])


def row_data(code, observation, *, version=0, note="", initial="", initial_note=""):
    return {
        f"{code}-version": version,
        f"{code}-observation": observation,
        f"{code}-note": note,
        f"{code}-initial_observation": initial,
        f"{code}-initial_note": initial_note,
    }


def post_rows(client, assessment, *rows):
    data = {}
    for row in rows:
        data.update(row)
    return client.post(sweep_url(assessment), data, HTTP_ACCEPT_LANGUAGE="en")


def test_the_step_links_to_the_sweep_when_it_has_observations(client, alice, assessment):
    client.force_login(alice)
    html = client.get(reverse("wizard_step", args=[assessment.pk, 1])).content.decode()
    assert sweep_url(assessment) in html
    # Step 2 has a single observation: nothing to sweep.
    html = client.get(reverse("wizard_step", args=[assessment.pk, 2])).content.decode()
    assert sweep_url(assessment, 2) not in html


def test_the_sweep_lists_the_steps_observation_items_with_three_choices(client, alice, assessment):
    client.force_login(alice)
    response = client.get(sweep_url(assessment))
    assert response.status_code == 200
    html = response.content.decode()
    for code in OBS:
        for value in ("present", "absent", "unknown"):
            assert f'name="{code}-observation" id="obs-{code.replace(".", "-")}-{value}"' in html
    assert "SW-D1.s1" not in html  # scored items are not swept
    assert "SW-D2.o1" not in html  # nor the next step's


@pytest.mark.parametrize("observations", [3, 30])
def test_the_sweep_page_runs_a_constant_number_of_queries(
    client, alice, alice_case, django_assert_max_num_queries, observations
):
    version = sweep_framework(f"Q{observations}", observations)
    assessment = assessment_start(case=alice_case, version=version, user=alice)
    client.force_login(alice)
    client.get(sweep_url(assessment))  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get(sweep_url(assessment))
    assert response.content.decode().count('value="present"') == observations


def test_one_save_sets_every_changed_row_and_returns_to_the_step(client, alice, assessment):
    client.force_login(alice)
    response = post_rows(
        client,
        assessment,
        row_data(OBS[0], "present", note="审计报告第 3 页"),
        row_data(OBS[1], "absent"),
        row_data(OBS[2], "unknown"),
        row_data(OBS[3], ""),  # left alone
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wizard_step", args=[assessment.pk, 1])
    assert [stored(assessment, code).observation for code in OBS] == [
        "present",
        "absent",
        "unknown",
        "",
    ]
    assert stored(assessment, OBS[0]).note == "审计报告第 3 页"
    assert stored(assessment, OBS[3]).version == 0
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["3 observations saved."]


def test_a_row_left_alone_is_not_saved_even_when_someone_changed_it_meanwhile(
    client, alice, unit_a, assessment
):
    other = factories.make_user("alice2", unit=unit_a)
    answer_save(
        assessment=assessment,
        criterion_code=OBS[1],
        user=other,
        data={"observation": "present"},
        expected_version=0,
    )
    client.force_login(alice)
    response = post_rows(
        client,
        assessment,
        row_data(OBS[0], "absent"),
        row_data(OBS[1], ""),  # loaded as ""
    )
    assert response.status_code == 302
    assert stored(assessment, OBS[1]).observation == "present"


def test_a_conflicting_row_is_reported_and_saving_again_keeps_my_choice(alice, unit_a, assessment):
    other = factories.make_user("alice2", unit=unit_a)
    mine, theirs = Client(), Client()
    mine.force_login(alice)
    theirs.force_login(other)
    assert post_rows(theirs, assessment, row_data(OBS[1], "unknown")).status_code == 302

    response = post_rows(mine, assessment, row_data(OBS[0], "present"), row_data(OBS[1], "absent"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "alice2 saved this item while you were editing it." in html
    assert "Their value: Unknown." in html
    assert f'name="{OBS[1]}-version" value="1"' in html  # re-based on their save
    assert 'id="obs-SW-D1-o2-absent" value="absent" checked' in html  # my choice kept
    assert stored(assessment, OBS[0]).observation == "present"  # the other row is saved

    again = post_rows(mine, assessment, row_data(OBS[1], "absent", version=1, initial="unknown"))
    assert again.status_code == 302
    assert stored(assessment, OBS[1]).observation == "absent"


def test_a_refused_value_gives_422_and_keeps_what_was_typed(client, alice, assessment):
    client.force_login(alice)
    response = post_rows(
        client,
        assessment,
        row_data(OBS[0], "present", note="x" * 4001),
        row_data(OBS[1], "absent"),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "limited to 4000 characters" in html and "x" * 4001 in html
    assert stored(assessment, OBS[0]).version == 0
    assert stored(assessment, OBS[1]).observation == "absent"


def test_another_units_analyst_gets_404_and_saves_nothing(client, charlie, assessment):
    client.force_login(charlie)
    assert client.get(sweep_url(assessment)).status_code == 404
    assert post_rows(client, assessment, row_data(OBS[0], "present")).status_code == 404
    assert stored(assessment, OBS[0]).version == 0


def test_a_manager_may_not_sweep_403(client, bob, assessment):
    client.force_login(bob)
    assert client.get(sweep_url(assessment)).status_code == 403
    assert post_rows(client, assessment, row_data(OBS[0], "present")).status_code == 403
    assert stored(assessment, OBS[0]).version == 0


def test_a_step_that_does_not_exist_is_404(client, alice, assessment):
    client.force_login(alice)
    assert client.get(sweep_url(assessment, 3)).status_code == 404
    assert client.get(sweep_url(assessment, 0)).status_code == 404


def test_a_submitted_assessment_sends_the_sweep_back_to_the_step(client, alice, assessment):
    assessment_submit(assessment=assessment, user=alice)
    client.force_login(alice)
    response = post_rows(client, assessment, row_data(OBS[0], "present"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wizard_step", args=[assessment.pk, 1])
    assert stored(assessment, OBS[0]).version == 0


def test_a_note_sent_back_with_browser_line_breaks_is_not_a_change(client, alice, assessment):
    answer_save(
        assessment=assessment,
        criterion_code=OBS[0],
        user=alice,
        data={"observation": "present", "note": "第一行\n第二行"},
        expected_version=0,
    )
    client.force_login(alice)
    crlf = "第一行\r\n第二行"
    response = post_rows(
        client,
        assessment,
        row_data(OBS[0], "absent", version=1, note=crlf, initial="present", initial_note=crlf),
    )
    assert response.status_code == 302
    answer = stored(assessment, OBS[0])
    assert (answer.observation, answer.note) == ("absent", "第一行\n第二行")

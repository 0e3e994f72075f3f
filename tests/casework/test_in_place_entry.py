"""The sweep and the register import asked for by htmx: fragments for the step, not pages."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import Answer, Assessment, Stakeholder
from casework.services.answers import answer_save
from casework.services.assessments import assessment_start
from frameworks.models import Dimension, FrameworkVersion
from tests import factories
from tests.casework.test_observation_sweep import OBS, row_data, sweep_framework
from tests.casework.test_register_import import PASTE, kept

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def assessment(alice, alice_case):
    return assessment_start(case=alice_case, version=sweep_framework(), user=alice)


def sweep_url(assessment, n=1):
    return reverse("observation_sweep", args=[assessment.pk, n])


def sweep(client, assessment, *rows):
    data = {}
    for row in rows:
        data.update(row)
    return client.post(sweep_url(assessment), data, **HTMX)


def stored(assessment, code):
    return Answer.objects.get(assessment=assessment, criterion__code=code)


# --- The sweep in place ------------------------------------------------------------------------


def test_the_step_opens_the_sweep_in_its_own_panel(client, alice, assessment):
    client.force_login(alice)
    html = client.get(reverse("wizard_step", args=[assessment.pk, 1])).content.decode()
    assert f'hx-get="{sweep_url(assessment)}"' in html
    assert 'id="cw-sweep-panel"' in html and "js/observation-sweep.js" in html


def test_an_htmx_get_is_the_table_alone_posting_back_into_the_panel(client, alice, assessment):
    client.force_login(alice)
    response = client.get(sweep_url(assessment), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'data-testid="sweep-panel"' in html
    assert f'hx-post="{sweep_url(assessment)}"' in html and "csrfmiddlewaretoken" in html
    # The step's observation cards are what a save replaces, picked by their ids.
    assert 'hx-select-oob="#item-SW-D1-o1,#item-SW-D1-o2,#item-SW-D1-o3,#item-SW-D1-o4"' in html


def test_a_save_in_place_gives_back_the_cards_progress_and_what_is_left(client, alice, assessment):
    client.force_login(alice)
    response = sweep(
        client,
        assessment,
        row_data(OBS[0], "present", note="审计报告第 3 页"),
        row_data(OBS[1], "absent"),
        row_data(OBS[2], ""),  # left alone
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 observations saved." in html
    for code in OBS:
        assert f'id="item-{code.replace(".", "-")}"' in html
    assert 'id="item-SW-D1-s1"' not in html  # a scored card is not the sweep's
    assert re.search(r'id="item-SW-D1-o1-obs-present" value="present"[^>]*checked', html)
    assert html.count('hx-swap-oob="true"') == 3  # the step's progress, the overall, the left
    assert [stored(assessment, code).observation for code in OBS[:3]] == ["present", "absent", ""]
    assert not list(get_messages(response.wsgi_request))  # nothing waits for a next page


def test_a_stale_row_in_place_is_409_with_the_table_and_my_choice(
    client, alice, unit_a, assessment
):
    answer_save(
        assessment=assessment,
        criterion_code=OBS[1],
        user=factories.make_user("alice2", unit=unit_a),
        data={"observation": "unknown"},
        expected_version=0,
    )
    client.force_login(alice)
    response = sweep(client, assessment, row_data(OBS[0], "present"), row_data(OBS[1], "absent"))
    html = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="sweep-panel"' in html and 'data-testid="sweep-conflict"' in html
    assert re.search(r'id="obs-SW-D1-o2-absent" value="absent" checked', html)
    assert stored(assessment, OBS[0]).observation == "present"  # the other row is saved


def test_a_refused_value_in_place_is_422_keeping_what_was_typed(client, alice, assessment):
    client.force_login(alice)
    response = sweep(client, assessment, row_data(OBS[0], "present", note="x" * 4001))
    assert response.status_code == 422
    assert "x" * 4001 in response.content.decode()
    assert stored(assessment, OBS[0]).version == 0


def test_a_submitted_assessment_answers_the_panel_with_423(client, alice, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    client.force_login(alice)
    response = sweep(client, assessment, row_data(OBS[0], "present"))
    assert response.status_code == 423
    assert "can no longer be edited" in response.content.decode()
    assert stored(assessment, OBS[0]).version == 0


def test_in_place_another_units_analyst_gets_404_and_a_manager_403(
    client, charlie, bob, assessment
):
    for user, status in ((charlie, 404), (bob, 403)):
        client.force_login(user)
        assert client.get(sweep_url(assessment), **HTMX).status_code == status
        assert sweep(client, assessment, row_data(OBS[0], "present")).status_code == status
    assert stored(assessment, OBS[0]).version == 0


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def sweep_costs(client, alice, alice_case, code, observations) -> tuple[int, int, int]:
    """Queries of the panel, of a save on the page and of the same save in place."""
    costs = []
    for in_place in (False, True):
        prefix = f"{code}{observations}{int(in_place)}"
        version = sweep_framework(prefix, observations)
        assessment = assessment_start(case=alice_case, version=version, user=alice)
        rows = [row_data(f"{prefix}-D1.o{i}", "present") for i in range(1, observations + 1)]
        data = {k: v for row in rows for k, v in row.items()}
        headers = HTMX if in_place else {}
        client.get(sweep_url(assessment), **HTMX)  # warm the session
        url = sweep_url(assessment)
        if in_place:
            costs.append(queries(lambda u=url: client.get(u, **HTMX)))
        costs.append(queries(lambda u=url, d=data, h=headers: client.post(u, d, **h)))
    return tuple(costs)


def test_the_panel_and_its_in_place_reply_cost_the_same_queries_for_3_rows_or_30(
    client, alice, alice_case
):
    client.force_login(alice)
    page3, panel3, in_place3 = sweep_costs(client, alice, alice_case, "Q", 3)
    page30, panel30, in_place30 = sweep_costs(client, alice, alice_case, "R", 30)
    assert panel3 == panel30
    # Each row is its own versioned save (as on the page); what the reply adds is constant.
    assert in_place3 - page3 == in_place30 - page30


# --- The register import in place ----------------------------------------------------------------


@pytest.fixture
def register_assessment(alice, alice_case):
    version = factories.make_tiny_framework("RI", publish=False)
    Dimension.objects.filter(version=version, code="RI-D1").update(registers=["stakeholders"])
    version.status = FrameworkVersion.Status.PUBLISHED
    version.save()
    return assessment_start(case=alice_case, version=version, user=alice)


def import_url(assessment, register="stakeholders"):
    return reverse("register_import", args=[assessment.pk, register])


def confirm_url(assessment, register="stakeholders"):
    return reverse("register_import_confirm", args=[assessment.pk, register])


def test_the_register_box_opens_the_import_in_its_own_panel(client, alice, register_assessment):
    client.force_login(alice)
    html = client.get(reverse("wizard_step", args=[register_assessment.pk, 1])).content.decode()
    assert f'hx-get="{import_url(register_assessment)}"' in html
    assert 'hx-target="#register-stakeholders-import"' in html
    assert 'id="register-stakeholders-import"' in html


def test_an_htmx_get_is_the_paste_form_alone(client, alice, register_assessment):
    client.force_login(alice)
    response = client.get(import_url(register_assessment), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'data-testid="import-panel"' in html
    assert f'hx-post="{import_url(register_assessment)}"' in html
    assert 'hx-encoding="multipart/form-data"' in html and "data-cw-import-cancel" in html


def test_a_preview_in_place_writes_nothing_and_confirms_into_the_panel(
    client, alice, register_assessment
):
    client.force_login(alice)
    response = client.post(import_url(register_assessment), {"text": PASTE}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.count('data-testid="preview-row"') == 3
    assert f'hx-post="{confirm_url(register_assessment)}"' in html
    assert not Stakeholder.objects.exists()


def test_a_confirm_in_place_gives_back_the_register_box_with_the_rows(
    client, alice, register_assessment
):
    client.force_login(alice)
    client.post(import_url(register_assessment), {"text": PASTE}, **HTMX)
    token = client.session["register_import"]["token"]
    response = client.post(confirm_url(register_assessment), {"token": token}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#register-stakeholders"
    assert response["HX-Reswap"] == "outerHTML"
    assert 'id="register-stakeholders"' in html and "3 rows imported." in html
    assert html.count('<tr id="stakeholders-row-') == 3
    assert Stakeholder.objects.count() == 3
    assert not list(get_messages(response.wsgi_request))
    # A second click finds the preview spent: 409 in the panel, nothing doubled.
    again = client.post(confirm_url(register_assessment), {"token": token}, **HTMX)
    assert again.status_code == 409 and 'data-testid="import-panel"' in again.content.decode()
    assert "HX-Retarget" not in again
    assert Stakeholder.objects.count() == 3


def test_a_kept_row_gone_bad_imports_nothing_and_says_so_in_the_panel(
    client, alice, register_assessment
):
    client.force_login(alice)
    client.post(import_url(register_assessment), {"text": PASTE}, **HTMX)
    session = client.session
    rows = kept("stakeholders", PASTE)
    rows[2]["raw"]["influence"] = "很高"
    session["register_import"]["rows"] = rows
    session.save()
    token = session["register_import"]["token"]
    response = client.post(confirm_url(register_assessment), {"token": token}, **HTMX)
    assert response.status_code == 422
    assert "nothing was imported" in response.content.decode()
    assert not Stakeholder.objects.exists()  # all or nothing


def test_an_empty_paste_in_place_is_422_in_the_panel(client, alice, register_assessment):
    client.force_login(alice)
    response = client.post(import_url(register_assessment), {"text": " "}, **HTMX)
    assert response.status_code == 422
    assert "Paste some rows or choose a file." in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("charlie", 404), ("bob", 403)])
def test_in_place_imports_are_for_the_units_analysts_only(
    request, client, register_assessment, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(import_url(register_assessment), **HTMX).status_code == status
    post = client.post(import_url(register_assessment), {"text": PASTE}, **HTMX)
    assert post.status_code == status
    confirm = client.post(confirm_url(register_assessment), {"token": "x"}, **HTMX)
    assert confirm.status_code == status
    assert not Stakeholder.objects.exists()


def test_a_submitted_assessment_answers_the_import_panel_with_423(
    client, alice, register_assessment
):
    Assessment.objects.filter(pk=register_assessment.pk).update(status=Assessment.Status.SUBMITTED)
    client.force_login(alice)
    response = client.post(import_url(register_assessment), {"text": PASTE}, **HTMX)
    assert response.status_code == 423 and 'name="text"' not in response.content.decode()


def confirm_cost(client, alice, alice_case, count, *, in_place) -> int:
    code = f"C{count}{int(in_place)}"
    version = factories.make_tiny_framework(code, publish=False)
    Dimension.objects.filter(version=version, code=f"{code}-D1").update(registers=["stakeholders"])
    version.status = FrameworkVersion.Status.PUBLISHED
    version.save()
    assessment = assessment_start(case=alice_case, version=version, user=alice)
    sheet = "姓名\t群体\t影响力\t关注度\n" + "".join(
        f"机构{i}\tpublic\t2\t3\n" for i in range(count)
    )
    headers = HTMX if in_place else {}
    client.post(import_url(assessment), {"text": sheet}, **headers)
    token = client.session["register_import"]["token"]
    cost = queries(lambda: client.post(confirm_url(assessment), {"token": token}, **headers))
    assert Stakeholder.objects.filter(assessment=assessment).count() == count
    return cost


def test_the_refreshed_register_box_costs_the_same_queries_for_3_rows_or_150(
    client, alice, alice_case
):
    client.force_login(alice)
    # The INSERTs come in batches (the database's limit); the box around them is constant.
    extra = [
        confirm_cost(client, alice, alice_case, count, in_place=True)
        - confirm_cost(client, alice, alice_case, count, in_place=False)
        for count in (3, 150)
    ]
    assert extra[0] == extra[1] <= 3

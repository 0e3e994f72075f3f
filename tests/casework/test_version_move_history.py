"""Moving an assessment to a new framework version keeps each answer's row and history.

TF v1: D1.1, D1.2 (scored), D1.3 (observation) · D2.1 (scored).
TF v2: D1.1 kept, D1.2 reworded, D1.3 kept · D2.1 dropped, D2.2 new.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from casework.models import Action, Answer, Comment, DimensionFinding
from casework.services import assessments as services
from casework.services import rounds as round_services
from casework.services.answers import answer_save
from casework.services.errors import EditConflict
from frameworks.models import Criterion
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def draft(alice, alice_case, tiny_version):
    return services.assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.fixture
def v2(tiny_version):
    version = factories.make_tiny_framework(
        publish=False,
        dimensions=(
            ("D1", 1, [("D1.1", "scored", 2), ("D1.2", "scored", 1), ("D1.3", "observation", 1)]),
            ("D2", 2, [("D2.2", "scored", 1)]),
        ),
    )
    Criterion.objects.filter(version=version, code="TF-D1.2").update(title_en="Item D1.2, reworded")
    version.status = "published"
    version.save()
    return version


def save(assessment, user, code, **data):
    current = Answer.objects.get(assessment=assessment, criterion__code=code)
    return answer_save(
        assessment=assessment,
        criterion_code=code,
        user=user,
        data=data,
        expected_version=current.version,
    )


def ids_by_code(assessment):
    return {
        a.criterion.code: a.pk
        for a in Answer.objects.filter(assessment=assessment).select_related("criterion")
    }


def test_answer_ids_survive_a_move(draft, alice, v2):
    save(draft, alice, "TF-D1.1", level=3, evidence="首轮证据")
    save(draft, alice, "TF-D1.3", observation="present", note="已公开")
    before = ids_by_code(draft)

    round_services.assessment_version_move(assessment=draft, to_version=v2, user=alice)

    after = ids_by_code(draft)
    for code in ("TF-D1.1", "TF-D1.2", "TF-D1.3"):
        assert after[code] == before[code]
    assert "TF-D2.1" not in after
    assert "TF-D2.2" in after and after["TF-D2.2"] not in before.values()
    moved = Answer.objects.select_related("criterion").get(pk=before["TF-D1.1"])
    assert moved.criterion.version_id == v2.pk
    assert (moved.level, moved.evidence) == (3, "首轮证据")


def test_the_history_shows_the_earlier_values_and_the_move(draft, alice, bob, v2):
    save(draft, alice, "TF-D1.1", level=2, evidence="初稿")
    save(draft, alice, "TF-D1.1", level=3, evidence="修改后")
    answer_id = ids_by_code(draft)["TF-D1.1"]
    old_criterion = Criterion.objects.get(version=draft.version, code="TF-D1.1")

    round_services.assessment_version_move(assessment=draft, to_version=v2, user=alice)

    records = list(Answer.history.filter(id=answer_id).order_by("history_date", "history_id"))
    assert [(r.level, r.evidence) for r in records if r.level is not None] == [
        (2, "初稿"),
        (3, "修改后"),
        (3, "修改后"),
    ]
    last = records[-1]
    assert last.history_change_reason == "Moved from version 1 (1.0) to version 2 (2.0)"
    assert last.history_user == alice
    assert last.criterion_id == Criterion.objects.get(version=v2, code="TF-D1.1").pk
    assert records[-2].criterion_id == old_criterion.pk


def test_the_wizard_history_panel_shows_the_move(client, draft, alice, v2):
    save(draft, alice, "TF-D1.1", level=2, evidence="初稿")
    round_services.assessment_version_move(assessment=draft, to_version=v2, user=alice)
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("answer_history", args=[draft.pk, "TF-D1.1"])).content.decode()

    assert "Moved from version 1 (1.0) to version 2 (2.0)" in html
    assert "初稿" in html


def test_a_move_bumps_each_answers_version_so_an_open_tab_conflicts(draft, alice, v2):
    save(draft, alice, "TF-D1.1", level=2)
    round_services.assessment_version_move(assessment=draft, to_version=v2, user=alice)
    draft.refresh_from_db()
    with pytest.raises(EditConflict):
        answer_save(
            assessment=draft,
            criterion_code="TF-D1.1",
            user=alice,
            data={"level": 4},
            expected_version=1,
        )


def test_answers_of_dropped_items_stay_readable_in_a_note_and_in_history(draft, alice, v2):
    save(draft, alice, "TF-D2.1", level=4, evidence="数据共享平台已上线")
    dropped_id = ids_by_code(draft)["TF-D2.1"]

    round_services.assessment_version_move(assessment=draft, to_version=v2, user=alice)

    note = Comment.objects.get(assessment=draft, kind=Comment.Kind.NOTE)
    assert note.author == alice
    assert note.body.startswith("Moved from version 1 (1.0) to version 2 (2.0)")
    assert "TF-D2.1 Item D2.1" in note.body
    assert "level 4" in note.body and "数据共享平台已上线" in note.body
    deleted = Answer.history.filter(id=dropped_id).latest("history_date")
    assert deleted.history_type == "-"
    assert (deleted.level, deleted.evidence) == (4, "数据共享平台已上线")
    assert deleted.history_change_reason.startswith("Moved from version 1")


def test_a_move_without_dropped_answers_still_leaves_a_note(draft, alice, v2):
    round_services.assessment_version_move(assessment=draft, to_version=v2, user=alice)
    note = Comment.objects.get(assessment=draft, kind=Comment.Kind.NOTE)
    assert "2 items kept, 1 changed, 1 dropped, 1 new" in note.body  # D1.2 was reworded
    assert "no longer has" not in note.body  # D2.1 was never answered


def test_a_long_dropped_evidence_is_quoted_short_and_the_note_fits_a_comment(draft, alice, v2):
    save(draft, alice, "TF-D2.1", level=1, evidence="很长的证据" * 3000)
    round_services.assessment_version_move(assessment=draft, to_version=v2, user=alice)
    note = Comment.objects.get(assessment=draft, kind=Comment.Kind.NOTE)
    assert len(note.body) <= 5000
    assert "很长的证据" in note.body and "…" in note.body


def test_actions_follow_their_item_by_code(draft, alice, v2):
    kept = Action.objects.create(
        assessment=draft,
        criterion=Criterion.objects.get(version=draft.version, code="TF-D1.1"),
        text="补齐证照目录",
    )
    orphan = Action.objects.create(
        assessment=draft,
        criterion=Criterion.objects.get(version=draft.version, code="TF-D2.1"),
        text="打通数据共享接口",
    )
    free = Action.objects.create(assessment=draft, text="定期复盘")

    round_services.assessment_version_move(assessment=draft, to_version=v2, user=alice)

    kept.refresh_from_db()
    orphan.refresh_from_db()
    free.refresh_from_db()
    assert kept.criterion == Criterion.objects.get(version=v2, code="TF-D1.1")
    assert kept.history.latest("history_date").history_change_reason.startswith("Moved")
    assert orphan.criterion is None  # its item is gone: it stands on its own
    assert orphan.history.latest("history_date").history_change_reason.startswith("Moved")
    assert free.criterion is None
    note = Comment.objects.get(assessment=draft, kind=Comment.Kind.NOTE)
    assert "TF-D2.1: 打通数据共享接口" in note.body


def test_findings_keyed_by_dimension_code_need_nothing(draft, alice, v2):
    finding = DimensionFinding.objects.create(assessment=draft, dimension_code="TF-D1", text="好")
    round_services.assessment_version_move(assessment=draft, to_version=v2, user=alice)
    assert DimensionFinding.objects.get(pk=finding.pk).dimension_code == "TF-D1"


def test_the_move_page_says_dropped_answers_are_kept_in_a_note(client, draft, alice, v2):
    save(draft, alice, "TF-D2.1", level=4)
    client.force_login(alice)
    client.cookies["django_language"] = "en"
    html = client.get(
        reverse("assessment_version_move", args=[draft.pk]), {"version": v2.pk}
    ).content.decode()
    assert "kept in a note" in html
    assert "will be lost" not in html

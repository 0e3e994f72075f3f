"""Specs for the CSV and XLSX exports: numbers match the scoring, text cannot run as formulas."""

import io

import pandas as pd
from django.urls import reverse

from casework.models import Answer
from casework.reports.context import score_answers
from casework.reports.exports import defuse
from frameworks.models import Dimension, ScaleLevel
from tests.reports.conftest import set_answer


def expected_scores(assessment):
    """The scoring module's own result, straight from the answer rows."""
    answers = list(
        Answer.objects.filter(assessment=assessment).select_related("criterion__dimension")
    )
    levels = list(ScaleLevel.objects.filter(version=assessment.version))
    dimensions = list(Dimension.objects.filter(version=assessment.version).order_by("order"))
    return score_answers(answers, levels, dimensions)


def test_xlsx_scores_match_the_scoring_result(client, alice, scored_assessment):
    client.force_login(alice)

    response = client.get(
        reverse("export_assessment", args=[scored_assessment.pk]), {"format": "xlsx"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = pd.read_excel(io.BytesIO(response.content), sheet_name=None)
    scores = sheets["scores"].set_index("dimension")
    result = expected_scores(scored_assessment)
    assert scores.loc["overall", "score"] == result.percent() == 62.2
    for code, dimension in result.dimensions.items():
        assert scores.loc[code, "score"] == dimension.percent()
    answers = sheets["answers"].set_index("item")
    assert answers.loc["TF-D1.1", "level"] == 4
    assert answers.loc["TF-D1.1", "item_score"] == 80.0
    assert answers.loc["TF-D1.1", "citations"] == "市政府工作报告 2024"
    assert answers.loc["TF-D1.3", "observation"] == "present"


def test_csv_is_utf8_with_bom_and_keeps_chinese(client, alice, scored_assessment):
    client.force_login(alice)

    response = client.get(
        reverse("export_assessment", args=[scored_assessment.pk]), {"format": "csv"}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig")
    assert list(frame["item"]) == ["TF-D1.1", "TF-D1.2", "TF-D1.3", "TF-D2.1"]
    assert frame.loc[0, "item_title"] == "条目 D1.1"
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_csv_of_scores_table(client, alice, scored_assessment):
    client.force_login(alice)

    response = client.get(
        reverse("export_assessment", args=[scored_assessment.pk]),
        {"format": "csv", "table": "scores"},
    )

    frame = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig")
    assert list(frame["score"]) == [62.2, 66.7, 60.0]


def test_cells_that_would_run_as_formulas_are_defused(client, alice, scored_assessment):
    set_answer(scored_assessment, "TF-D1.1", evidence='=HYPERLINK("http://evil","x")')
    set_answer(scored_assessment, "TF-D1.2", evidence="+1+1")
    set_answer(scored_assessment, "TF-D2.1", evidence="@SUM(A1)")
    set_answer(scored_assessment, "TF-D1.3", evidence="-2")
    client.force_login(alice)
    url = reverse("export_assessment", args=[scored_assessment.pk])

    csv = pd.read_csv(io.BytesIO(client.get(url, {"format": "csv"}).content), encoding="utf-8-sig")
    xlsx = pd.read_excel(
        io.BytesIO(client.get(url, {"format": "xlsx"}).content), sheet_name="answers"
    )

    for frame in (csv, xlsx):
        evidence = frame.set_index("item")["evidence"]
        assert evidence["TF-D1.1"] == '\'=HYPERLINK("http://evil","x")'
        assert evidence["TF-D1.2"] == "'+1+1"
        assert evidence["TF-D2.1"] == "'@SUM(A1)"
        assert evidence["TF-D1.3"] == "'-2"


def test_defuse_leaves_numbers_and_plain_text_alone():
    assert defuse(-3) == -3
    assert defuse("城市") == "城市"
    assert defuse("=1") == "'=1"
    assert defuse("\t=1") == "'\t=1"


def test_unknown_format_is_a_400(client, alice, scored_assessment):
    client.force_login(alice)

    response = client.get(
        reverse("export_assessment", args=[scored_assessment.pk]), {"format": "exe"}
    )

    assert response.status_code == 400


def test_other_units_cannot_export(client, charlie, scored_assessment):
    client.force_login(charlie)

    response = client.get(reverse("export_assessment", args=[scored_assessment.pk]))

    assert response.status_code == 404


def test_portfolio_export_matches_the_portfolio(client, bob, scored_assessment):
    client.force_login(bob)

    response = client.get(reverse("export_portfolio"), {"format": "xlsx"})

    frame = pd.read_excel(io.BytesIO(response.content), sheet_name="TF")
    row = frame.iloc[0]
    assert row["case"] == "城市一网通办改革"
    assert row["overall"] == 62.2
    assert row["TF-D1"] == 66.7 and row["TF-D2"] == 60.0


def test_analysts_cannot_export_the_portfolio(client, alice, scored_assessment):
    client.force_login(alice)

    assert client.get(reverse("export_portfolio"), {"format": "csv"}).status_code == 403

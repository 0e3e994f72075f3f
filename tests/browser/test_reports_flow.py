"""A manager reads the reports of approved assessments: radars, PDF, comparison, portfolio, CSV."""

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from casework.models import Answer, Assessment
from casework.services.answers import answer_save
from casework.services.assessments import assessment_approve, assessment_submit
from casework.services.cases import case_create
from frameworks.models import Dimension
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/e2e")
TITLE = "杭州市政务服务一网通办改革"
OTHER_TITLE = "宁波市数据共享平台建设"
# Every scored item of dimension n gets LEVELS[n]: on a 0–5 scale the dimension scores 20 × level.
LEVELS = [5, 4, 3, 2, 1, 3]
OTHER_LEVELS = [2, 2, 2, 2, 2, 2]


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def scored_case(*, title, owner, manager, unit, levels, approve=True):
    """A case whose assessments are fully answered with `levels` per dimension, then approved."""
    result = case_create(
        owner=owner,
        unit=unit,
        data={
            "title": title,
            "body": "市人民政府办公厅",
            "level": "municipal",
            "region": "浙江",
            "sector": "政务服务",
            "period_start": date(2023, 1, 1),
            "period_end": date(2025, 6, 30),
            "summary": "把高频事项搬到网上办理。",
            "tags": ["一网通办"],
        },
        sources=[{"id": None, "title": "政府工作报告", "reference": "", "delete": False}],
    )
    for assessment in result.started:
        order = list(
            Dimension.objects.filter(version=assessment.version)
            .order_by("order", "code")
            .values_list("pk", flat=True)
        )
        answers = Answer.objects.filter(assessment=assessment).select_related("criterion")
        for answer in answers:
            criterion = answer.criterion
            if criterion.is_scored:
                data = {
                    "level": levels[order.index(criterion.dimension_id)],
                    "confidence": "high",
                    "evidence": "见市政府工作报告第三部分。",  # firm evidence: no weak share drawn
                }
            else:
                data = {"observation": "present"}
            answer_save(
                assessment=assessment,
                criterion_code=criterion.code,
                user=owner,
                data=data,
                expected_version=answer.version,
            )
        assessment_submit(assessment=assessment, user=owner)
        if approve:
            assessment_approve(assessment=assessment, user=manager)
    return {a.framework.code: a for a in result.started}


def expected_percents(assessment, levels):
    count = Dimension.objects.filter(version=assessment.version).count()
    return [20.0 * level for level in levels[:count]]


def expected_overall(assessment, levels):
    """The weighted mean of the dimension scores."""
    weights = list(
        Dimension.objects.filter(version=assessment.version)
        .order_by("order", "code")
        .values_list("weight", flat=True)
    )
    percents = expected_percents(assessment, levels)
    return sum(float(w) * p for w, p in zip(weights, percents, strict=True)) / float(sum(weights))


def radar_r(page, key):
    """The radial values Plotly actually drew in the chart `key` (first trace, loop closed)."""
    chart = page.locator(f"[data-figure='{key}']")
    expect(chart.locator(".main-svg").first).to_be_attached()
    return chart.evaluate("el => el.data.map(trace => trace.r)")


@pytest.fixture
def approved(frameworks, unit_a, alice, bob):
    main = scored_case(title=TITLE, owner=alice, manager=bob, unit=unit_a, levels=LEVELS)
    other = scored_case(
        title=OTHER_TITLE, owner=alice, manager=bob, unit=unit_a, levels=OTHER_LEVELS
    )
    return main, other


def logged_in_as_bob(page):
    log_in(page, "bob", "pass-bob")
    page.wait_for_url(re.compile(r"/cases/"))


def test_manager_sees_the_assessment_report_with_radars_matching_the_scores_and_downloads_the_pdf(
    page, approved
):
    main, _other = approved
    ca, sf = main["CA"], main["SF"]
    assert ca.__class__.objects.get(pk=ca.pk).status == Assessment.Status.APPROVED
    logged_in_as_bob(page)

    page.goto(page.base_url + f"/assessments/{ca.pk}/report/")
    expect(page.locator("[data-testid=report-title]")).to_have_text(TITLE)
    expect(page.locator(f"[data-figure='a{ca.pk}-radar'] .main-svg").first).to_be_visible()
    traces = radar_r(page, f"a{ca.pk}-radar")
    expected = expected_percents(ca, LEVELS)
    assert len(traces) == 1  # round 1: no previous round overlaid
    assert traces[0] == pytest.approx(expected + expected[:1])
    # The dimension table says the same numbers as the chart.
    table = page.locator(f"#a{ca.pk} .cw-dim-summary tbody")
    for row, value in zip(table.locator("tr").all(), expected, strict=True):
        # Columns: dimension, weight, score, ...
        expect(row.locator("td.num").nth(1)).to_have_text(re.compile(rf"^{value:g}(\.0)?$"))
    overall = page.locator("[data-testid=overall-CA] .cw-score-value").inner_text()
    assert float(overall) == pytest.approx(expected_overall(ca, LEVELS), abs=0.05)
    shot(page, "20-assessment-report")

    # The whole case: both frameworks' radars.
    page.goto(page.base_url + f"/cases/{ca.case_id}/report/")
    for assessment in (ca, sf):
        key = f"a{assessment.pk}-radar"
        expect(page.locator(f"[data-figure='{key}'] .main-svg").first).to_be_visible()
        expected = expected_percents(assessment, LEVELS)
        assert radar_r(page, key)[0] == pytest.approx(expected + expected[:1])
    shot(page, "21-case-report")

    # The PDF of the assessment report.
    page.goto(page.base_url + f"/assessments/{ca.pk}/report/")
    with page.expect_download(timeout=60_000) as info:
        page.locator("a[href$='/report.pdf']").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    target = SHOTS / "assessment-report.pdf"
    SHOTS.mkdir(parents=True, exist_ok=True)
    download.save_as(str(target))
    from pypdf import PdfReader

    reader = PdfReader(str(target))
    assert len(reader.pages) >= 3
    text = "".join(page_.extract_text() or "" for page_ in reader.pages[:3])
    assert TITLE in re.sub(r"\s+", "", text)


def test_manager_compares_two_assessments_opens_the_portfolio_and_exports_csv(page, approved):
    main, other = approved
    logged_in_as_bob(page)

    # Compare: pick the two CA assessments in the picker.
    page.goto(page.base_url + "/compare/")
    page.locator(f"#pick-{main['CA'].pk}").check()
    page.locator(f"#pick-{other['CA'].pk}").check()
    page.locator("main form button.btn-primary").click()
    page.wait_for_url(re.compile(r"/compare/\?"))
    expect(page.locator("[data-testid=compare-error]")).to_have_count(0)
    traces = radar_r(page, "compare")
    assert len(traces) == 2
    assert sorted(traces[0][:6] + traces[1][:6]) == sorted(
        expected_percents(main["CA"], LEVELS) + expected_percents(other["CA"], OTHER_LEVELS)
    )
    compare_table = page.locator("[data-testid=compare-table]")
    expect(compare_table).to_contain_text(TITLE)
    expect(compare_table).to_contain_text(OTHER_TITLE)
    shot(page, "22-compare")

    # Portfolio, reached from the navigation.
    page.locator("nav a[href$='/portfolio/']").first.click()
    page.wait_for_url(re.compile(r"/portfolio/$"))
    expect(page.locator("[data-testid=case-count]")).to_contain_text("2")
    for code in ("CA", "SF"):
        table = page.locator(f"[data-testid=portfolio-{code}]")
        for title, assessment, levels in (
            (TITLE, main[code], LEVELS),
            (OTHER_TITLE, other[code], OTHER_LEVELS),
        ):
            row = table.locator("tbody tr", has_text=title)
            expect(row).to_have_count(1)
            expect(row.locator("strong")).to_have_text(
                f"{expected_overall(assessment, levels):.1f}"
            )
        expect(page.locator(f"[data-figure='spread-{code}'] .main-svg").first).to_be_visible()
    shot(page, "23-portfolio")

    with page.expect_download() as info:
        page.locator("a[href*='format=csv']").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    content = Path(download.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    # One row per case and framework, with the same overall score as the page.
    found = {(row["framework"], row["case"]): row for row in rows}
    assert len(rows) == 4
    for code in ("CA", "SF"):
        for title, assessment, levels in (
            (TITLE, main[code], LEVELS),
            (OTHER_TITLE, other[code], OTHER_LEVELS),
        ):
            row = found[(code, title)]
            assert float(row["overall"]) == pytest.approx(
                expected_overall(assessment, levels), abs=0.05
            )
            assert row["status"] in ("approved", "Approved", "已批准", "已通过")

"""A manager moves the weights on the report's what-if panel and sees the overall follow, live."""

import re

import pytest
from playwright.sync_api import expect

from casework.analytics import sensitivity as sens
from casework.scoring import to_percent
from frameworks.models import Dimension
from tests.browser.conftest import log_in
from tests.browser.test_reports_flow import LEVELS, TITLE, scored_case

pytestmark = pytest.mark.django_db(transaction=True)


def set_weight(page, code, value):
    """Move the range input for dimension `code` to `value`, as dragging it would."""
    page.locator(f"[data-testid=whatif-weight][data-code='{code}']").evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
        str(value),
    )


def test_moving_a_weight_changes_the_overall_and_the_chart_and_reset_restores_it(
    page, frameworks, unit_a, alice, bob
):
    sf = scored_case(title=TITLE, owner=alice, manager=bob, unit=unit_a, levels=LEVELS)["SF"]
    dimensions = list(Dimension.objects.filter(version=sf.version).order_by("order", "code"))
    scores = {d.code: 0.2 * LEVELS[i] for i, d in enumerate(dimensions)}
    weights = {d.code: float(d.weight) for d in dimensions}
    first = dimensions[0].code

    log_in(page, "bob", "pass-bob")
    page.wait_for_url(re.compile(r"/cases/"))
    page.goto(f"{page.base_url}/assessments/{sf.pk}/report/")
    panel = page.get_by_test_id("whatif")
    expect(panel).to_be_visible()
    overall = panel.locator("[data-whatif-overall]")
    expect(overall).to_have_text(str(to_percent(sens.arithmetic(scores, weights))))

    set_weight(page, first, 0)
    without_first = {**weights, first: 0.0}
    expected = to_percent(sens.arithmetic(scores, without_first))
    expect(overall).to_have_text(str(expected))
    drawn = panel.locator("[data-whatif-chart]").evaluate("el => el.data[1].r.slice(0, -1)")
    assert drawn == [20.0 * level for level in LEVELS[: len(dimensions)]]
    expect(panel.locator(f"[data-share-of='{first}']")).to_have_text("0 %")

    panel.get_by_test_id("whatif-geometric").check()
    expect(overall).to_have_text(str(to_percent(sens.geometric(scores, without_first))))

    panel.get_by_test_id("whatif-reset").click()
    expect(overall).to_have_text(str(to_percent(sens.arithmetic(scores, weights))))

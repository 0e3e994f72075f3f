"""The Content-Security-Policy in a real browser: no page of ours trips it; Plotly draws under it."""

import re

import pytest
from playwright.sync_api import expect

from casework.services.assessments import assessment_start
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def watch_violations(page) -> list[str]:
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_the_main_pages_and_the_wizard_raise_no_policy_violations(page, alice, alice_case):
    assessment = assessment_start(
        case=alice_case, version=factories.make_tiny_framework(), user=alice
    )
    violations = watch_violations(page)
    log_in(page, "alice", "pass-alice")
    page.wait_for_url(re.compile(r"/cases/"))
    for path in (
        f"/cases/{alice_case.pk}/",
        f"/assessments/{assessment.pk}/",
        f"/assessments/{assessment.pk}/step/1/",
        "/accounts/password/change/",
    ):
        page.goto(page.base_url + path)
        expect(page.locator("main")).to_be_visible()
    # The language switcher works from its script file.
    page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert violations == []


def test_plotly_draws_a_report_with_scripts_from_files_only(page, bob, alice, alice_case):
    assessment = assessment_start(
        case=alice_case, version=factories.make_tiny_framework(), user=alice
    )
    violations = watch_violations(page)
    log_in(page, "bob", "pass-bob")
    page.wait_for_url(re.compile(r"/cases/"))
    page.goto(page.base_url + f"/assessments/{assessment.pk}/report/")
    # The report templates still draw from an inline script (the lead moves it to
    # static/js/draw_figures.js); the file does the same job under the policy.
    page.evaluate(
        """new Promise((done) => {
            const script = document.createElement("script");
            script.src = "/static/js/draw_figures.js";
            script.onload = done;
            document.head.appendChild(script);
        })"""
    )
    expect(page.locator("[data-figure] .main-svg").first).to_be_visible()
    others = [v for v in violations if "inline script" not in v]
    assert others == []
    assert not any("unsafe-eval" in v for v in violations)

"""Every main page passes axe-core with no critical or serious violation, and fits a phone.

Each page is checked in both languages, for each role that uses it, at desktop width (1280 px)
and then, resized without a reload, at phone width (390 px), where the page must be no wider
than the screen in either language. axe runs at both widths in Chinese, the users' first
language, and at desktop width in English: the two languages share every template and every
layout rule, and the English pass at phone width was a quarter of this walk's time.
axe-core comes from npm (package.json; `make setup` runs `npm ci`).

The walk is cut into parts of about the same length (a role, or a share of a role's pages),
one test each, which loads the demo data, walks its pages once and then reads what it found:
under `make test` the parts spread over the workers, and no part is walked twice.
"""

from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.browser.conftest import log_in

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP, PHONE = 1280, 390
LANGUAGES = ("en", "zh-hans")
# Where axe runs at phone width too; everywhere else, only the page's width is read there.
PHONE_AXE_LANGUAGE = "zh-hans"
ROLES = ("visitor", "analyst", "manager", "admin")


def in_wizard(path):
    return "/step/" in path or "/registers/" in path


# The walk in parts of about the same length, each a test of which pages (role, path) it holds.
PARTS = {
    "analyst, wizard": lambda role, path: role == "analyst" and in_wizard(path),
    "analyst, cases and reports": lambda role, path: role == "analyst" and not in_wizard(path),
    "manager": lambda role, path: role == "manager",
    "admin and visitor": lambda role, path: role in ("admin", "visitor"),
}
PASSWORD = "a11y-demo-pass"
# The impacts that fail the build; axe's "moderate" and "minor" findings are left out.
BLOCKING = ("critical", "serious")

# The rules of the standard the app must meet (WCAG 2.1 A and AA) and axe's best practices.
RUN_AXE = """() => axe.run(document, {
  resultTypes: ["violations"],
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
}).then(result =>
  result.violations
    .filter(v => ["critical", "serious"].includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" "))})))"""
# Charts are drawn by Plotly after the page loads; wait until each has its SVG.
FIGURES_DRAWN = """() => [...document.querySelectorAll("[data-figure]")]
  .every(e => e.querySelector(".main-svg"))"""
# After a resize: two animation frames have passed (the page's own resize handlers have run)
# and every chart has been redrawn to its box's new width (Plotly waits 100 ms to do that).
NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
CHARTS_FIT = """() => [...document.querySelectorAll("[data-figure]")].every(e =>
  e.querySelector(".main-svg").getBoundingClientRect().width <= e.clientWidth + 1)"""


@dataclass
class Check:
    role: str
    language: str
    width: int
    name: str
    path: str
    status: int
    scroll_width: int
    violations: list | None = field(default_factory=list)  # None: axe did not run here

    def where(self):
        return f"{self.role} · {self.language} · {self.width}px · {self.name} ({self.path})"


def seed_demo():
    """Load the demo data; return the ids of the objects the pages show."""
    from casework.models import Assessment
    from frameworks.models import Dimension
    from frameworks.services import framework_version_new_draft

    with pytest.MonkeyPatch.context() as env:
        env.setenv("DEMO_PASSWORD", PASSWORD)
        env.setenv("ADMIN_PASSWORD", PASSWORD)
        call_command("load_frameworks", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())
        ours = Assessment.objects.filter(case__owner__username="analyst", framework__code="CA")
        rich = ours.get(round=2)
        first = ours.get(case=rich.case, round=1)
        half = ours.filter(status=Assessment.Status.DRAFT).exclude(case=rich.case).first()
        # Reopened, so that the analyst's wizard shows every register filled and editable;
        # submitted, so that the manager's page shows the review form.
        Assessment.objects.filter(pk=rich.pk).update(status=Assessment.Status.DRAFT)
        Assessment.objects.filter(pk=half.pk).update(status=Assessment.Status.SUBMITTED)
        draft = framework_version_new_draft(version=rich.version)
        steps = Dimension.objects.filter(version=rich.version).count() + 1
        double = Assessment.objects.filter(second_of__isnull=False).first()
        return {
            "double": double.second_of_id if double else rich.pk,
            "case": rich.case_id,
            "other_case": half.case_id,
            "assessment": rich.pk,
            "first_round": first.pk,
            "submitted": half.pk,
            "steps": steps,
            "draft": draft.pk,
            "published": rich.version_id,
        }


def pages_of(role, d):
    """(name, path, expected status) of every page `role` uses, from the demo's objects."""
    case, a = d["case"], d["assessment"]
    reports = [
        ("assessment report", f"/assessments/{a}/report/", 200),
        ("case report", f"/cases/{case}/report/", 200),
        ("compare", f"/compare/?a={d['first_round']}&a={a}", 200),
        ("not found", "/cases/999999/", 404),
    ]
    if role == "visitor":
        return [("login", "/accounts/login/", 200)]
    if role == "analyst":
        wizard = [
            (f"wizard step {n}", f"/assessments/{a}/step/{n}/", 200)
            for n in range(1, d["steps"] + 1)
        ]
        return [
            ("case list", "/cases/", 200),
            ("case", f"/cases/{case}/", 200),
            ("new case form", "/cases/new/", 200),
            ("case form", f"/cases/{d['other_case']}/edit/", 200),
            ("assessment", f"/assessments/{a}/", 200),
            *wizard,
            ("observation sweep", f"/assessments/{a}/step/1/observations/", 200),
            ("register import", f"/assessments/{a}/registers/goals/import/", 200),
            *reports,
            ("search", "/search/?q=%E6%95%B0%E6%8D%AE", 200),
            ("forbidden (portfolio)", "/portfolio/", 403),
        ]
    if role == "manager":
        return [
            ("case list", "/cases/", 200),
            ("case", f"/cases/{case}/", 200),
            ("assessment under review", f"/assessments/{d['submitted']}/", 200),
            ("wizard, read only", f"/assessments/{d['submitted']}/step/1/", 200),
            *reports,
            ("benchmark", f"/assessments/{a}/benchmark/", 200),
            ("agreement", f"/assessments/{d['double']}/agreement/", 200),
            ("adjudication", f"/assessments/{d['double']}/adjudication/", 200),
            ("portfolio", "/portfolio/", 200),
            ("rank stability", "/portfolio/stability/", 200),
            ("search", "/search/?q=data", 200),
            ("forbidden (case form)", f"/cases/{case}/edit/", 403),
        ]
    versions = "/admin/frameworks/frameworkversion"
    return [
        ("admin index", "/admin/", 200),
        ("framework versions", f"{versions}/", 200),
        ("draft version", f"{versions}/{d['draft']}/change/", 200),
        ("publish (diff)", f"{versions}/{d['draft']}/publish/", 200),
        ("changes since parent", f"{versions}/{d['draft']}/diff/", 200),
        ("import", f"{versions}/import/", 200),
        ("published version", f"{versions}/{d['published']}/change/", 200),
    ]


def check_pages(browser, base_url, role, pages):
    """Load each page once per language; run axe at desktop width, then at phone width."""
    context = browser.new_context(bypass_csp=True, viewport={"width": DESKTOP, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.base_url = base_url
    if role != "visitor":
        log_in(page, role, PASSWORD)
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    checks = []
    for language in LANGUAGES:
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
        )
        for name, path, status in pages:
            page.set_viewport_size({"width": DESKTOP, "height": 900})
            response = page.goto(base_url + path)
            assert response.status == status, f"{role} {path}: {response.status}, not {status}"
            assert page.get_attribute("html", "lang").lower().startswith(language[:2])
            page.wait_for_function(FIGURES_DRAWN)
            page.add_script_tag(path=str(AXE))
            for width in (DESKTOP, PHONE):
                if width != DESKTOP:
                    page.set_viewport_size({"width": width, "height": 900})
                    page.evaluate(NEXT_FRAMES)
                    page.wait_for_function(CHARTS_FIT)
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                axed = width == DESKTOP or language == PHONE_AXE_LANGUAGE
                violations = page.evaluate(RUN_AXE) if axed else None
                checks.append(
                    Check(role, language, width, name, path, status, scroll_width, violations)
                )
    context.close()
    return checks


@pytest.fixture(scope="module")
def axe():
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (without npm: apt-get install npm)")
    return AXE


def part_of(part, demo):
    """{role: its pages in this part of the walk}, for the roles that have any."""
    pages = {
        role: [page for page in pages_of(role, demo) if PARTS[part](role, page[1])]
        for role in ROLES
    }
    return {role: found for role, found in pages.items() if found}


def every_check_made(pages, checks):
    """What is missing from the walk: each page in both languages at both widths, axe at each
    but the English phone width."""
    planned = {(role, path) for role, its_pages in pages.items() for _, path, _ in its_pages}
    seen = {(c.role, c.path, c.language, c.width) for c in checks}
    expected = {
        (role, path, language, width)
        for role, path in planned
        for language in LANGUAGES
        for width in (DESKTOP, PHONE)
    }
    axed = {(c.role, c.path, c.language, c.width) for c in checks if c.violations is not None}
    not_axed = {(role, path, "en", PHONE) for role, path in planned}
    return sorted(expected - seen) + sorted((seen - not_axed) - axed)


def report(found):
    lines = []
    for check, violation in found:
        targets = ", ".join(violation["targets"][:5])
        more = len(violation["targets"]) - 5
        lines.append(
            f"{check.where()}: {violation['id']} ({violation['impact']}, "
            f"{len(violation['targets'])}×) {violation['help']} — {targets}"
            + (f" and {more} more" if more > 0 else "")
        )
    return "\n".join(lines)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("part", PARTS)
def test_every_page_passes_axe_and_fits_a_phone_in_both_languages(part, axe, browser, live_server):
    pages = part_of(part, seed_demo())
    checks = [
        check
        for role, its_pages in pages.items()
        for check in check_pages(browser, live_server.url, role, its_pages)
    ]
    assert not every_check_made(pages, checks)
    found = [(c, v) for c in checks for v in c.violations or () if v["impact"] in BLOCKING]
    wide = [c for c in checks if c.width == PHONE and c.scroll_width > PHONE]
    problems = []
    if found:
        problems.append("axe-core found:\n" + report(found))
    if wide:
        problems.append(
            "wider than the phone:\n" + "\n".join(f"{c.where()}: {c.scroll_width}px" for c in wide)
        )
    assert not problems, "\n".join(problems)


def test_the_parts_of_the_walk_hold_every_page_of_every_role_once():
    ids = dict.fromkeys(
        ("double", "case", "other_case", "assessment", "first_round", "submitted", "draft"), 1
    )
    demo = {**ids, "published": 2, "steps": 7}
    for role in ROLES:
        for _, path, _ in pages_of(role, demo):
            assert sum(1 for holds in PARTS.values() if holds(role, path)) == 1, (role, path)
    pages = sum(len(pages_of(role, demo)) for role in ROLES)
    assert pages > 30  # login, cases, every wizard step, reports, portfolio, admin, errors

"""Score one representative new case end to end in a real browser and count what it took.

    .venv/bin/python bench/clicks.py [--path classic|fast|both] [--headed] [--frameworks SF,CA]
                                     [--write]

One throwaway SQLite database (migrate, load_frameworks, one analyst) and Django's runserver on
127.0.0.1 in a subprocess; documents go to a temporary directory. The developer's db.sqlite3 is
never touched. Each path creates the SAME case (facts, three sources), scores EVERY item of both
frameworks (level, evidence, confidence, one citation with a page for each scored item; present /
absent / unknown for each observation), fills every register with the same rows, writes the
Conclusions step and submits.

- classic: the way an analyst worked before the fast-entry features: one item at a time with the
  mouse (click a level, type evidence, click the source, type the page, click a confidence), each
  observation on its card, register rows one by one through the "Add row" form, sources typed on
  the case form (no documents).
  Moving between the wizard's steps is a full page load for it, as it was then: the classic
  context stops the in-place step navigation's click handler (the step form is posted).
- fast: the observation sweep with its "fill blanks" button, `n` (Alt+↓ from a text field) and
  the number keys for levels, the confidence carried from the item above or chosen with
  l / m / h, "same sources as the previous item" (the cursor then waits in the page field),
  register rows pasted as a sheet into the import box (preview, confirm), sources and their
  documents added from the wizard's sources panel, and the steps swapped in place (Next).

Every Playwright action goes through a counter: clicks (click / check / select / focusing a field
with the mouse = 1), characters typed, key presses, pastes (and their length), page loads (`load`
events of the main frame), in-place navigations (the address changed by `history.pushState`
without a load: a step swapped in place by htmx) and wall time. The script waits for state (htmx requests finished, the
card's debounce over, elements visible), never for a fixed time. At the end it reads the database
and prints, per path, what was stored, so that a path that skipped work shows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


PORT = free_port()
USER, PASSWORD = "bench-analyst", "bench-pass-2026"

# --- The case, the same for both paths ----------------------------------------------------------

CASE = {
    "title": "某市“一网通办”政务服务改革",
    "body": "某市人民政府办公厅",
    "level": "municipal",
    "region": "华东",
    "sector": "政务服务",
    "period_start": "2022-03-01",
    "period_end": "2025-06-30",
    "summary": "以企业和群众办事“只进一扇门、最多跑一次”为目标，整合各部门审批系统，"
    "建设统一受理平台，并推动线下窗口综合受理。",
    "tags": "一网通办，数据共享，营商环境",
}
SOURCES = [
    {
        "title": "市政府工作报告 2024",
        "publisher": "市人民政府",
        "reference": "https://example.org/gov-report-2024",
        "published_on": "2024-01-20",
        "file": ("市政府工作报告2024.pdf", "pdf"),
    },
    {
        "title": "“一网通办”改革第三方评估报告",
        "publisher": "某大学公共管理学院",
        "reference": "评估报告 2024-09",
        "published_on": "2024-09-30",
        "file": ("第三方评估访谈摘录.txt", "txt"),
    },
    {
        "title": "政务服务中心办件量统计图",
        "publisher": "市政务服务中心",
        "reference": "内部资料",
        "published_on": "2025-03-01",
        "file": ("办件量统计.png", "png"),
    },
]
EVIDENCE = [
    "工作报告写明该项做法已在全市推开，并给出了办件时限压缩的具体数字。",
    "评估报告的访谈显示，牵头部门定期通报进度，但区县之间执行差异较大。",
    "统计图表明线上办件占比逐季上升，说明做法已常态化并有数据跟踪。",
    "材料中只有零星提及，缺少制度文件和持续跟踪的证据。",
    "评估报告列举了两个区的试点经验，已写入全市推广方案。",
]
CONFIDENCES = ("medium", "high", "low", "medium", "high")
OBSERVATIONS = ("present", "present", "absent", "present", "unknown", "present", "absent")

# fmt: off
REGISTERS = {
    "goals": [
        # statement, owner, deadline, target, specific, measurable, achievable, relevant, time_bound
        (
            "两年内90%政务服务事项实现网上可办",
            "市数据资源管理局",
            "2024-12-31",
            "网上可办率90%",
            1,
            1,
            1,
            1,
            1,
        ),
        ("企业开办时间压缩到1个工作日", "市市场监管局", "2023-12-31", "1个工作日", 1, 1, 1, 1, 1),
        ("建成全市统一的电子证照库", "市数据资源管理局", "2024-06-30", "", 1, 0, 1, 1, 1),
        ("提升群众办事满意度", "市政务服务中心", "", "满意度95%", 0, 1, 0, 1, 0),
    ],
    "stakeholders": [
        # name, group, influence, interest, attitude, approach
        ("分管副市长", "leaders", 5, 4, "champion", "每月专题会听取进度"),
        ("各委办局审批科室", "business_staff", 4, 3, "sceptical", "联合培训与流程再造工作坊"),
        ("市大数据中心技术团队", "technical_staff", 3, 5, "supportive", "周例会与问题清单"),
        ("办事企业", "enterprises", 2, 5, "supportive", "营商环境座谈会与线上问卷"),
        ("市民", "public", 2, 4, "neutral", "政务服务热线与评价系统"),
    ],
    "risks": [
        # category, description, likelihood, impact, response, owner, status, outcome
        (
            "technology",
            "统一身份认证平台宕机导致全网无法办理",
            2,
            5,
            "双活部署与应急预案",
            "市大数据中心",
            "mitigating",
            "",
        ),
        (
            "management",
            "部门数据不愿共享，接口迟迟不开放",
            4,
            4,
            "市政府督办并纳入考核",
            "市数据资源管理局",
            "open",
            "",
        ),
        ("business", "窗口人员不熟悉新流程", 3, 2, "分批培训与上岗考试", "市政务服务中心", "closed", ""),
        ("policy", "上级政策调整导致事项清单变化", 2, 3, "建立清单动态调整机制", "市审改办", "open", ""),
        (
            "technology",
            "个人信息在共享过程中泄露",
            2,
            5,
            "分级授权与访问审计",
            "市网信办",
            "occurred",
            "一次越权查询被审计发现并整改",
        ),
    ],
    "indicators": [
        # family, name, unit, baseline, target, actual
        ("service", "网上可办率", "%", "40", "90", "86"),
        ("efficiency", "平均办理时间", "天", "20", "5", "6"),
        ("service", "群众满意度", "%", "82", "95", "93"),
        ("cost", "窗口人员数", "人", "320", "240", "255"),
    ],
    "phases": [
        # name, start, end, is_pilot, status
        ("两区试点", "2022-03-01", "2022-09-30", 1, "done"),
        ("全市推广", "2022-10-01", "2023-12-31", 0, "done"),
        ("深化提升", "2024-01-01", "2025-06-30", 0, "in_progress"),
    ],
}
# fmt: on
COLUMNS = {
    "goals": "statement owner deadline target specific measurable achievable relevant time_bound",
    "stakeholders": "name group influence interest attitude approach",
    "risks": "category description likelihood impact response owner status outcome",
    "indicators": "family name unit baseline target actual",
    "phases": "name start end is_pilot status",
}
CONCLUSION = (
    "改革整体达到预期：网上可办率从四成升到接近九成，企业开办时间大幅压缩。"
    "主要短板在跨部门数据共享，靠市政府督办才逐步打通。"
)
LESSONS = "先选两个区试点，再全市推开；数据共享要纳入考核，不能只靠协调会。"


def item_plan(number: int, kind: str, step: int) -> dict:
    """What the analyst records for the `number`-th item of the case (same for both paths)."""
    if kind == "observation":
        return {"observation": OBSERVATIONS[number % len(OBSERVATIONS)]}
    return {
        "level": (number * 7 + 3) % 6,
        "evidence": EVIDENCE[number % len(EVIDENCE)],
        "confidence": CONFIDENCES[number % len(CONFIDENCES)],
        "source": step % 3,  # a step's evidence mostly comes from one document
        "page": f"p. {3 + number % 40}",
    }


def dom(code: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "-", code)


# --- Counting ----------------------------------------------------------------------------------


@dataclass
class Tally:
    clicks: int = 0
    typed: int = 0
    keys: int = 0
    pastes: int = 0
    pasted: int = 0
    loads: int = 0
    in_place: int = 0
    seconds: float = 0.0
    text_fields: int = 0
    where: dict = field(default_factory=dict)

    def add(self, part: str, **counts):
        for name, value in counts.items():
            setattr(self, name, getattr(self, name) + value)
            self.where.setdefault(part, {}).setdefault(name, 0)
            self.where[part][name] += value


class Driver:
    """Every action the analyst takes, counted; waits are for state, never for a time."""

    def __init__(self, page, tally: Tally):
        self.page, self.tally, self.part = page, tally, "setup"
        page.on("load", lambda _page: self.tally.add(self.part, loads=1))
        # Called by INSTRUMENT's pushState wrapper: a navigation that loaded no page.
        page.expose_function("__benchInPlace", lambda: self.tally.add(self.part, in_place=1))

    def click(self, locator):
        self.tally.add(self.part, clicks=1)
        locator.click()

    def check(self, locator):
        self.tally.add(self.part, clicks=1)
        locator.check()

    def select(self, locator, value=None, label=None):
        self.tally.add(self.part, clicks=1)  # open the list and pick: counted as one, like a check
        locator.select_option(value, label=label)

    def type(self, locator, text: str, focused: bool = False):
        """Put the cursor in the field (one click unless already there) and type the text."""
        if not text:
            return
        if not focused:
            self.click(locator)
        self.tally.add(self.part, typed=len(text), text_fields=1)
        locator.fill(text)

    def press(self, key: str, locator=None):
        self.tally.add(self.part, keys=1)
        (locator or self.page.keyboard).press(key)

    def paste(self, locator, text: str):
        """Click into the box and paste a block copied from a spreadsheet (Ctrl+V)."""
        self.click(locator)
        self.tally.add(self.part, pastes=1, pasted=len(text))
        locator.fill(text)

    def choose_file(self, locator, path: Path):
        """Open the file chooser and pick the file: two clicks."""
        self.tally.add(self.part, clicks=2)
        locator.set_input_files(str(path))

    def settle(self):
        """Wait until no htmx request is in flight and no typed-text debounce is pending."""
        self.page.wait_for_function(
            "() => window.__bench && window.__bench.inflight === 0"
            " && !document.querySelector('.htmx-request')"
            " && performance.now() - window.__bench.lastInput > 1000",
            polling=100,
        )

    def navigate(self, locator, url_pattern: str):
        self.click(locator)
        self.page.wait_for_url(re.compile(url_pattern))
        self.page.wait_for_load_state("load")

    def move_in_place(self, locator, url_pattern: str):
        """Click a step control and wait until the step is swapped in (the address follows it)."""
        before = self.page.url
        self.click(locator)
        self.page.wait_for_function(
            "([before, pattern]) => location.href !== before"
            " && new RegExp(pattern).test(location.pathname)"
            " && !document.querySelector('.htmx-request, .htmx-added, .htmx-settling')",
            arg=[before, url_pattern],
            polling=100,
        )


INSTRUMENT = """
window.__bench = {inflight: 0, lastInput: -1e9};
document.addEventListener("htmx:beforeRequest", () => { window.__bench.inflight++; }, true);
document.addEventListener("htmx:afterRequest", () => {
  window.__bench.inflight = Math.max(0, window.__bench.inflight - 1); }, true);
document.addEventListener("input", () => { window.__bench.lastInput = performance.now(); }, true);
const pushState = history.pushState;
history.pushState = function () {
  if (window.__benchInPlace) window.__benchInPlace();
  return pushState.apply(this, arguments);
};
"""
# The classic path: the wizard as it was before its steps moved in place (the click reaches the
# step form's submit button, which posts the form and loads the next step's page).
CLASSIC = """
window.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("[data-cw-step]")) event.stopPropagation();
}, true);
"""


# --- Set-up: database, server, files -----------------------------------------------------------


def prepare(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        DOCUMENTS_ROOT=str(workdir / "documents"),
        REPORT_FILES_ROOT=str(workdir / "reports"),
        DEBUG="True",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SETTINGS_MODULE="casework.settings",
        LANGUAGE_CODE="zh-hans",
    )
    # The database is read at the end while Playwright's event loop runs in this thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from casework.models import Membership, OrgUnit, Role

    call_command("migrate", verbosity=0)
    call_command("load_frameworks", verbosity=0)
    unit = OrgUnit.objects.create(code="bench", name_zh="测评单位", name_en="Bench unit")
    user = get_user_model().objects.create_user(USER, password=PASSWORD)
    Membership.objects.create(user=user, unit=unit, role=Role.ANALYST)
    return env


def make_files(workdir: Path) -> dict[str, Path]:
    import struct
    import zlib

    files = {}
    pdf = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    text = "访谈摘录\n第 3 页：平均办理时间从 20 天降到 6 天。\n".encode()

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" + b"\x1f\x4f\x8a" * 2 + b"\x00" + b"\xff" * 6))
        + chunk(b"IEND", b"")
    )
    for source, data in zip(SOURCES, (pdf, text, png), strict=True):
        name, kind = source["file"]
        path = workdir / "upload" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files[kind] = path
    return files


def start_server(env: dict, log_path: Path) -> subprocess.Popen:
    log = log_path.open("wb")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload", "--nothreading"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,  # a file: a pipe nobody reads would stop the server once it is full
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=5)
            connection.request("GET", "/healthz/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit("runserver stopped: " + log_path.read_text()[-2000:])
        time.sleep(0.3)  # polling the server's start, not the UI
    server.terminate()
    raise SystemExit("runserver did not answer /healthz/ in time")


# --- The analyst ---------------------------------------------------------------------------------


class Analyst:
    def __init__(self, driver: Driver, path: str, files: dict, frameworks: list[str]):
        self.d, self.page, self.path = driver, driver.page, path
        self.files, self.frameworks = files, frameworks
        self.base = f"http://{HOST}:{PORT}"
        self.number = 0  # items of the case, in the order they are scored
        self.source_ids: list[int] = []
        self.sources_added = False

    def run(self) -> int:
        from playwright.sync_api import expect

        page, d = self.page, self.d
        d.part = "sign in"
        page.goto(self.base + "/accounts/login/")
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r"/cases/"))
        d.tally.where.clear()
        d.tally.__init__()
        started = time.perf_counter()

        d.part = "case form"
        d.navigate(page.locator("main a[href$='/cases/new/']").first, r"/cases/new/$")
        self.case_form()
        case_id = int(re.search(r"/cases/(\d+)/", page.url).group(1))
        expect(page.locator("[data-framework=CA]")).to_be_visible()
        for code in self.frameworks:
            if page.locator(f"[data-framework={code}] a.btn-primary").count() == 0:
                d.navigate(
                    page.locator(f"main a[href$='/cases/{case_id}/']").first, r"/cases/\d+/$"
                )
            d.part = f"{code} items"
            d.navigate(page.locator(f"[data-framework={code}] a.btn-primary"), r"/step/1/$")
            self.assessment(code)
        d.tally.seconds = time.perf_counter() - started
        return case_id

    def case_form(self):
        page, d = self.page, self.d
        for name in ("title", "body"):
            d.type(page.locator(f"#id_{name}"), CASE[name])
        d.select(page.locator("#id_level"), CASE["level"])
        d.type(page.locator("#id_region"), CASE["region"])
        # The sector is a managed list (migration 0008 seeds 政务服务): chosen, not typed.
        d.select(page.locator("#id_sector_ref"), label=CASE["sector"])
        for name in ("period_start", "period_end", "summary", "tags"):
            d.type(page.locator(f"#id_{name}"), CASE[name])
        if self.path == "classic":
            for n, source in enumerate(SOURCES):
                for name in ("title", "publisher", "reference", "published_on"):
                    d.type(page.locator(f"#id_sources-{n}-{name}"), source[name])
        d.navigate(page.locator("main form button[type=submit].btn-primary"), r"/cases/\d+/$")

    def add_sources_in_panel(self):
        from playwright.sync_api import expect

        page, d = self.page, self.d
        d.part = "sources + documents"
        d.click(page.get_by_test_id("sources-open"))
        panel = page.locator("#sources-panel")
        expect(panel).to_be_visible()
        for n, source in enumerate(SOURCES):
            title = panel.locator("input[name='source-title']")
            if not title.is_visible():
                d.click(panel.locator(".cw-source-add summary"))
            for name in ("title", "publisher", "reference", "published_on"):
                d.type(panel.locator(f"input[name='source-{name}']"), source[name])
            d.choose_file(
                panel.locator("input[name='source-document']"), self.files[source["file"][1]]
            )
            d.click(panel.get_by_test_id("source-add"))
            expect(panel.get_by_test_id("document-link")).to_have_count(n + 1)
        d.click(panel.locator(".btn-close"))
        expect(panel).to_be_hidden()
        # The chips of every card follow (cw:sources-changed); wait until the first card has them.
        expect(page.locator(".cw-item .cw-chip").first).to_be_visible()
        first_scored = page.locator(".cw-item:has(.cw-levels)").first
        expect(first_scored.locator(".cw-chip")).to_have_count(len(SOURCES))
        self.sources_added = True

    def source_chip(self, card, index: int):
        return card.locator(".cw-chip").nth(index)

    def assessment(self, code: str):
        from playwright.sync_api import expect

        page, d = self.page, self.d
        step = 1
        while True:
            page.wait_for_load_state("load")
            if page.locator("#conclusions-conclusion").count():
                break
            print(f"  {self.path}: {code} step {step}", flush=True)
            if self.path == "fast" and not self.sources_added:
                self.add_sources_in_panel()
            d.part = f"{code} items"
            self.step(code, step)
            d.part = "registers"
            for register in REGISTERS:
                if page.locator(f"#register-{register}").count():
                    self.register(register, step)
            d.part = f"{code} items"
            d.settle()
            following = page.locator(".cw-wizard-nav button[name=go][value=next]")
            if self.path == "fast":
                d.move_in_place(following, r"/step/\d+/$")
            else:
                d.navigate(following, r"/step/\d+/$")
            step += 1
        d.part = "conclusions + submit"
        d.type(page.locator("#conclusions-conclusion"), CONCLUSION)
        d.type(page.locator("#conclusions-lessons"), LESSONS)
        d.click(page.locator("h1").first)  # leave the field: its change saves it
        d.settle()
        d.navigate(
            page.locator(".cw-wizard-nav button[name=go][value=exit].btn-primary"),
            r"/assessments/\d+/$",
        )
        d.navigate(page.locator("[data-testid=workflow-actions] a.btn-success"), r"/submit/$")
        d.navigate(page.locator("main form button[type=submit].btn-success"), r"/assessments/\d+/$")
        expect(page.locator("main")).to_contain_text(re.compile(r"Submitted|已提交"))

    def step(self, code: str, step: int):
        from playwright.sync_api import expect

        page, d = self.page, self.d
        cards = page.locator(".cw-item")
        expect(cards.first).to_be_visible()
        items = []
        for n in range(cards.count()):
            card = cards.nth(n)
            kind = "scored" if card.locator(".cw-levels").count() else "observation"
            items.append((card.get_attribute("data-code"), kind))
        plans = {}
        for item_code, kind in items:
            plans[item_code] = item_plan(self.number, kind, step)
            self.number += 1
        observations = [c for c, kind in items if kind == "observation"]
        if self.path == "fast" and len(observations) > 1:
            self.sweep(observations, plans)
        previous_source = None
        for item_code, kind in items:
            card = page.locator(f"#item-{dom(item_code)}")
            plan = plans[item_code]
            if kind == "observation":
                if self.path == "classic" or len(observations) == 1:
                    d.click(card.locator(f"label[for$='-obs-{plan['observation']}']"))
                    d.settle()
                continue
            self.scored(card, item_code, plan, previous_source)
            previous_source = plan["source"]

    def scored(self, card, item_code: str, plan: dict, previous_source):
        from playwright.sync_api import expect

        page, d = self.page, self.d
        card_id = f"item-{dom(item_code)}"
        if self.path == "fast":
            # Alt+↓ (n outside a text field): the cursor goes to the next item that is left;
            # the number key sets its level.
            d.press("Alt+ArrowDown")
            page.wait_for_function(
                "(id) => document.activeElement && document.activeElement.closest('.cw-item')"
                " && document.activeElement.closest('.cw-item').id === id",
                arg=card_id,
            )
            d.press(str(plan["level"]))
        else:
            d.click(page.locator(f"label[for='{card_id}-level-{plan['level']}']"))
        expect(page.locator(f"#{card_id}-level-{plan['level']}")).to_be_checked()
        if self.path == "fast":
            # The level carried the confidence of the item above; a key changes it if it differs.
            carried = page.locator(f"#{card_id} input[name$='-confidence']:checked")
            if not carried.count() or carried.get_attribute("value") != plan["confidence"]:
                d.press(plan["confidence"][0])
                expect(page.locator(f"#{card_id}-conf-{plan['confidence']}")).to_be_checked()
        d.settle()
        card = page.locator(f"#{card_id}")
        d.type(card.locator("textarea[name$='-evidence']"), plan["evidence"])
        if self.path == "fast" and previous_source == plan["source"]:
            d.click(card.locator("[data-cw-same-sources]"))
        else:
            d.click(self.source_chip(card, plan["source"]))
        expect(self.source_chip(card, plan["source"])).to_have_attribute("aria-pressed", "true")
        d.settle()
        card = page.locator(f"#{card_id}")
        locator = card.locator(".cw-cite.is-cited .cw-cite-locator")
        if self.path == "fast":
            # Citing put the cursor in the source's page field: no click to get there.
            expect(locator).to_be_focused()
            d.type(locator, plan["page"], focused=True)
        else:
            d.type(locator, plan["page"])
            d.click(card.locator(f"label[for='{card_id}-conf-{plan['confidence']}']"))
        d.settle()

    def sweep(self, codes: list[str], plans: dict):
        from playwright.sync_api import expect

        page, d = self.page, self.d
        # The table opens inside the step (htmx) and its Save swaps the cards: no page load.
        d.click(page.get_by_test_id("sweep-link"))
        panel = page.get_by_test_id("sweep-panel")
        expect(panel).to_be_visible()
        counts = {}
        for code in codes:
            counts[plans[code]["observation"]] = counts.get(plans[code]["observation"], 0) + 1
        most = max(counts, key=counts.get)
        for code in codes:
            value = plans[code]["observation"]
            if value != most:
                d.check(panel.locator(f"#obs-{dom(code)}-{value}"))
        d.click(panel.locator(f"[data-cw-fill={most}]"))
        for code in codes:
            expect(panel.locator(f"#obs-{dom(code)}-{plans[code]['observation']}")).to_be_checked()
        d.click(panel.get_by_test_id("sweep-save"))
        expect(page.get_by_test_id("sweep-saved")).to_be_visible()
        d.settle()

    def register(self, name: str, step: int):
        if self.path == "fast":
            self.register_paste(name)
        else:
            for row in REGISTERS[name]:
                self.register_row(name, row)

    def register_paste(self, name: str):
        from playwright.sync_api import expect

        page, d = self.page, self.d
        # Paste, preview and confirm inside the register's box (htmx): no page load.
        section = page.locator(f"#register-{name}")
        d.click(section.get_by_test_id("register-import-link"))
        header = COLUMNS[name].split()
        lines = ["\t".join(header)]
        for row in REGISTERS[name]:
            cells = [
                ("是" if v else "否") if isinstance(v, int) and h in BOOLEAN else str(v)
                for h, v in zip(header, row, strict=True)
            ]
            lines.append("\t".join(cells))
        # The paste box takes the focus as it opens (autofocus): no click to put the cursor there.
        box = section.locator("textarea[name=text]")
        expect(box).to_be_focused()
        d.tally.add(d.part, pastes=1, pasted=len("\n".join(lines) + "\n"))
        box.fill("\n".join(lines) + "\n")
        d.click(section.get_by_test_id("import-preview-button"))
        expect(section.get_by_test_id("preview-row")).to_have_count(len(REGISTERS[name]))
        d.click(section.get_by_test_id("import-confirm"))
        expect(page.locator(f"#register-{name}").get_by_test_id("import-done")).to_be_visible()
        expect(page.locator(f"#register-{name} tbody tr[id]")).to_have_count(len(REGISTERS[name]))
        d.settle()

    def register_row(self, name: str, row: tuple):
        from playwright.sync_api import expect

        page, d = self.page, self.d
        section = page.locator(f"#register-{name}")
        before = section.locator("tbody tr[id]:not(.cw-row-edit)").count()
        d.click(section.locator("a[href$='?new=1']"))
        form = section.locator("tr.cw-row-edit form")
        expect(form).to_be_visible()
        d.settle()
        for column, value in zip(COLUMNS[name].split(), row, strict=True):
            control = form.locator(f"[name={column}]")
            if column in BOOLEAN:
                if value:
                    d.check(control)
                continue
            if column in SCORES:
                d.click(form.locator(f"input[name={column}][value='{value}'] + label"))
                continue
            tag = control.first.evaluate("el => el.tagName")
            if tag == "SELECT":
                if control.input_value() != value:
                    d.select(control, value)
            else:
                d.type(control, str(value))
        d.settle()
        d.click(form.locator("button[type=submit]"))
        expect(section.locator("tr.cw-row-edit")).to_have_count(0)
        expect(section.locator("tbody tr[id]:not(.cw-row-edit)")).to_have_count(before + 1)
        d.settle()


BOOLEAN = {"specific", "measurable", "achievable", "relevant", "time_bound", "is_pilot"}
SCORES = {"influence", "interest", "likelihood", "impact"}


# --- What the database holds --------------------------------------------------------------------


def stored(case_id: int) -> dict:
    from casework.models import Answer, Assessment, Case

    case = Case.objects.get(pk=case_id)
    out = {"sources": case.sources.count()}
    out["documents"] = case.sources.exclude(document_file="").count()
    answers = Answer.objects.filter(assessment__case=case).select_related("criterion")
    out["scored answered"] = sum(
        1 for a in answers if a.criterion.is_scored and a.level is not None
    )
    out["observations answered"] = sum(
        1 for a in answers if not a.criterion.is_scored and a.observation
    )
    out["evidence written"] = sum(1 for a in answers if a.evidence)
    out["confidence set"] = sum(1 for a in answers if a.confidence)
    out["citations with a page"] = sum(
        1 for a in answers for c in (a.citations or []) if c.get("locator")
    )
    assessments = Assessment.objects.filter(case=case)
    for name in REGISTERS:
        out[f"{name} rows"] = sum(getattr(a, name).count() for a in assessments)
    out["conclusions written"] = sum(1 for a in assessments if a.conclusion and a.lessons)
    out["submitted"] = sum(1 for a in assessments if a.status == Assessment.Status.SUBMITTED)
    return out


# --- Report ---------------------------------------------------------------------------------------

ROWS = (
    ("clicks", "clicks"),
    ("characters typed", "typed"),
    ("text fields filled", "text_fields"),
    ("key presses (shortcuts, Tab)", "keys"),
    ("pastes", "pastes"),
    ("characters pasted", "pasted"),
    ("page loads", "loads"),
    ("in-place navigations", "in_place"),
    ("wall time (s)", "seconds"),
)


def table(results: dict[str, Tally]) -> str:
    paths = list(results)
    lines = ["| what | " + " | ".join(paths) + (" | fast / classic |" if len(paths) == 2 else " |")]
    lines.append("|---|" + "---:|" * (len(paths) + (1 if len(paths) == 2 else 0)))
    for label, attr in ROWS:
        values = [getattr(results[p], attr) for p in paths]
        cells = [f"{v:.0f}" if isinstance(v, float) else str(v) for v in values]
        ratio = ""
        if len(paths) == 2:
            ratio = f" {values[1] / values[0]:.2f} |" if values[0] else " – |"
        lines.append(f"| {label} | " + " | ".join(cells) + " |" + ratio)
    return "\n".join(lines)


def parts_table(results: dict[str, Tally]) -> str:
    lines = ["| part | " + " | ".join(f"{p} clicks · loads · in place" for p in results) + " |"]
    lines.append("|---|" + "---:|" * len(results))
    parts = []
    for tally in results.values():
        for part in tally.where:
            if part not in parts:
                parts.append(part)
    for part in parts:
        cells = []
        for tally in results.values():
            got = tally.where.get(part, {})
            cells.append(
                f"{got.get('clicks', 0)} · {got.get('loads', 0)} · {got.get('in_place', 0)}"
            )
        lines.append(f"| {part} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def stored_table(holdings: dict[str, dict]) -> str:
    paths = list(holdings)
    lines = ["| stored | " + " | ".join(paths) + " |", "|---|" + "---:|" * len(paths)]
    for key in holdings[paths[0]]:
        lines.append(f"| {key} | " + " | ".join(str(holdings[p][key]) for p in paths) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--path", choices=("classic", "fast", "both"), default="both")
    parser.add_argument("--frameworks", default="CA,SF", help="comma-separated, e.g. SF")
    parser.add_argument("--headed", action="store_true")
    parser.add_argument("--write", action="store_true", help="add the figures to RESULTS.md")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per wait")
    args = parser.parse_args()
    frameworks = [f.strip() for f in args.frameworks.split(",") if f.strip()]
    paths = ["classic", "fast"] if args.path == "both" else [args.path]

    workdir = Path(tempfile.mkdtemp(prefix="casework-clicks-"))
    env = prepare(workdir)
    files = make_files(workdir)
    server = start_server(env, workdir / "server.log")
    load_before = os.getloadavg()
    results, holdings = {}, {}
    try:
        from playwright.sync_api import sync_playwright

        chromium = os.getenv("CASEWORK_CHROMIUM") or "/usr/bin/chromium"
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium, headless=not args.headed, args=["--no-sandbox"]
            )
            for path in paths:
                context = browser.new_context(
                    locale="zh-CN", viewport={"width": 1366, "height": 900}
                )
                context.add_init_script(INSTRUMENT)
                if path == "classic":
                    context.add_init_script(CLASSIC)
                page = context.new_page()
                page.set_default_timeout(args.timeout * 1000)
                tally = Tally()
                analyst = Analyst(Driver(page, tally), path, files, frameworks)
                print(f"{path}: scoring {', '.join(frameworks)} …", flush=True)
                try:
                    case_id = analyst.run()
                except Exception:
                    page.screenshot(path=str(workdir / f"failed-{path}.png"), full_page=True)
                    print(f"failed on {page.url}; screenshot in {workdir}", flush=True)
                    raise
                context.close()
                results[path], holdings[path] = tally, stored(case_id)
                print(f"{path}: done in {tally.seconds:.0f} s", flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()

    report = "\n\n".join([table(results), parts_table(results), stored_table(holdings)])
    print()
    print(report)
    if len(paths) == 2:
        same = all(
            holdings["classic"][k] == holdings["fast"][k]
            for k in holdings["fast"]
            if k != "documents"
        )
        print("\nsame work stored by both paths (documents aside):", same)
    if args.write:
        write_results(report, frameworks, load_before, load_after, results)


def write_results(report, frameworks, load_before, load_after, results) -> None:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    verdict = ""
    if {"classic", "fast"} <= set(results):
        c, f = results["classic"], results["fast"]
        verdict = (
            f"\nfast / classic: clicks {f.clicks / c.clicks:.2f}, page loads "
            f"{f.loads / c.loads:.2f} (target ≤ 0.5 for both).\n"
        )
    section = (
        f"\n## Clicks per case (issue 10): `bench/clicks.py`, {now}, commit {commit}\n\n"
        f"Frameworks: {', '.join(frameworks)}. Load average before / after: "
        f"{' '.join(f'{x:.1f}' for x in load_before)} / {' '.join(f'{x:.1f}' for x in load_after)}"
        " (shared 2-core machine: wall times are the server's latency under that load, not the"
        " analyst's; the counts do not depend on it).\n\n" + report + "\n" + verdict
    )
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text()
    # bench/run.py rewrites everything after its marker: the new section goes before that part.
    anchor = "\n## Portfolio benchmark"
    at = text.find(anchor)
    text = text[:at] + section + text[at:] if at >= 0 else text + section
    path.write_text(text)
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()

"""Time the pages that matter against a floor measured in the same run, on SQLite or PostgreSQL.

    .venv/bin/python bench/serving.py --database sqlite --cases 10000
    .venv/bin/python bench/serving.py --database postgres --cases 10000
    .venv/bin/python bench/serving.py --database postgres --growth 10000 30000 100000
    .venv/bin/python bench/serving.py --database sqlite --cases 1000 --cold-start

Two floors, measured in the same run: the redirect floor, a trivial authenticated request
(GET / for a signed-in user: session, user, redirect), and the page floor, a trivial
authenticated page (a signed-in GET of the site's layout, templates/base.html with its navbar,
around an empty main: bench/urls.py, a urlconf of the bench's own that adds it to the app's
routes). Every page is timed through the Django test client in this process: median of
`--repeat` runs after one warm-up, and its ratio to each floor. PostgreSQL runs use the database
named by --pg-database on 127.0.0.1 and wipe it first. Nothing leaves the loopback interface.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_FLOOR = "floor: GET a trivial page signed in (base layout, empty main)"


def setup(database: str, pg_database: str, sqlite_file: Path | None = None) -> Path | None:
    """Point Django at the database before it starts; returns the SQLite file, if any."""
    if database == "postgres":
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_database}"
    else:
        sqlite_file = (
            sqlite_file or Path(tempfile.mkdtemp(prefix="casework-bench-")) / "bench.sqlite3"
        )
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.urls"  # the app's routes and the page floor
    return sqlite_file


def fresh_database() -> None:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


def timed(function, repeat: int) -> tuple[float, float, int]:
    """(median ms, best ms, queries per call) after one warm-up call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    times = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(repeat):
            started = time.perf_counter()
            function()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), len(queries.captured_queries) // repeat


def get(client, url, expect=200, **query):
    def call():
        response = client.get(url, query)
        assert response.status_code == expect, (url, response.status_code)
        return response

    return call


def clients(data):
    from django.test import Client

    made = {}
    for name in ("admin", "analyst", "manager"):
        made[name] = Client()
        made[name].force_login(data[name])
    return made


def measure_pages(data, repeat: int) -> list[tuple]:
    """The page set of the issue, each against the floor."""
    from django.urls import reverse

    from casework.models import Answer

    c = clients(data)
    draft = data["draft"]
    answer = (
        Answer.objects.filter(assessment=draft, criterion__kind="scored")
        .select_related("criterion")
        .order_by("criterion__dimension__order", "criterion__order")
        .first()
    )
    code, state = answer.criterion.code, {"version": answer.version, "n": 0}
    autosave_url = reverse("wizard_answer_save", args=[draft.pk, code])

    def autosave():
        state["n"] += 1
        response = c["analyst"].post(
            autosave_url,
            {
                f"{code}-version": state["version"],
                f"{code}-level": str(state["n"] % 6),
                f"{code}-evidence": f"bench evidence {state['n']}",
                f"{code}-confidence": "medium",
            },
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200, response.status_code
        state["version"] += 1

    from bench.urls import FLOOR_PATH

    pages = [
        ("floor: GET / signed in (redirect)", get(c["admin"], "/", expect=302)),
        (PAGE_FLOOR, get(c["analyst"], "/" + FLOOR_PATH)),
        ("case list, admin (all cases)", get(c["admin"], reverse("case_list"))),
        ("case list, admin, band=3", get(c["admin"], reverse("case_list"), band=3)),
        (
            "case list, admin, level + status + sort by score",
            get(c["admin"], reverse("case_list"), level="municipal", status="draft", sort="score"),
        ),
        (
            "case list, analyst (1/5 of cases), band=3",
            get(c["analyst"], reverse("case_list"), band=3),
        ),
        ("wizard step 1, analyst", get(c["analyst"], reverse("wizard_step", args=[draft.pk, 1]))),
        ("autosave: POST one answer", autosave),
        (
            "assessment report page",
            get(c["admin"], reverse("report_assessment", args=[draft.pk])),
        ),
        ("portfolio page, admin (all cases)", get(c["admin"], reverse("portfolio"))),
        (
            "portfolio page, admin, level=municipal & status=approved",
            get(c["admin"], reverse("portfolio"), level="municipal", status="approved"),
        ),
        ("portfolio page, unit manager", get(c["manager"], reverse("portfolio"))),
    ]
    results = []
    for label, call in pages:
        median, best, queries = timed(call, repeat)
        results.append((label, median, best, queries))
        print(
            f"  {label}: median {median:.1f} ms, best {best:.1f} ms, {queries} queries", flush=True
        )
    return results


def table(results) -> str:
    """Each row against both floors: the redirect (first row) and the page (second row)."""
    redirect, page = results[0], results[1]
    assert page[0] == PAGE_FLOOR
    lines = [
        "| what | median ms | best ms | × redirect floor (median) | × redirect floor (best) "
        "| × page floor (median) | × page floor (best) | queries |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, median, best, queries in results:
        lines.append(
            f"| {label} | {median:.1f} | {best:.1f} | {median / redirect[1]:.1f} | "
            f"{best / redirect[2]:.1f} | {median / page[1]:.1f} | {best / page[2]:.1f} | "
            f"{queries} |"
        )
    return "\n".join(lines)


def measure_growth(data, repeat: int) -> dict[str, float]:
    from django.urls import reverse

    from casework.reports.portfolio import PortfolioFilters, portfolio_context

    c = clients(data)
    admin = data["admin"]
    calls = {
        "floor": get(c["admin"], "/", expect=302),
        "case list": get(c["admin"], reverse("case_list")),
        "case list band=3": get(c["admin"], reverse("case_list"), band=3),
        "case list level+sort=score": get(
            c["admin"], reverse("case_list"), level="municipal", sort="score"
        ),
        "portfolio page": get(c["admin"], reverse("portfolio")),
        "portfolio context (all rows)": lambda: portfolio_context(admin, PortfolioFilters()),
    }
    timings = {}
    for label, call in calls.items():
        timings[label] = timed(call, repeat)[0]
        print(f"  {label}: {timings[label]:.0f} ms", flush=True)
    return timings


def cold_start(runs: int, *, bytecode: bool = True) -> list[float]:
    """Seconds from spawning a fresh Python process to its first response (GET /healthz/, login page).

    bytecode=True measures a deployed worker: compiled modules cached (in a temporary
    PYTHONPYCACHEPREFIX, written by one run first), as `make serve` and any normal install
    leave them. False measures this environment as it is, where PYTHONDONTWRITEBYTECODE=1
    and a venv without .pyc files make every process compile psycopg and the app again.
    """
    probe = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from django.core.wsgi import get_wsgi_application\n"
        "get_wsgi_application()\n"
        "c = Client()\n"
        "assert c.get('/healthz/').status_code == 200\n"
        "assert c.get('/accounts/login/').status_code == 200\n"
    )
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "casework-bench-pycache")
        subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-database", default="readmodel")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument(
        "--growth", type=int, nargs="*", help="only the list and portfolio, at these sizes"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold-start", action="store_true")
    parser.add_argument(
        "--keep",
        type=Path,
        help="SQLite only: keep the database in this file and reuse it if built",
    )
    args = parser.parse_args()

    reuse = bool(args.keep and args.keep.exists())
    sqlite_file = setup(args.database, args.pg_database, args.keep)
    from django.db import connection

    from bench import data as bench_data

    print(
        f"{args.database}: {connection.vendor} {'.'.join(map(str, connection.Database.__version__.split('.')[:3])) if hasattr(connection.Database, '__version__') else ''}"
    )
    if args.growth:
        rows = []
        for size in args.growth:
            fresh_database()
            started = time.perf_counter()
            data = bench_data.build(size)
            built = time.perf_counter() - started
            timings = measure_growth(data, args.repeat)
            rows.append((size, data["answers"], built, timings))
            print(f"{size:,} cases: {timings}", flush=True)
        labels = list(rows[0][3])
        print(
            "| cases | answers | built s | " + " | ".join(f"{label} ms" for label in labels) + " |"
        )
        print("|---:|---:|---:|" + "---:|" * len(labels))
        for size, answers, built, timings in rows:
            cells = " | ".join(f"{timings[label]:.0f}" for label in labels)
            print(f"| {size:,} | {answers:,} | {built:.0f} | {cells} |")
    else:
        started = time.perf_counter()
        if reuse:
            data = bench_data.existing()
        else:
            fresh_database()
            data = bench_data.build(args.cases)
        built = time.perf_counter() - started
        print(
            f"{data['cases']:,} cases, {data['assessments']:,} assessments, "
            f"{data['answers']:,} answers; built in {built:.0f} s",
            flush=True,
        )
        print(table(measure_pages(data, args.repeat)))
    if args.cold_start:
        for bytecode, label in ((True, "bytecode cached"), (False, "no bytecode cache")):
            times = cold_start(5, bytecode=bytecode)
            print(
                f"cold start to first response, {label} (s): "
                + ", ".join(f"{t:.2f}" for t in times)
                + f"; median {statistics.median(times):.2f}, best {min(times):.2f}"
            )
    if sqlite_file is not None and not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(str(sqlite_file) + suffix).unlink(missing_ok=True)
        sqlite_file.parent.rmdir()


if __name__ == "__main__":
    main()

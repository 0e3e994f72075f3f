"""Benchmark the portfolio on a generated SQLite database: `make bench` or `python bench/run.py`.

Builds N cases (default 10,000) with an SF and a CA assessment each in a temporary SQLite
file, times the portfolio context, page and exports, prints a table and, with --write,
records it in bench/RESULTS.md.
"""

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="casework-bench-")
    database = Path(workdir) / "bench.sqlite3"
    # Settings read the environment when Django starts, so these go first.
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command

    from bench import portfolio

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    data = portfolio.build(args.cases)
    build_seconds = time.perf_counter() - started
    results = portfolio.measure(data)

    lines = [
        "| what | best ms | median ms | queries |",
        "|---|---:|---:|---:|",
        *(
            f"| {r['what']} | {r['best_ms']:.0f} | {r['median_ms']:.0f} | {r['queries']} |"
            for r in results
        ),
    ]
    summary = (
        f"{data['cases']:,} cases, {data['assessments']:,} assessments, "
        f"{data['answers']:,} answers; built in {build_seconds:.0f} s "
        f"(SQLite file {database.stat().st_size / 1e6:.0f} MB)"
    )
    print(summary)
    print("\n".join(lines))
    if args.write:
        machine = f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs"
        text = (
            (ROOT / "bench" / "RESULTS.md").read_text()
            if (ROOT / "bench" / "RESULTS.md").exists()
            else ""
        )
        marker = "<!-- results -->"
        head = text.split(marker)[0] if marker in text else "# Portfolio benchmark\n\n"
        body = (
            f"{marker}\nLast run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine}.\n\n{summary}.\n\n"
            + "\n".join(lines)
            + "\n"
        )
        (ROOT / "bench" / "RESULTS.md").write_text(head + body)
    database.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    os.rmdir(workdir)


if __name__ == "__main__":
    main()

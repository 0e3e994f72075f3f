"""Time an assessment's PDF against WeasyPrint's own floor: the same HTML without its charts.

    .venv/bin/python bench/pdf.py --repeat 5
    .venv/bin/python bench/pdf.py --repeat 5 --keep /tmp/pdf-bench.sqlite3 --language en

Builds the demo data (`seed_demo`) in a throwaway SQLite database, picks the approved
assessment with the most register rows (it has a previous round, so every chart and table of
the report is drawn), then times, each as the median of --repeat runs after one warm-up:

- floor: WeasyPrint alone on the report's print HTML with the chart figures removed;
- WeasyPrint with charts: the same HTML with its chart images (what the warm render lays out);
- cold render: the PDF from the assessment with no chart in the cache (Plotly figures built and
  drawn by Chromium; Chromium itself already started, its start-up is timed apart);
- warm render: the PDF from the assessment with its charts in the cache, as a second PDF of an
  unchanged report renders them (another language, the redacted variant, a job after a deploy),
  context and print HTML included.

The finished-PDF cache (render.assessment_pdf) is bypassed: a hit there costs no rendering.
Prints a markdown table; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The print template wraps each chart in <figure class="cw-chart-print" ...><img ...></figure>.
CHART_FIGURE = re.compile(r'<figure class="cw-chart-print"[^>]*>.*?</figure>', re.S)


def setup(sqlite_file: Path) -> bool:
    """Point Django at the SQLite file; returns whether it was built already."""
    built = sqlite_file.exists()
    os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    # In-process cache, whatever the environment says: the bench controls what is cached.
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if not built:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_frameworks", verbosity=0)
        # Its output (the demo users' passwords) is of no use in a throwaway database.
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    return built


def pick_assessment():
    """The approved assessment of record with the most register rows (ties: the latest round)."""
    from django.db.models import Count

    from casework.models import Assessment

    return (
        Assessment.objects.filter(second_of__isnull=True, status="approved")
        .annotate(
            rows=Count("goals", distinct=True)
            + Count("stakeholders", distinct=True)
            + Count("risks", distinct=True)
            + Count("indicators", distinct=True)
            + Count("phases", distinct=True)
        )
        .select_related("case", "case__unit", "case__owner", "framework", "version")
        .select_related("created_by", "reviewed_by", "second_rating__created_by")
        .order_by("-rows", "-round", "pk")
        .first()
    )


def median_ms(function, repeat: int, before=None) -> tuple[float, float]:
    """(median, best) in ms of `function()` after one warm-up; `before()` runs untimed each time."""
    if before:
        before()
    function()
    times = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--language", choices=("zh-hans", "en"), default="zh-hans")
    parser.add_argument("--keep", type=Path, help="keep the SQLite database in this file")
    args = parser.parse_args()

    workdir = None
    if args.keep:
        sqlite_file = args.keep
    else:
        workdir = Path(tempfile.mkdtemp(prefix="casework-pdf-bench-"))
        sqlite_file = workdir / "bench.sqlite3"
    started = time.perf_counter()
    setup(sqlite_file)
    built_in = time.perf_counter() - started

    from django.core.cache import cache
    from django.utils import translation

    from casework.reports import context as report_context
    from casework.reports import render
    from casework.reports.pdf import CHART_SCHEME
    from casework.reports.static_charts import close_engine, figure_to_svg

    assessment = pick_assessment()
    with translation.override(args.language):
        report = report_context.assessment_context(assessment)
        crosswalk = report_context.assessment_crosswalk(assessment, report)
        figures = render.figures_for_reports([report])
        started = time.perf_counter()
        figure_to_svg(next(iter(figures.values())))  # starts this process's Chromium
        engine_start = time.perf_counter() - started
        images = render.chart_images(figures)
        html = render.print_html(
            case=report["case"],
            reports=[report],
            crosswalk=crosswalk,
            facts=render._document_facts([report], report["case"]),
            chart_sources={key: f"{CHART_SCHEME}:{key}" for key in images},
        )
        bare = CHART_FIGURE.sub("", html)
        assert len(CHART_FIGURE.findall(html)) == len(images), "a chart is missing from the HTML"

        def render_pdf():
            # What assessment_pdf does on a miss of the finished-PDF cache.
            report = report_context.assessment_context(assessment)
            return render.render_pdf(
                case=report["case"],
                reports=[report],
                crosswalk=report_context.assessment_crosswalk(assessment, report),
            )

        rows = [
            ("floor: WeasyPrint, print HTML without charts", render.html_to_pdf, (bare,), {}),
            (
                "WeasyPrint, print HTML with its charts",
                render.html_to_pdf,
                (html,),
                {"images": images},
            ),
        ]
        results = []
        for label, function, fargs, kwargs in rows:
            call = functools.partial(function, *fargs, **kwargs)
            results.append((label, *median_ms(call, args.repeat)))
        results.append(
            ("cold render (no chart cached)", *median_ms(render_pdf, args.repeat, cache.clear))
        )
        cache.clear()
        results.append(("warm render (charts cached)", *median_ms(render_pdf, args.repeat)))
        pdf_bytes = len(render_pdf())
    close_engine()

    floor = results[0][1]
    print(
        f"assessment {assessment.pk} ({assessment.framework.code} round {assessment.round}, "
        f"{args.language}): {len(images)} charts, print HTML {len(html) // 1024} KiB, "
        f"PDF {pdf_bytes // 1024} KiB; database built in {built_in:.0f} s; "
        f"Chromium start {engine_start * 1000:.0f} ms; median and best of {args.repeat}"
    )
    print("| what | median ms | best ms | × floor (median) |")
    print("|---|---:|---:|---:|")
    for label, median, best in results:
        print(f"| {label} | {median:.0f} | {best:.0f} | {median / floor:.2f} |")
    if workdir is not None:
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()

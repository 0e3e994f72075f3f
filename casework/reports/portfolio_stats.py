"""The portfolio's aggregates, computed by the database: counts, means, spreads and cohorts.

One query turns every visible latest round into a few rows per framework: per dimension (and
the overall score) a histogram of its scores in tenths of a point (at most 1,001 values), and
per level and sector the sums and counts. The scores are SnapshotScore rows, integers written
with the snapshot, so the database sums integers and unpacks no JSON. Quartiles, means and
cohort averages follow from those few rows in plain Python: the work in Python is bounded by
the number of distinct scores, not by the number of cases.

Means are exact (integer sums) and rounded half up to one decimal, like every score in the
app; quartiles interpolate linearly between the tenths, as pandas and numpy do by default.
"""

from __future__ import annotations

import math
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet

from casework import sectors
from casework.models import SnapshotScore

WORK_MEM = "64MB"


# SQLite reads a framework's histograms from the index when its picked rounds are at least this
# share of its assessments: the index is read for every assessment of the framework (a lookup
# each), the sort only for the picked ones, and a lookup costs about a third of a sorted row.
INDEX_SHARE = 1 / 3


def indexes() -> bool:
    """Whether the database may read histograms from the index (SQLite: it cannot hash them)."""
    return connection.vendor == "sqlite"


def from_index(rounds: int, assessments: int) -> bool:
    """Whether SQLite should read a framework's histograms from the index (see INDEX_SHARE)."""
    return indexes() and rounds >= INDEX_SHARE * assessments


def _aggregate_sql(picked_sql: str, indexed: dict[int, list[str]]) -> tuple[str, list]:
    """The statement after `picked_sql`, and the parameters it adds after picked_sql's own.

    The spreads group the score rows by framework, code and score. PostgreSQL hashes them;
    SQLite has no hash aggregation and sorts every score row for it. For the frameworks in
    `indexed` ({framework id: the codes to count}) each histogram is read instead from the
    (code, tenths, snapshot) index in the order of its GROUP BY, keeping the rows of the
    framework's picked rounds: no sort, a lookup per score row of the framework.
    """
    scores = connection.ops.quote_name(SnapshotScore._meta.db_table)
    params: list = []
    spreads = []
    for fw, codes in sorted(indexed.items()):
        spreads.append(
            f"SELECT 'spread', %s, s.code, NULL, NULL, s.tenths, COUNT(*), NULL FROM {scores} s"
            f" WHERE s.code IN ({', '.join(['%s'] * len(codes))}) AND s.tenths IS NOT NULL"
            " AND s.snapshot_id IN (SELECT id FROM picked WHERE fw = %s)"
            " GROUP BY s.code, s.tenths"
        )
        params += [fw, *codes, fw]
    if indexed:
        # Any other framework's score rows, sorted: its rounds are left out before the join.
        spreads.append(
            "SELECT 'spread', p.fw, s.code, NULL, NULL, s.tenths, COUNT(*), NULL"
            f" FROM picked p JOIN {scores} s ON s.snapshot_id = p.id"
            f" WHERE s.tenths IS NOT NULL AND p.fw NOT IN ({', '.join(['%s'] * len(indexed))})"
            " GROUP BY p.fw, s.code, s.tenths"
        )
        params += sorted(indexed)
    else:
        spreads.append(
            "SELECT 'spread', fw, code, NULL, NULL, t, COUNT(*), NULL FROM points"
            " WHERE t IS NOT NULL GROUP BY fw, code, t"
        )
    sql = f"""
WITH picked(id, fw, lvl, sec) AS ({picked_sql}),
points(fw, lvl, sec, code, t) AS (
    SELECT p.fw, p.lvl, p.sec, s.code, s.tenths FROM picked p JOIN {scores} s ON s.snapshot_id = p.id
)
{" UNION ALL ".join(spreads)}
UNION ALL
SELECT 'cohort', fw, code, lvl, sec, NULL, COUNT(t), SUM(t) FROM points GROUP BY fw, code, lvl, sec
UNION ALL
SELECT 'cases', fw, NULL, lvl, sec, NULL, COUNT(*), NULL FROM picked GROUP BY fw, lvl, sec
"""
    return sql, params


@dataclass
class Group:
    """One cohort of one framework: its cases, and per code the sum and count of its scores."""

    n: int = 0
    sums: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, other: Group) -> None:
        self.n += other.n
        for code, total in other.sums.items():
            self.sums[code] += total
            self.counts[code] += other.counts[code]

    def mean(self, code: str) -> float | None:
        return mean_of(self.sums.get(code, 0), self.counts.get(code, 0))


@dataclass
class FrameworkStats:
    # {code: {tenths: how many}}; the overall score is under OVERALL
    histograms: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    # {(level, sector): Group}
    cells: dict[tuple[str, str], Group] = field(default_factory=lambda: defaultdict(Group))

    @property
    def count(self) -> int:
        return sum(group.n for group in self.cells.values())

    def cohorts(self, by: str) -> dict[str, Group]:
        """The cells summed by level (`by="level"`) or by sector, sorted by key."""
        index = 0 if by == "level" else 1
        groups: dict[str, Group] = defaultdict(Group)
        for key, group in self.cells.items():
            groups[key[index]].add(group)
        return dict(sorted(groups.items()))


def framework_stats(
    latest: QuerySet, indexed: dict[int, list[str]] | None = None
) -> dict[int, FrameworkStats]:
    """{framework id: its aggregates} over the assessments of `latest` (one query).

    `indexed` ({framework id: codes}, SQLite only, see from_index) reads those frameworks'
    histograms from the index, for those codes only (the overall score's is OVERALL); the
    other frameworks' histograms, all cohort sums and case counts are grouped as they are.
    """
    picked = (
        latest.order_by()
        .annotate(sector_key=sectors.key_expression("case__"))
        .values_list("pk", "framework_id", "case__level", "sector_key")
    )
    picked_sql, params = picked.query.sql_with_params()
    stats: dict[int, FrameworkStats] = defaultdict(FrameworkStats)
    postgres = connection.vendor == "postgresql"
    with transaction.atomic() if postgres else nullcontext(), connection.cursor() as cursor:
        if postgres:
            # Room to hash the groups in memory: with the default 4 MB, PostgreSQL sorts the
            # score rows on disk from about 30,000 cases (a second at 30,000, growing faster
            # than the cases). Only for this statement's transaction.
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        sql, more = _aggregate_sql(picked_sql, {} if postgres else indexed or {})
        cursor.execute(sql, (*params, *more))
        rows = cursor.fetchall()
    for kind, fw, code, level, sector, tenths, n, total in rows:
        framework = stats[fw]
        if kind == "spread":
            framework.histograms[code][int(tenths)] = int(n)
            continue
        cell = framework.cells[(level or "", sector or "")]
        if kind == "cases":
            cell.n = int(n)
        else:
            cell.sums[code] = int(total or 0)
            cell.counts[code] = int(n)
    return dict(stats)


# --- plain arithmetic on the aggregates ---------------------------------------------------------


def mean_of(total_tenths: int, n: int) -> float | None:
    """The mean of n scores given in tenths, rounded half up to one decimal (None when n = 0)."""
    if not n:
        return None
    return ((2 * total_tenths + n) // (2 * n)) / 10


def _lerp(a: float, b: float, t: float) -> float:
    # numpy's linear interpolation, step for step, so quartiles equal pandas' to the last bit.
    diff = b - a
    return b - diff * (1 - t) if t >= 0.5 else a + diff * t


def _nth(histogram: list[tuple[int, int]], index: int) -> float:
    """The index-th smallest value (0-based) of a sorted histogram, as a percent."""
    seen = 0
    for tenths, n in histogram:
        seen += n
        if index < seen:
            return tenths / 10
    raise IndexError(index)


def quantile(histogram: list[tuple[int, int]], q: float, n: int) -> float:
    position = q * (n - 1)
    below = math.floor(position)
    above = min(below + 1, n - 1)
    return _lerp(_nth(histogram, below), _nth(histogram, above), position - below)


def spread(histogram: dict[int, int]) -> dict:
    """n, min, quartiles, max and mean of the scores counted in `histogram` ({tenths: n})."""
    ordered = sorted(histogram.items())
    n = sum(count for _tenths, count in ordered)
    if not n:
        return dict.fromkeys(("min", "q1", "median", "q3", "max", "mean"), None) | {"n": 0}
    return {
        "n": n,
        "min": ordered[0][0] / 10,
        "q1": quantile(ordered, 0.25, n),
        "median": quantile(ordered, 0.5, n),
        "q3": quantile(ordered, 0.75, n),
        "max": ordered[-1][0] / 10,
        "mean": mean_of(sum(t * count for t, count in ordered), n),
    }


def spread_mean(histogram: dict[int, int]) -> float | None:
    n = sum(histogram.values())
    return mean_of(sum(t * count for t, count in histogram.items()), n)

"""Mid-size teams: the exact path at 25, 50 and 100 managers, in one run.

Usage: python benchmarks/mid_teams.py [--sizes 25 50 100] [--repeats 3]

Sizes above 100 (large_team.LARGE_TEAM) are audited on the exact path all the same, to show
where the large-team approximation should start (without intervals: those stop at 100).

Synthetic teams as in benchmarks/large_teams.py (10 statements a manager, 384-dimensional
vectors around a few shared ideas, looked up, not computed), audited with the default model's
tables. Per size, medians of `--repeats`:

- exact audit: the whole audit() on the exact path (every pair, every finding, intervals);
- pairs, batched: scoring every pair of every foundation as the audit now does
  (scoring/pair_space.py);
- pairs, one by one: the same pairs through score_pair, one call each (the path before);
- large path: the same team through the large-team approximation (what teams of more than
  100 managers get), for comparison.

Target (issue 18): the exact audit of 100 managers in 2 s or less.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from itertools import combinations

from _common import machine, median, table, verdict
from large_teams import Lookup, synthetic

from alignaudit.core.types import Foundation
from alignaudit.features.auditor import audit
from alignaudit.scoring import large_team
from alignaudit.scoring.catalogue import DEFAULT, tables_of
from alignaudit.scoring.exact import score_pair, score_pairs
from alignaudit.scoring.team_vectors import TeamVectors

TARGET = 2.0


def timed(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)


def one(n: int, repeats: int) -> list[object]:
    tables = tables_of(DEFAULT)
    team, vectors = synthetic(n)
    embedder = Lookup(vectors)
    tv = TeamVectors(team.managers, vectors, vectors)

    def run_audit() -> None:
        audit(team, embedder, calibration=tables.calibration, baseline=tables.baseline)

    def batched() -> None:
        for f in Foundation:
            answered = [m for m in team.managers if f in m.answers]
            score_pairs(answered, f, tv, tables.calibration, tables.baseline)

    def one_by_one() -> None:
        for f in Foundation:
            answered = [m for m in team.managers if f in m.answers]
            for a, b in combinations(answered, 2):
                score_pair(a, b, f, tv, tables.calibration, tables.baseline)

    saved = large_team.LARGE_TEAM
    large_team.LARGE_TEAM = max(saved, n)  # the exact path, whatever the size
    try:
        run_audit()  # tables and caches loaded outside the timings
        exact = timed(run_audit, repeats)
    finally:
        large_team.LARGE_TEAM = saved
    fast = timed(batched, repeats)
    slow = timed(one_by_one, 1)
    large_team.LARGE_TEAM = min(saved, n - 1)
    try:
        approx = timed(run_audit, repeats)
    finally:
        large_team.LARGE_TEAM = saved
    return [
        n,
        f"{exact:.2f} s",
        f"{fast:.3f} s",
        f"{slow:.2f} s",
        f"{slow / fast:.0f}x",
        f"{approx:.2f} s",
        verdict(exact <= TARGET) if n == 100 else "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description="exact audits of mid-size teams")
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = [one(n, args.repeats) for n in args.sizes]
    print(f"machine: {machine()}; model tables: {DEFAULT}; medians of {args.repeats}")
    print(
        table(
            [
                "managers",
                "exact audit",
                "pairs, batched",
                "pairs, one by one",
                "ratio",
                "large path",
                f"<= {TARGET:.0f} s at 100",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()

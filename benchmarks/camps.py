"""Camps: scipy's average linkage against the hand-written one it replaced, side by side.

Usage: python benchmarks/camps.py [--sizes 25 60]

For each team size, a distance matrix of managers drawn around three camps; the time to cut the
tree into 2, 3 and 4 groups (what analysis.silos.groups does) by the hand-written agglomeration
(kept in tests/analysis/test_analysis.py as the reference that scipy must match) and by scipy,
and whether both give the same groups. Ratios are measured in one run.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from _common import ROOT, machine, table

sys.path.insert(0, str(ROOT))
from alignaudit.analysis.silos import average_linkage, linkage_tree
from tests.analysis.test_analysis import _upgma_by_hand


def one(n: int, repeats: int = 3) -> tuple[float, float, bool]:
    rng = np.random.default_rng(n)
    points = rng.normal(size=(n, 3)) + rng.integers(0, 3, size=(n, 1)) * 3.0
    d = np.linalg.norm(points[:, None] - points[None, :], axis=-1)
    average_linkage(d, 2)  # scipy's first call imports it: not part of the figure
    hand, fast = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        by_hand = [_upgma_by_hand(d, k) for k in (2, 3, 4)]
        hand.append(time.perf_counter() - start)
        start = time.perf_counter()
        tree = linkage_tree(d)
        by_scipy = [average_linkage(d, k, tree) for k in (2, 3, 4)]
        fast.append(time.perf_counter() - start)
    return float(np.median(hand)), float(np.median(fast)), by_hand == by_scipy


def main() -> None:
    parser = argparse.ArgumentParser(description="camps: scipy against the hand-written UPGMA")
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 60])
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        hand, fast, same = one(n)
        rows.append([n, f"{hand:.3f} s", f"{fast * 1000:.2f} ms", f"{hand / fast:,.0f}x", same])
    print(f"machine: {machine()}")
    print(table(["managers", "hand-written", "scipy", "ratio", "same groups"], rows))


if __name__ == "__main__":
    main()

"""Camps and ideas: scipy's average linkage against the numpy nearest-neighbour chain that
replaced it (analysis/linkage.py), side by side in one run.

Usage: python benchmarks/camps.py [--sizes 25 100 800]

For each size, a distance matrix drawn around three camps (25 and 100: managers; 800: the
statements of a 100-manager team's values); the time to build the tree and cut it into 2, 3
and 4 groups (what analysis.silos.groups does) by each, whether both give the same groups,
and what importing scipy.cluster.hierarchy costs a fresh process (the numpy one costs
nothing: numpy is imported anyway).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import numpy as np
from _common import machine, median, table
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from alignaudit.analysis.linkage import cut_into, upgma


def by_scipy(d: np.ndarray) -> list[set[frozenset[int]]]:
    tree = linkage(squareform(d, checks=False), method="average")
    return [_sets(fcluster(tree, k, criterion="maxclust")) for k in (2, 3, 4)]


def by_chain(d: np.ndarray) -> list[set[frozenset[int]]]:
    merges = upgma(d)
    return [_sets(cut_into(len(d), merges, k)) for k in (2, 3, 4)]


def _sets(labels: np.ndarray) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), set()).add(i)
    return {frozenset(g) for g in groups.values()}


def one(n: int, repeats: int = 5) -> tuple[float, float, bool]:
    rng = np.random.default_rng(n)
    points = rng.normal(size=(n, 3)) + rng.integers(0, 3, size=(n, 1)) * 3.0
    d = np.linalg.norm(points[:, None] - points[None, :], axis=-1)
    times: dict[str, list[float]] = {"scipy": [], "chain": []}
    found = {}
    for _ in range(repeats):
        for name, fn in (("scipy", by_scipy), ("chain", by_chain)):
            start = time.perf_counter()
            found[name] = fn(d)
            times[name].append(time.perf_counter() - start)
    return median(times["scipy"]), median(times["chain"]), found["scipy"] == found["chain"]


def import_cost(runs: int = 7) -> tuple[float, float]:
    """Median seconds of a fresh `import numpy` and of `import numpy, scipy.cluster.hierarchy`."""
    out: dict[str, list[float]] = {"numpy": [], "scipy": []}
    for _ in range(runs):
        for name, code in (
            ("numpy", "import numpy"),
            ("scipy", "import numpy, scipy.cluster.hierarchy"),
        ):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            out[name].append(time.perf_counter() - start)
    return median(out["numpy"]), median(out["scipy"])


def main() -> None:
    parser = argparse.ArgumentParser(description="average linkage: scipy against numpy")
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 100, 800])
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        scipy_s, chain_s, same = one(n)
        rows.append(
            [
                n,
                f"{scipy_s * 1000:.2f} ms",
                f"{chain_s * 1000:.2f} ms",
                f"{chain_s / scipy_s:.2f}",
                same,
            ]
        )
    bare, with_scipy = import_cost()
    print(f"machine: {machine()}")
    print(table(["points", "scipy", "numpy chain", "chain / scipy", "same groups"], rows))
    print(
        f"fresh process: import numpy {bare:.3f} s; with scipy.cluster.hierarchy "
        f"{with_scipy:.3f} s (+{with_scipy - bare:.3f} s, which an audit no longer pays)"
    )


if __name__ == "__main__":
    main()

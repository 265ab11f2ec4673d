"""Scale: synthetic teams of 100, 1,000 and 5,000 managers, vectors only (no model).

Usage: python benchmarks/large_teams.py [--sizes 100 1000 5000]

Each size runs in a fresh process. Every manager answers the four foundations with 10 statements
in all (vision 2, mission 2, values 4, positioning 2; every seventh manager leaves positioning
out), 384-dimensional unit vectors drawn around a few shared ideas. The table shows, per size,
the time of the team statistics (scoring/large_team.py: mean vectors, sums, expected scores;
linear in N), of the search for the most divergent pairs (chunked products: N^2 time, bounded
memory), of the whole audit (both, plus the few pairs scored exactly), the peak memory the audit
allocates (tracemalloc, measured in a separate pass; it holds every statement vector and a copy
of them as the embedder returns them) and, for comparison, the size of one N x N float64 matrix,
which is never built, and the exact audit where it is affordable (100). Ratios are to the
previous size.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tracemalloc

import numpy as np
from _common import machine, table

from alignaudit.core.types import Answer, Foundation, Manager, Team
from alignaudit.embedding.interface import EmbedderBase
from alignaudit.embedding.transformers import BUNDLED_NAME
from alignaudit.features.auditor import audit
from alignaudit.scoring import large_team as scale
from alignaudit.scoring.catalogue import MINILM, tables_of
from alignaudit.scoring.team_vectors import TeamVectors

SHAPE = {
    Foundation.VISION: 2,
    Foundation.MISSION: 2,
    Foundation.VALUES: 4,
    Foundation.POSITIONING: 2,
}
DIM = 384


def synthetic(n: int) -> tuple[Team, dict[str, np.ndarray]]:
    rng = np.random.default_rng(n)
    ideas = rng.standard_normal((6, DIM))
    managers, texts = [], []
    for i in range(n):
        answers = {}
        for f, k in SHAPE.items():
            if f is Foundation.POSITIONING and i % 7 == 0:
                continue
            statements = tuple(f"{f.value} {i} {j}" for j in range(k))
            texts.extend(statements)
            answers[f] = Answer(statements, 1)
        managers.append(Manager(f"manager {i:05d}", f"m{i:05d}.yaml", answers=answers))
    camp = rng.integers(0, 6, len(texts))
    vectors = np.empty((len(texts), DIM), dtype=np.float32)  # built in chunks: the input
    for start in range(0, len(texts), 4096):  # is its 4 bytes a number, no float64 copy
        part = ideas[camp[start : start + 4096]] + 1.5 * rng.standard_normal(
            (len(camp[start : start + 4096]), DIM)
        )
        vectors[start : start + len(part)] = part / np.linalg.norm(part, axis=1, keepdims=True)
    table_ = dict(zip(texts, vectors, strict=True))
    return Team(f"synthetic-{n}", "", tuple(managers)), table_


class Lookup(EmbedderBase):
    """The vectors, as an embedder: no model (EmbedderBase declares it has no optional
    abilities, as the audit asks every embedder)."""

    name = BUNDLED_NAME  # so the shipped baseline applies, as in a real audit
    sha256 = None
    dim = DIM

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors

    def encode(self, texts):  # type: ignore[no-untyped-def]
        return np.stack([self.vectors[t] for t in texts])


def one(n: int) -> dict[str, float]:
    team, vectors = synthetic(n)
    calibration, baseline = tables_of(MINILM).calibration, tables_of(MINILM).baseline
    answered = list(team.managers)
    team_vectors = TeamVectors(team.managers, vectors, vectors)
    out: dict[str, float] = {"statements": float(team_vectors.count)}

    who = {f: [m for m in answered if f in m.answers] for f in Foundation}

    def stats(f: Foundation, managers: list[Manager]) -> np.ndarray:
        m, z = scale.manager_vectors(managers, f, team_vectors, baseline)
        raw, centred = scale.team_sums(m), scale.team_sums(z)
        scale.expected(lambda a: calibration.to_score(np.clip(a, -1, 1)), raw.loo, raw.loo_sd)
        scale.expected(lambda a: baseline.index(a, f), centred.loo, centred.loo_sd)
        return m

    stats(Foundation.VISION, answered[:20])  # first calls load tables: not part of the figure
    start = time.perf_counter()  # the linear part, for every foundation
    means = {f: stats(f, who[f]) for f in Foundation}
    out["stats"] = time.perf_counter() - start

    start = time.perf_counter()
    for f in Foundation:
        scale.most_divergent_pairs(means[f], scale.MOST_DIVERGENT)
    out["top_k"] = time.perf_counter() - start

    embedder = Lookup(vectors)
    start = time.perf_counter()
    report = audit(team, embedder, calibration=calibration, baseline=baseline)
    out["audit"] = time.perf_counter() - start
    assert all(r.large is not None for r in report.foundations.values()) or (n <= scale.LARGE_TEAM)
    del report
    tracemalloc.start()
    audit(team, embedder, calibration=calibration, baseline=baseline)
    out["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    if n <= 100:  # the exact path, for comparison, where it is still affordable
        scale.LARGE_TEAM = n
        start = time.perf_counter()
        audit(team, embedder, calibration=calibration, baseline=baseline)
        out["exact"] = time.perf_counter() - start
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="large-team statistics: time and memory")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        saved = scale.LARGE_TEAM
        scale.LARGE_TEAM = min(saved, args.one - 1)  # the large path, even at 100
        print(json.dumps(one(args.one)))
        return
    results = {}
    for n in args.sizes:
        proc = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True
        )
        results[n] = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"machine: {machine()}")
    print(f"large-team path (LARGE_TEAM = {scale.LARGE_TEAM}; forced at every size here)")
    print()
    rows, prev = [], None
    for n, r in results.items():

        def ratio(key: str, r: dict = r, prev: int | None = prev) -> str:
            return "" if prev is None else f" (x{r[key] / results[prev][key]:.1f})"

        rows.append(
            [
                n,
                int(r["statements"]),
                f"{r['stats']:.3f}{ratio('stats')}",
                f"{r['top_k']:.3f}{ratio('top_k')}",
                f"{r['audit']:.2f}{ratio('audit')}",
                f"{r['peak_mb']:.1f}{ratio('peak_mb')}",
                f"{n * n * 8 / 2**20:.1f}",
                f"{r['exact']:.2f}" if "exact" in r else "-",
            ]
        )
        prev = n
    print(
        table(
            [
                "managers",
                "statements",
                "team stats s",
                "top-K pairs s",
                "whole audit s",
                "peak MB",
                "N x N MB",
                "exact audit s",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()

"""How often the shipped test of "the same idea" reads statements as a person would.

Usage: python benchmarks/same_idea.py [--models KEY ...]

The ideas grid, consensus and "unique to", what a camp typically says and which official
statements nobody echoes all rest on one test (analysis/ideas.py, SameIdea): two statements
state the same idea when their agreement index reaches the model's `aligned` band. On the
evaluation teams (benchmarks/evalset, sealed teams left out), every statement of every manager
is matched with its closest statement in each other manager's answer to the same foundation:
in a cell labelled **aligned** (every manager states the same idea in other words) those
matches should read as the same idea; in a cell labelled **divergent** they should not
(partial cells mix both and are left out). The table gives, per split, how many matches of
each kind, the AUC of the affinity, and the balanced accuracy of the shipped threshold with a
90% interval (whole teams resampled). The labels are the cell's, not the statement's, so an
aligned cell's second-order statement that a person would not pair counts as a miss: the
figure is a floor of what the test is worth.
"""

from __future__ import annotations

import argparse
import sys
from itertools import permutations
from pathlib import Path

import numpy as np
from _common import machine, table

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts"))
from judgement import CachedEmbedder, auc, load_cases

from alignaudit.analysis.ideas import SameIdea
from alignaudit.core.types import Foundation
from alignaudit.features.auditor import _embed
from alignaudit.scoring.catalogue import DEFAULT, KEYS, build, tables_of
from alignaudit.scoring.team_vectors import TeamVectors

Match = tuple[str, str, bool, float]  # team, split, same idea by the label, affinity


def matches(key: str) -> tuple[list[Match], float]:
    """Every statement's closest affinity in each other answer of aligned and divergent cells,
    and the model's threshold."""
    emb = CachedEmbedder(build(key))
    tables = tables_of(key)
    if tables.bands is None:
        raise SystemExit(f"{key}: no fitted bands, so no same-idea threshold to check")
    out: list[Match] = []
    for case in load_cases():
        team = case.team
        texts = [s for m in team.managers for a in m.answers.values() for s in a.statements]
        vectors, index_vectors, _ = _embed(emb, team.managers, texts)
        same = SameIdea(
            TeamVectors(team.managers, vectors, index_vectors),
            tables.baseline,
            tables.calibration,
            tables.bands.aligned,
        )
        for f in Foundation:
            label = case.labels[f.value]
            if label not in ("aligned", "divergent"):
                continue
            names = [m.name for m in team.managers if f in m.answers]
            for a, b in permutations(names, 2):
                for value in same.between(a, b, f).max(axis=1):
                    out.append((case.name, case.split, label == "aligned", float(value)))
    return out, tables.bands.aligned


def balanced(rows: list[Match], threshold: float) -> float:
    pos = [v >= threshold for _, _, same, v in rows if same]
    neg = [v < threshold for _, _, same, v in rows if not same]
    return (float(np.mean(pos)) + float(np.mean(neg))) / 2 if pos and neg else float("nan")


def interval(rows: list[Match], threshold: float, seed: int = 7) -> tuple[float, float]:
    """90% interval of the balanced accuracy, whole teams resampled."""
    teams = sorted({t for t, *_ in rows})
    by_team = {t: [r for r in rows if r[0] == t] for t in teams}
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(1000):
        drawn = [r for t in rng.choice(teams, size=len(teams)) for r in by_team[t]]
        value = balanced(drawn, threshold)
        if np.isfinite(value):
            values.append(value)
    return float(np.quantile(values, 0.05)), float(np.quantile(values, 0.95))


def main() -> None:
    parser = argparse.ArgumentParser(description="the same-idea test against the labels")
    parser.add_argument("--models", nargs="*", choices=KEYS, default=[DEFAULT])
    args = parser.parse_args()
    print(f"machine: {machine()}")
    for key in args.models:
        rows, threshold = matches(key)
        groups: dict[str, list[Match]] = {}
        for r in rows:
            groups.setdefault(r[1], []).append(r)
            if r[1] != "dev":
                groups.setdefault("held aside", []).append(r)
        print(f"\n== {key}: the same idea at agreement index >= {threshold:.3f}")
        lines = []
        others = sorted(k for k in groups if k not in ("dev", "held aside"))
        for name in ("dev", "held aside", *others):
            g = groups[name]
            lo, hi = interval(g, threshold)
            pos = [v for *_, same, v in g if same]
            neg = [v for *_, same, v in g if not same]
            lines.append(
                [
                    name,
                    len({t for t, *_ in g}),
                    len(pos),
                    len(neg),
                    f"{auc(pos, neg):.3f}",
                    f"{balanced(g, threshold):.3f} [{lo:.2f}, {hi:.2f}]",
                ]
            )
        print(table(["split", "teams", "same", "different", "AUC", "balanced accuracy"], lines))


if __name__ == "__main__":
    main()

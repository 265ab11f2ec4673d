"""Who stands apart and which camps form: the shipped rules against the evaluation teams.

Usage: python benchmarks/findings.py [--models KEY ...] [--set findingset [--open-sealed]]

Through the shipped audit (each model's own tables), on benchmarks/evalset (sealed teams left
out) and per split:

- **Outliers.** On every foundation where a team's truth names an outlier (`outlier_on`):
  the share of them the report names as its outlier there (recall). On every foundation with
  four or more answers and no designed outlier: outliers named per 10 such foundations (false
  flags). The issue's floors: recall >= 80%, at most 1 false flag per 10 foundations.
- **Camps.** On the teams whose truth gives camps (`silos`), every foundation labelled
  `partial` (the camps differ there; the notes say which, and on some partial foundations the
  managers share a core instead, so this is a floor): the adjusted Rand index of the reported
  camps against the truth (managers the truth leaves out dropped; no camps reported scores 0).
  On every foundation labelled `aligned` or `divergent`: the share with no camps claimed.
  The floors: ARI >= 0.8 on camp foundations, no camps on >= 90% of the others.
- **Bounds**: how often the designed outlier is the manager furthest from the rest, and the
  ARI of the designed number of camps always cut from the model's similarities: no rule over
  the model's figures can do better.
- **Flags right**: of all outlier flags raised, the share naming the designed outlier (a flag
  on a foundation without one, or naming someone other than its outlier, is wrong).

`--set findingset` reads benchmarks/findingset instead (written for these findings: 20 outlier
and 20 camp foundations per split, the design stated per foundation); its sealed split only
with `--open-sealed`, once, for a rule recorded first in its README.

Intervals are 90% bootstrap intervals over teams.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from _common import machine, table

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts"))
from judgement import CachedEmbedder, team_folders, truth

from alignaudit.analysis.confidence import pair_matrix
from alignaudit.core.results import FoundationResult
from alignaudit.core.types import Foundation
from alignaudit.features.auditor import audit
from alignaudit.inputs.answers import load_team
from alignaudit.scoring.catalogue import DEFAULT, KEYS, build


@dataclass(frozen=True)
class Row:
    team: str
    split: str
    kind: str  # "outlier", "no outlier", "camps", "no camps"
    value: float  # 1/0 found, flags on this foundation, ARI, 1/0 no camps claimed


def ari(truth_groups: list[list[str]], found: list[tuple[str, ...]]) -> float:
    """Adjusted Rand index of the reported camps against the truth, over the managers the
    truth places (a manager in no reported camp is a camp of their own)."""
    from sklearn.metrics import adjusted_rand_score

    names = [n for g in truth_groups for n in g]
    true_label = {n: i for i, g in enumerate(truth_groups) for n in g}
    found_label = {n: i for i, g in enumerate(found) for n in g}
    pred = [found_label.get(n, 100 + k) for k, n in enumerate(names)]
    return float(adjusted_rand_score([true_label[n] for n in names], pred))


FINDINGSET = HERE / "findingset"
SEALED_FINDINGS = "sealed-findings"


def designs(t: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    """Each foundation's design: the findings set states it (`design`); the evaluation set's
    truth gives it as labels, an outlier with the foundations it stands apart on, and silos
    (the camps differ on the foundations labelled partial; on some of those the managers share
    a core instead, so the evaluation set's camp figure is a floor)."""
    if t.get("design"):
        return t["design"]  # type: ignore[no-any-return]
    out = {}
    for f in Foundation:
        label = t["labels"][f.value]
        if t.get("outlier") and f.value in (t.get("outlier_on") or ()):
            out[f.value] = {"kind": "outlier", "outlier": t["outlier"]}
        elif t.get("silos") and label == "partial":
            out[f.value] = {"kind": "camps", "camps": t["silos"]}
        else:
            out[f.value] = {"kind": label}
    return out


def folders_of(which: str, sealed: bool) -> list[Path]:
    """The teams of one set: `evalset` (its sealed teams left out) or `findingset` (its sealed
    split only with --open-sealed)."""
    if which == "evalset":
        return team_folders()
    folders = sorted(p for p in FINDINGSET.iterdir() if (p / "_truth.yaml").is_file())
    return [f for f in folders if sealed or truth(f)["split"] != SEALED_FINDINGS]


def forced_split(result: FoundationResult, k: int, method: str) -> list[tuple[str, ...]]:
    """The managers cut into the designed number of camps by hierarchical clustering of their
    STS pair scores, camps always claimed: what the best clustering of the model's similarities
    can match, whatever rule decides when to speak (an upper bound for the camp rules)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    names = result.answered
    scores = pair_matrix(names, {frozenset((p.a, p.b)): p.score for p in result.pairs})
    off = ~np.eye(len(names), dtype=bool)
    d = np.zeros_like(scores)
    d[off] = 1.0 - scores[off] / 5.0
    d[off] -= d[off].min()
    labels = fcluster(linkage(squareform(d, checks=False), method), k, "maxclust")
    return [
        tuple(n for n, label in zip(names, labels, strict=True) if label == c) for c in set(labels)
    ]


def rows_of(key: str, folders: list[Path]) -> list[Row]:
    emb = CachedEmbedder(build(key))
    out: list[Row] = []
    for folder in folders:
        t = truth(folder)
        design = designs(t)
        report = audit(load_team(folder), emb)
        for f in Foundation:
            fi = report.findings[f]
            answered = report.foundations[f].answered
            named = [s.manager for s in fi.outliers]
            d = design[f.value]
            if d["kind"] == "outlier":
                out.append(Row(folder.name, t["split"], "outlier", float(d["outlier"] in named)))
                furthest = max(fi.standings, key=lambda s: s.gap).manager
                out.append(
                    Row(folder.name, t["split"], "bound outlier", float(furthest == d["outlier"]))
                )
                misnamed = float(len([n for n in named if n != d["outlier"]]))
                out.append(Row(folder.name, t["split"], "misnamed", misnamed))
            elif len(answered) >= 4:
                out.append(Row(folder.name, t["split"], "no outlier", float(len(named))))
            if d["kind"] == "camps":
                found = [g.members for g in fi.groups]
                out.append(Row(folder.name, t["split"], "camps", ari(d["camps"], found)))
                for method in ("ward", "average"):
                    split = forced_split(report.foundations[f], len(d["camps"]), method)
                    out.append(
                        Row(folder.name, t["split"], f"bound {method}", ari(d["camps"], split))
                    )
            if d["kind"] in ("aligned", "divergent"):
                out.append(Row(folder.name, t["split"], "no camps", float(not fi.groups)))
    return out


def precision(rows: list[Row]) -> str:
    """Of all the outlier flags raised, the share naming a designed outlier on its foundation."""
    right = sum(r.value for r in rows if r.kind == "outlier")
    wrong = sum(r.value for r in rows if r.kind in ("no outlier", "misnamed"))
    if not right + wrong:
        return "no flag"
    return f"{right / (right + wrong):.2f} ({right:.0f} of {right + wrong:.0f})"


def summary(rows: list[Row], kind: str, per: float = 1.0, seed: int = 7) -> str:
    mine = [r for r in rows if r.kind == kind]
    if not mine:
        return "-"
    teams = sorted({r.team for r in mine})
    by_team = {t: [r.value for r in mine if r.team == t] for t in teams}
    value = float(np.mean([r.value for r in mine])) * per
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(1000):
        drawn = [v for t in rng.choice(teams, size=len(teams)) for v in by_team[t]]
        draws.append(float(np.mean(drawn)) * per)
    lo, hi = np.quantile(draws, [0.05, 0.95])
    return f"{value:.2f} [{lo:.2f}, {hi:.2f}] (n={len(mine)})"


def main() -> None:
    parser = argparse.ArgumentParser(description="outliers and camps against the truth")
    parser.add_argument("--models", nargs="*", choices=KEYS, default=[DEFAULT])
    parser.add_argument("--set", choices=("evalset", "findingset"), default="evalset")
    parser.add_argument(
        "--open-sealed",
        action="store_true",
        help="score the findings set's sealed split too: once, for a rule recorded first",
    )
    args = parser.parse_args()
    if not (HERE / args.set).is_dir():
        sys.exit(f"no {args.set} beside this script")
    print(f"machine: {machine()}")
    for key in args.models:
        rows = rows_of(key, folders_of(args.set, args.open_sealed))
        splits: dict[str, list[Row]] = {}
        for r in rows:
            splits.setdefault(r.split, []).append(r)
            if not r.split.startswith("dev"):
                splits.setdefault("held aside", []).append(r)
        print(f"\n== {key}")
        lines = []
        devs = sorted(k for k in splits if k.startswith("dev"))
        others = sorted(k for k in splits if k not in ("held aside", *devs))
        order = [k for k in (*devs, "held aside", *others) if splits.get(k)]
        for name in order:
            g = splits[name]
            lines.append(
                [
                    name,
                    summary(g, "outlier"),
                    summary(g, "no outlier", per=10.0),
                    precision(g),
                    summary(g, "camps"),
                    summary(g, "no camps"),
                ]
            )
        head = [
            "split",
            "outlier recall",
            "false flags / 10",
            "flags right",
            "camps ARI",
            "no camps claimed",
        ]
        print(table(head, lines))
        print("\nBounds (the model, not the rules): the designed outlier is the manager furthest")
        print("from the rest when the foundation is known to have one; ARI of the designed")
        print("number of camps always cut, by Ward and by average linkage of the STS scores")
        bounds = [
            [
                name,
                summary(splits[name], "bound outlier"),
                summary(splits[name], "bound ward"),
                summary(splits[name], "bound average"),
            ]
            for name in order
        ]
        print(table(["split", "outlier furthest", "camps ARI ward", "camps ARI average"], bounds))


if __name__ == "__main__":
    main()

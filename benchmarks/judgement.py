"""Judgement quality: do team figures separate aligned, partial and divergent teams as people do?

Usage: python benchmarks/judgement.py [--sealed]
Prints, for each scoring variant, the AUC of aligned vs divergent, aligned vs partial and
partial vs divergent over the (team, foundation) cells of benchmarks/evalset, for the
development teams and the held-aside teams separately; then the pair-score checks on STS
Benchmark dev and on pairs of unrelated organisations (../shared/data/orgs); then the index
bands fitted on the development teams and how they read the held-aside teams.
Needs ../shared; prints "skipped" without it. Teams of the split `sealed` are left out unless
--sealed is given: they are kept as a fresh test for a change already chosen on the others
(see benchmarks/evalset/README.md).
"""

from __future__ import annotations

import itertools
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path

import numpy as np
import yaml
from scipy.stats import spearmanr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts"))
from fit_baseline import derive
from isotonic import fit_isotonic, table_from_fit
from orgs import ORGS, read_missions, read_values
from stsb import STSB, read_stsb

from alignaudit.core.types import Foundation, Team
from alignaudit.embedding.memo import MemoEmbedder
from alignaudit.embedding.pooling import TEAM_POWER, default_token_weights
from alignaudit.embedding.transformers import SentenceTransformerEmbedder
from alignaudit.features.auditor import audit
from alignaudit.inputs.answers import load_team
from alignaudit.scoring.baseline import Baseline
from alignaudit.scoring.calibration import Calibration
from alignaudit.scoring.catalogue import MINILM, tables_of
from alignaudit.scoring.similarity import best_match, normalise

EVALSET = HERE / "evalset"
LABELS = ("aligned", "partial", "divergent")


class CachedEmbedder(MemoEmbedder):
    """Embeds each text once for the whole benchmark run, as float64 for the variants' sums."""

    def __init__(self, inner: SentenceTransformerEmbedder | None = None) -> None:
        super().__init__(inner or SentenceTransformerEmbedder())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return super().encode(texts).astype(np.float64)


class Undiscounted(CachedEmbedder):
    """The same vectors, but audit() compares them without the team discount (the index as
    shipped before it)."""

    pools_by_token = False


@dataclass
class Case:
    name: str
    split: str
    labels: dict[str, str]
    team: Team


SEALED = "sealed"


def truth(folder: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((folder / "_truth.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def team_folders(sealed: bool = False) -> list[Path]:
    """The evaluation teams, the sealed ones only when asked for."""
    folders = sorted(p for p in EVALSET.iterdir() if (p / "_truth.yaml").is_file())
    return [f for f in folders if sealed or truth(f)["split"] != SEALED]


def load_cases(sealed: bool = False) -> list[Case]:
    cases = []
    for folder in team_folders(sealed):
        t = truth(folder)
        cases.append(Case(folder.name, t["split"], t["labels"], load_team(folder)))
    return cases


def auc(pos: Sequence[float], neg: Sequence[float]) -> float:
    """Probability that a random positive outranks a random negative (ties count half)."""
    p, n = np.asarray(pos)[:, None], np.asarray(neg)[None, :]
    return float(((p > n).sum() + 0.5 * (p == n).sum()) / (p.size * n.size))


# A variant maps (case, foundation) to the team figure for that cell.
Variant = Callable[[Case, Foundation], float]


def answers(case: Case, f: Foundation) -> list[tuple[str, ...]]:
    return [m.answers[f].statements for m in case.team.managers if f in m.answers]


def per_pair(
    emb: CachedEmbedder, transform: Callable[[np.ndarray], np.ndarray], whole: bool | int
) -> Variant:
    def cell(case: Case, f: Foundation) -> float:
        vecs = [
            transform(emb.encode([" ".join(a)] if whole else list(a))) for a in answers(case, f)
        ]
        return float(np.mean([best_match(a, b).agreement for a, b in combinations(vecs, 2)]))

    return cell


def product(emb: CachedEmbedder, field: str, baseline: Baseline | None = None) -> Variant:
    reports: dict[str, object] = {}

    def cell(case: Case, f: Foundation) -> float:
        if case.name not in reports:
            reports[case.name] = audit(case.team, emb, baseline=baseline)
        return float(getattr(reports[case.name].foundations[f], field))  # type: ignore[attr-defined]

    return cell


# Per split, per team: the team's four (label, figure) cells. Teams are the unit of resampling.
Cells = dict[str, dict[str, list[tuple[str, float]]]]
HELD = "held aside"  # every split but dev: teams never used to choose anything


def cells(cases: list[Case], variant: Variant) -> Cells:
    out: Cells = {}
    for case in cases:
        team = [(case.labels[f.value], variant(case, f)) for f in Foundation]
        out.setdefault(case.split, {})[case.name] = team
        if case.split != "dev":
            out.setdefault(HELD, {})[case.name] = team
    return out


def by_label(teams: Iterable[list[tuple[str, float]]]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {label: [] for label in LABELS}
    for team in teams:
        for label, value in team:
            out[label].append(value)
    return out


def aucs(c: dict[str, list[float]]) -> tuple[float, float, float]:
    return (
        auc(c["aligned"], c["divergent"]),
        auc(c["aligned"], c["partial"]),
        auc(c["partial"], c["divergent"]),
    )


def interval(
    teams: dict[str, list[tuple[str, float]]], rounds: int = 2000, seed: int = 3
) -> list[tuple[float, float]]:
    """90% bootstrap interval of each AUC, resampling whole teams (cells of a team share its
    writer and its managers, so they are not independent)."""
    rng = np.random.default_rng(seed)
    names = sorted(teams)
    draws = []
    for _ in range(rounds):
        chosen = by_label(teams[names[i]] for i in rng.integers(0, len(names), len(names)))
        if all(chosen[label] for label in LABELS):
            draws.append(aucs(chosen))
    lo, hi = np.percentile(np.asarray(draws), [5, 95], axis=0)
    return list(zip(lo.tolist(), hi.tolist(), strict=True))


def unrelated_pairs(answers_: list[list[str]], n: int, seed: int) -> list[tuple[int, int]]:
    pairs = list(combinations(range(len(answers_)), 2))
    random.Random(seed).shuffle(pairs)
    return pairs[:n]


def fit_bands(c: dict[str, list[float]]) -> tuple[float, float, float]:
    """Thresholds (low, high) that classify the most dev cells correctly, and that accuracy."""
    values = sorted({v for vs in c.values() for v in vs})
    cuts = [(a + b) / 2 for a, b in itertools.pairwise(values)]
    best = (0.0, 0.0, -1.0)
    for lo in cuts:
        for hi in cuts:
            if hi <= lo:
                continue
            correct = sum(v >= hi for v in c["aligned"])
            correct += sum(lo <= v < hi for v in c["partial"])
            correct += sum(v < lo for v in c["divergent"])
            acc = correct / sum(len(v) for v in c.values())
            if acc > best[2]:
                best = (lo, hi, acc)
    return best


def confusion(c: dict[str, list[float]], lo: float, hi: float) -> str:
    def word(v: float) -> str:
        return "aligned" if v >= hi else "partial" if v >= lo else "divergent"

    lines = ["truth / read as".ljust(16) + "".join(f"{w:>11}" for w in LABELS)]
    for label in LABELS:
        counts = [sum(word(v) == w for v in c[label]) for w in LABELS]
        lines.append(f"{label:<16}" + "".join(f"{n:>11}" for n in counts))
    return "\n".join(lines)


def main() -> int:
    if not (STSB / "sts-dev.csv").exists() or not ORGS.exists():
        print(f"skipped: {STSB} or {ORGS} not found")
        return 0
    cases = load_cases(sealed="--sealed" in sys.argv[1:])
    missions, values = read_missions(), read_values()
    shipped_weights = default_token_weights()
    emb = CachedEmbedder()  # the shipped vectors: domain-weighted pooling, idf ** 2
    plain = CachedEmbedder(SentenceTransformerEmbedder(pooling="model"))  # plain mean pooling
    plain_baseline, _ = derive(plain, missions, values)

    def weighted(power: float) -> tuple[CachedEmbedder, Baseline]:
        weights = replace(shipped_weights, power=power)
        e = Undiscounted(SentenceTransformerEmbedder(token_weights=weights))
        return e, derive(e, missions, values)[0]

    def centred(b: Baseline) -> Callable[[np.ndarray], np.ndarray]:
        return lambda v: normalise(v - b.mean)

    def top_removed(b: Baseline) -> Callable[[np.ndarray], np.ndarray]:
        def transform(v: np.ndarray) -> np.ndarray:
            x = v - b.mean
            return normalise(x - (x @ b.components.T) @ b.components)

        return transform

    p = shipped_weights.power
    variants: list[tuple[str, Variant]] = [
        ("whole answer, raw cosine", per_pair(plain, lambda v: v, whole=True)),
        ("best match, raw cosine", per_pair(plain, lambda v: v, whole=False)),
        ("whole answer, domain mean removed", per_pair(plain, centred(plain_baseline), True)),
        ("best match, domain mean removed", per_pair(plain, centred(plain_baseline), False)),
        ("best match, mean + top-5 PCs removed", per_pair(plain, top_removed(plain_baseline), 0)),
        ("best match, double-centred index", product(plain, "index", plain_baseline)),
        (f"weighted idf^{p:g}: best match, raw cosine", per_pair(emb, lambda v: v, whole=False)),
        (f"weighted idf^{p:g}: best match, STS score", product(emb, "score")),
    ]
    for power in (1.0, 3.0, p):
        e, b = weighted(power)
        variants.append((f"weighted idf^{power:g}: double-centred index", product(e, "index", b)))
    variants.append(
        (f"weighted idf^{p:g} + team discount^{TEAM_POWER:g} (shipped)", product(emb, "index"))
    )
    splits = sorted({c.split for c in cases} - {"dev"})
    print(
        f"Evaluation set: {len(cases)} teams ({sum(c.split == 'dev' for c in cases)} dev; held "
        "aside: "
        + ", ".join(f"{sum(c.split == s for c in cases)} {s}" for s in splits)
        + f"); model {emb.name}"
    )
    baseline = tables_of(MINILM).baseline
    print(
        f"Shipped: token weights {shipped_weights.version}, baseline {baseline.version}, "
        f"calibration {tables_of(MINILM).calibration.version}. Rows without 'weighted' pool each "
        "statement's tokens with the plain mean (the model's own pooling), with a baseline "
        "derived in this run the same way.\n"
    )
    head = f"{'variant':<52}{'dev A-D':>8}{'A-P':>6}{'P-D':>6}{'held A-D':>10}{'A-P':>6}{'P-D':>6}"
    print(head)
    print("-" * len(head))
    index_cells: Cells = {}
    for name, variant in variants:
        index_cells = cells(cases, variant)
        d = aucs(by_label(index_cells["dev"].values()))
        h = aucs(by_label(index_cells[HELD].values()))
        print(
            f"{name:<52}{d[0]:>8.3f}{d[1]:>6.3f}{d[2]:>6.3f}{h[0]:>10.3f}{h[1]:>6.3f}{h[2]:>6.3f}"
        )
    print(f"'held' = all {len(index_cells[HELD])} held-aside teams together\n")
    print("The shipped index by split, with 90% bootstrap intervals (whole teams resampled):")
    head = f"{'split':<14}{'teams':>6}" + "".join(f"{n:>22}" for n in ("A-D", "A-P", "P-D"))
    print(head)
    print("-" * len(head))
    for split in ("dev", *splits, HELD):
        teams = index_cells[split]
        point = aucs(by_label(teams.values()))
        ci = interval(teams)
        print(
            f"{split:<14}{len(teams):>6}"
            + "".join(
                f"{f'{v:.3f} [{lo:.2f}, {hi:.2f}]':>22}"
                for v, (lo, hi) in zip(point, ci, strict=True)
            )
        )
    print("floors (held aside): A-D >= 0.95, A-P >= 0.75, P-D >= 0.75\n")

    # Pair scores on the human scale: STS-B dev and unrelated organisations.
    left, right, gold_l = read_stsb(STSB / "sts-dev.csv")
    tl, tr, tg = read_stsb(STSB / "sts-train.csv")
    gold = np.asarray(gold_l)
    mission_pairs = unrelated_pairs(missions, 3000, seed=7)
    values_pairs = unrelated_pairs(values, 1000, seed=7)

    def unrelated(e: CachedEmbedder, c: Calibration) -> list[float]:
        out = []
        for data, pairs in ((missions, mission_pairs), (values, values_pairs)):
            s = c.to_score(
                np.array(
                    [best_match(e.encode(data[i]), e.encode(data[j])).agreement for i, j in pairs]
                )
            )
            out += [float((s < 2).mean()), float((s < 3).mean())]
        return out

    def cosines(e: CachedEmbedder, a: list[str], b: list[str]) -> np.ndarray:
        return np.sum(e.encode(a) * e.encode(b), axis=1)

    cos_train = cosines(plain, tl, tr)
    refit = Calibration(
        "refit",
        plain.name,
        *map(tuple, table_from_fit(cos_train, fit_isotonic(cos_train, np.asarray(tg)))),
    )
    linear = Calibration("x5", emb.name, (-1.0, 0.0, 1.0), (0.0, 0.0, 5.0))
    cal = tables_of(MINILM).calibration
    print("Pair scores (0-5): STS-B dev, and pairs of unrelated organisations' answers")
    head = f"{'pair score':<52}{'Spearman':>9}{'MAE':>7}" + "".join(
        f"{c:>7}" for c in ("mis<2", "mis<3", "val<2", "val<3")
    )
    print(head)
    print("-" * len(head))
    rows = [
        ("mean pooling, raw cosine x 5", plain, linear),
        ("mean pooling, calibrated (fitted in this run)", plain, refit),
        (f"weighted idf^{p:g}, calibrated ({cal.version}, shipped)", emb, cal),
    ]
    for name, e, c in rows:
        pred = c.to_score(cosines(e, left, right))
        rho = spearmanr(pred, gold).statistic
        mae = float(np.mean(np.abs(pred - gold)))
        u = unrelated(e, c)
        print(f"{name:<52}{rho:>9.4f}{mae:>7.3f}" + "".join(f"{x:>7.1%}" for x in u))
    print("floors: Spearman >= 0.86, MAE <= 0.58, mission pairs < 2: >= 90%, < 3: >= 99%\n")

    lo, hi, acc = fit_bands(by_label(index_cells["dev"].values()))
    print(
        f"Index bands fitted on dev: partly aligned >= {lo:.3f}, aligned >= {hi:.3f} "
        f"(dev accuracy {acc:.0%})"
    )
    shipped = tables_of(MINILM).bands
    if shipped is None:
        return 0
    print(
        f"shipped bands ({shipped.version}): partly aligned >= {shipped.partly:.3f}, "
        f"aligned >= {shipped.aligned:.3f}"
    )
    lo, hi = shipped.partly, shipped.aligned
    for split in ("dev", *splits, HELD):
        c = by_label(index_cells[split].values())
        right_ = (
            sum(v >= hi for v in c["aligned"])
            + sum(lo <= v < hi for v in c["partial"])
            + sum(v < lo for v in c["divergent"])
        )
        print(
            f"\n{split}: shipped bands read {right_} of {sum(map(len, c.values()))} cells "
            "as labelled"
        )
        print(confusion(c, lo, hi))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

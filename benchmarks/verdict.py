"""The verdict, model by model: does it say what a person reading the answers would say?

Usage: python benchmarks/verdict.py [--models KEY ...] [--sealed] [--fit-bands] [--fit-classifier]
For each catalogue model (catalogue.KEYS), through the shipped pipeline with that model's own
calibration and baseline:
- AUC of the index, aligned > divergent, aligned > partial, partial > divergent, on every split
  of benchmarks/evalset and on all held-aside teams together, with 90% bootstrap intervals
  (whole teams resampled);
- the verdict against the label: accuracy where it does not say "can't tell", and how often
  it says "can't tell", per split;
- translated teams (benchmarks/crosslingual): the share of foundations whose verdict equals
  the English original's;
- synthetic teams of unrelated organisations (../shared/data/orgs): the share read
  "not aligned";
- statement similarity on STS Benchmark dev: Spearman and MAE of the pair score, beside the
  bare model's cosine.
--fit-bands fits each model's bands on the open teams (every split but `sealed`) and writes
src/alignaudit/data/models/KEY/bands.json: the two thresholds that read the most open cells as
labelled, then the margin that maximises right minus wrong verdicts with "can't tell" in at
most 30% of open cells. --fit-classifier adds to a model's bands a verdict classifier
(verdict.Classifier) fitted on the open cells, with "can't tell" in at most 25% of them; no
shipped model has one (docs/verdict.md says why). The `checked` sentence reports print
(what the bands proved worth on teams written blind) is written into bands.json by hand
after a sealed opening: a refit leaves it empty until the next one. --sealed adds the
sealed teams (open them once, for a choice recorded first in benchmarks/evalset/README.md).
Needs ../shared; prints "skipped" without it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import yaml
from scipy.stats import spearmanr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts"))
from fit_baseline import memoised
from judgement import HELD, LABELS, SEALED, Case, aucs, by_label, interval, load_cases
from orgs import ORGS, read_missions, read_values
from stsb import STSB, read_stsb

from alignaudit.core.results import TeamReport
from alignaudit.core.types import Answer, AuditOptions, Foundation, Manager, Team
from alignaudit.core.verdict import ALIGNED, CANT_TELL, NOT_ALIGNED, PARTLY, Bands, verdict
from alignaudit.embedding.interface import Embedder
from alignaudit.features.auditor import audit
from alignaudit.inputs.answers import load_team
from alignaudit.inputs.atomic import write_atomic
from alignaudit.scoring.catalogue import DEFAULT, KEYS, build, tables_of

DATA = HERE.parent / "src" / "alignaudit" / "data" / "models"
CROSSLINGUAL = HERE / "crosslingual"
WORDS = {"aligned": ALIGNED, "partial": PARTLY, "divergent": NOT_ALIGNED}
MAX_CANT_TELL = 0.30


@dataclass(frozen=True)
class Cell:
    team: str
    split: str
    label: str
    index: float
    interval: tuple[float, float] | None
    lowest: float | None  # the lowest manager's mean index with the others
    pairs: tuple[float, ...] = ()  # every pair's index


def cells_of(cases: Sequence[Case], emb: Embedder) -> list[Cell]:
    out = []
    for case in cases:
        report = audit(case.team, emb, bands=None)
        for f in Foundation:
            r = report.foundations[f]
            assert r.index is not None
            out.append(
                Cell(
                    case.name,
                    case.split,
                    case.labels[f.value],
                    r.index,
                    r.index_interval,
                    r.lowest_index(),
                    tuple(p.index for p in r.pairs),
                )
            )
    return out


OPEN = "all but sealed"


def groups(cells: list[Cell]) -> dict[str, list[Cell]]:
    """Each split, the held-aside ones together, and the open ones (all but sealed)."""
    out: dict[str, list[Cell]] = {}
    for c in cells:
        out.setdefault(c.split, []).append(c)
        if c.split != "dev":
            out.setdefault(HELD, []).append(c)
        if c.split != SEALED:
            out.setdefault(OPEN, []).append(c)
    return out


def team_cells(cells: list[Cell]) -> dict[str, list[tuple[str, float]]]:
    teams: dict[str, list[tuple[str, float]]] = {}
    for c in cells:
        teams.setdefault(c.team, []).append((c.label, c.index))
    return teams


def told(cells: list[Cell], bands: Bands, intervals: bool = True) -> tuple[int, int, int]:
    """(right, wrong, can't tell) of the verdicts against the labels (without `intervals`:
    of the band words alone)."""
    right = wrong = unsure = 0
    for c in cells:
        v = verdict(c.index, c.interval if intervals else None, bands, c.lowest, c.pairs)
        if v == CANT_TELL:
            unsure += 1
        elif v == WORDS[c.label]:
            right += 1
        else:
            wrong += 1
    return right, wrong, unsure


def fit_bands(cells: list[Cell], key: str, floor: float) -> Bands:
    """`floor`: the lowest "partly aligned" may start, so that teams of unrelated
    organisations read "not aligned" (the 95th percentile of their indices)."""
    values = sorted({c.index for c in cells})
    cuts = [(a + b) / 2 for a, b in itertools.pairwise(values)]
    best = (-1, 0.0, 0.0)
    for lo, hi in itertools.combinations(cuts, 2):
        if lo < floor:
            continue
        right = told(cells, Bands("fit", hi, lo, 0.0), intervals=False)[0]
        if right > best[0]:
            best = (right, lo, hi)
    _, lo, hi = best
    # then how high every manager must stand for "aligned" (0: no such check)
    everyone, right = 0.0, best[0]
    for e in np.round(np.arange(0.0, hi, 0.02), 2):
        r = told(cells, Bands("fit", hi, lo, 0.0, "", float(e)), intervals=False)[0]
        if r > right:
            everyone, right = float(e), r
    margins = [round(m, 2) for m in np.arange(0.0, 0.41, 0.02)]
    chosen, utility = 1.0, -len(cells)
    for m in margins:
        right, wrong, unsure = told(cells, Bands("fit", hi, lo, m, "", everyone))
        if unsure <= MAX_CANT_TELL * len(cells) and right - wrong > utility:
            chosen, utility = m, right - wrong
    return Bands(
        f"{key}-open-2",
        round(hi, 3),
        round(lo, 3),
        float(chosen),
        f"benchmarks/verdict.py --fit-bands on {len({c.team for c in cells})} open teams",
        everyone,
    )


AGREE = 0.5  # a pair counts as agreeing from this index (the middle of the scale)
CLASSIFIER_CANT_TELL = 0.25


def fit_classifier(cells: list[Cell], bands: Bands) -> Bands:
    """The bands with a Classifier fitted on the open cells (teams of unrelated organisations,
    tried as extra divergent cells, outnumber the partial ones and blur aligned against
    partial), and the lowest probability it may speak at:
    the one that reads the largest share of the verdicts it gives right with "can't tell" in
    at most CLASSIFIER_CANT_TELL of open cells (below the floor of 30%, for slack)."""
    from sklearn.linear_model import LogisticRegression

    from alignaudit.core.verdict import Classifier, agreeing_share

    order = {"aligned": 0, "partial": 1, "divergent": 2}
    train = [c for c in cells if c.lowest is not None and len(c.pairs) >= 3]
    x = np.array([[c.index, agreeing_share(c.pairs, AGREE), c.lowest] for c in train])
    y = np.array([order[c.label] for c in train])
    model = LogisticRegression(C=1.0, max_iter=5000).fit(x, y)
    assert list(model.classes_) == [0, 1, 2]
    best, chosen = -1.0, 0.0
    for p in np.round(np.arange(0.34, 0.9, 0.02), 2):
        c = Classifier(
            tuple(tuple(round(float(w), 6) for w in row) for row in model.coef_),  # type: ignore[misc]
            tuple(round(float(b), 6) for b in model.intercept_),  # type: ignore[arg-type]
            AGREE,
            float(p),
        )
        right, wrong, unsure = told(cells, replace(bands, classifier=c))
        share = right / max(right + wrong, 1)
        if unsure <= CLASSIFIER_CANT_TELL * len(cells) and share > best:
            best, chosen = share, float(p)
    return replace(bands, classifier=replace(c, min_probability=chosen))


def crosslingual(emb: Embedder, bands: Bands | None) -> tuple[int, int]:
    """(same verdict, foundations) of translated teams against their English originals."""
    same = total = 0
    if not CROSSLINGUAL.is_dir():
        return 0, 0
    for folder in sorted(p for p in CROSSLINGUAL.iterdir() if p.is_dir()):
        source = yaml.safe_load((folder / "_truth.yaml").read_text("utf-8"))["source"]
        original = audit(load_team(HERE.parent / source), emb, bands=bands)
        translated = audit(load_team(folder), emb, bands=bands)
        for f in Foundation:
            total += 1
            same += original.foundations[f].verdict == translated.foundations[f].verdict
    return same, total


def unrelated_teams(
    emb: Embedder, bands: Bands | None, teams: int = 60, seed: int = 11
) -> tuple[float, list[float]]:
    """Share of foundations read "not aligned" in teams of 5 unrelated organisations (their
    missions as mission, vision and positioning; their values as values), and their indices."""
    missions, values = read_missions(), read_values()
    rng = random.Random(seed)
    verdicts: list[str] = []
    indices: list[float] = []
    for t in range(teams):
        members = []
        for k, (i, j) in enumerate(
            zip(rng.sample(range(len(missions)), 5), rng.sample(range(len(values)), 5), strict=True)
        ):
            mission = Answer(tuple(missions[i]), 1)
            answers = {
                Foundation.VISION: mission,
                Foundation.MISSION: mission,
                Foundation.VALUES: Answer(tuple(values[j]), 1),
                Foundation.POSITIONING: mission,
            }
            members.append(Manager(f"org {k}", f"org-{k}.yaml", answers=answers))
        report: TeamReport = audit(
            Team(f"unrelated {t}", "-", tuple(members)),
            emb,
            AuditOptions(foundations=(Foundation.MISSION, Foundation.VALUES)),
            bands=bands,
        )
        verdicts += [r.verdict or CANT_TELL for r in report.foundations.values()]
        indices += [r.index or 0.0 for r in report.foundations.values()]
    return sum(v == NOT_ALIGNED for v in verdicts) / len(verdicts), indices


def sts(emb: Embedder, key: str) -> tuple[float, float, float]:
    """Spearman and MAE of the calibrated pair score, and the Spearman of the bare cosine."""
    left, right, gold_l = read_stsb(STSB / "sts-dev.csv")
    gold = np.asarray(gold_l)
    a, b = emb.encode(left), emb.encode(right)
    cosine = np.sum(np.asarray(a, dtype=np.float64) * b, axis=1)
    pred = tables_of(key).calibration.to_score(cosine)
    return (
        float(spearmanr(pred, gold).statistic),
        float(np.mean(np.abs(pred - gold))),
        float(spearmanr(cosine, gold).statistic),
    )


def fmt_aucs(cells: list[Cell]) -> str:
    teams = team_cells(cells)
    point = aucs(by_label(teams.values()))
    ci = interval(teams)
    return "  ".join(f"{v:.3f} [{lo:.2f},{hi:.2f}]" for v, (lo, hi) in zip(point, ci, strict=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", choices=KEYS, default=list(KEYS))
    parser.add_argument("--sealed", action="store_true")
    parser.add_argument("--fit-bands", action="store_true")
    parser.add_argument(
        "--fit-classifier",
        action="store_true",
        help="fit each model's verdict classifier on the open teams (keeps its bands)",
    )
    args = parser.parse_args()
    if not (STSB / "sts-dev.csv").exists() or not ORGS.exists():
        print(f"skipped: {STSB} or {ORGS} not found")
        return 0
    cases = load_cases(sealed=args.sealed)
    splits = sorted({c.split for c in cases} - {"dev"})
    print(
        f"{len(cases)} teams: "
        + ", ".join(f"{sum(c.split == s for c in cases)} {s}" for s in ("dev", *splits))
        + f"; default model {DEFAULT}\n"
    )
    for key in args.models:
        emb = memoised(build(key))
        cells = cells_of(cases, emb)
        if args.fit_bands:
            # other synthetic teams than the check below (seed 11) draws
            floor = float(np.quantile(unrelated_teams(emb, None, seed=5)[1], 0.95))
            bands = fit_bands([c for c in cells if c.split != SEALED], key, floor)
            out = DATA / key / "bands.json"
            write_atomic(out, json.dumps(bands.__dict__, indent=1) + "\n")
            print(f"wrote {out}")
        bands = tables_of(key).bands if not args.fit_bands else bands
        if args.fit_classifier and bands is not None:
            open_cells = [c for c in cells if c.split != SEALED]
            bands = fit_classifier(open_cells, bands)
            out = DATA / key / "bands.json"
            data = json.loads(out.read_text("utf-8"))
            data["classifier"] = bands.classifier.__dict__ if bands.classifier else None
            data["checked"] = ""  # what the classifier is worth is not measured yet
            write_atomic(out, json.dumps(data, indent=1) + "\n")
            print(f"wrote the classifier into {out}")
        print(f"== {key}: {emb.name}; bands {bands}")
        print(
            f"{'split':<12}{'cells':>6}  {'AUC A-D':<20}{'A-P':<20}{'P-D':<20}"
            f"{'verdict right':>14}{'wrong':>7}{'cant tell':>11}"
        )
        for split, group in sorted(groups(cells).items(), key=lambda kv: (kv[0] != "dev", kv[0])):
            r, w, u = told(group, bands) if bands else (0, 0, len(group))
            acc = r / (r + w) if r + w else float("nan")
            print(
                f"{split:<12}{len(group):>6}  {fmt_aucs(group)}  {acc:>8.0%} of told"
                f"{w:>5}{u / len(group):>10.0%}"
            )
            if bands is not None and bands.classifier is not None:  # the bands alone, beside
                r, w, u = told(group, replace(bands, classifier=None))
                acc = r / (r + w) if r + w else float("nan")
                print(
                    f"{'':<12}{'':>6}  {'(bands alone, without the classifier)':<62}"
                    f"{acc:>8.0%} of told{w:>5}{u / len(group):>10.0%}"
                )
        same, total = crosslingual(emb, bands)
        if total:
            print(
                f"translated teams: same verdict as the English original on {same}/{total} "
                f"foundations ({same / total:.0%})"
            )
        print(
            f"unrelated organisations: 'not aligned' on {unrelated_teams(emb, bands)[0]:.0%} "
            "of foundations"
        )
        rho, mae, bare = sts(emb, key)
        print(
            f"STS-B dev: pair score Spearman {rho:.4f} (bare cosine {bare:.4f}), MAE {mae:.3f}\n",
            flush=True,
        )
    for label in LABELS:
        assert label in WORDS
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

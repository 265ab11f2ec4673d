"""Derive the domain baseline of a catalogue model (src/alignaudit/data/models/KEY/).

Usage: python scripts/fit_baseline.py [--model KEY]
From ../shared/data/orgs (real organisations' missions and values) it derives only figures:
the mean statement vector, the top principal components, and the null distribution of
agreement between unrelated organisations, computed with the package's own index code on
synthetic teams of unrelated organisations. No sentence of the corpus is written out.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from orgs import ORGS, read_missions, read_values

from alignaudit.core.types import Foundation
from alignaudit.embedding.ensemble import Ensemble
from alignaudit.embedding.interface import Embedder, embed_unique
from alignaudit.embedding.memo import MemoEmbedder
from alignaudit.embedding.pooling import team_discount
from alignaudit.inputs.atomic import write_atomic
from alignaudit.scoring.baseline import Baseline, from_dict, team_context
from alignaudit.scoring.catalogue import DEFAULT, KEYS, build, segments_of

DATA = Path(__file__).resolve().parents[1] / "src" / "alignaudit" / "data" / "models"
# 3: vectors pooled with the domain token weights; 4: team discount; 5: one per model
VERSION = "orgs-dc5-5"
# How much of the domain mean each model's block subtracts (the team context already holds most
# of it): 1 for MiniLM, whose mean is small; 0.35 for e5, whose statements all share one
# strong direction, chosen among 0, 0.35, 0.5, 0.65 and 1 on the open evaluation teams
# (docs/verdict.md).
MEAN_WEIGHTS = {"minilm": (1.0,), "e5-small": (0.35,), "ensemble": (1.0, 0.35)}
# The null CDF is stored as quantiles at 0.5%, 1.5%, ..., 99.5%.
QUANTILES = [round(0.005 + i / 100, 3) for i in range(100)]


def null_agreements(
    baseline: Baseline,
    embedder: Embedder,
    missions: list[list[str]],
    values: list[list[str]],
    vec: dict[str, np.ndarray],
    teams: int,
    size: int,
    seed: int,
) -> dict[str, list[float]]:
    """Pair agreements inside synthetic teams whose 'managers' are unrelated organisations,
    with each team's vectors made as audit() makes them (its discount, where the model takes
    one)."""
    rng = random.Random(seed)
    out: dict[str, list[float]] = {"mission": [], "values": []}
    discount = embedder.pools_by_token
    ids = dict(zip(vec, embedder.token_ids(list(vec)), strict=True)) if discount else {}
    for _ in range(teams):
        members = [
            {"mission": missions[i], "values": values[j]}
            for i, j in zip(
                rng.sample(range(len(missions)), size),
                rng.sample(range(len(values)), size),
                strict=True,
            )
        ]
        texts = list(dict.fromkeys(t for m in members for a in m.values() for t in a))
        if discount:
            answers = (a for m in members for a in m.values())
            factors = team_discount({i for t in a for i in ids[t]} for a in answers)
            _, pooled = embedder.encode_discounted(texts, factors)
            own = dict(zip(texts, np.asarray(pooled, dtype=np.float64), strict=True))
        else:
            own = vec
        vectors = [{f: np.stack([own[t] for t in a]) for f, a in m.items()} for m in members]
        everything = np.concatenate([v for m in vectors for v in m.values()])
        total, count = everything.sum(axis=0), len(everything)
        for f in out:
            for a, b in combinations(vectors, 2):
                removed = a[f].sum(axis=0) + b[f].sum(axis=0)
                ctx = team_context(total, count, removed, len(a[f]) + len(b[f]))
                out[f].append(baseline.pair_agreement(a[f], b[f], ctx))
    return out


def memoised(embedder: Embedder) -> Embedder:
    """The embedder with each text encoded once per run (an ensemble's members each)."""
    if isinstance(embedder, Ensemble):
        return Ensemble(embedder.name, [MemoEmbedder(m) for m in embedder.members])
    return MemoEmbedder(embedder)


def index_vectors(embedder: Embedder, texts: list[str]) -> dict[str, np.ndarray]:
    """The vectors the index compares, before any team's discount: a token-pooled model's
    index pooling (not its statement-similarity vectors), else its only vectors."""
    if not embedder.pools_by_token:
        found = embed_unique(embedder, texts)
        return {s: np.asarray(v, dtype=np.float64) for s, v in found.items()}
    unique = list(dict.fromkeys(texts))
    _, pooled = embedder.encode_discounted(unique, {})
    return dict(zip(unique, np.asarray(pooled, dtype=np.float64), strict=True))


def derive(
    embedder: Embedder,
    missions: list[list[str]],
    values: list[list[str]],
    *,
    components: int = 5,
    teams: int = 400,
    team_size: int = 5,
    segments: tuple[int, ...] = (),
    mean_weights: tuple[float, ...] = (),
) -> tuple[Baseline, dict[str, dict]]:  # type: ignore[type-arg]
    """The baseline of `embedder`'s vectors: domain mean, top components and null quantiles
    (benchmarks/judgement.py derives one in-run for each pooling it compares)."""
    vec = index_vectors(embedder, [s for a in missions + values for s in a])
    corpus = np.stack([vec[s] for a in missions + values for s in a])
    centre = corpus.mean(axis=0)
    mean = centre.copy()  # what the index subtracts: the domain mean, times each model's weight
    top = np.zeros((0, corpus.shape[1]))
    bounds = np.cumsum((0, *(segments or (corpus.shape[1],))))
    weights = mean_weights or (1.0,) * (len(bounds) - 1)
    for (lo, hi), weight in zip(itertools.pairwise(bounds), weights, strict=True):
        _, _, vt = np.linalg.svd(corpus[:, lo:hi] - centre[lo:hi], full_matrices=False)
        block = np.zeros((min(components, len(vt)), corpus.shape[1]))
        block[:, lo:hi] = vt[:components]  # each model's own top components
        top = np.concatenate([top, block])
        mean[lo:hi] *= weight
    provisional = Baseline(VERSION, embedder.name, mean, top, {}, np.zeros(0), {}, segments)
    nulls = null_agreements(provisional, embedder, missions, values, vec, teams, team_size, seed=1)
    null = {}
    for f in Foundation:
        corpus_name = "values" if f is Foundation.VALUES else "mission"
        sample = np.asarray(nulls[corpus_name])
        null[f.value] = {
            "source": f"{corpus_name} statements of unrelated organisations"
            + ("" if f.value == corpus_name else " (no published corpus for this foundation)"),
            "pairs": len(sample),
            "median": round(float(np.median(sample)), 6),
            "probabilities": QUANTILES,
            "quantiles": [round(float(np.quantile(sample, q)), 6) for q in QUANTILES],
        }
    baseline = from_dict(
        {
            "version": VERSION,
            "model": embedder.name,
            "mean": mean.tolist(),
            "components": top.tolist(),
            "null": null,
            "segments": list(segments),
        }
    )
    return baseline, null


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=Path, default=ORGS)
    parser.add_argument("--components", type=int, default=5)
    parser.add_argument("--teams", type=int, default=400)
    parser.add_argument("--team-size", type=int, default=5)
    parser.add_argument("--model", choices=KEYS, default=DEFAULT)
    args = parser.parse_args()
    missions, values = read_missions(args.orgs), read_values(args.orgs)
    embedder = memoised(build(args.model))
    baseline, null = derive(
        embedder,
        missions,
        values,
        components=args.components,
        teams=args.teams,
        team_size=args.team_size,
        segments=segments_of(args.model),
        mean_weights=MEAN_WEIGHTS[args.model],
    )
    statements = sum(len(a) for a in missions + values)
    mean, components = baseline.mean, baseline.components
    data = {
        "version": VERSION,
        "model": embedder.name,
        "model_sha256": embedder.sha256,
        "source": f"../shared/data/orgs: {len(missions)} mission statements (first "
        f"sentences), values of {len(values)} companies; {statements} statements; "
        f"null from {args.teams} synthetic teams of {args.team_size} unrelated organisations; "
        "scripts/fit_baseline.py",
        "mean": [round(float(x), 7) for x in mean],
        "components": [[round(float(x), 7) for x in row] for row in components],
        "null": null,
        "segments": list(baseline.segments),
        "mean_weights": list(MEAN_WEIGHTS[args.model]),
    }
    out = DATA / args.model / "baseline.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {out}: {statements} statements, {args.components} components")
    for f, v in null.items():
        print(f"  null {f}: median {v['median']:.3f} ({v['pairs']} pairs; {v['source']})")


if __name__ == "__main__":
    main()

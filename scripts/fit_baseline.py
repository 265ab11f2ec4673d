"""Derive the domain baseline shipped in src/alignaudit/data/baseline.json.

Usage: python scripts/fit_baseline.py
From ../shared/data/orgs (real organisations' missions and values) it derives only figures:
the mean statement vector, the top principal components, and the null distribution of
agreement between unrelated organisations, computed with the package's own index code on
synthetic teams of unrelated organisations. No sentence of the corpus is written out.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from orgs import ORGS, read_missions, read_values

from alignaudit.baseline import Baseline, from_dict, pair_context
from alignaudit.embedding import Embedder, SentenceTransformerEmbedder, embed_unique
from alignaudit.model import Foundation
from alignaudit.output import write_atomic
from alignaudit.pooling import team_discount

OUT = Path(__file__).resolve().parents[1] / "src" / "alignaudit" / "data" / "baseline.json"
VERSION = "orgs-dc5-4"  # 3: vectors pooled with the domain token weights; 4: team discount
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
    discount = getattr(embedder, "pools_by_token", False)
    ids = (
        dict(zip(vec, embedder.token_ids(list(vec)), strict=True))  # type: ignore[attr-defined]
        if discount
        else {}
    )
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
            _, pooled = embedder.encode_discounted(texts, factors)  # type: ignore[attr-defined]
            own = dict(zip(texts, np.asarray(pooled, dtype=np.float64), strict=True))
        else:
            own = vec
        vectors = [{f: np.stack([own[t] for t in a]) for f, a in m.items()} for m in members]
        everything = np.concatenate([v for m in vectors for v in m.values()])
        total, count = everything.sum(axis=0), len(everything)
        for f in out:
            for a, b in combinations(vectors, 2):
                ctx = pair_context(total, count, a[f], b[f])
                out[f].append(baseline.pair_agreement(a[f], b[f], ctx))
    return out


def derive(
    embedder: Embedder,
    missions: list[list[str]],
    values: list[list[str]],
    *,
    components: int = 5,
    teams: int = 400,
    team_size: int = 5,
) -> tuple[Baseline, dict[str, dict]]:  # type: ignore[type-arg]
    """The baseline of `embedder`'s vectors: domain mean, top components and null quantiles
    (benchmarks/judgement.py derives one in-run for each pooling it compares)."""
    vec = {
        s: np.asarray(v, dtype=np.float64)
        for s, v in embed_unique(embedder, [s for a in missions + values for s in a]).items()
    }
    corpus = np.stack([vec[s] for a in missions + values for s in a])
    mean = corpus.mean(axis=0)
    _, _, vt = np.linalg.svd(corpus - mean, full_matrices=False)
    top = vt[:components]
    provisional = Baseline(VERSION, embedder.name, mean, top, {}, np.zeros(0), {})
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
        }
    )
    return baseline, null


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=Path, default=ORGS)
    parser.add_argument("--components", type=int, default=5)
    parser.add_argument("--teams", type=int, default=400)
    parser.add_argument("--team-size", type=int, default=5)
    args = parser.parse_args()
    missions, values = read_missions(args.orgs), read_values(args.orgs)
    embedder = SentenceTransformerEmbedder()
    baseline, null = derive(
        embedder,
        missions,
        values,
        components=args.components,
        teams=args.teams,
        team_size=args.team_size,
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
    }
    write_atomic(OUT, json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {OUT}: {statements} statements, {args.components} components")
    for f, v in null.items():
        print(f"  null {f}: median {v['median']:.3f} ({v['pairs']} pairs; {v['source']})")


if __name__ == "__main__":
    main()

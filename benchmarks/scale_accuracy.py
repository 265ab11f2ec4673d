"""How far is the large-team path from the exact audit on teams of 20-50 managers?

Usage: python benchmarks/scale_accuracy.py [--cache-dir DIR] [--draws N]

Teams of 20, 30, 40 and 50 managers are pooled from the labelled evaluation set and the example
teams (real answers: colleagues of one firm agree with each other more than with the rest, so
each pooled team has several camps). Each team is audited twice with the real model, exactly
(every pair, best match) and with the large-team statistics of scoring/large_team.py, and the
table shows, over teams and foundations, the mean and largest difference of the team figures,
how well each path's per-manager means rank the managers alike (Spearman), and how often the
exact weakest pair is among the large path's listed pairs. It also shows the variant not shipped
(calibrating the team's mean agreement instead of averaging each manager's). Vectors come from
the embedding cache (filled on the first run, about a minute).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from judgement import team_folders

from alignaudit.core.types import Foundation, Manager, Team
from alignaudit.embedding.store import CachingEmbedder, VectorCache
from alignaudit.embedding.transformers import SentenceTransformerEmbedder
from alignaudit.features.auditor import _embed as audit_vectors
from alignaudit.features.auditor import audit
from alignaudit.inputs.answers import answer_files, load_team
from alignaudit.scoring import large_team as scale
from alignaudit.scoring.catalogue import MINILM, tables_of
from alignaudit.scoring.team_vectors import TeamVectors

SIZES = (20, 30, 40, 50)


def pool() -> list[tuple[str, Manager]]:
    # the example teams: every folder of examples/ holding answer files (strategy-repo holds a
    # team one level down, which examples/strategy-repo/teams/* finds)
    examples = HERE.parent / "examples"
    teams = [*examples.glob("*/"), *examples.glob("strategy-repo/teams/*/")]
    folders = team_folders() + sorted(f for f in teams if answer_files(f))
    return [(f.name, m) for f in folders for m in load_team(f).managers]


def draw(managers: list[tuple[str, Manager]], n: int, rng: random.Random) -> Team:
    firms = sorted({firm for firm, _ in managers})
    rng.shuffle(firms)
    chosen: list[Manager] = []
    for firm in firms:  # whole firms, so the team has camps that agree inside
        chosen += [m for f, m in managers if f == firm]
        if len(chosen) >= n:
            break
    picked = rng.sample(chosen, n)
    renamed = tuple(
        Manager(f"{i:02d} {m.name}", m.file, m.role, m.unit, m.answers)
        for i, m in enumerate(picked)
    )
    return Team(f"pooled-{n}", "", renamed)


def variants(
    team: Team, vectors: dict, index_vectors: dict, f: Foundation
) -> dict[str, tuple[float, float]]:
    """(STS score, index) of the foundation by the methods tried and not shipped, on the
    vectors audit() uses (plain for scores, team-discounted for the index)."""
    calibration, baseline = tables_of(MINILM).calibration, tables_of(MINILM).baseline
    answered = [m for m in team.managers if f in m.answers]
    team_vectors = TeamVectors(team.managers, vectors, index_vectors)
    m, z = scale.manager_vectors(answered, f, team_vectors, baseline)
    to_score = calibration.to_score

    def to_index(a: np.ndarray) -> np.ndarray:
        return baseline.index(a, f)

    def unit(x: np.ndarray) -> np.ndarray:
        return x / np.linalg.norm(x, axis=1, keepdims=True)

    raw, centred = scale.team_sums(m), scale.team_sums(z)
    raw_u, centred_u = scale.team_sums(unit(m)), scale.team_sums(unit(z))
    return {
        # f of each manager's mean agreement, no spread (first version)
        "no spread": (
            float(np.mean(to_score(np.clip(raw.loo, -1, 1)))),
            float(np.mean(to_index(centred.loo))),
        ),
        # normalised mean vectors (centroid cosine) with spread
        "centroid cosine": (
            float(
                np.mean(
                    scale.expected(lambda a: to_score(np.clip(a, -1, 1)), raw_u.loo, raw_u.loo_sd)
                )
            ),
            float(np.mean(scale.expected(to_index, centred_u.loo, centred_u.loo_sd))),
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--draws", type=int, default=5, help="teams per size (default 5)")
    args = parser.parse_args()
    managers = pool()
    rng = random.Random(20240601)
    cache = VectorCache(args.cache_dir)
    emb = CachingEmbedder(SentenceTransformerEmbedder(), cache)
    emb.inner.configure(digests=cache)
    print(f"pool: {len(managers)} managers from {len({f for f, _ in managers})} teams")
    keys = ("index", "score", "raw", "rho", "hit", "t_exact", "t_large")
    rows = {n: {k: [] for k in keys} for n in SIZES}
    tried: dict[str, dict[str, list[float]]] = {}
    for n in SIZES:
        for _ in range(args.draws):
            team = draw(managers, n, rng)
            texts = [s for m in team.managers for a in m.answers.values() for s in a.statements]
            vectors, index_vectors, _ = audit_vectors(emb, team.managers, texts)
            t = time.perf_counter()
            exact = audit(team, emb)
            t_exact = time.perf_counter() - t
            saved = scale.LARGE_TEAM
            scale.LARGE_TEAM = 1
            try:
                t = time.perf_counter()
                large = audit(team, emb)
                t_large = time.perf_counter() - t
            finally:
                scale.LARGE_TEAM = saved
            r = rows[n]
            r["t_exact"].append(t_exact)
            r["t_large"].append(t_large)
            for f in Foundation:
                e, g = exact.foundations[f], large.foundations[f]
                if e.score is None:
                    continue
                r["index"].append(g.index - e.index)
                r["score"].append(g.score - e.score)
                r["raw"].append(abs(g.raw - e.raw))
                em, gm = e.manager_means("score"), g.manager_means("score")
                names = list(em)
                r["rho"].append(spearmanr([em[m] for m in names], [gm[m] for m in names])[0])
                worst = min(e.pairs, key=lambda p: p.score)
                r["hit"].append(any({p.a, p.b} == {worst.a, worst.b} for p in g.pairs))
                for name, (vs, vi) in variants(team, vectors, index_vectors, f).items():
                    t_ = tried.setdefault(name, {"score": [], "index": []})
                    t_["score"].append(vs - e.score)
                    t_["index"].append(vi - e.index)
    cache.close()

    def mm(xs: list[float]) -> str:
        a = np.abs(xs)
        return f"{np.mean(a):.3f} / {np.max(a):.3f}"

    print(f"{args.draws} pooled teams per size, 4 foundations each; differences large - exact")
    print(
        f"{'managers':>8} | {'|d index| mean/max':>18} | {'|d STS| mean/max':>16} | "
        f"{'|d raw| mean/max':>16} | {'rank rho min':>12} | {'weakest pair listed':>19} | "
        f"{'exact s':>7} | {'large s':>7}"
    )
    for n in SIZES:
        r = rows[n]
        print(
            f"{n:>8} | {mm(r['index']):>18} | {mm(r['score']):>16} | {mm(r['raw']):>16} | "
            f"{min(r['rho']):>12.2f} | {np.mean(r['hit']):>19.0%} | "
            f"{np.mean(r['t_exact']):>7.2f} | {np.mean(r['t_large']):>7.2f}"
        )
    shipped_i = [x for n in SIZES for x in rows[n]["index"]]
    shipped_s = [x for n in SIZES for x in rows[n]["score"]]
    print()
    print("methods, all sizes (signed bias | mean |d| | max |d|), index and STS score:")
    tried = {"shipped: mean similarity + spread": {"index": shipped_i, "score": shipped_s}, **tried}
    for name, t_ in tried.items():
        di, ds = np.array(t_["index"]), np.array(t_["score"])
        print(
            f"{name:>34} | {di.mean():+.3f} | {mm(list(di)):>13} | "
            f"{ds.mean():+.3f} | {mm(list(ds)):>13}"
        )


if __name__ == "__main__":
    main()

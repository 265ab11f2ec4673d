"""The batched pair arithmetic (scoring/pair_space.py) against the one-pair functions it
replaced on the exact path: every figure and every piece of evidence the same, on random
teams, with and without a domain baseline, with an ensemble's blocks, and with answers of
very different lengths."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from alignaudit.analysis import confidence
from alignaudit.analysis.ideas import SameIdea
from alignaudit.analysis.outliers import standings
from alignaudit.core.results import PairScore
from alignaudit.core.types import Answer, Foundation, Manager
from alignaudit.scoring import pair_space
from alignaudit.scoring.baseline import Baseline
from alignaudit.scoring.calibration import Calibration
from alignaudit.scoring.exact import score_pair, score_pairs
from alignaudit.scoring.team_vectors import TeamVectors

F = Foundation.VALUES
DIM = 8
CALIBRATION = Calibration("t", "m", (-1.0, 0.0, 0.5, 1.0), (0.0, 0.5, 2.5, 5.0))


def baseline(kind: str, rng: np.random.Generator) -> Baseline:
    q = np.sort(rng.uniform(-0.2, 0.6, 5))
    probs = np.linspace(0.0, 1.0, 5)
    mean = rng.normal(size=DIM) * 0.1 if kind != "none" else np.zeros(0)
    comps = np.linalg.qr(rng.normal(size=(DIM, 2)))[0].T if kind != "none" else np.zeros((0, DIM))
    segments = (5, 3) if kind == "ensemble" else ()
    if kind == "ensemble":  # block-diagonal components, as an ensemble's are
        comps = np.zeros((2, DIM))
        comps[0, :5] = np.linalg.qr(rng.normal(size=(5, 1)))[0][:, 0]
        comps[1, 5:] = np.linalg.qr(rng.normal(size=(3, 1)))[0][:, 0]
    return Baseline(
        "t", "m", mean, comps, dict.fromkeys(Foundation, q), probs,
        dict.fromkeys(Foundation, "t"), segments,
    )  # fmt: skip


def team(rng: np.random.Generator, n: int) -> tuple[tuple[Manager, ...], TeamVectors]:
    managers, vectors, index = [], {}, {}
    for i in range(n):
        answers = {}
        for f in (F, Foundation.VISION):
            k = int(rng.integers(1, 7))
            statements = tuple(f"{f.value} {i} {j}" for j in range(k))
            for s in statements:
                v = rng.normal(size=DIM) + (i % 3)  # a few camps
                vectors[s] = (v / np.linalg.norm(v)).astype(np.float32)
                w = v + rng.normal(size=DIM) * 0.3
                index[s] = (w / np.linalg.norm(w)).astype(np.float32)
            answers[f] = Answer(statements, 1)
        managers.append(Manager(f"m{i}", f"m{i}.yaml", answers=answers))
    ms = tuple(managers)
    return ms, TeamVectors(ms, vectors, index)


def same_pair(x: PairScore, y: PairScore) -> None:
    assert (x.a, x.b, x.band) == (y.a, y.b, y.band)
    assert x.raw == pytest.approx(y.raw, abs=1e-12)
    assert x.score == pytest.approx(y.score, abs=1e-12)
    assert x.index == pytest.approx(y.index, abs=1e-12)
    for mx, my in zip(x.a_matches + x.b_matches, y.a_matches + y.b_matches, strict=True):
        assert (mx.statement, mx.best) == (my.statement, my.best)
        assert mx.raw == pytest.approx(my.raw, abs=1e-12)
        assert mx.score == pytest.approx(my.score, abs=1e-12)


@pytest.mark.parametrize("kind", ["none", "domain", "ensemble"])
@pytest.mark.parametrize("seed", range(4))
def test_batched_pairs_equal_one_pair_at_a_time(kind: str, seed: int, monkeypatch):
    monkeypatch.setattr(pair_space, "CHUNK_CELLS", 50)  # many small chunks, a pair per chunk
    rng = np.random.default_rng(seed)
    b = baseline(kind, rng)
    managers, tv = team(rng, int(rng.integers(2, 9)))
    batched = score_pairs(managers, F, tv, CALIBRATION, b)
    one_by_one = [score_pair(x, y, F, tv, CALIBRATION, b) for x, y in combinations(managers, 2)]
    assert len(batched) == len(one_by_one)
    for x, y in zip(batched, one_by_one, strict=True):
        same_pair(x, y)


@pytest.mark.parametrize("threshold", [None, 0.5])
@pytest.mark.parametrize("kind", ["none", "ensemble"])
def test_the_ideas_grid_equals_every_pair_between(threshold, kind):
    rng = np.random.default_rng(7)
    b = baseline(kind, rng)
    managers, tv = team(rng, 5)
    same = SameIdea(tv, b, CALIBRATION, threshold)
    names = tuple(m.name for m in managers)
    grid = same.grid(names, F)
    starts = np.cumsum([0] + [len(m.answers[F].statements) for m in managers])
    for i, j in combinations(range(len(names)), 2):
        expected = same.between(names[i], names[j], F)
        got = grid[starts[i] : starts[i + 1], starts[j] : starts[j + 1]]
        assert got == pytest.approx(expected, abs=1e-12)
    for i in range(len(names)):  # a manager's own statements: against the context without them
        own = same.between(names[i], names[i], F)
        np.fill_diagonal(own, 1.0)
        got = grid[starts[i] : starts[i + 1], starts[i] : starts[i + 1]]
        assert got == pytest.approx(own, abs=1e-12)


def test_standings_by_hand():
    def pair(a: str, b: str, index: float, score: float) -> PairScore:
        return PairScore(a, b, 0.0, score, "", index, (), ())

    pairs = (pair("a", "b", 0.9, 4.0), pair("a", "c", 0.8, 3.0), pair("b", "c", 0.2, 1.0))
    got = {s.manager: s for s in standings(("a", "b", "c"), pairs)}
    c = got["c"]
    assert (c.own_index, c.rest_index) == pytest.approx((0.5, 0.9), abs=1e-12)
    assert (c.own_score, c.rest_score) == pytest.approx((2.0, 4.0), abs=1e-12)
    assert got["a"].own_index == pytest.approx(0.85) and got["a"].rest_index == pytest.approx(0.2)


@pytest.mark.parametrize("n", [3, 6, 9])
def test_resampled_means_equal_the_mean_of_each_resampled_matrix(n: int):
    rng = np.random.default_rng(n)
    m = rng.uniform(size=(n, n))
    m = (m + m.T) / 2
    np.fill_diagonal(m, np.nan)
    draws = confidence._draws(n, rng)
    got = confidence._resampled_means(m, draws)
    for k in rng.choice(len(draws), 50):
        sub = m[np.ix_(draws[k], draws[k])]
        expected = np.nanmean(sub) if np.isfinite(sub).any() else np.nan
        assert got[k] == pytest.approx(expected, abs=1e-12, nan_ok=True)

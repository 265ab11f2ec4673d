"""Team statistics that scale to a whole-company survey.

The exact audit scores every pair of managers with symmetric best match: O(N^2) pairs, out of
reach for a whole company (benchmarks/large_teams.py times it; docs/performance.md, Large
teams). Above LARGE_TEAM managers, audit() scores the
foundations with foundations_large(), which works on one vector per manager and foundation:

    m_i = mean of manager i's statement vectors                 (raw space)
    z_i = mean of i's statements in baseline space              (index space, see baseline.py;
          the team context leaves i's own answer out)

m_i . m_j is the mean similarity of all statement pairs of i and j, a lower bound of their
best-match agreement (equal when each wrote one statement). With S = sum of the m_i over the
n managers who answered and G = sum of m_i m_i^T (d x d), everything below comes from sums,
in O(N d^2) time and O(N d + d^2) memory, never from a pair:

    mean over pairs               (|S|^2 - sum |m_i|^2) / (n (n - 1))
    i's leave-one-out mean        mu_i = (m_i . S - |m_i|^2) / (n - 1)
    ... and second moment         (m_i^T G m_i - |m_i|^4) / (n - 1)   -> sigma_i
    i's centroid distance         1 - cos(m_i, S - m_i)

Pair scores and indices are non-linear in the agreement (calibration table, null CDF), so
i's mean pair score is taken as E[f(X)] with X ~ Normal(mu_i, sigma_i^2) (Gauss-Hermite), and
the team figure is the mean over managers, as the exact one is the mean over pairs. The most
divergent pairs are found by chunked matrix products that keep only the K lowest mean
similarities (O(N^2 d) time but O(block N) memory, never an N x N matrix); those K pairs are
then scored exactly, with their evidence, as in the small-team audit.

benchmarks/scale_accuracy.py measures the difference from the exact audit on teams of 20-50
(README, Performance): the figures read slightly low, as the lower bound suggests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np

from ..core.results import FoundationResult, LargeTeamFigures
from ..core.types import Foundation, Manager
from .baseline import Baseline, team_context
from .calibration import Calibration, band
from .exact import score_pair, who_answered
from .team_vectors import TeamVectors

LARGE_TEAM = 100  # managers; above this audit() takes the large-team path
MOST_DIVERGENT = 10  # pairs found and scored exactly per foundation on the large-team path
BLOCK = 128  # rows per chunk of the pairwise product: memory O(BLOCK * N)
MANAGER_CHUNK = 256  # managers transformed at once: memory O(MANAGER_CHUNK * statements * d)

METHOD = (
    "large team: one mean vector per manager and foundation; each manager's mean pair score "
    "and index are estimated from the mean and spread of their agreement with the others "
    "(computed from sums, linear in the team size); team figures are the means over managers; "
    f"the pairs listed are the {MOST_DIVERGENT} most divergent by mean statement similarity, "
    "scored exactly"
)
HERMITE_NODES = 15  # Gauss-Hermite nodes for E[f(X)], X normal


@dataclass(frozen=True)
class TeamSums:
    """Leave-one-out statistics of n vectors' pairwise dot products, from sums."""

    mean_pair: float  # mean dot product over all pairs
    loo: np.ndarray  # (n,) each vector's mean dot product with the others
    loo_sd: np.ndarray  # (n,) ... and their standard deviation
    centroid_distance: np.ndarray  # (n,) 1 - cos(vector, sum of the others)


def team_sums(x: np.ndarray) -> TeamSums:
    """Pairwise statistics of the rows of x without forming a pair: needs n >= 2 rows."""
    n = len(x)
    if n < 2:
        raise ValueError("team_sums needs at least two vectors")
    x = x.astype(np.float64, copy=False)
    total = x.sum(axis=0)
    own = np.einsum("ij,ij->i", x, x)
    dots = x @ total - own  # sum over the others of x_i . x_j
    mean_pair = float(dots.sum()) / (n * (n - 1))
    loo = dots / (n - 1)
    second = (np.einsum("ij,ij->i", x @ (x.T @ x), x) - own**2) / (n - 1)
    loo_sd = np.sqrt(np.maximum(second - loo**2, 0.0))
    norms = np.sqrt(own) * np.linalg.norm(total[None, :] - x, axis=1)
    cos = np.divide(dots, norms, out=np.zeros(n), where=norms > 0)
    return TeamSums(mean_pair, loo, loo_sd, 1.0 - cos)


def expected(f: Callable[[np.ndarray], np.ndarray], mean: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """E[f(X)] for X ~ Normal(mean, sd^2), elementwise, by Gauss-Hermite quadrature."""
    nodes, weights = _hermite()
    values = f(mean[:, None] + sd[:, None] * nodes[None, :])
    return np.asarray(values @ (weights / weights.sum()))


@cache
def _hermite() -> tuple[np.ndarray, np.ndarray]:
    from numpy.polynomial.hermite_e import hermegauss  # imported on use: it slows start-up

    return hermegauss(HERMITE_NODES)


def most_divergent_pairs(vectors: np.ndarray, k: int, block: int = BLOCK) -> list[tuple[int, int]]:
    """The k pairs (i < j) with the lowest dot product, lowest first (ties by i, then j).

    Works through the upper triangle of units @ units.T in blocks of rows and keeps only k
    candidates, so memory is O(block * n + k) however large n is.
    """
    n = len(vectors)
    units = vectors.astype(np.float32, copy=False)
    k = min(k, n * (n - 1) // 2)
    if k <= 0:
        return []
    best_v = np.empty(0, dtype=np.float32)
    best_i = np.empty(0, dtype=np.int64)
    best_j = np.empty(0, dtype=np.int64)
    for start in range(0, n, block):
        rows = units[start : start + block]
        sims = rows @ units[start:].T  # (b, n - start): columns j >= start
        b, cols = sims.shape
        head = sims[:, :b]  # the only columns where j <= i occurs
        head[np.tril_indices(b)] = np.inf
        valid = b * cols - b * (b + 1) // 2
        take = min(k, valid)
        if take == 0:
            continue
        flat = sims.ravel()
        cut = np.partition(flat, take - 1)[take - 1]  # the take-th lowest of the block
        cand = np.flatnonzero(flat <= cut)
        best_v = np.concatenate([best_v, flat[cand]])
        best_i = np.concatenate([best_i, start + cand // cols])
        best_j = np.concatenate([best_j, start + cand % cols])
        order = np.lexsort((best_j, best_i, best_v))[:k]
        best_v, best_i, best_j = best_v[order], best_i[order], best_j[order]
    return [(int(i), int(j)) for i, j in zip(best_i, best_j, strict=True)]


def manager_vectors(
    answered: list[Manager], foundation: Foundation, team: TeamVectors, baseline: Baseline
) -> tuple[np.ndarray, np.ndarray]:
    """m (raw space) and z (baseline space): one mean vector per manager, in chunks. Each
    manager's statements are put in baseline space against the team context without their own
    answer (baseline.team_context, as the exact path leaves a pair's two answers out)."""
    n, dim = len(answered), len(team.total)
    raw_means = np.empty((n, dim))
    centred_means = np.empty((n, dim))
    for start in range(0, n, MANAGER_CHUNK):
        chunk = answered[start : start + MANAGER_CHUNK]
        raw = np.concatenate([team.plain(m.name, foundation) for m in chunk])
        rows = np.concatenate([team.indexed(m.name, foundation) for m in chunk])
        sizes = np.array([len(m.answers[foundation].statements) for m in chunk])
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        raw_means[start : start + len(chunk)] = (
            np.add.reduceat(raw, offsets, axis=0) / sizes[:, None]
        )
        sums = np.add.reduceat(rows, offsets, axis=0)
        context = team_context(team.total, team.count, sums, sizes)
        owner = np.repeat(np.arange(len(chunk)), sizes)
        x = baseline.transform(rows, context[owner])
        centred_means[start : start + len(chunk)] = (
            np.add.reduceat(x, offsets, axis=0) / sizes[:, None]
        )
    return raw_means, centred_means


def foundation_large(
    managers: tuple[Manager, ...],
    foundation: Foundation,
    team: TeamVectors,
    calibration: Calibration,
    baseline: Baseline,
) -> FoundationResult:
    """One foundation on the large-team path: per-manager figures from sums, the team figures
    their means, and the most divergent pairs scored exactly (exact.score_pair)."""
    answered, empty = who_answered(managers, foundation)
    if empty is not None:
        return empty
    names = tuple(m.name for m in answered)
    missing = tuple(m.name for m in managers if foundation not in m.answers)
    m, z = manager_vectors(answered, foundation, team, baseline)
    raw = team_sums(m)
    centred = team_sums(z)
    scores = expected(lambda a: calibration.to_score(np.clip(a, -1.0, 1.0)), raw.loo, raw.loo_sd)
    indices = expected(lambda a: baseline.index(a, foundation), centred.loo, centred.loo_sd)
    pairs = tuple(
        score_pair(answered[i], answered[j], foundation, team, calibration, baseline)
        for i, j in most_divergent_pairs(m, MOST_DIVERGENT)
    )
    score = float(np.mean(scores))
    n = len(answered)
    return FoundationResult(
        foundation=foundation,
        answered=names,
        missing=missing,
        pairs=pairs,
        score=score,
        raw=raw.mean_pair,
        band=band(score),
        index=float(np.mean(indices)),
        verdict=None,  # the auditor sets it once the interval is known
        large=LargeTeamFigures(
            method=METHOD,
            pair_count=n * (n - 1) // 2,
            agreement_raw=dict(zip(names, map(float, raw.loo), strict=True)),
            agreement_score=dict(zip(names, map(float, scores), strict=True)),
            agreement_index=dict(zip(names, map(float, indices), strict=True)),
            centroid_distance=dict(zip(names, map(float, raw.centroid_distance), strict=True)),
        ),
    )


def foundations_large(
    managers: tuple[Manager, ...],
    team: TeamVectors,
    foundations: Iterable[Foundation],
    calibration: Calibration,
    baseline: Baseline,
) -> dict[Foundation, FoundationResult]:
    """The large-team path of the auditor: one FoundationResult (with `large`) per foundation."""
    return {f: foundation_large(managers, f, team, calibration, baseline) for f in foundations}

"""Team statistics that scale to a whole-company survey.

The exact audit scores every pair of managers with symmetric best match: O(N^2) pairs, a few
seconds at 100 managers and hours at 5,000. Above LARGE_TEAM managers, audit() scores the
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
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from .baseline import Baseline
from .calibration import Calibration, band
from .model import Foundation, FoundationResult, Manager, PairScore

LARGE_TEAM = 100  # managers; above this audit() takes the large-team path
MOST_DIVERGENT = 10  # pairs found and scored exactly per foundation on the large-team path
BLOCK = 512  # rows per chunk of the pairwise product: memory O(BLOCK * N)
MANAGER_CHUNK = 1024  # managers transformed at once: memory O(MANAGER_CHUNK * statements * d)

METHOD = (
    "large team: one mean vector per manager and foundation; each manager's mean pair score "
    "and index are estimated from the mean and spread of their agreement with the others "
    "(computed from sums, linear in the team size); team figures are the means over managers; "
    f"the pairs listed are the {MOST_DIVERGENT} most divergent by mean statement similarity, "
    "scored exactly"
)
HERMITE_NODES = 15  # Gauss-Hermite nodes for E[f(X)], X normal


@dataclass(frozen=True)
class LargeFoundationResult(FoundationResult):
    """A foundation audited on the large-team path: `pairs` holds only the most divergent
    pairs (scored exactly); the per-manager figures replace the pair means."""

    method: str = METHOD
    pair_count: int = 0  # pairs in the team, of which `pairs` lists the most divergent
    agreement_raw: dict[str, float] = field(default_factory=dict)  # leave-one-out cosine
    agreement_score: dict[str, float] = field(default_factory=dict)  # ... on the STS scale
    agreement_index: dict[str, float] = field(default_factory=dict)  # ... as an index
    centroid_distance: dict[str, float] = field(default_factory=dict)

    def manager_means(self, field: str = "score") -> dict[str, float]:
        """Each manager's mean agreement with the others, from sums (not from `pairs`)."""
        return {
            "score": self.agreement_score,
            "index": self.agreement_index,
            "raw": self.agreement_raw,
        }[field]


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
    from numpy.polynomial.hermite_e import hermegauss  # imported on use: ~20 ms at start-up

    return hermegauss(HERMITE_NODES)


def index_of(baseline: Baseline, foundation: Foundation) -> Callable[[np.ndarray], np.ndarray]:
    """Baseline.index, vectorised: max(0, 2 F(agreement) - 1) with F the null CDF."""
    q = baseline.null_quantiles[foundation]

    def index(agreement: np.ndarray) -> np.ndarray:
        if not q.size:
            cdf = (agreement + 1.0) / 2.0
        else:
            cdf = np.interp(agreement, q, baseline.null_probabilities, left=0.0, right=1.0)
        return np.maximum(0.0, 2.0 * cdf - 1.0)

    return index


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


class _Answers:
    """What audit._pair needs for the few pairs scored exactly: answers and the team total."""

    def __init__(
        self,
        managers: Iterable[Manager],
        vectors: dict[str, np.ndarray],
        index_vectors: dict[str, np.ndarray],
        total: np.ndarray,
    ) -> None:
        self._managers = {m.name: m for m in managers}
        self.vectors = vectors
        self.index_vectors = index_vectors
        self.total = total  # in index space, as audit's context
        self.count = sum(
            len(a.statements) for m in self._managers.values() for a in m.answers.values()
        )
        # audit._pair reads context.answers[name, foundation] and context.index_answers[...]
        self.answers = _Lookup(self._managers, vectors)
        self.index_answers = _Lookup(self._managers, index_vectors)


class _Lookup:
    def __init__(self, managers: dict[str, Manager], vectors: dict[str, np.ndarray]) -> None:
        self._managers = managers
        self._vectors = vectors

    def __getitem__(self, key: tuple[str, Foundation]) -> np.ndarray:
        name, foundation = key
        statements = self._managers[name].answers[foundation].statements
        return np.stack([self._vectors[s] for s in statements]).astype(np.float64)


def _manager_vectors(
    answered: list[Manager], foundation: Foundation, answers: _Answers, baseline: Baseline
) -> tuple[np.ndarray, np.ndarray]:
    """m (raw space) and z (baseline space): one mean vector per manager, in chunks."""
    total, count = answers.total, answers.count
    n, dim = len(answered), len(total)
    raw_means = np.empty((n, dim))
    centred_means = np.empty((n, dim))
    for start in range(0, n, MANAGER_CHUNK):
        chunk = answered[start : start + MANAGER_CHUNK]
        statements = [m.answers[foundation].statements for m in chunk]
        sizes = np.array([len(s) for s in statements])
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        raw = np.stack([answers.vectors[s] for ss in statements for s in ss]).astype(np.float64)
        raw_means[start : start + len(chunk)] = (
            np.add.reduceat(raw, offsets, axis=0) / sizes[:, None]
        )
        rows = (
            raw
            if answers.index_vectors is answers.vectors
            else np.stack([answers.index_vectors[s] for ss in statements for s in ss]).astype(
                np.float64
            )
        )
        sums = np.add.reduceat(rows, offsets, axis=0)
        # team context of each manager: everything the team wrote but their own answer
        rest = np.maximum(count - sizes, 1)[:, None]
        context = np.where(count - sizes[:, None] > 0, (total[None, :] - sums) / rest, 0.0)
        owner = np.repeat(np.arange(len(chunk)), sizes)
        x = baseline.transform(rows, context[owner])
        centred = np.add.reduceat(x, offsets, axis=0) / sizes[:, None]
        centred_means[start : start + len(chunk)] = centred
    return raw_means, centred_means


def foundation_large(
    managers: tuple[Manager, ...],
    foundation: Foundation,
    vectors: dict[str, np.ndarray],
    answers: _Answers,
    calibration: Calibration,
    baseline: Baseline,
) -> FoundationResult:
    from .audit import _pair  # the exact pair score, for the few pairs shown as evidence

    answered = [m for m in managers if foundation in m.answers]
    missing = tuple(m.name for m in managers if foundation not in m.answers)
    names = tuple(m.name for m in answered)
    if len(answered) < 2:
        return FoundationResult(foundation, names, missing, (), None, None, None, None, None)
    m, z = _manager_vectors(answered, foundation, answers, baseline)
    raw = team_sums(m)
    centred = team_sums(z)
    scores = expected(lambda a: calibration.to_score(np.clip(a, -1.0, 1.0)), raw.loo, raw.loo_sd)
    indices = expected(index_of(baseline, foundation), centred.loo, centred.loo_sd)
    pairs: tuple[PairScore, ...] = tuple(
        # _Answers offers what _pair reads of audit's context (answers, total, count)
        _pair(answered[i], answered[j], foundation, answers, calibration, baseline)  # type: ignore[arg-type]
        for i, j in most_divergent_pairs(m, MOST_DIVERGENT)
    )
    score = float(np.mean(scores))
    index = float(np.mean(indices))
    n = len(answered)
    return LargeFoundationResult(
        foundation=foundation,
        answered=names,
        missing=missing,
        pairs=pairs,
        score=score,
        raw=raw.mean_pair,
        band=band(score),
        index=index,
        verdict=None,  # the auditor sets it once the interval is known
        pair_count=n * (n - 1) // 2,
        agreement_raw=dict(zip(names, map(float, raw.loo), strict=True)),
        agreement_score=dict(zip(names, map(float, scores), strict=True)),
        agreement_index=dict(zip(names, map(float, indices), strict=True)),
        centroid_distance=dict(zip(names, map(float, raw.centroid_distance), strict=True)),
    )


def foundations_large(
    managers: tuple[Manager, ...],
    vectors: dict[str, np.ndarray],
    foundations: Iterable[Foundation],
    calibration: Calibration,
    baseline: Baseline,
    index_vectors: dict[str, np.ndarray] | None = None,
) -> dict[Foundation, FoundationResult]:
    """The large-team path of audit(): one LargeFoundationResult per foundation.
    `index_vectors` are what the index compares (audit._embed), by default `vectors`."""
    index_vectors = vectors if index_vectors is None else index_vectors
    dim = len(next(iter(vectors.values()))) if vectors else 0
    total = np.zeros(dim)
    for m in managers:
        for a in m.answers.values():
            total += np.sum([index_vectors[s] for s in a.statements], axis=0, dtype=np.float64)
    answers = _Answers(managers, vectors, index_vectors, total)
    return {
        f: foundation_large(managers, f, vectors, answers, calibration, baseline)
        for f in foundations
    }

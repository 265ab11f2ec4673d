"""Every pair of a foundation's answers compared at once: the exact path's arithmetic in
batches instead of one pair at a time.

A pair's index compares its statements in baseline space against the team context without
the pair's two answers (baseline.py): x = P(v - c_ab - mu). P is linear, so
x = P(v - mu) - P(c_ab), and P(c_ab) = (P(total) - P(sum_a) - P(sum_b)) / (count - n_a - n_b):
each statement is projected once, each pair only subtracts a vector. The pairs then go through
numpy in chunks (padded to the longest answer, at most CHUNK_CELLS numbers at a time), which
takes a 100-manager audit from seconds of per-pair calls to a fraction of one
(benchmarks/mid_teams.py); tests check every figure against the one-pair functions.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ..core.types import Foundation
from .baseline import Baseline, normalise_blocks
from .team_vectors import TeamVectors

CHUNK_CELLS = 1 << 21  # numbers held per chunk of pairs (16 MB of float64)


@dataclass(frozen=True)
class PairBlock:
    """Cosines of a chunk of pairs: `cos[p, i, j]` between statement i of the first answer and
    j of the second, `-inf` where i or j is padding; `a`, `b` the answers' positions."""

    a: np.ndarray  # (c,) positions of the first answers in `names`
    b: np.ndarray  # (c,) of the second
    cos: np.ndarray  # (c, L, L)


class PairSpace:
    """The answers of `names` on one foundation, ready to compare in batches: plain vectors
    (statement similarity) and baseline-space vectors (the index)."""

    def __init__(
        self,
        team: TeamVectors,
        names: Sequence[str],
        foundation: Foundation,
        baseline: Baseline,
    ) -> None:
        self.names = tuple(names)
        self.baseline = baseline
        plain = [team.plain(n, foundation) for n in self.names]
        indexed = [team.indexed(n, foundation) for n in self.names]
        self.counts = np.array([len(x) for x in plain])
        self.longest = int(self.counts.max()) if len(plain) else 0
        starts = np.concatenate(([0], np.cumsum(self.counts)[:-1]))
        slots = np.arange(self.longest)
        self.valid = slots[None, :] < self.counts[:, None]  # (M, L)
        self.rows = np.where(self.valid, starts[:, None] + slots[None, :], 0)  # (M, L)
        self.plain = np.concatenate(plain) if plain else np.zeros((0, 0))
        vectors = np.concatenate(indexed) if indexed else np.zeros((0, 0))
        sums = np.stack([x.sum(axis=0) for x in indexed]) if indexed else np.zeros((0, 0))
        centred = vectors - baseline.mean[None, :] if baseline.mean.size else vectors
        self.projected = self._project(centred)
        self.total = self._project(team.total[None, :])[0]
        self.sums = self._project(sums)
        self.count = team.count

    def _project(self, x: np.ndarray) -> np.ndarray:
        c = self.baseline.components
        return x - (x @ c.T) @ c if c.size else x

    def _chunks(self, a: np.ndarray) -> Iterator[slice]:
        per_pair = max(1, self.longest * max(self.longest, self.plain.shape[1]))
        step = max(1, CHUNK_CELLS // per_pair)
        for start in range(0, len(a), step):
            yield slice(start, start + step)

    def _pad(self, cos: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        keep = self.valid[a][:, :, None] & self.valid[b][:, None, :]
        return np.where(keep, cos, -np.inf)

    def plain_cosines(self, a: np.ndarray, b: np.ndarray) -> Iterator[PairBlock]:
        """Cosines of plain vectors, clipped to [-1, 1], chunk by chunk."""
        for s in self._chunks(a):
            xa, xb = self.plain[self.rows[a[s]]], self.plain[self.rows[b[s]]]
            cos = np.clip(np.matmul(xa, np.swapaxes(xb, 1, 2)), -1.0, 1.0)
            yield PairBlock(a[s], b[s], self._pad(cos, a[s], b[s]))

    def index_cosines(self, a: np.ndarray, b: np.ndarray) -> Iterator[PairBlock]:
        """Cosines in baseline space, each pair against the team context without its own
        answers (one answer's when a == b), clipped to [-1, 1], chunk by chunk."""
        segments = self.baseline.segments
        for s in self._chunks(a):
            pa, pb = a[s], b[s]
            other = pa != pb
            removed = self.sums[pa] + np.where(other[:, None], self.sums[pb], 0.0)
            rest = self.count - self.counts[pa] - np.where(other, self.counts[pb], 0)
            context = (self.total[None, :] - removed) / np.maximum(rest, 1)[:, None]
            context = np.where((rest > 0)[:, None], context, 0.0)
            xa = normalise_blocks(self.projected[self.rows[pa]] - context[:, None, :], segments)
            xb = normalise_blocks(self.projected[self.rows[pb]] - context[:, None, :], segments)
            cos = np.clip(np.matmul(xa, np.swapaxes(xb, 1, 2)), -1.0, 1.0)
            yield PairBlock(pa, pb, self._pad(cos, pa, pb))

    def block(self, cos: np.ndarray, a: int, b: int) -> np.ndarray:
        """One pair's cosines, padding cut off."""
        return cos[: self.counts[a], : self.counts[b]]


@dataclass(frozen=True)
class BestMatches:
    """Symmetric best match of a chunk of pairs (similarity.best_match, batched)."""

    agreement: np.ndarray  # (c,)
    a_best: np.ndarray  # (c, L): for each statement of a, its best match in b
    a_sim: np.ndarray
    b_best: np.ndarray
    b_sim: np.ndarray


def best_matches(block: PairBlock, space: PairSpace) -> BestMatches:
    """Each statement's best counterpart on the other side, and the harmonic mean of the two
    directions' means (similarity.harmonic): the same figures as best_match pair by pair."""
    cos = block.cos
    a_best, b_best = cos.argmax(axis=2), cos.argmax(axis=1)
    a_sim, b_sim = cos.max(axis=2), cos.max(axis=1)
    va, vb = space.valid[block.a], space.valid[block.b]
    ab = np.where(va, a_sim, 0.0).sum(axis=1) / space.counts[block.a]
    ba = np.where(vb, b_sim, 0.0).sum(axis=1) / space.counts[block.b]
    positive = (ab > 0) & (ba > 0)
    safe = np.where(positive, ab + ba, 1.0)
    agreement = np.where(positive, 2.0 * ab * ba / safe, np.minimum(ab, ba))
    return BestMatches(agreement, a_best, a_sim, b_best, b_sim)

"""Ideas: the team's statements on a foundation grouped into the ideas they state, and which
managers hold each (the idea x manager grid).

Two statements state the same idea when the verdict model would read them "aligned" were they
two managers' whole answers: their agreement index (baseline space, the team context without
the two answers, the model's null) reaches the model's `aligned` band. A model without fitted
bands has no such threshold; for it, a statement-similarity score of ECHO_AT (STS 2.0, "share
some details") stands in, and reports say which test was used.

Statements join an idea by average linkage: an idea's statements are, on average, the same idea
as one another. Everything that says who echoes whom (consensus, statements unique to one
manager, what a camp typically says, which official statements nobody echoes) reads these
ideas, so the findings cannot contradict each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.results import Echo, Idea
from ..core.types import Foundation
from ..scoring.baseline import Baseline, team_context
from ..scoring.calibration import Calibration
from ..scoring.pair_space import PairSpace
from ..scoring.team_vectors import TeamVectors
from .linkage import cut_at, upgma

ECHO_AT = 2.0  # STS score that stands in for "the same idea" where a model has no bands
SHOWN = 3  # consensus and unique statements listed per foundation


@dataclass(frozen=True)
class SameIdea:
    """The test of "the same idea" an audit applies to statements: on the index with the
    model's `aligned` band (`threshold`), or, without bands, on the statement-similarity
    scale (ECHO_AT). `affinity` puts both on one scale: 1 is the same statement, `cut` the
    least that still reads as one idea."""

    team: TeamVectors
    baseline: Baseline
    calibration: Calibration
    threshold: float | None  # the model's aligned band; None: no bands
    checked: str = ""  # what the test proved worth (bands.same_idea_checked)

    @property
    def cut(self) -> float:
        """The least affinity of two statements of one idea."""
        return self.threshold if self.threshold is not None else ECHO_AT / 5.0

    @property
    def test(self) -> str:
        """The test in words, for reports."""
        if self.threshold is not None:
            said = f"agreement index >= {self.threshold:.2f}, the model's aligned band"
            return f"{said}; {self.checked}" if self.checked else said
        return f"statement similarity >= {ECHO_AT:.1f} of 5 (this model has no fitted bands)"

    def between(self, a: str, b: str, foundation: Foundation) -> np.ndarray:
        """Affinity of each statement of a (rows) with each of b (columns); a may be b."""
        ia, ib = self.team.indexed(a, foundation), self.team.indexed(b, foundation)
        removed = ia.sum(axis=0) + (ib.sum(axis=0) if a != b else 0.0)
        count = len(ia) + (len(ib) if a != b else 0)
        return self._affinity(
            self.team.plain(a, foundation),
            self.team.plain(b, foundation),
            ia,
            ib,
            team_context(self.team.total, self.team.count, removed, count),
            foundation,
        )

    def grid(self, names: tuple[str, ...], foundation: Foundation) -> np.ndarray:
        """Affinity of every statement of `names` with every other, in the managers' order
        (1 on the diagonal): `between` for every pair of managers, a manager with itself
        included, computed in batches (scoring/pair_space.py)."""
        space = PairSpace(self.team, names, foundation, self.baseline)
        starts = np.concatenate(([0], np.cumsum(space.counts)[:-1]))
        a, b = np.triu_indices(len(names))  # every pair, each manager with itself too
        plain = self.threshold is None
        blocks = space.plain_cosines(a, b) if plain else space.index_cosines(a, b)
        affinity = np.eye(int(space.counts.sum()))
        for blk in blocks:
            if self.threshold is None:
                values = np.asarray(self.calibration.to_score(blk.cos)) / 5.0
            else:
                values = np.asarray(self.baseline.index(blk.cos, foundation))
            for k, (i, j) in enumerate(zip(blk.a, blk.b, strict=True)):
                block = space.block(values[k], i, j)
                ra, rb = starts[i], starts[j]
                affinity[ra : ra + block.shape[0], rb : rb + block.shape[1]] = block
                affinity[rb : rb + block.shape[1], ra : ra + block.shape[0]] = block.T
        np.fill_diagonal(affinity, 1.0)
        return affinity

    def against(
        self, name: str, foundation: Foundation, plain: np.ndarray, indexed: np.ndarray
    ) -> np.ndarray:
        """Affinity of each statement of a manager (rows) with outside statements such as the
        official ones (columns), against the team context without the manager's answer."""
        ia = self.team.indexed(name, foundation)
        context = team_context(self.team.total, self.team.count, ia.sum(axis=0), len(ia))
        return self._affinity(
            self.team.plain(name, foundation), plain, ia, indexed, context, foundation
        )

    def _affinity(
        self,
        pa: np.ndarray,
        pb: np.ndarray,
        ia: np.ndarray,
        ib: np.ndarray,
        context: np.ndarray,
        foundation: Foundation,
    ) -> np.ndarray:
        if self.threshold is None:
            cosine = np.clip(np.asarray(pa, dtype=np.float64) @ np.asarray(pb).T, -1.0, 1.0)
            return np.asarray(self.calibration.to_score(cosine)) / 5.0
        xa = self.baseline.transform(np.asarray(ia, dtype=np.float64), context)
        xb = self.baseline.transform(np.asarray(ib, dtype=np.float64), context)
        return np.asarray(self.baseline.index(np.clip(xa @ xb.T, -1.0, 1.0), foundation))


def ideas(names: tuple[str, ...], foundation: Foundation, same: SameIdea) -> tuple[Idea, ...]:
    """The ideas of everything the managers `names` wrote on the foundation, most widely held
    first: each with its statements (author, text) and the managers who hold it."""
    rows = [
        (m, text) for m in names for text in same.team.statement_vectors[m, foundation].statements
    ]
    if not rows:
        return ()
    affinity = same.grid(names, foundation)
    labels = _clusters(1.0 - affinity, 1.0 - same.cut)
    found: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        found.setdefault(int(label), []).append(i)
    out = []
    for members in found.values():
        authors = tuple(m for m in names if any(rows[i][0] == m for i in members))
        out.append(
            Idea(
                statements=tuple(rows[i] for i in members),
                authors=authors,
                share=len(authors) / len(names),
            )
        )
    out.sort(key=lambda idea: (-len(idea.authors), rows.index(idea.statements[0])))
    return tuple(out)


def _clusters(distance: np.ndarray, cut: float) -> np.ndarray:
    """Average-linkage clusters whose merges stay within `cut` (labels, one per row)."""
    if len(distance) == 1:
        return np.array([1])
    return cut_at(len(distance), upgma(np.clip(distance, 0.0, None)), cut)


def _echo(idea: Idea, names: tuple[str, ...]) -> Echo:
    """An idea by its first statement, echoed by the idea's other authors."""
    author, text = idea.statements[0]
    return Echo(text, author, tuple(m for m in idea.authors if m != author), len(names) - 1)


def consensus(
    ideas_: tuple[Idea, ...], names: tuple[str, ...], min_group: int = 1
) -> tuple[Echo, ...]:
    """What the team already shares: ideas held by at least half of the managers (and by two
    or more, and by `min_group`), most widely held first (SHOWN at most)."""
    shared = [
        i
        for i in ideas_
        if len(i.authors) >= max(2, min_group) and len(i.authors) * 2 >= len(names)
    ]
    return tuple(_echo(i, names) for i in shared[:SHOWN])


def unique(
    ideas_: tuple[Idea, ...], names: tuple[str, ...], min_group: int = 1
) -> tuple[Echo, ...]:
    """Ideas one manager holds alone ("unique to"), SHOWN at most; none under anonymity,
    where one manager is too few to break out."""
    if min_group > 1:
        return ()
    alone = [i for i in ideas_ if len(i.authors) == 1 and len(names) > 1]
    return tuple(_echo(i, names) for i in alone[:SHOWN])


def held_by(ideas_: tuple[Idea, ...]) -> dict[tuple[str, str], tuple[str, ...]]:
    """For each (author, statement), the managers who hold its idea."""
    return {row: idea.authors for idea in ideas_ for row in idea.statements}

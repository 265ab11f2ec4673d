"""A team's statement vectors as both audit paths read them: each answer's vectors (plain,
for pair scores and evidence; team-discounted, for the index) and the sum of everything the
team wrote in index space, from which every team context is taken (baseline.team_context)."""

from __future__ import annotations

import numpy as np

from ..core.types import Foundation, Manager
from ..embedding.interface import rows_of
from .answer_vectors import AnswerVectors


class TeamVectors:
    """Built once per audit; the exact and the large-team path both read it."""

    def __init__(
        self,
        managers: tuple[Manager, ...],
        vectors: dict[str, np.ndarray],
        index_vectors: dict[str, np.ndarray],
    ) -> None:
        self.answers = {
            # float32 as the model gives them (half the memory of a float64 copy on a large
            # team); sums and the index arithmetic run in float64
            (m.name, f): rows_of([vectors[s] for s in a.statements])
            for m in managers
            for f, a in m.answers.items()
        }
        self.index_answers = (
            self.answers
            if index_vectors is vectors
            else {
                (m.name, f): rows_of([index_vectors[s] for s in a.statements])
                for m in managers
                for f, a in m.answers.items()
            }
        )
        self.statement_vectors = {
            (m.name, f): AnswerVectors(a.statements, self.answers[m.name, f])
            for m in managers
            for f, a in m.answers.items()
        }
        everything = list(self.index_answers.values())
        dim = everything[0].shape[1] if everything else 0
        self.total = sum((v.sum(axis=0, dtype=np.float64) for v in everything), np.zeros(dim))
        self.count = sum(len(v) for v in everything)

    def plain(self, name: str, foundation: Foundation) -> np.ndarray:
        """One answer's vectors, in float64 (pair arithmetic is the same on every path)."""
        return np.asarray(self.answers[name, foundation], dtype=np.float64)

    def indexed(self, name: str, foundation: Foundation) -> np.ndarray:
        """One answer's index vectors, in float64."""
        return np.asarray(self.index_answers[name, foundation], dtype=np.float64)

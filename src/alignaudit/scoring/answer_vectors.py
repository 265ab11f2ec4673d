"""Statement vectors of each answer, shared by the analyses that quote statements."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.types import Foundation


@dataclass(frozen=True)
class AnswerVectors:
    """One answer's statements with their unit vectors, for the analyses that quote statements."""

    statements: tuple[str, ...]
    vectors: np.ndarray  # unit rows, one per statement


Answers = dict[tuple[str, Foundation], AnswerVectors]


def best_similarity(statement: np.ndarray, answer: AnswerVectors) -> float:
    """How closely an answer echoes one statement: its most similar statement's cosine."""
    return float(np.max(answer.vectors @ statement))

"""The official statement: how far each manager drifts from the firm's published foundations,
and which official statements nobody on the team echoes."""

from __future__ import annotations

from ..core.results import ReferenceResult, ReferenceScore
from ..core.types import Foundation
from ..scoring.answer_vectors import Answers, AnswerVectors, best_similarity
from ..scoring.calibration import Calibration, band
from ..scoring.similarity import best_match
from .echoes import ECHO_AT


def against_reference(
    names: tuple[str, ...],
    foundation: Foundation,
    answers: Answers,
    official: AnswerVectors,
    calibration: Calibration,
) -> ReferenceResult:
    """How close each manager's answer is to the firm's official statement (furthest first), and
    which official statements no manager echoes."""
    scores = []
    for m in names:
        raw = best_match(answers[m, foundation].vectors, official.vectors).agreement
        s = calibration.score_of(raw)
        scores.append(ReferenceScore(m, s, band(s), raw))
    scores.sort(key=lambda r: r.score)
    unechoed = tuple(
        text
        for text, vec in zip(official.statements, official.vectors, strict=True)
        if all(
            calibration.score_of(best_similarity(vec, answers[m, foundation])) < ECHO_AT
            for m in names
        )
    )
    return ReferenceResult(official.statements, tuple(scores), unechoed)

"""The official statement: how far each manager is from the firm's published foundations,
who is clearly further than the rest, and which official statements nobody states.

Each manager's answer is scored against the official one as another manager's would be (the
agreement index, with the statement similarity beside it). A manager "drifts furthest" only
when clearly below the rest on both scales: the others' mean index exceeds theirs by DRIFT_GAP
and their mean statement similarity by SCORE_GAP (half a band of the STS scale), with three
managers or more; otherwise the lowest is merely the lowest and no finding is made. An official
statement is echoed by nobody when no manager's statement states the same idea (ideas.SameIdea,
the verdict model's own test).
"""

from __future__ import annotations

import numpy as np

from ..core.results import ReferenceResult, ReferenceScore
from ..core.types import Foundation
from ..scoring.answer_vectors import AnswerVectors
from ..scoring.baseline import team_context
from ..scoring.calibration import band
from ..scoring.similarity import best_match
from .ideas import SameIdea

DRIFT_GAP = 0.3
SCORE_GAP = 0.5


def against_reference(
    names: tuple[str, ...],
    foundation: Foundation,
    official: AnswerVectors,
    official_index: np.ndarray,
    same: SameIdea,
) -> ReferenceResult:
    """Each manager against the official statement (lowest index first), who drifts clearly
    furthest, and which official statements no manager's statement states."""
    scores = []
    team = same.team
    for m in names:
        ia = team.indexed(m, foundation)
        context = team_context(team.total, team.count, ia.sum(axis=0), len(ia))
        agreement = same.baseline.pair_agreement(ia, official_index, context)
        raw = best_match(team.plain(m, foundation), official.vectors).agreement
        score = same.calibration.score_of(raw)
        index = float(same.baseline.index(agreement, foundation))
        scores.append(ReferenceScore(m, index, score, band(score), raw))
    scores.sort(key=lambda r: (r.index, r.score))
    drifts = gap = None
    if len(scores) >= 3:
        gap = float(np.mean([r.index for r in scores[1:]])) - scores[0].index
        score_gap = float(np.mean([r.score for r in scores[1:]])) - scores[0].score
        if gap >= DRIFT_GAP and score_gap >= SCORE_GAP:
            drifts = scores[0].manager
    echoed = np.zeros(len(official.statements), dtype=bool)
    for m in names:
        affinity = same.against(m, foundation, official.vectors, official_index)
        echoed |= (affinity >= same.cut).any(axis=0)
    unechoed = tuple(t for t, e in zip(official.statements, echoed, strict=True) if not e)
    return ReferenceResult(official.statements, tuple(scores), unechoed, drifts, gap)

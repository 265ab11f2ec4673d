"""Consensus and divisive statements: which statements the rest of the team echoes.

A statement is echoed by another manager when that manager's answer holds a statement that
shares at least some details with it (calibrated score >= ECHO_AT = 2.0; paraphrases of one idea
in executive prose land around 2-3 on the strict STS scale). Consensus statements are echoed by
at least half of the others; divisive (or idiosyncratic) ones by nobody.
"""

from __future__ import annotations

import numpy as np

from ..core.results import Echo
from ..core.types import Foundation
from ..scoring.answer_vectors import Answers, best_similarity
from ..scoring.calibration import Calibration

ECHO_AT = 2.0
SHOWN = 3


def echoes(
    names: tuple[str, ...], foundation: Foundation, answers: Answers, calibration: Calibration
) -> list[Echo]:
    """For every statement of every manager, which of the others echo it (score >= ECHO_AT) and
    their mean closest score: what consensus and divisive choose from."""
    out = []
    for author in names:
        own = answers[author, foundation]
        others = [m for m in names if m != author]
        for text, vec in zip(own.statements, own.vectors, strict=True):
            scores = {
                m: calibration.score_of(best_similarity(vec, answers[m, foundation]))
                for m in others
            }
            out.append(
                Echo(
                    statement=text,
                    author=author,
                    echoed_by=tuple(m for m in others if scores[m] >= ECHO_AT),
                    others=len(others),
                    mean_score=float(np.mean(list(scores.values()))) if scores else 0.0,
                )
            )
    return out


def consensus(all_echoes: list[Echo]) -> tuple[Echo, ...]:
    """What the team already shares: statements echoed by at least half of the others, most echoed
    first (SHOWN at most)."""
    shared = [e for e in all_echoes if e.others and len(e.echoed_by) * 2 >= e.others]
    shared.sort(key=lambda e: (len(e.echoed_by), e.mean_score), reverse=True)
    return tuple(shared[:SHOWN])


def divisive(all_echoes: list[Echo]) -> tuple[Echo, ...]:
    """Ideas one manager holds alone: statements nobody else echoes, furthest from the others first
    (SHOWN at most)."""
    alone = [e for e in all_echoes if e.others and not e.echoed_by]
    alone.sort(key=lambda e: e.mean_score)
    return tuple(alone[:SHOWN])

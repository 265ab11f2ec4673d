"""The auditor: a loaded team and an embedder in, a TeamReport out. Prints nothing."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

import numpy as np

from ._version import __version__
from .calibration import Calibration, band, default_calibration
from .embedding import Embedder, embed_unique
from .model import (
    Foundation,
    FoundationResult,
    Manager,
    Match,
    PairScore,
    Signature,
    Team,
    TeamReport,
)
from .scoring import best_match

# A statement whose closest counterpart is not even "roughly equivalent" (STS < 2.5) is
# quoted as divergent evidence.
UNMATCHED_BELOW = 2.5


def audit(
    team: Team,
    embedder: Embedder,
    calibration: Calibration | None = None,
    foundations: Iterable[Foundation] = tuple(Foundation),
) -> TeamReport:
    """Score every pair of managers on every foundation, embedding each statement once."""
    calibration = calibration or default_calibration()
    chosen = tuple(foundations)
    texts = [
        s for m in team.managers for f in chosen if f in m.answers for s in m.answers[f].statements
    ]
    vectors = embed_unique(embedder, texts)
    results = {f: _foundation(team.managers, f, vectors, calibration) for f in chosen}
    scored = [r.score for r in results.values() if r.score is not None]
    overall = float(np.mean(scored)) if scored else None
    return TeamReport(
        team=team,
        foundations=results,
        overall=overall,
        overall_band=band(overall) if overall is not None else None,
        signature=Signature(
            package=__version__,
            model=embedder.name,
            model_sha256=embedder.sha256,
            calibration=calibration.version,
        ),
    )


def _foundation(
    managers: tuple[Manager, ...],
    foundation: Foundation,
    vectors: dict[str, np.ndarray],
    calibration: Calibration,
) -> FoundationResult:
    answered = [m for m in managers if foundation in m.answers]
    missing = tuple(m.name for m in managers if foundation not in m.answers)
    pairs = tuple(
        _pair(a, b, foundation, vectors, calibration) for a, b in combinations(answered, 2)
    )
    if pairs:
        score = float(np.mean([p.score for p in pairs]))
        raw: float | None = float(np.mean([p.raw for p in pairs]))
        words: str | None = band(score)
    else:
        score, raw, words = None, None, None
    return FoundationResult(
        foundation=foundation,
        answered=tuple(m.name for m in answered),
        missing=missing,
        pairs=pairs,
        score=score,
        raw=raw,
        band=words,
    )


def _pair(
    a: Manager,
    b: Manager,
    foundation: Foundation,
    vectors: dict[str, np.ndarray],
    calibration: Calibration,
) -> PairScore:
    sa, sb = a.answers[foundation].statements, b.answers[foundation].statements
    bm = best_match(np.stack([vectors[s] for s in sa]), np.stack([vectors[s] for s in sb]))
    a_scores = calibration.to_score(bm.a_sim)
    b_scores = calibration.to_score(bm.b_sim)
    a_matches = tuple(
        Match(s, sb[int(j)], float(r), float(c))
        for s, j, r, c in zip(sa, bm.a_best, bm.a_sim, a_scores, strict=True)
    )
    b_matches = tuple(
        Match(s, sa[int(j)], float(r), float(c))
        for s, j, r, c in zip(sb, bm.b_best, bm.b_sim, b_scores, strict=True)
    )
    score = calibration.score_of(bm.agreement)
    return PairScore(
        a=a.name,
        b=b.name,
        raw=bm.agreement,
        score=score,
        band=band(score),
        a_matches=a_matches,
        b_matches=b_matches,
    )

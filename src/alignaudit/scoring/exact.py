"""The exact path: every pair of managers scored by symmetric best match, with the statements
that match (the evidence quoted in reports). The large-team path scores its few most divergent
pairs with the same score_pair."""

from __future__ import annotations

from itertools import combinations

import numpy as np

from ..core.results import FoundationResult, Match, PairScore
from ..core.types import Foundation, Manager
from .baseline import Baseline, team_context
from .calibration import Calibration, band
from .similarity import best_match
from .team_vectors import TeamVectors


def exact_foundation(
    managers: tuple[Manager, ...],
    foundation: Foundation,
    team: TeamVectors,
    calibration: Calibration,
    baseline: Baseline,
) -> FoundationResult:
    """Every pair of the managers who answered; the team figures are the pairs' means."""
    answered = [m for m in managers if foundation in m.answers]
    missing = tuple(m.name for m in managers if foundation not in m.answers)
    pairs = tuple(
        score_pair(a, b, foundation, team, calibration, baseline)
        for a, b in combinations(answered, 2)
    )
    if not pairs:
        return FoundationResult(
            foundation, tuple(m.name for m in answered), missing, (), None, None, None, None, None
        )  # one answer or none: nothing to compare, the verdict is "can't tell"
    score = float(np.mean([p.score for p in pairs]))
    return FoundationResult(
        foundation=foundation,
        answered=tuple(m.name for m in answered),
        missing=missing,
        pairs=pairs,
        score=score,
        raw=float(np.mean([p.raw for p in pairs])),
        band=band(score),
        index=float(np.mean([p.index for p in pairs])),
        verdict=None,  # set by the auditor once the interval is known
    )


def score_pair(
    a: Manager,
    b: Manager,
    foundation: Foundation,
    team: TeamVectors,
    calibration: Calibration,
    baseline: Baseline,
) -> PairScore:
    """Two managers' answers: best-match statement similarity (STS scale) with its evidence,
    and the agreement index (best match in baseline space, against the team context without
    the pair's two answers)."""
    sa, sb = a.answers[foundation].statements, b.answers[foundation].statements
    bm = best_match(team.plain(a.name, foundation), team.plain(b.name, foundation))
    ia, ib = team.indexed(a.name, foundation), team.indexed(b.name, foundation)
    context = team_context(
        team.total, team.count, ia.sum(axis=0) + ib.sum(axis=0), len(ia) + len(ib)
    )
    index = float(baseline.index(baseline.pair_agreement(ia, ib, context), foundation))
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
        index=index,
        a_matches=a_matches,
        b_matches=b_matches,
    )

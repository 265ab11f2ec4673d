"""The exact path: every pair of managers scored by symmetric best match, with the statements
that match (the evidence quoted in reports). The large-team path scores its few most divergent
pairs with the same score_pair."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..core.results import FoundationResult, Match, PairScore
from ..core.types import Foundation, Manager
from .baseline import Baseline, team_context
from .calibration import Calibration, band
from .pair_space import PairSpace, best_matches
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
    answered, empty = who_answered(managers, foundation)
    if empty is not None:
        return empty
    pairs = score_pairs(answered, foundation, team, calibration, baseline)
    score = float(np.mean([p.score for p in pairs]))
    return FoundationResult(
        foundation=foundation,
        answered=tuple(m.name for m in answered),
        missing=tuple(m.name for m in managers if foundation not in m.answers),
        pairs=pairs,
        score=score,
        raw=float(np.mean([p.raw for p in pairs])),
        band=band(score),
        index=float(np.mean([p.index for p in pairs])),
        verdict=None,  # set by the auditor once the interval is known
    )


def who_answered(
    managers: tuple[Manager, ...], foundation: Foundation
) -> tuple[list[Manager], FoundationResult | None]:
    """The managers who answered the foundation, and, when fewer than two did, the result
    both paths give: nothing to compare, so no figure and the verdict "can't tell"."""
    answered = [m for m in managers if foundation in m.answers]
    if len(answered) >= 2:
        return answered, None
    missing = tuple(m.name for m in managers if foundation not in m.answers)
    names = tuple(m.name for m in answered)
    nothing = FoundationResult(
        foundation, names, missing, (), score=None, raw=None, band=None, index=None, verdict=None
    )
    return answered, nothing


def matches(
    statements: Sequence[str],
    others: Sequence[str],
    best: np.ndarray,
    sims: np.ndarray,
    scores: np.ndarray,
) -> tuple[Match, ...]:
    """Each statement with its best counterpart among `others`, that cosine and its score: the
    evidence both paths quote. Entries past the statements (a batch's padding) are ignored."""
    return tuple(
        Match(s, others[int(best[t])], float(sims[t]), float(scores[t]))
        for t, s in enumerate(statements)
    )


def score_pairs(
    answered: Sequence[Manager],
    foundation: Foundation,
    team: TeamVectors,
    calibration: Calibration,
    baseline: Baseline,
) -> tuple[PairScore, ...]:
    """Every pair of `answered`, in combinations order, as score_pair scores each, computed in
    batches (pair_space.py): the same figures, without a numpy call per pair."""
    names = [m.name for m in answered]
    if len(names) < 2:
        return ()
    space = PairSpace(team, names, foundation, baseline)
    a, b = np.triu_indices(len(names), k=1)  # every pair, in combinations order
    index = np.concatenate(
        [best_matches(blk, space).agreement for blk in space.index_cosines(a, b)]
    )
    index = np.asarray(baseline.index(index, foundation))
    out: list[PairScore] = []
    for blk in space.plain_cosines(a, b):
        bm = best_matches(blk, space)
        scores = calibration.to_score(bm.agreement)
        a_scores, b_scores = calibration.to_score(bm.a_sim), calibration.to_score(bm.b_sim)
        for k, (i, j) in enumerate(zip(blk.a, blk.b, strict=True)):
            sa = answered[i].answers[foundation].statements
            sb = answered[j].answers[foundation].statements
            score = float(scores[k])
            out.append(
                PairScore(
                    a=names[i],
                    b=names[j],
                    raw=float(bm.agreement[k]),
                    score=score,
                    band=band(score),
                    index=float(index[len(out)]),
                    a_matches=matches(sa, sb, bm.a_best[k], bm.a_sim[k], a_scores[k]),
                    b_matches=matches(sb, sa, bm.b_best[k], bm.b_sim[k], b_scores[k]),
                )
            )
    return tuple(out)


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
    a_matches = matches(sa, sb, bm.a_best, bm.a_sim, a_scores)
    b_matches = matches(sb, sa, bm.b_best, bm.b_sim, b_scores)
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

"""Who stands apart: leave-one-out agreement per manager.

Rule: in a foundation answered by at least MIN_MANAGERS, the manager furthest from the rest on
the STS scale (the largest gap between the rest's mean pair score among themselves and the
manager's mean score with them) is an outlier when
- that gap is at least SPREAD_GAP standard deviations of the foundation's pair scores (so the
  rule reads the team's own spread, not a fixed distance that means little for short answers),
- every pair of theirs scores below every pair among the rest (no colleague is closer to them
  than the rest are to each other), and
- the rest agree among themselves: their mean pair index is at least REST_AT_LEAST.
At most one manager per foundation is flagged. The thresholds were chosen on the development
teams (benchmarks/evalset dev, benchmarks/findingset dev-findings) for fewer false flags, at the
cost of recall: the model's figures put a designed outlier furthest from the rest in only 60-75%
of the labelled cells, so no rule over them names most outliers without accusing others.
benchmarks/findings.py gives the figures per split (docs/report.md).
"""

from __future__ import annotations

import numpy as np

from ..core.results import PairScore, Standing

MIN_MANAGERS = 4
SPREAD_GAP = 1.6
REST_AT_LEAST = 0.5


def standings(answered: tuple[str, ...], pairs: tuple[PairScore, ...]) -> tuple[Standing, ...]:
    """Each manager's leave-one-out figures, their mean with the others against the others' mean
    among themselves: the evidence the outlier rule weighs."""
    # One pass over the pairs: each manager's own sums; the rest's are the team's minus them
    # (a 100-manager team has 4,950 pairs: a pass per manager took most of a second).
    own: dict[str, list[float]] = {m: [0, 0.0, 0.0] for m in answered}
    total = [0, 0.0, 0.0]
    for p in pairs:
        total[0] += 1
        total[1] += p.index
        total[2] += p.score
        for m in (p.a, p.b):
            if m in own:
                own[m][0] += 1
                own[m][1] += p.index
                own[m][2] += p.score
    out = []
    for m in answered:
        n, index, score = own[m]
        rest = total[0] - n
        if not n or not rest:
            continue
        out.append(
            Standing(
                manager=m,
                own_index=index / n,
                rest_index=(total[1] - index) / rest,
                own_score=score / n,
                rest_score=(total[2] - score) / rest,
            )
        )
    return tuple(out)


def outliers(
    all_standings: tuple[Standing, ...], pairs: tuple[PairScore, ...]
) -> tuple[Standing, ...]:
    """The manager the rest clearly agree without, if any (see the module's rule)."""
    if len(all_standings) < MIN_MANAGERS:
        return ()
    furthest = max(all_standings, key=lambda s: s.score_gap)
    spread = float(np.std([p.score for p in pairs]))
    own = [p.score for p in pairs if furthest.manager in (p.a, p.b)]
    rest = [p.score for p in pairs if furthest.manager not in (p.a, p.b)]
    if not own or not rest or spread <= 0:
        return ()
    if (
        furthest.score_gap >= SPREAD_GAP * spread
        and max(own) < min(rest)
        and furthest.rest_index >= REST_AT_LEAST
    ):
        return (furthest,)
    return ()

"""Who stands apart: leave-one-out agreement per manager.

Rule: in a foundation answered by at least MIN_MANAGERS, a manager is an outlier when
- the rest agree among themselves (mean pair index of the others) at least REST_AT_LEAST,
- that exceeds the manager's own mean index with the others by at least GAP,
- the rest's mean STS pair score exceeds the manager's by at least SCORE_GAP (half a band of
  the human scale), and
- the manager has the largest such gap both on the index and on the STS pair scores.
So at most one manager per foundation is flagged, and only when both measures agree on who it
is, each by a margin. benchmarks/outliers.py measures the rule on the labelled evaluation set
(benchmarks/evalset) and the outlier example: how many designed outliers it finds, and how many
flags it raises elsewhere (docs/report.md gives its figures).
"""

from __future__ import annotations

from ..core.results import PairScore, Standing

MIN_MANAGERS = 4
GAP = 0.3
SCORE_GAP = 0.5
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


def outliers(all_standings: tuple[Standing, ...]) -> tuple[Standing, ...]:
    """The manager the rest clearly agree without, if any (see the module's rule)."""
    if len(all_standings) < MIN_MANAGERS:
        return ()
    furthest = max(all_standings, key=lambda s: s.gap)
    if max(all_standings, key=lambda s: s.score_gap) is not furthest:
        return ()
    if (
        furthest.gap >= GAP
        and furthest.score_gap >= SCORE_GAP
        and furthest.rest_index >= REST_AT_LEAST
    ):
        return (furthest,)
    return ()

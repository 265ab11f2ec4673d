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
    out = []
    for m in answered:
        own = [p for p in pairs if m in (p.a, p.b)]
        rest = [p for p in pairs if m not in (p.a, p.b)]
        if not own or not rest:
            continue
        out.append(
            Standing(
                manager=m,
                own_index=sum(p.index for p in own) / len(own),
                rest_index=sum(p.index for p in rest) / len(rest),
                own_score=sum(p.score for p in own) / len(own),
                rest_score=sum(p.score for p in rest) / len(rest),
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

"""Two rounds of the same team (before and after an off-site, say): what changed, and whether
it is more than noise.

Noise is judged on one scale, the agreement index: per foundation, the team index change gets
a paired bootstrap over the managers who answered in both rounds (analysis/confidence.py, the
same resampling as the report's intervals), and is beyond noise when its 90% interval excludes
0. The statement similarity (STS) change is given as a figure, not judged; a single pair is one
measurement per round, so no resampling can tell its noise, and its changes are figures too.
A foundation whose answers did not change keeps its figures (features/auditor.py, `previous`).
Managers are matched by name; those present in one round only are listed and left out of the
paired figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from ..analysis import confidence
from ..analysis.tradeoffs import shift_probability
from ..core.errors import UsageError
from ..core.results import FoundationResult, PairScore, TeamReport, TradeOffResult
from ..core.types import Foundation


@dataclass(frozen=True)
class Change:
    """One team figure in both rounds."""

    before: float | None
    after: float | None
    change: float | None  # after - before, the team figures as reported
    common_change: float | None  # the same over managers who answered in both rounds
    interval: tuple[float, float] | None  # paired bootstrap 90% interval of common_change
    beyond_noise: bool | None  # None: cannot tell (fewer than 3 managers), or not judged


@dataclass(frozen=True)
class PairChange:
    """One pair of managers in both rounds: their index and STS score before and after (figures:
    one measurement per round has no noise estimate)."""

    a: str
    b: str
    before_score: float
    after_score: float
    before_band: str
    after_band: str
    before_index: float
    after_index: float

    @property
    def score_change(self) -> float:
        return self.after_score - self.before_score

    @property
    def index_change(self) -> float:
        return self.after_index - self.before_index


@dataclass(frozen=True)
class FoundationChange:
    """One foundation in two rounds: how the team index and score changed, and each pair of managers
    who answered it in both."""

    foundation: Foundation
    index: Change
    score: Change
    common: tuple[str, ...]  # managers who answered this foundation in both rounds
    pairs: tuple[PairChange, ...]  # pairs of `common`, largest index change first


# A trade-off's mean shift is beyond noise when the sign-flip test gives under this: the
# two-sided counterpart of the 90% intervals the index changes are judged with.
SHIFT_ALPHA = 1 - confidence.LEVEL


@dataclass(frozen=True)
class ChoiceChange:
    """One trade-off in both rounds: r_wg and the word before and after, and how far the
    managers who rated it both times moved, with the exact sign-flip test of that shift."""

    before: TradeOffResult
    after: TradeOffResult
    moves: tuple[tuple[str, int, int], ...]  # (manager, before, after), managers in both
    shift: float | None  # mean of after - before over `moves`
    p: float | None  # sign-flip test of `shift`; None under two managers
    beyond_noise: bool | None  # None: fewer than two managers rated it in both rounds


@dataclass(frozen=True)
class Comparison:
    """Two rounds of a team compared, which `compare` renders: both reports, who took part in which
    round, and the changes per foundation and overall."""

    before: TeamReport
    after: TeamReport
    both: tuple[str, ...]  # managers in both rounds, in the after round's order
    only_before: tuple[str, ...]
    only_after: tuple[str, ...]
    foundations: dict[Foundation, FoundationChange]
    overall_index: Change  # means over foundations; no interval
    overall_score: Change
    choices: tuple[ChoiceChange, ...] = ()  # trade-offs rated in both rounds


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _mean_offdiag(matrix: np.ndarray) -> float | None:
    values = matrix[np.isfinite(matrix)]
    return float(values.mean()) if values.size else None


def _matrix(result: FoundationResult, field: str, names: tuple[str, ...]) -> np.ndarray:
    values = {frozenset((_key(p.a), _key(p.b))): float(getattr(p, field)) for p in result.pairs}
    return confidence.pair_matrix(tuple(_key(n) for n in names), values)


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _change(
    before: FoundationResult,
    after: FoundationResult,
    field: str,
    common: tuple[str, ...],
    *,
    judged: bool,
) -> Change:
    """The figure in both rounds; its noise is judged (bootstrap interval) only when `judged`:
    on the index, the one scale the comparison says "beyond noise" on."""
    b, a = getattr(before, field), getattr(after, field)
    common_change = interval = None
    beyond: bool | None = None
    if len(common) >= 2:
        mb, ma = _matrix(before, field, common), _matrix(after, field, common)
        common_change = _diff(_mean_offdiag(ma), _mean_offdiag(mb))
        if judged:
            interval = confidence.difference_interval(ma, mb)
            if interval is not None:
                beyond = not confidence.within_noise(interval)
    return Change(b, a, _diff(a, b), common_change, interval, beyond)


def _foundation(
    f: Foundation, before: FoundationResult, after: FoundationResult
) -> FoundationChange:
    answered_before = {_key(n) for n in before.answered}
    common = tuple(n for n in after.answered if _key(n) in answered_before)
    pairs = []
    for x, y in combinations(common, 2):
        pb, pa = _find(before, x, y), _find(after, x, y)
        if pb is None or pa is None:
            continue
        pairs.append(
            PairChange(
                a=x,
                b=y,
                before_score=pb.score,
                after_score=pa.score,
                before_band=pb.band,
                after_band=pa.band,
                before_index=pb.index,
                after_index=pa.index,
            )
        )
    pairs.sort(key=lambda p: (-abs(p.index_change), p.a, p.b))
    return FoundationChange(
        foundation=f,
        index=_change(before, after, "index", common, judged=True),
        score=_change(before, after, "score", common, judged=False),
        common=common,
        pairs=tuple(pairs),
    )


def _find(result: FoundationResult, x: str, y: str) -> PairScore | None:
    keys = {_key(x), _key(y)}
    for p in result.pairs:
        if {_key(p.a), _key(p.b)} == keys:
            return p
    return None


def _choices(before: TeamReport, after: TeamReport) -> tuple[ChoiceChange, ...]:
    """Each trade-off rated in both rounds, matched by id, managers by name."""
    earlier = {t.tradeoff.id: t for t in before.tradeoffs}
    out = []
    for t in after.tradeoffs:
        b = earlier.get(t.tradeoff.id)
        if b is None:
            continue
        was = {_key(n): v for n, v in b.ratings}
        moves = tuple((n, was[_key(n)], v) for n, v in t.ratings if _key(n) in was)
        diffs = [a - w for _, w, a in moves]
        p = shift_probability(diffs)
        out.append(
            ChoiceChange(
                before=b,
                after=t,
                moves=moves,
                shift=float(np.mean(diffs)) if diffs else None,
                p=p,
                beyond_noise=None if p is None else p < SHIFT_ALPHA,
            )
        )
    return tuple(out)


def _overall(before: float | None, after: float | None) -> Change:
    return Change(before, after, _diff(after, before), None, None, None)


def compare(before: TeamReport, after: TeamReport) -> Comparison:
    """What changed from `before` to `after`, two reports of the same team."""
    sb, sa = before.signature, after.signature
    if (sb.model, sb.calibration, sb.baseline) != (sa.model, sa.calibration, sa.baseline):
        raise UsageError(
            "the two rounds were scored differently "
            f"({sb.model}/{sb.calibration}/{sb.baseline} vs "
            f"{sa.model}/{sa.calibration}/{sa.baseline}); audit both with the same model"
        )
    names_before = {_key(m.name): m.name for m in before.team.managers}
    names_after = {_key(m.name): m.name for m in after.team.managers}
    foundations = {
        f: _foundation(f, before.foundations[f], after.foundations[f])
        for f in Foundation
        if f in before.foundations
        and f in after.foundations
        and (before.foundations[f].answered or after.foundations[f].answered)
    }
    return Comparison(
        before=before,
        after=after,
        both=tuple(n for k, n in names_after.items() if k in names_before),
        only_before=tuple(n for k, n in names_before.items() if k not in names_after),
        only_after=tuple(n for k, n in names_after.items() if k not in names_before),
        foundations=foundations,
        overall_index=_overall(before.overall_index, after.overall_index),
        overall_score=_overall(before.overall, after.overall),
        choices=_choices(before, after),
    )

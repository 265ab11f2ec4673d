"""Agreement on the trade-offs and rankings the managers rated, measured the way research on
strategic consensus measures it, and where those ratings and the free text disagree.

Every formula, its source and why it is read as it is: docs/tradeoffs.md.

- r_wg (James, Demaree & Wolf 1984): 1 - s^2 / sigma^2_EU, with s^2 the sample variance of the
  ratings and sigma^2_EU = (A^2 - 1) / 12 the variance of answers given uniformly at random on
  A points; 0 where the ratings spread wider than random. Read with LeBreton & Senter (2008).
  Its probability under random answering is exact: the distribution of the variance of n
  uniform ratings, built point by point (a seeded simulation only past EXACT_CELLS).
- AD (Burke, Finkelstein & Dusig 1999): the mean absolute deviation from the mean; at or
  under A / 6 the ratings agree (Burke & Dunlap 2002).
- Camps: the largest gap between sorted ratings is at least CAMP_GAP points, the midpoint lies
  inside it, and each side has two managers or more. A rule a reader can check by eye: with the
  3-12 raters of a management team, formal tests of bimodality have next to no power.
- Kendall's W (Kendall & Babington Smith 1939): 12 S / (m^2 (n^3 - n)) over m managers' forced
  rankings of n options; its probability exact for small teams (the distribution of the rank
  sums, built rater by rater), else chi-square with n - 1 degrees of freedom. Read with
  Schmidt (1997).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import pairwise, permutations, product

import numpy as np

from ..core.results import (
    AGREED,
    BOTH_SPLIT,
    CHOICE_CANT_TELL,
    CHOICES_NOT_WORDS,
    NOT_AGREED,
    PARTLY_AGREED,
    SPLIT,
    WORDS_NOT_CHOICES,
    Camp,
    Group,
    RankingResult,
    TradeOffResult,
    TwoSignals,
)
from ..core.types import Foundation, Manager, Ranking, TradeOff
from ..core.verdict import ALIGNED, NOT_ALIGNED

STRONG = 0.70  # r_wg and W from which the ratings agree (LeBreton & Senter 2008; Schmidt 1997)
LACK = 0.30  # r_wg at or under which there is no agreement
ALPHA = 0.05  # agreement must be this unlikely from random answering to be called agreement
EXACT_CELLS = 4_000_000  # past this many (sum, sum of squares) cells, simulate the null
SIMULATIONS = 200_000
EXACT_RANK_STATES = 5_000  # past this many rank-sum states, W's chi-square approximation
# Words for r_wg (LeBreton & Senter 2008, table 3) and for W (Schmidt 1997), from the top.
# A value reads as the first row whose cut it reaches (at or above; above for the open
# lower rows, so 0.30 itself is still "lack of agreement").
RWG_READINGS = (
    (0.90, True, "very strong agreement"),
    (STRONG, True, "strong agreement"),
    (0.50, False, "moderate agreement"),
    (LACK, False, "weak agreement"),
)
W_READINGS = (
    (0.90, True, "unusually strong agreement"),
    (STRONG, True, "strong agreement"),
    (0.50, True, "moderate agreement"),
    (LACK, True, "weak agreement"),
)


def _reading(value: float, readings: tuple[tuple[float, bool, str], ...], lowest: str) -> str:
    return next(
        (w for cut, closed, w in readings if value > cut or (closed and value == cut)), lowest
    )


def camp_gap(options: int) -> int:
    """The gap between sorted ratings that separates two camps: 2 points on a 7-point scale,
    a third of the scale on longer ones."""
    return max(2, round((options - 1) / 3))


def null_variance(options: int) -> float:
    """sigma^2_EU: the variance of ratings given uniformly at random on `options` points."""
    return (options**2 - 1) / 12


def rwg(values: Sequence[int], options: int) -> float | None:
    """r_wg of one trade-off's ratings; None under two ratings; 0 where they spread wider than
    random (James, Demaree & Wolf 1984 truncate there)."""
    if len(values) < 2:
        return None
    s2 = float(np.var(values, ddof=1))
    return max(0.0, 1.0 - s2 / null_variance(options))


def average_deviation(values: Sequence[int]) -> float | None:
    """AD_M: the mean absolute deviation of the ratings from their mean."""
    if len(values) < 2:
        return None
    return float(np.mean(np.abs(np.asarray(values, float) - np.mean(values))))


def _spread(values: Sequence[int]) -> int:
    """n * sum(x^2) - (sum x)^2: the sample variance times n(n - 1), a whole number."""
    n, total = len(values), sum(values)
    return n * sum(v * v for v in values) - total * total


@lru_cache(maxsize=256)
def _spread_distribution(n: int, options: int) -> tuple[np.ndarray, np.ndarray]:
    """Every value `_spread` takes over n ratings drawn uniformly from 0..options-1, with its
    probability: the joint distribution of (sum, sum of squares), built one rating at a time."""
    top = options - 1
    prob = np.zeros((n * top + 1, n * top * top + 1))
    prob[0, 0] = 1.0
    for k in range(n):
        step = np.zeros_like(prob)
        for v in range(options):
            rows, cols = k * top + 1, k * top * top + 1
            step[v : v + rows, v * v : v * v + cols] += prob[:rows, :cols]
        prob = step / options
    sums, squares = np.nonzero(prob)
    spreads = n * squares - sums * sums
    order = np.argsort(spreads, kind="stable")
    return spreads[order], np.cumsum(prob[sums, squares][order])


def rwg_probability(values: Sequence[int], options: int) -> float | None:
    """The chance that n managers answering at random agree at least as closely (a spread at
    most as wide): exact, or from SIMULATIONS seeded draws for very large teams."""
    n = len(values)
    if n < 2:
        return None
    observed = _spread([v - min(values) for v in values])
    if (n * (options - 1) + 1) * (n * (options - 1) ** 2 + 1) <= EXACT_CELLS:
        spreads, cumulative = _spread_distribution(n, options)
        at = int(np.searchsorted(spreads, observed, side="right"))
        return float(min(1.0, cumulative[at - 1])) if at else 0.0
    draws = np.random.default_rng(0).integers(0, options, size=(SIMULATIONS, n))
    simulated = n * (draws**2).sum(1) - draws.sum(1) ** 2
    return float((np.sum(simulated <= observed) + 1) / (SIMULATIONS + 1))


def split(
    named: Sequence[tuple[str, int]], t: TradeOff
) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]] | None:
    """The two camps, left and right, when the ratings fall on opposite sides of the midpoint
    with a gap of camp_gap points or more between them and two managers or more on each side;
    else None."""
    ordered = sorted(named, key=lambda x: x[1])
    if len(ordered) < 4:
        return None
    gaps = [b[1] - a[1] for a, b in pairwise(ordered)]
    widest = max(gaps)
    cut = gaps.index(widest) + 1
    left, right = tuple(ordered[:cut]), tuple(ordered[cut:])
    if (
        widest >= camp_gap(t.options)
        and left[-1][1] < t.midpoint < right[0][1]
        and len(left) >= 2
        and len(right) >= 2
    ):
        return left, right
    return None


def alone(named: Sequence[tuple[str, int]], t: TradeOff) -> tuple[str, int] | None:
    """The one manager at the other pole: on one side of the midpoint, every other manager on
    the midpoint or beyond it, camp_gap points or more from the nearest of them."""
    if len(named) < 3:
        return None
    ordered = sorted(named, key=lambda x: x[1])
    gap = camp_gap(t.options)
    low, high = ordered[0], ordered[-1]
    if low[1] < t.midpoint <= ordered[1][1] and ordered[1][1] - low[1] >= gap:
        return low
    if high[1] > t.midpoint >= ordered[-2][1] and high[1] - ordered[-2][1] >= gap:
        return high
    return None


def _camp(side: Sequence[tuple[str, int]], pole: str) -> Camp:
    return Camp(pole, tuple(n for n, _ in side), tuple(v for _, v in side))


def tradeoff_result(t: TradeOff, managers: Sequence[Manager], min_group: int = 1) -> TradeOffResult:
    """Every figure of one trade-off over the managers who rated it."""
    named = [(m.name, g.value) for m in managers if (g := m.rating(t.id)) is not None]
    named_int = [(n, v) for n, v in named if isinstance(v, int)]
    values = [v for _, v in named_int]
    missing = tuple(m.name for m in managers if m.name not in {n for n, _ in named_int})
    r = rwg(values, t.options)
    p = rwg_probability(values, t.options)
    camps = split(named_int, t)
    lone = None if camps else alone(named_int, t)
    hidden = camps is not None and min(len(camps[0]), len(camps[1])) < min_group
    if r is None or p is None:
        word = CHOICE_CANT_TELL
    elif camps is not None:
        word = SPLIT
    elif r >= STRONG:
        word = AGREED if p < ALPHA else CHOICE_CANT_TELL
    elif r <= LACK:
        word = NOT_AGREED
    else:
        word = PARTLY_AGREED
    return TradeOffResult(
        tradeoff=t,
        ratings=tuple(named_int),
        missing=missing,
        mean=float(np.mean(values)) if values else None,
        sd=float(np.std(values, ddof=1)) if len(values) > 1 else None,
        rwg=r,
        rwg_p=p,
        ad=average_deviation(values),
        ad_cutoff=t.options / 6,
        reading="" if r is None else _reading(r, RWG_READINGS, "lack of agreement"),
        word=word,
        camps=None
        if camps is None or hidden
        else (_camp(camps[0], t.left), _camp(camps[1], t.right)),
        apart=None
        if lone is None or min_group > 1
        else _camp([lone], t.left if lone[1] < t.midpoint else t.right),
        hidden=hidden,
    )


EXACT_FLIPS = 16  # managers up to which the shift test enumerates every sign


def shift_probability(differences: Sequence[int]) -> float | None:
    """Two-sided probability of a mean shift at least this large if the rounds were
    exchangeable, each manager's change as likely up as down: the exact sign-flip test
    (every sign enumerated up to EXACT_FLIPS managers, else seeded draws). None under two."""
    d = np.asarray(differences, float)
    if d.size < 2:
        return None
    observed = abs(d.sum()) - 1e-9
    if d.size <= EXACT_FLIPS:
        signs = np.array(list(product((-1.0, 1.0), repeat=d.size)))
    else:
        signs = np.random.default_rng(0).choice((-1.0, 1.0), size=(SIMULATIONS // 10, d.size))
    return float(np.mean(np.abs(signs @ d) >= observed))


def kendall_w(orders: Sequence[Sequence[int]]) -> float | None:
    """Kendall's W of m complete rankings (each a rank 1..n per option, in option order)."""
    m = len(orders)
    if m < 2:
        return None
    n = len(orders[0])
    sums = np.sum(np.asarray(orders, float), axis=0)
    s = float(np.sum((sums - m * (n + 1) / 2) ** 2))
    return 12 * s / (m * m * (n**3 - n))


def _rank_sum_states(m: int, n: int) -> int:
    return math.comb(m * (n - 1) + n - 1, n - 1)  # a bound on the rank-sum vectors


def w_probability(orders: Sequence[Sequence[int]]) -> tuple[float | None, bool]:
    """The chance that m managers ordering the options at random concord at least this
    strongly, and whether it is exact (every rank-sum vector enumerated) or chi-square."""
    m = len(orders)
    if m < 2:
        return None, True
    n = len(orders[0])
    sums = np.sum(np.asarray(orders), axis=0)
    observed = int(np.sum((2 * sums - m * (n + 1)) ** 2))  # 4 S, a whole number
    if _rank_sum_states(m, n) <= EXACT_RANK_STATES and math.factorial(n) <= 120:
        dist: dict[tuple[int, ...], float] = {(0,) * n: 1.0}
        perms = list(permutations(range(1, n + 1)))
        for _ in range(m):
            nxt: dict[tuple[int, ...], float] = {}
            for state, pr in dist.items():
                share = pr / len(perms)
                for perm in perms:
                    key = tuple(a + b for a, b in zip(state, perm, strict=True))
                    nxt[key] = nxt.get(key, 0.0) + share
            dist = nxt
        p = sum(
            pr
            for state, pr in dist.items()
            if sum((2 * x - m * (n + 1)) ** 2 for x in state) >= observed
        )
        return min(1.0, p), True
    from scipy.stats import chi2

    w = kendall_w(orders)
    assert w is not None
    return float(chi2.sf(m * (n - 1) * w, n - 1)), False


def ranking_result(r: Ranking, managers: Sequence[Manager]) -> RankingResult:
    """Every figure of one forced ranking over the managers who gave it."""
    given = [(m.name, rt.value) for m in managers if (rt := m.rating(r.id)) is not None]
    spelled = {o.casefold(): o for o in r.items}
    orders = tuple(
        (name, tuple(spelled[o.casefold()] for o in value))
        for name, value in given
        if isinstance(value, tuple)
    )
    missing = tuple(m.name for m in managers if m.name not in {n for n, _ in orders})
    ranks = [[order.index(o) + 1 for o in r.items] for _, order in orders]
    w = kendall_w(ranks)
    p, exact = w_probability(ranks)
    m = len(ranks)
    means = np.mean(np.asarray(ranks, float), axis=0) if ranks else np.zeros(len(r.items))
    mean_ranks = tuple(sorted(zip(r.items, map(float, means), strict=True), key=lambda x: x[1]))
    leads = tuple(
        (o, tuple(name for name, order in orders if order[0] == o))
        for o, _ in mean_ranks
        if any(order[0] == o for _, order in orders)
    )
    if w is None or p is None:
        word = CHOICE_CANT_TELL
    elif sum(len(who) >= 2 for _, who in leads) >= 2:
        word = SPLIT
    elif w >= STRONG:
        word = AGREED if p < ALPHA else CHOICE_CANT_TELL
    elif w < LACK:
        word = NOT_AGREED
    else:
        word = PARTLY_AGREED
    return RankingResult(
        ranking=r,
        orders=orders,
        missing=missing,
        w=w,
        p=p,
        exact=exact,
        mean_rho=None if w is None else (m * w - 1) / (m - 1),
        mean_ranks=mean_ranks if ranks else (),
        leads=leads,
        reading="" if w is None else _reading(w, W_READINGS, "very weak agreement"),
        word=word,
    )


# Where the free text and the ratings disagree. `quote(manager, foundation, others)` gives the
# manager's statement on the foundation that the other side's statements match least
# (auditor.py): the words where the two sides part, if they part anywhere.
Quote = Callable[[str, Foundation, tuple[str, ...]], str | None]


def _names(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _side(camp: Camp) -> str:
    figures = ", ".join(str(v) for v in camp.ratings)
    return f'{_names(camp.members)} toward "{camp.pole}" ({figures})'


def describe_split(t: TradeOffResult) -> str:
    """Who sits where on a trade-off whose ratings do not agree, in one clause."""
    if t.camps is not None:
        return f"{_side(t.camps[0])}; {_side(t.camps[1])}"
    if t.hidden:
        return "two camps, too small to show in an anonymised report"
    if t.apart is not None:
        others = [v for n, v in t.ratings if n not in t.apart.members]
        return (
            f'{t.apart.members[0]} alone toward "{t.apart.pole}" ({t.apart.ratings[0]}); '
            f"the others from {min(others)} to {max(others)}"
        )
    low = min(t.ratings, key=lambda x: x[1])
    high = max(t.ratings, key=lambda x: x[1])
    t_ = t.tradeoff
    return (
        f'ratings run from {low[1]} ({low[0]}, toward "{t_.left}") to {high[1]} '
        f'({high[0]}, toward "{t_.right}")'
    )


def _quotes(t: TradeOffResult, quote: Quote) -> tuple[tuple[str, int | str, str], ...]:
    """Each named manager's statement set against the other side's managers."""
    if t.camps is not None:
        sides = [
            (n, v, t.camps[1 - i].members)
            for i, c in enumerate(t.camps)
            for n, v in zip(c.members, c.ratings, strict=True)
        ]
    elif t.hidden or not t.ratings:
        sides = []
    elif t.apart is not None:
        alone_, at = t.apart.members[0], t.apart.ratings[0]
        rest = tuple(n for n, _ in t.ratings if n != alone_)
        far = max((x for x in t.ratings if x[0] != alone_), key=lambda x: abs(x[1] - at))
        sides = [(alone_, at, rest), (far[0], far[1], (alone_,))]
    else:
        low = min(t.ratings, key=lambda x: x[1])
        high = max(t.ratings, key=lambda x: x[1])
        sides = [(low[0], low[1], (high[0],)), (high[0], high[1], (low[0],))]
    out = []
    for name, value, others in sides:
        said = quote(name, t.tradeoff.foundation, others)
        if said is not None:
            out.append((name, value, said))
    return tuple(out)


def _ranking_split(r: RankingResult) -> str:
    return "; ".join(f'{_names(who)} lead with "{o}"' for o, who in r.leads if who)


def two_signals(
    foundation: Foundation,
    text_verdict: str | None,
    text_camps: Sequence[Group],
    tradeoffs: Sequence[TradeOffResult],
    rankings: Sequence[RankingResult],
    quote: Quote,
) -> tuple[TwoSignals, ...]:
    """What the ratings of one foundation say against its free text: "the words agree but the
    choices do not" (text aligned, a choice split or spread as at random), the reverse (text
    not aligned or in camps, every choice agreed), and, where both split, whether the camps
    are the same people."""
    mine = [t for t in tradeoffs if t.tradeoff.foundation == foundation]
    ranked = [r for r in rankings if r.ranking.foundation == foundation]
    if not mine and not ranked:
        return ()
    text_agrees = text_verdict == ALIGNED and not text_camps
    text_splits = text_verdict == NOT_ALIGNED or bool(text_camps)
    split_t = [t for t in mine if t.word in (SPLIT, NOT_AGREED)]
    split_r = [r for r in ranked if r.word in (SPLIT, NOT_AGREED)]
    words = [*(t.word for t in mine), *(r.word for r in ranked)]
    out: list[TwoSignals] = []
    if text_agrees:
        for t in split_t:
            out.append(
                TwoSignals(
                    foundation,
                    WORDS_NOT_CHOICES,
                    t.tradeoff.id,
                    f"the words agree but the choices do not on {t.tradeoff.id}: "
                    f"{describe_split(t)}",
                    _quotes(t, quote),
                )
            )
        for r in split_r:
            out.append(
                TwoSignals(
                    foundation,
                    WORDS_NOT_CHOICES,
                    r.ranking.id,
                    f"the words agree but the choices do not on {r.ranking.id}: "
                    f"{_ranking_split(r)}",
                )
            )
    elif text_splits and words and all(w == AGREED for w in words):
        ids = [*(t.tradeoff.id for t in mine), *(r.ranking.id for r in ranked)]
        out.append(
            TwoSignals(
                foundation,
                CHOICES_NOT_WORDS,
                ids[0],
                f"the choices agree but the words do not: the managers make the same choices "
                f"on {', '.join(ids)}, yet write different things; read the quotes for what "
                "the trade-offs do not ask",
            )
        )
    elif text_splits:
        text_sets = {frozenset(g.members) for g in text_camps}
        for t in split_t:
            same = None
            if t.camps is not None and text_sets:
                rated = {n for n, _ in t.ratings}
                text_here = {s & rated for s in text_sets if s & rated}
                same = text_here == {frozenset(c.members) for c in t.camps}
            where = (
                ""
                if same is None
                else " (the same camps as in the words)"
                if same
                else " (camps that cut across those in the words)"
            )
            out.append(
                TwoSignals(
                    foundation,
                    BOTH_SPLIT,
                    t.tradeoff.id,
                    f"the words and the choices both split on {t.tradeoff.id}: "
                    f"{describe_split(t)}{where}",
                    _quotes(t, quote),
                    same,
                )
            )
    return tuple(out)

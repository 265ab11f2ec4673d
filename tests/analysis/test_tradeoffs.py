"""The trade-off statistics against values worked out by hand (docs/tradeoffs.md gives each
formula), and the exact tests against brute-force enumeration of every possible answer."""

from __future__ import annotations

from fractions import Fraction
from itertools import permutations, product

import numpy as np
import pytest

from alignaudit.analysis import tradeoffs as tr
from alignaudit.core.results import (
    AGREED,
    BOTH_SPLIT,
    CHOICES_NOT_WORDS,
    NOT_AGREED,
    PARTLY_AGREED,
    SPLIT,
    WORDS_NOT_CHOICES,
    Group,
)
from alignaudit.core.types import Foundation, Manager, Ranking, Rating, TradeOff
from alignaudit.core.verdict import ALIGNED, NOT_ALIGNED, PARTLY

PRICE = TradeOff("price", Foundation.POSITIONING, "lowest price", "premium offer")
DISCIPLINES = Ranking("disciplines", Foundation.POSITIONING, ("ops", "intimacy", "product"))
NAMES = "ABCDEFGHIJ"


def rated(values: list[int], t: TradeOff = PRICE) -> list[Manager]:
    return [
        Manager(NAMES[i], f"{NAMES[i]}.yaml", ratings=(Rating(t.id, v, 1, 1),))
        for i, v in enumerate(values)
    ]


def ranked(orders: list[tuple[str, ...]]) -> list[Manager]:
    return [
        Manager(NAMES[i], f"{NAMES[i]}.yaml", ratings=(Rating(DISCIPLINES.id, o, 1, 1),))
        for i, o in enumerate(orders)
    ]


def test_rwg_and_ad_by_hand():
    # 5 6 6 7 5: mean 5.8, squared deviations .64 .04 .04 1.44 .64 = 2.8, s^2 = 2.8 / 4 = 0.7;
    # sigma^2_EU on 7 points = (49 - 1) / 12 = 4, so r_wg = 1 - 0.7 / 4 = 0.825.
    # |deviations| .8 .2 .2 1.2 .8 = 3.2, AD = 3.2 / 5 = 0.64 (cut-off 7 / 6).
    r = tr.tradeoff_result(PRICE, rated([5, 6, 6, 7, 5]))
    assert r.rwg == pytest.approx(0.825)
    assert r.ad == pytest.approx(0.64) and r.ad_cutoff == pytest.approx(7 / 6)
    assert r.mean == pytest.approx(5.8) and r.sd == pytest.approx(np.sqrt(0.7))
    assert r.reading == "strong agreement"
    assert tr.null_variance(5) == pytest.approx(2.0)  # (25 - 1) / 12


def test_exact_probability_by_hand():
    # Two managers on 7 points: the same point has chance 7/49; one point apart or closer 19/49.
    assert tr.rwg_probability([3, 3], 7) == pytest.approx(1 / 7)
    assert tr.rwg_probability([3, 4], 7) == pytest.approx(19 / 49)
    # Three at 4 4 5: all equal (7) or two equal and one next to them (6 pairs x 2 x 3 = 36).
    assert tr.rwg_probability([4, 4, 5], 7) == pytest.approx(43 / 343)
    assert tr.rwg_probability([1, 7], 7) == pytest.approx(1.0)


@pytest.mark.parametrize(("values", "options"), [([2, 2, 3, 5], 7), ([1, 3, 3, 4, 5], 5)])
def test_exact_probability_matches_enumerating_every_answer(values, options):
    def spread(xs: tuple[int, ...]) -> Fraction:
        return Fraction(len(xs) * sum(x * x for x in xs) - sum(xs) ** 2)

    observed = spread(tuple(values))
    every = list(product(range(1, options + 1), repeat=len(values)))
    expected = sum(spread(xs) <= observed for xs in every) / len(every)
    assert tr.rwg_probability(values, options) == pytest.approx(expected)


def test_simulated_probability_agrees_with_the_exact_one(monkeypatch):
    values = [3, 4, 4, 5, 4, 3, 5, 4]
    exact = tr.rwg_probability(values, 7)
    monkeypatch.setattr(tr, "EXACT_CELLS", 0)
    assert tr.rwg_probability(values, 7) == pytest.approx(exact, abs=0.003)


def test_three_against_three_is_two_camps():
    # 1 2 2 | 6 6 7: a 4-point gap around the midpoint 4, three on each side.
    r = tr.tradeoff_result(PRICE, rated([1, 6, 2, 7, 2, 6]))
    assert r.word == SPLIT and r.camps is not None
    left, right = r.camps
    assert (left.members, left.ratings, left.pole) == (("A", "C", "E"), (1, 2, 2), "lowest price")
    assert (right.members, right.ratings) == (("B", "F", "D"), (6, 6, 7))
    # squared deviations from 4: 9 4 4 4 4 9 = 34, s^2 = 6.8 > 4: wider than random, r_wg 0
    assert r.rwg == 0.0 and r.reading == "lack of agreement"
    assert r.ad == pytest.approx(14 / 6)


def test_camps_need_the_midpoint_between_them_and_two_on_each_side():
    assert tr.split([("A", 2), ("B", 3), ("C", 3), ("D", 5), ("E", 6), ("F", 6)], PRICE)
    assert tr.split([("A", 3), ("B", 3), ("C", 4), ("D", 5), ("E", 5)], PRICE) is None  # gap 1
    assert tr.split([("A", 1), ("B", 1), ("C", 3), ("D", 3)], PRICE) is None  # one side
    assert tr.split([("A", 1), ("B", 6), ("C", 6), ("D", 7)], PRICE) is None  # one alone
    assert tr.camp_gap(7) == 2 and tr.camp_gap(11) == 3


def test_one_manager_at_the_other_pole_is_named():
    r = tr.tradeoff_result(PRICE, rated([5, 6, 6, 5, 1]))
    assert r.camps is None and r.apart is not None
    assert (r.apart.members, r.apart.ratings, r.apart.pole) == (("E",), (1,), "lowest price")
    assert tr.tradeoff_result(PRICE, rated([3, 4, 4, 5])).apart is None


def test_a_uniform_spread_is_no_agreement():
    r = tr.tradeoff_result(PRICE, rated([1, 2, 3, 4, 5, 6, 7]))
    # s^2 of 1..7 = 28 / 6 = 4.67 > 4: r_wg truncated to 0, no camps (no gap of 2)
    assert r.rwg == 0.0 and r.word == NOT_AGREED and r.camps is None and r.apart is None


def test_a_consensus_is_agreement_beyond_chance():
    r = tr.tradeoff_result(PRICE, rated([6, 6, 6, 6, 6]))
    assert r.rwg == 1.0 and r.ad == 0.0 and r.word == AGREED
    assert r.rwg_p == pytest.approx(7 / 7**5)  # all five on one point, any of the seven
    assert r.reading == "very strong agreement"


def test_too_few_ratings_cannot_tell_agreement_from_chance():
    r = tr.tradeoff_result(PRICE, rated([4, 4, 5]))  # r_wg 0.92, but 43/343 by chance
    assert r.rwg == pytest.approx(1 - (1 / 3) / 4) and r.word == "can't tell"
    one = tr.tradeoff_result(PRICE, rated([4]))
    assert one.rwg is None and one.word == "can't tell" and one.reading == ""


def test_readings_at_the_boundaries():
    assert tr._reading(0.70, tr.RWG_READINGS, "lack of agreement") == "strong agreement"
    assert tr._reading(0.30, tr.RWG_READINGS, "lack of agreement") == "lack of agreement"
    assert tr._reading(0.31, tr.RWG_READINGS, "lack of agreement") == "weak agreement"
    r = tr.tradeoff_result(PRICE, rated([3, 4, 6, 4, 5]))  # s^2 = 1.3, r_wg = 0.675
    assert r.rwg == pytest.approx(0.675) and r.word == PARTLY_AGREED


def test_missing_ratings_are_listed_not_counted():
    managers = [*rated([5, 5, 6]), Manager("Z", "Z.yaml")]
    r = tr.tradeoff_result(PRICE, managers)
    assert r.missing == ("Z",) and len(r.ratings) == 3


def test_camps_under_the_anonymity_floor_are_withheld():
    r = tr.tradeoff_result(PRICE, rated([1, 2, 6, 7]), min_group=3)
    assert r.word == SPLIT and r.camps is None and r.hidden
    assert "too small to show" in tr.describe_split(r)


def test_kendall_w_by_hand():
    # ranks (ops, intimacy, product): A 1 2 3, B 1 3 2, C 2 1 3 -> sums 4 6 8, mean 6,
    # S = 4 + 0 + 4 = 8, W = 12 * 8 / (3^2 * (27 - 3)) = 96 / 216 = 4/9.
    orders = [("ops", "intimacy", "product"), ("ops", "product", "intimacy")]
    orders.append(("intimacy", "ops", "product"))
    r = tr.ranking_result(DISCIPLINES, ranked(orders))
    assert r.w == pytest.approx(4 / 9)
    # mean Spearman rho over the three pairs: (0.5 + 0.5 - 0.5) / 3 = 1/6 = (3W - 1) / 2
    assert r.mean_rho == pytest.approx(1 / 6)
    assert r.mean_ranks[0] == ("ops", pytest.approx(4 / 3))
    assert dict(r.leads) == {"ops": ("A", "B"), "intimacy": ("C",)}
    assert r.exact and r.reading == "weak agreement"


def test_kendall_w_extremes_and_exact_test():
    same = [("ops", "intimacy", "product")] * 3
    r = tr.ranking_result(DISCIPLINES, ranked(same))
    assert r.w == 1.0 and r.p == pytest.approx(1 / 36)  # the other two copy the first: 1/6^2
    assert r.word == AGREED
    opposite = tr.ranking_result(
        DISCIPLINES, ranked([("ops", "intimacy", "product"), ("product", "intimacy", "ops")])
    )
    assert opposite.w == 0.0 and opposite.p == pytest.approx(1.0) and opposite.word == NOT_AGREED


def test_kendall_exact_test_matches_enumerating_every_ranking():
    orders = [(1, 2, 3, 4), (2, 1, 3, 4), (1, 3, 2, 4)]
    w = tr.kendall_w(orders)
    assert w is not None
    every = list(product(permutations(range(1, 5)), repeat=3))
    at_least = sum((tr.kendall_w(list(x)) or 0) >= w - 1e-12 for x in every) / len(every)
    p, exact = tr.w_probability(orders)
    assert exact and p == pytest.approx(at_least)


def test_kendall_large_teams_use_chi_square():
    orders = [(1, 2, 3, 4, 5)] * 8 + [(2, 1, 3, 4, 5)] * 8
    p, exact = tr.w_probability(orders)
    assert not exact and p is not None and p < 1e-6


def test_two_leads_held_by_two_each_is_a_split_ranking():
    orders = [("ops", "intimacy", "product")] * 2 + [("product", "intimacy", "ops")] * 2
    r = tr.ranking_result(DISCIPLINES, ranked(orders))
    assert r.word == SPLIT and dict(r.leads) == {"ops": ("A", "B"), "product": ("C", "D")}


def _quote(manager: str, foundation: Foundation, others: tuple[str, ...]) -> str:
    return f"{manager} against {', '.join(others)}"


def test_words_agree_but_choices_do_not_names_both_sides_with_quotes():
    split = tr.tradeoff_result(PRICE, rated([1, 2, 6, 7]))
    found = tr.two_signals(Foundation.POSITIONING, ALIGNED, (), [split], [], _quote)
    assert [s.kind for s in found] == [WORDS_NOT_CHOICES]
    s = found[0]
    assert 'A and B toward "lowest price" (1, 2)' in s.message
    assert 'C and D toward "premium offer" (6, 7)' in s.message
    assert s.quotes == (  # each quoted against the other camp
        ("A", 1, "A against C, D"),
        ("B", 2, "B against C, D"),
        ("C", 6, "C against A, B"),
        ("D", 7, "D against A, B"),
    )
    apart = tr.tradeoff_result(PRICE, rated([6, 6, 5, 1]))
    (s,) = tr.two_signals(Foundation.POSITIONING, ALIGNED, (), [apart], [], _quote)
    assert 'D alone toward "lowest price" (1); the others from 5 to 6' in s.message
    assert s.quotes == (("D", 1, "D against A, B, C"), ("A", 6, "A against D"))


def test_choices_agree_but_words_do_not():
    agreed = tr.tradeoff_result(PRICE, rated([6, 6, 6, 6, 6]))
    found = tr.two_signals(Foundation.POSITIONING, NOT_ALIGNED, (), [agreed], [], _quote)
    assert [s.kind for s in found] == [CHOICES_NOT_WORDS] and "price" in found[0].message
    # text partly aligned and choices agreed: nothing to contrast
    assert tr.two_signals(Foundation.POSITIONING, PARTLY, (), [agreed], [], _quote) == ()
    # other foundations' choices are not this foundation's signal
    assert tr.two_signals(Foundation.VISION, NOT_ALIGNED, (), [agreed], [], _quote) == ()


def test_camps_in_ratings_are_compared_with_camps_in_words():
    split = tr.tradeoff_result(PRICE, rated([1, 2, 6, 7]))
    same = (Group(("A", "B"), 0.5, ()), Group(("C", "D"), 0.5, ()))
    across = (Group(("A", "C"), 0.5, ()), Group(("B", "D"), 0.5, ()))
    found = tr.two_signals(Foundation.POSITIONING, NOT_ALIGNED, same, [split], [], _quote)
    assert found[0].kind == BOTH_SPLIT and found[0].same_camps is True
    assert "same camps as in the words" in found[0].message
    found = tr.two_signals(Foundation.POSITIONING, PARTLY, across, [split], [], _quote)
    assert found[0].same_camps is False and "cut across" in found[0].message


def test_shift_probability_by_hand():
    # five managers all one point up: only "all up" and "all down" reach |sum| 5, 2 of 32 signs
    assert tr.shift_probability([1, 1, 1, 1, 1]) == pytest.approx(2 / 32)
    # +2 and +1: the four sign patterns sum to 3, 1, -1, -3; two reach |3|
    assert tr.shift_probability([2, 1]) == pytest.approx(0.5)
    # one manager moving is no team shift, however far
    assert tr.shift_probability([4, 0, 0, 0, 0]) == pytest.approx(1.0)
    assert tr.shift_probability([3]) is None

"""The trade-off figures the examples' READMEs and docs/tradeoffs.md state, recomputed from the
example answer files (no model: the ratings alone decide them), so the docs stay true."""

from __future__ import annotations

from alignaudit.analysis.tradeoffs import ranking_result, tradeoff_result
from alignaudit.core.results import AGREED, NOT_AGREED, PARTLY_AGREED, SPLIT
from alignaudit.inputs.answers import load_team
from alignaudit.inputs.tradeoffs import DEFAULT_RANKINGS, DEFAULT_TRADEOFFS
from tests.conftest import EXAMPLES


def results(team: str) -> tuple[dict, object]:
    managers = load_team(EXAMPLES / team).managers
    by_id = {t.id: tradeoff_result(t, managers) for t in DEFAULT_TRADEOFFS}
    return by_id, ranking_result(DEFAULT_RANKINGS[0], managers)


def test_brightline_splits_into_the_unit_camps_on_price_market_and_horizon():
    by_id, ranking = results("brightline-software")
    sales = {"Jessica Moreau", "Kevin Osei", "Laura Brennan"}
    for id_ in ("cost-vs-differentiation", "broad-vs-focused", "short-vs-long-term"):
        t = by_id[id_]
        assert t.word == SPLIT and t.camps is not None
        assert set(t.camps[0].members) == sales
    assert by_id["cost-vs-differentiation"].rwg == 0.0
    assert by_id["organic-vs-acquisitions"].word == AGREED
    assert round(by_id["organic-vs-acquisitions"].rwg, 2) == 0.90
    assert ranking.word == SPLIT and round(ranking.w, 2) == 0.0


def test_northwind_cfo_stands_alone_at_the_opposite_pole():
    by_id, ranking = results("northwind-logistics")
    for id_, pole in (
        ("cost-vs-differentiation", "win on the lowest cost and price"),
        ("organic-vs-acquisitions", "grow by acquisitions"),
        ("growth-vs-profitability", "grow revenue and market share first"),
        ("broad-vs-focused", "serve a broad market"),
    ):
        apart = by_id[id_].apart
        assert apart is not None and apart.members == ("Marcus Holt",) and apart.pole == pole
    assert by_id["cost-vs-differentiation"].word == NOT_AGREED
    assert ranking.word == PARTLY_AGREED and round(ranking.w, 2) == 0.64


def test_harbor_agrees_on_every_choice_beyond_chance():
    by_id, ranking = results("harbor-health")
    for t in by_id.values():
        assert t.word == AGREED and 0.93 <= round(t.rwg, 2) <= 0.95 and round(t.rwg_p, 3) <= 0.011
    assert ranking.word == AGREED and round(ranking.w, 2) == 0.84
    assert round(ranking.p, 3) == 0.008 and ranking.mean_ranks[0][0] == "customer intimacy"

"""Large-team statistics: sums equal the pairwise means, chunked top-K equals brute force,
and the large-team audit keeps memory bounded."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from itertools import combinations

import jsonschema
import numpy as np
import pytest

from alignaudit.core.types import Answer, Foundation, Manager, Team
from alignaudit.embedding.interface import EmbedderBase
from alignaudit.features.auditor import audit
from alignaudit.formats import json as json_format
from alignaudit.formats import terminal
from alignaudit.scoring import large_team as scale
from alignaudit.scoring.catalogue import default_calibration, tables_for
from alignaudit.scoring.large_team import most_divergent_pairs, team_sums
from alignaudit.scoring.team_vectors import TeamVectors
from tests.cli.test_cli import schema


def units(n: int, d: int = 16, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, d))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("scale_rows", [False, True])
def test_sums_give_the_pairwise_statistics_exactly(scale_rows):
    u = units(9)
    if scale_rows:  # mean vectors are not unit vectors
        u = u * np.linspace(0.3, 1.0, 9)[:, None]
    sims = u @ u.T
    pairs = [sims[i, j] for i, j in combinations(range(9), 2)]
    s = team_sums(u)
    assert s.mean_pair == pytest.approx(np.mean(pairs), abs=1e-12)
    for i in range(9):
        others = [sims[i, j] for j in range(9) if j != i]
        assert s.loo[i] == pytest.approx(np.mean(others), abs=1e-12)
        assert s.loo_sd[i] == pytest.approx(np.std(others), abs=1e-9)
        centre = u.sum(axis=0) - u[i]
        cos = u[i] @ centre / np.linalg.norm(centre) / np.linalg.norm(u[i])
        assert s.centroid_distance[i] == pytest.approx(1 - cos, abs=1e-12)


def test_expected_value_of_a_normal_by_quadrature():
    mean, sd = np.array([0.0, 1.0, 2.0]), np.array([1.0, 0.0, 0.5])
    assert scale.expected(lambda x: x, mean, sd) == pytest.approx(mean)
    assert scale.expected(lambda x: x**2, mean, sd) == pytest.approx(mean**2 + sd**2)
    assert scale.expected(np.exp, mean, sd) == pytest.approx(np.exp(mean + sd**2 / 2))


def test_sums_need_two_vectors():
    with pytest.raises(ValueError):
        team_sums(units(1))


@pytest.mark.parametrize(("n", "k", "block"), [(2, 5, 512), (7, 4, 3), (40, 15, 7), (40, 2000, 16)])
def test_chunked_top_k_equals_brute_force(n, k, block):
    u = units(n, seed=n)
    sims = u.astype(np.float32) @ u.astype(np.float32).T
    brute = sorted(combinations(range(n), 2), key=lambda p: (sims[p], p))[:k]
    assert most_divergent_pairs(u, k, block=block) == brute


def test_top_k_never_builds_the_n_by_n_matrix():
    n = 3000
    u = units(n, d=64).astype(np.float32)
    tracemalloc.start()
    try:
        most_divergent_pairs(u, 10, block=256)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < n * n * 4 / 3  # a third of one float32 N x N matrix


class HashedEmbedder(EmbedderBase):
    """Unit vectors near one of a few 'ideas': statements naming the same idea agree."""

    name = "hashed"
    sha256 = None
    dim = 32

    def __init__(self) -> None:
        self.ideas = units(4, self.dim, seed=1)

    def encode(self, texts):
        out = []
        for t in texts:
            seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
            rng = np.random.default_rng(seed)
            v = self.ideas[int(t.split(":")[0])] + 0.1 * rng.standard_normal(self.dim)
            out.append(v / np.linalg.norm(v))
        return np.asarray(out, dtype=np.float32)


def big_team(n: int, statements: int = 3, missing_every: int = 7) -> Team:
    managers = []
    for i in range(n):
        idea = 0 if i % 5 else 1 + i % 3  # most managers share idea 0; every fifth differs
        answers = {
            f: Answer(tuple(f"{idea}:{f.value} {i} {k}" for k in range(statements)), 1)
            for f in Foundation
            if not (f is Foundation.POSITIONING and i % missing_every == 0)
        }
        managers.append(Manager(f"m{i:04d}", f"m{i:04d}.yaml", answers=answers))
    return Team("big", "big", tuple(managers))


def test_large_teams_take_the_large_path(monkeypatch):
    monkeypatch.setattr(scale, "LARGE_TEAM", 30)
    report = audit(big_team(31), HashedEmbedder())
    for f, r in report.foundations.items():
        assert r.large is not None and not r.every_pair
        assert len(r.pairs) == scale.MOST_DIVERGENT
        assert r.large.pair_count == len(r.answered) * (len(r.answered) - 1) // 2
        assert set(r.manager_means()) == set(r.answered)
        assert 0 <= r.score <= 5 and 0 <= r.index <= 1
        if f is Foundation.POSITIONING:
            assert "m0000" in r.missing and "m0000" not in r.answered
    small = audit(big_team(30), HashedEmbedder())
    assert all(r.every_pair for r in small.foundations.values())


def test_those_who_differ_stand_furthest_from_the_rest(monkeypatch):
    monkeypatch.setattr(scale, "LARGE_TEAM", 10)
    report = audit(big_team(60), HashedEmbedder())
    for r in report.foundations.values():
        means = r.manager_means("score")
        furthest = sorted(means, key=means.get)[:10]
        assert {int(m[1:]) % 5 for m in furthest} == {0}, furthest  # every fifth one
        worst = r.pairs[0]
        assert int(worst.a[1:]) % 5 == 0 or int(worst.b[1:]) % 5 == 0


def test_one_statement_each_raw_mean_and_worst_pair_equal_the_exact_path(monkeypatch):
    team = big_team(40, statements=1, missing_every=1000)
    exact = audit(team, HashedEmbedder())
    monkeypatch.setattr(scale, "LARGE_TEAM", 10)
    large = audit(team, HashedEmbedder())
    for f in Foundation:
        e, g = exact.foundations[f], large.foundations[f]
        assert g.raw == pytest.approx(e.raw, abs=1e-6)  # mean pairwise cosine: exact
        worst = sorted(e.pairs, key=lambda p: p.raw)[: scale.MOST_DIVERGENT]
        assert [(p.a, p.b) for p in g.pairs] == [(p.a, p.b) for p in worst]
        assert g.pairs[0] == worst[0]  # the listed pairs are scored by the exact code
        assert g.score == pytest.approx(e.score, abs=0.35)


def test_large_report_renders_and_matches_the_schema(monkeypatch):
    monkeypatch.setattr(scale, "LARGE_TEAM", 10)
    report = audit(big_team(40), HashedEmbedder(), calibration=default_calibration())
    data = json.loads(json_format.render(report))
    jsonschema.validate(data, schema())
    block = data["foundations"]["vision"]["large_team"]
    assert block["pair_count"] == 40 * 39 // 2
    assert [m["name"] for m in block["managers"]] == [f"m{i:04d}" for i in range(40)]
    assert len(data["foundations"]["vision"]["pairs"]) == scale.MOST_DIVERGENT
    text = terminal.render(report, color=False, width=80)
    assert "Furthest from the rest" in text and "m0000" in text
    assert max(len(line) for line in text.splitlines()) <= 80
    assert len(text.splitlines()) < 200  # no 40 x 40 matrix


def peak_memory(n: int) -> int:
    """Peak memory of the large-team statistics for n managers (vectors made beforehand)."""
    team = big_team(n, statements=2)
    texts = [s for m in team.managers for a in m.answers.values() for s in a.statements]
    vectors = dict(zip(texts, HashedEmbedder().encode(texts), strict=True))
    calibration, baseline = default_calibration(), tables_for("hashed").baseline
    tracemalloc.start()
    try:
        results = scale.foundations_large(
            team.managers,
            TeamVectors(team.managers, vectors, vectors),
            tuple(Foundation),
            calibration,
            baseline,
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert results[Foundation.VISION].large is not None
    return peak


def test_memory_grows_linearly_with_the_team():
    """Twice the managers, about twice the memory (an N x N matrix would make it four)."""
    small, large = peak_memory(1000), peak_memory(2000)
    assert large / small < 2.6, (small, large)


class ShuffledIdeas(HashedEmbedder):
    """The same statements near other ideas: stands for a team-discounted view of them."""

    def __init__(self) -> None:
        super().__init__()
        self.ideas = self.ideas[::-1].copy()


class TwoViews(HashedEmbedder):
    """Pools token by token: plain vectors as HashedEmbedder, discounted as ShuffledIdeas."""

    pools_by_token = True

    def token_ids(self, texts):
        return [[len(t) % 7] for t in texts]

    def encode_discounted(self, texts, factors):
        return self.encode(texts), ShuffledIdeas().encode(texts)


@pytest.mark.parametrize("large", [False, True])
def test_the_index_compares_the_discounted_vectors_and_pair_scores_the_plain(monkeypatch, large):
    monkeypatch.setattr(scale, "LARGE_TEAM", 10 if large else 100)
    team = big_team(25)
    both = audit(team, TwoViews())
    plain, shuffled = audit(team, HashedEmbedder()), audit(team, ShuffledIdeas())
    assert "team discount" in both.signature.pooling
    for f in Foundation:
        r = both.foundations[f]
        assert (r.large is not None) is large
        assert r.score == pytest.approx(plain.foundations[f].score, abs=1e-9)
        assert r.index == pytest.approx(shuffled.foundations[f].index, abs=1e-9)
    assert any(
        abs(plain.foundations[f].index - shuffled.foundations[f].index) > 0.01 for f in Foundation
    ), "the two views must differ for this test to mean anything"

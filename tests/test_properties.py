"""Property-based tests: whatever the bytes, the loader loads or raises the project's own
input error; whatever the team, scores are symmetric, on the scale, and order-independent."""

import tempfile
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alignaudit.core.errors import InputError
from alignaudit.features.auditor import audit
from alignaudit.inputs.answers import load_team
from alignaudit.scoring.similarity import best_match, normalise
from tests.conftest import FakeEmbedder

YAMLISH = st.lists(
    st.sampled_from(
        [
            *"abcdefgh :-[]{}\n\t'\"#&*!|>%@`,?",
            *("manager: ", "vision: ", "values:\n  - ", "\u00e9", "🚚", "&a ", "*a", "!!python/"),
        ]
    ),
    max_size=60,
).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        team = Path(tmp) / "team"
        team.mkdir()
        (team / "a.yaml").write_bytes(data)
        try:
            team_ = load_team(team)
        except InputError as exc:
            assert exc.problems and all(str(p) for p in exc.problems)
        else:
            assert len(team_.managers) == 1


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_load_or_raise_input_error(data: bytes):
    _load(data)


@SETTINGS
@given(YAMLISH)
def test_any_yamlish_text_loads_or_raises_input_error(text: str):
    _load(text.encode("utf-8"))


WORDS = ["growth", "trust", "green", "price", "care", "speed", "safety", "europe", "clients"]
statement = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
answer = st.lists(statement, min_size=1, max_size=4)
team_strategy = st.lists(
    st.fixed_dictionaries({"vision": answer, "values": answer}, optional={"mission": answer}),
    min_size=2,
    max_size=6,
)


def _write_team(root: Path, managers: list[dict], order: list[int]) -> Path:
    root.mkdir()
    for rank, i in enumerate(order):
        data = {"manager": f"M{i}", **managers[i]}
        (root / f"{rank:02d}-{i}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    return root


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(team_strategy, st.randoms(use_true_random=False))
def test_scores_are_symmetric_bounded_and_order_independent(managers, rnd):
    order = list(range(len(managers)))
    shuffled = order[:]
    rnd.shuffle(shuffled)
    with tempfile.TemporaryDirectory() as tmp:
        first = audit(load_team(_write_team(Path(tmp) / "a", managers, order)), FakeEmbedder())
        second = audit(load_team(_write_team(Path(tmp) / "b", managers, shuffled)), FakeEmbedder())
    for f, r in first.foundations.items():
        other = second.foundations[f]
        assert (r.score is None) == (other.score is None)
        if r.score is None:
            continue
        assert 0.0 <= r.score <= 5.0 and 0.0 <= r.index <= 1.0
        assert r.score == pytest.approx(other.score, abs=1e-9)
        assert r.index == pytest.approx(other.index, abs=1e-9)
        for p in r.pairs:
            q = other.pair(p.a, p.b)
            assert q is not None
            assert 0.0 <= p.score <= 5.0
            assert p.score == pytest.approx(q.score, abs=1e-9)
            assert p.index == pytest.approx(q.index, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(0, 2**32 - 1),
)
def test_best_match_is_symmetric_and_bounded(m: int, n: int, seed: int):
    rng = np.random.default_rng(seed)
    a = normalise(rng.normal(size=(m, 8)))
    b = normalise(rng.normal(size=(n, 8)))
    ab, ba = best_match(a, b), best_match(b, a)
    assert ab.agreement == pytest.approx(ba.agreement)
    assert -1.0 <= ab.agreement <= 1.0

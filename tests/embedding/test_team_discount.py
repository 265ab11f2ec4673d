"""The team discount: words a team writes in many of its answers weigh less in the vectors the
agreement index compares. The maths on hand-made ids and vectors, the cache, the real model."""

from pathlib import Path

import numpy as np
import pytest

from alignaudit.core.types import Foundation
from alignaudit.embedding.interface import EmbedderBase
from alignaudit.embedding.memo import MemoEmbedder
from alignaudit.embedding.pooling import (
    Discounted,
    TokenWeights,
    discount_key,
    encode_pooled,
    encode_pooled_many,
    team_discount,
)
from alignaudit.embedding.store import CachingEmbedder, VectorCache
from alignaudit.features.auditor import audit
from alignaudit.inputs.answers import load_team


def test_a_word_of_every_answer_weighs_least_and_a_word_of_one_answer_is_untouched():
    answers = [{1, 2}, {1, 3}, {1, 2, 4}]  # token ids of three answers
    factors = team_discount(answers, power=2.0)
    assert factors == pytest.approx({1: (1 / 3) ** 2, 2: (2 / 3) ** 2})
    assert 3 not in factors and 4 not in factors  # each in one answer only: factor 1
    assert team_discount(answers, power=1.0)[1] == pytest.approx(1 / 3)
    assert team_discount([]) == {}


def test_discounted_weights_multiply_the_domain_weights():
    base = TokenWeights("t", "m", 2.0, np.array([0.0, 1.0, 2.0, 3.0]))
    w = Discounted(base, {2: 0.5, 3: 0.25}).weights(np.array([[0, 1, 2, 3]]))
    assert w == pytest.approx(np.array([[0.0, 1.0, 2.0, 2.25]]))


def test_the_key_names_only_the_factors_of_the_texts_own_tokens():
    undiscounted = discount_key("Warmth", [5, 6], {7: 0.5})  # nothing of its own moved
    assert undiscounted == discount_key("Warmth", [5, 6], {}) != "Warmth"  # never the text's key
    key = discount_key("Warmth", [5, 6], {6: 0.5, 7: 0.5})
    assert key.startswith("Warmth\x00") and key not in ("Warmth", undiscounted)
    assert discount_key("Warmth", [5, 6], {6: 0.5, 7: 0.9}) == key  # another token's factor
    assert discount_key("Warmth", [5, 6], {6: 0.4}) != key


def fake_run(batch: list[str]):
    """Two tokens per text: a vector along axis 0 (id 1) and one along axis len(text) % 3 + 1."""
    tokens = np.zeros((len(batch), 2, 4))
    ids = np.ones((len(batch), 2), dtype=np.int64)
    for k, text in enumerate(batch):
        tokens[k, 0, 0] = 1.0
        tokens[k, 1, len(text) % 3 + 1] = 1.0
        ids[k, 1] = len(text) % 3 + 2
    return tokens, ids, np.ones((len(batch), 2))


def test_one_run_pools_every_weighting_as_separate_runs_would():
    texts = ["a", "bb", "ccc", "dddd"]
    base = TokenWeights("t", "m", 1.0, np.ones(6))
    weightings = [base, Discounted(base, {1: 0.0}), None]
    many = encode_pooled_many(texts, fake_run, weightings, batch_size=3)
    for got, w in zip(many, weightings, strict=True):
        assert got == pytest.approx(encode_pooled(texts, fake_run, w, batch_size=3))
    # the shared token (id 1) silenced: only each text's own direction is left
    assert np.abs(many[1][:, 0]).max() == pytest.approx(0.0)
    assert many[0][0] == pytest.approx(np.array([1.0, 0.0, 1.0, 0.0]) / np.sqrt(2), abs=1e-6)


class CountingPooler(EmbedderBase):
    """A token-pooling embedder on fake_run, counting how many texts it embeds."""

    name = "counting-pooler"
    sha256 = "1" * 64  # a known identity, so its vectors are cached

    @property
    def pools_by_token(self) -> bool:
        return True

    def __init__(self) -> None:
        self.base = TokenWeights("t", "m", 1.0, np.ones(6))
        self.embedded = 0

    def token_ids(self, texts):
        return [[int(i) for i in fake_run([t])[1][0]] for t in texts]

    def encode(self, texts):
        self.embedded += len(texts)
        return encode_pooled(texts, fake_run, self.base)

    def encode_discounted(self, texts, factors):
        self.embedded += len(texts)
        plain, discounted = encode_pooled_many(
            texts, fake_run, [self.base, Discounted(self.base, factors)]
        )
        return plain, discounted


def test_discounted_vectors_are_cached_under_their_factors(tmp_path: Path):
    texts = ["a", "bb", "ccc"]
    with VectorCache(tmp_path / "cache") as cache:
        inner = CountingPooler()
        first = CachingEmbedder(inner, cache)
        plain, discounted = first.encode_discounted(texts, {1: 0.5})
        assert inner.embedded == 3
        assert plain == pytest.approx(inner.encode(texts))
        assert np.abs(plain - discounted).max() > 0.05
        again = CachingEmbedder(CountingPooler(), cache)
        p2, d2 = again.encode_discounted(texts, {1: 0.5})
        assert again.inner.embedded == 0 and again.from_cache == 6  # both kinds, from disk
        assert p2 == pytest.approx(plain) and d2 == pytest.approx(discounted)
        # a factor of id 3 (the own token of "a" only) moves: only "a" is embedded again
        third = CachingEmbedder(CountingPooler(), cache)
        third.encode_discounted(texts, {1: 0.5, 3: 0.1})
        assert third.inner.embedded == 1


def _write_team(folder: Path, answers: dict[str, dict[str, str]]) -> Path:
    folder.mkdir()
    for name, a in answers.items():
        lines = [f"manager: {name}"] + [f'{k}: "{v}"' for k, v in a.items() if k != "values"]
        lines += ["values:"] + [f"  - {v}" for v in a["values"].split(";")]
        (folder / f"{name.lower().replace(' ', '-')}.yaml").write_text("\n".join(lines) + "\n")
    return folder


class Undiscounted(MemoEmbedder):
    @property
    def pools_by_token(self) -> bool:
        return False


@pytest.mark.model
def test_a_name_the_team_writes_everywhere_no_longer_reads_as_agreement(tmp_path, embedder):
    """Four managers who each name the firm in every answer but want different things: with the
    discount the shared name lifts their mission index less than without."""
    firm = "Fjordvik Dairy"
    missions = [
        f"{firm} gets its farmers the best possible price for their milk.",
        f"{firm} builds an international cheese brand sold in thirty countries.",
        f"{firm} restores soils, hedgerows and rivers on every member's farm.",
        f"{firm} puts affordable nutrition on every family's table.",
    ]
    team = load_team(
        _write_team(
            tmp_path / "team",
            {
                f"Manager {i}": {
                    "vision": f"{firm} is the co-operative the next generation wants to join.",
                    "mission": m,
                    "positioning": f"Every {firm} product is traceable to its farm.",
                    "values": f"{firm} solidarity;{firm} care for the land",
                }
                for i, m in enumerate(missions)
            },
        )
    )
    discounted = audit(team, MemoEmbedder(embedder))
    plain = audit(team, Undiscounted(embedder))
    assert "team discount" in discounted.signature.pooling
    assert "team discount" not in plain.signature.pooling
    mission = Foundation.MISSION
    assert discounted.foundations[mission].index < plain.foundations[mission].index - 0.05
    # the pair scores on the human scale do not take the discount
    assert discounted.foundations[mission].score == pytest.approx(plain.foundations[mission].score)

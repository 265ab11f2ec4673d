"""Domain-weighted pooling: the maths on hand-made vectors, the shipped table, the real model."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from alignaudit.embedding.pooling import (
    TokenWeights,
    default_token_weights,
    from_dict,
    weighted_pool,
)
from alignaudit.embedding.store import fingerprint
from alignaudit.embedding.transformers import (
    BUNDLED_NAME,
    SentenceTransformerEmbedder,
    bundled_model_dir,
)
from tests.conftest import ROOT, SHARED

ORGS = SHARED / "data" / "orgs"


def test_weights_pick_the_tokens_that_carry_the_idea():
    tokens = np.array([[[1.0, 0.0], [0.0, 1.0], [5.0, 5.0]]])
    mask = np.array([[1, 1, 0]])  # the third token is padding: it must not count
    only_first = weighted_pool(tokens, np.array([[2.0, 0.0, 9.0]]), mask)
    assert only_first[0] == pytest.approx([1.0, 0.0])
    leaning = weighted_pool(tokens, np.array([[3.0, 1.0, 9.0]]), mask)[0]
    assert leaning == pytest.approx(np.array([3.0, 1.0]) / np.sqrt(10.0), abs=1e-6)
    assert np.linalg.norm(leaning) == pytest.approx(1.0, abs=1e-6)


def test_a_statement_of_weightless_tokens_falls_back_to_the_plain_mean():
    tokens = np.array([[[1.0, 0.0], [0.0, 1.0], [7.0, 7.0]], [[0.0, 2.0], [0.0, 0.0], [0.0, 0.0]]])
    mask = np.array([[1, 1, 0], [1, 0, 0]])
    out = weighted_pool(tokens, np.zeros((2, 3)), mask)
    assert out[0] == pytest.approx(np.array([1.0, 1.0]) / np.sqrt(2.0), abs=1e-6)
    assert out[1] == pytest.approx([0.0, 1.0])
    assert out.dtype == np.float32


def test_token_weights_raise_idf_to_the_power_and_silence_special_tokens():
    table = from_dict(
        {
            "version": "t",
            "model": "m",
            "power": 2.0,
            "vocabulary": 5,
            "special": [0, 1],
            "unseen": 3.0,
            "seen": [[2, 0.5], [3, 2.0]],
        }
    )
    assert table.weights(np.array([0, 1, 2, 3, 4, 99, -1])) == pytest.approx(
        [0.0, 0.0, 0.25, 4.0, 9.0, 0.0, 0.0]
    )


def test_the_shipped_table_holds_figures_only_and_discounts_stock_words():
    from tokenizers import Tokenizer

    weights = default_token_weights()
    raw = json.loads((ROOT / "src/alignaudit/data/token_weights.json").read_text("utf-8"))
    assert weights.model == BUNDLED_NAME and weights.power == 2.0
    assert {type(v) for pair in raw["seen"] for v in pair} <= {int, float}  # no text
    tokenizer = Tokenizer.from_file(str(bundled_model_dir() / "tokenizer.json"))
    assert weights.idf.size == tokenizer.get_vocab_size()

    def weight(word: str) -> float:  # the mean over the word's pieces, special tokens left out
        ids = tokenizer.encode(word, add_special_tokens=False).ids
        return float(weights.weights(np.array(ids)).mean())

    for stock, distinctive in (("customers", "apprentices"), ("excellence", "bread")):
        assert weight(stock) < weight(distinctive) / 2, (stock, distinctive)
    special = [tokenizer.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]")]
    assert weights.weights(np.array(special)) == pytest.approx([0.0, 0.0, 0.0])


@pytest.mark.skipif(not ORGS.exists(), reason=f"organisations' statements not found at {ORGS}")
def test_the_shipped_table_is_reproduced_from_the_corpus(tmp_path: Path):
    out = tmp_path / "weights.json"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/fit_token_weights.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    shipped = ROOT / "src/alignaudit/data/token_weights.json"
    assert json.loads(out.read_text("utf-8")) == json.loads(shipped.read_text("utf-8"))


def test_pooling_is_part_of_the_model_identity():
    domain, own = SentenceTransformerEmbedder(), SentenceTransformerEmbedder(pooling="model")
    assert domain.pooling == (
        f"model's own for statements; domain-weighted {default_token_weights().version} "
        "for the index"
    )
    assert own.pooling == "model's own"
    assert fingerprint(domain) != fingerprint(own)  # cached vectors never cross poolings


@pytest.mark.model
def test_the_bundled_model_pools_its_own_tokens_with_the_shipped_weights(embedder):
    texts = ["Rooted in place: design, menus and staff drawn from the community.", "Warmth"]
    model = embedder._load()
    tokens = model.encode(texts, output_value="token_embeddings", convert_to_numpy=False)
    ids = [model.tokenizer(t)["input_ids"] for t in texts]
    weights = default_token_weights()
    by_hand = np.stack(
        [
            weighted_pool(
                t.numpy()[None], weights.weights(np.array(i))[None], np.ones((1, len(i)))
            )[0]
            for t, i in zip(tokens, ids, strict=True)
        ]
    )
    assert embedder.encode_discounted(texts, {})[1] == pytest.approx(by_hand, abs=1e-5)
    # statement similarity keeps the model's own mean pooling
    plain = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert embedder.encode(texts) == pytest.approx(plain, abs=1e-5)
    plain = SentenceTransformerEmbedder(pooling="model").encode(texts)
    assert np.abs(plain - by_hand).max() > 0.01  # the weights really change the vectors


@pytest.mark.model
def test_weighted_vectors_keep_paraphrases_closer_than_stock_word_lookalikes(embedder):
    a, paraphrase, lookalike = embedder.encode(
        [
            "We bake real bread every day and train apprentices in the baker's craft.",
            "Fresh loaves each morning, and we teach young people the trade of baking.",
            "We deliver excellence to our customers every day as a leading company.",
        ]
    )
    assert a @ paraphrase > a @ lookalike + 0.1


def test_token_weights_apply_to_the_bundled_model_only(tmp_path: Path):
    other = tmp_path / "other-model"
    other.mkdir()
    (other / "modules.json").write_text("[]")
    assert SentenceTransformerEmbedder(str(other)).token_weights is None
    assert SentenceTransformerEmbedder().token_weights == default_token_weights()
    assert isinstance(default_token_weights(), TokenWeights)

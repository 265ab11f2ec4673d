"""Domain-weighted pooling: a statement's vector leans on its distinctive words.

Plain mean pooling gives every token the same say, so two statements that share the genre's
stock words ("customers", "excellence", "leading") look alike whatever they mean, and a true
paraphrase in other words looks different. The bundled model's statement vector is instead
the mean of its token vectors weighted by idf(token) ** power, where idf is measured on
unrelated organisations' missions and values (../shared/data/orgs): words that every firm
writes weigh little, words that carry an idea weigh much. benchmarks/judgement.py chose
this, and the power, by its figures on the development teams.

The table holds derived figures only (one weight per token id of the model's vocabulary),
made by scripts/fit_token_weights.py; no corpus sentence is shipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np


@dataclass(frozen=True)
class TokenWeights:
    version: str
    model: str  # the model (and so the tokenizer vocabulary) the weights belong to
    power: float
    idf: np.ndarray  # (vocabulary,) idf of each token id; special tokens hold 0

    def weights(self, ids: np.ndarray) -> np.ndarray:
        """Pooling weight of each token id (0 for special tokens and ids beyond the table)."""
        ids = np.asarray(ids, dtype=np.int64)
        inside = (ids >= 0) & (ids < self.idf.size)
        out = np.zeros(ids.shape, dtype=np.float64)
        out[inside] = self.idf[ids[inside]] ** self.power
        return out


def weighted_pool(tokens: np.ndarray, weights: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Unit vectors from token vectors (batch, tokens, dim), their weights and the attention
    mask (both batch, tokens).

    A row whose real tokens all weigh 0 (only special tokens) falls back to the plain mean of
    its tokens, so no statement ever gets a zero vector.
    """
    m = np.asarray(mask, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64) * m
    empty = w.sum(axis=1) <= 0
    if empty.any():
        w[empty] = m[empty]
    pooled = np.einsum("bt,btd->bd", w, np.asarray(tokens, dtype=np.float64))
    pooled /= np.clip(w.sum(axis=1, keepdims=True), 1e-12, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return np.asarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)


# What a backend's transformer gives for a batch of texts: token vectors (batch, tokens, dim),
# token ids and attention mask (both batch, tokens).
TokenBatch = tuple[np.ndarray, np.ndarray, np.ndarray]


def encode_pooled(
    texts: Sequence[str],
    run: Callable[[list[str]], TokenBatch],
    weights: TokenWeights | None,
    batch_size: int = 32,
) -> np.ndarray:
    """Unit vectors in input order, pooled with `weights` (None: the plain mean), from a
    backend's `run`; longest texts first, as sentence-transformers batches, so padding stays
    small. Both backends share this loop, so their vectors agree."""
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    out = np.zeros((len(texts), 0), dtype=np.float32)
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        tokens, ids, mask = run([texts[i] for i in batch])
        w = weights.weights(ids) if weights is not None else np.ones(mask.shape)
        pooled = weighted_pool(tokens, w, mask)
        if out.shape[1] == 0:
            out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
        out[batch] = pooled
    return out


def from_dict(data: dict) -> TokenWeights:  # type: ignore[type-arg]
    idf = np.full(int(data["vocabulary"]), float(data["unseen"]), dtype=np.float64)
    for token_id, value in data["seen"]:
        idf[int(token_id)] = float(value)
    idf[np.asarray(data["special"], dtype=np.int64)] = 0.0
    return TokenWeights(data["version"], data["model"], float(data["power"]), idf)


@cache
def default_token_weights() -> TokenWeights:
    """The weights shipped for the bundled model."""
    raw = resources.files("alignaudit").joinpath("data/token_weights.json").read_text("utf-8")
    return from_dict(json.loads(raw))

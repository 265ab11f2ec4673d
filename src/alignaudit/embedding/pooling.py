"""Domain-weighted pooling: a statement's vector leans on its distinctive words.

Plain mean pooling gives every token the same say, so two statements that share the genre's
stock words ("customers", "excellence", "leading") look alike whatever they mean, and a true
paraphrase in other words looks different. The bundled model's statement vector is instead
the mean of its token vectors weighted by idf(token) ** power, where idf is measured on
unrelated organisations' missions and values (a corpus kept outside the repository, read by
scripts/orgs.py): words that every firm
writes weigh little, words that carry an idea weigh much. benchmarks/judgement.py chose
this, and the power, by its figures on the development teams.

The table holds derived figures only (one weight per token id of the model's vocabulary),
made by scripts/fit_token_weights.py; no corpus sentence is shipped.

The agreement index goes one step further inside a team (team_discount): a word the team
writes in many of its answers (the firm's name, its industry, its house jargon) says where
the team works, not what a manager thinks on one foundation, so it weighs less in the vectors
the index compares, as the genre's stock words do in every vector.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class TokenWeights:
    """The domain weights of one model's vocabulary: each token id's idf and the power it is raised
    to when pooling."""

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


class PoolWeights(Protocol):
    """Anything that gives a pooling weight per token id: TokenWeights, or Discounted for one
    team."""

    def weights(self, ids: np.ndarray) -> np.ndarray: ...


# How strongly a word the team writes everywhere is discounted: chosen on the development
# teams by benchmarks/judgement.py.
TEAM_POWER = 2.0


def team_discount(answers: Iterable[Iterable[int]], power: float = TEAM_POWER) -> dict[int, float]:
    """Weight factor of each token id that more than one of the team's answers use.

    With A answers (one per manager and foundation) and a token in d of them, the factor is
    (1 - (d - 1) / A) ** power: 1 for a word of one answer, (1 / A) ** power for a word of
    every answer. Ids used once are left out (factor 1).
    """
    sets = [set(a) for a in answers]
    counts = Counter(i for s in sets for i in s)
    n = len(sets)
    return {i: (1.0 - (d - 1) / n) ** power for i, d in counts.items() if d > 1}


def answers_discount(
    answers: Iterable[Iterable[str]], ids: Mapping[str, Iterable[int]]
) -> dict[int, float]:
    """team_discount of a team's answers, each given as its statements, with each statement's
    token ids: the factors an audit pools the team's index vectors with."""
    return team_discount({i for s in answer for i in ids[s]} for answer in answers)


def discount_key(text: str, ids: Iterable[int], factors: Mapping[int, float]) -> str:
    """What a text's index vector depends on besides the model: the text and the factors of
    its own tokens (none: the undiscounted index vector). Never the text itself, which keys
    the statement-similarity vector. Texts never hold NUL (the loader strips control
    characters)."""
    used = sorted((i, round(factors[i], 9)) for i in set(ids) if i in factors)
    if not used:
        return f"{text}\x00index"
    digest = hashlib.sha256(repr(used).encode()).hexdigest()[:16]
    return f"{text}\x00discount {digest}"


@dataclass(frozen=True)
class Discounted:
    """Domain weights times a team's discount factors."""

    base: PoolWeights
    factors: Mapping[int, float]

    def weights(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        scale = np.fromiter(
            (self.factors.get(int(i), 1.0) for i in ids.ravel()), dtype=np.float64, count=ids.size
        ).reshape(ids.shape)
        return self.base.weights(ids) * scale


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
    weights: PoolWeights | None,
    batch_size: int = 32,
) -> np.ndarray:
    """Unit vectors in input order, pooled with `weights` (None: the plain mean), from a
    backend's `run`; longest texts first, as sentence-transformers batches, so padding stays
    small. Both backends share this loop, so their vectors agree."""
    return encode_pooled_many(texts, run, (weights,), batch_size)[0]


def encode_pooled_many(
    texts: Sequence[str],
    run: Callable[[list[str]], TokenBatch],
    weightings: Sequence[PoolWeights | None],
    batch_size: int = 32,
) -> list[np.ndarray]:
    """One array of unit vectors per weighting, from one run of the transformer (the audit
    needs each statement pooled plainly and with its team's discount)."""
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    out: list[np.ndarray] = []
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        tokens, ids, mask = run([texts[i] for i in batch])
        for k, weights in enumerate(weightings):
            w = weights.weights(ids) if weights is not None else np.ones(mask.shape)
            pooled = weighted_pool(tokens, w, mask)
            if len(out) <= k:
                out.append(np.zeros((len(texts), pooled.shape[1]), dtype=np.float32))
            out[k][batch] = pooled
    return out or [np.zeros((len(texts), 0), dtype=np.float32) for _ in weightings]


def from_dict(data: dict) -> TokenWeights:  # type: ignore[type-arg]
    """TokenWeights from the shipped JSON table: ids the corpus never showed get its `unseen` idf,
    special tokens 0."""
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

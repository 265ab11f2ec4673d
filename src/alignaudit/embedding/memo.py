"""An in-memory memo in front of an embedder: each distinct text is encoded once per run.

Batch audits prefetch every statement of every team in one call and then audit team by team
from the memo; `score --pairs` keeps the vectors of recent batches so a statement repeated
across the file is not encoded again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .interface import Embedder, Wrapper, rows_of
from .pooling import discount_key


class MemoEmbedder(Wrapper):
    """Implements the Embedder protocol over another embedder, remembering every vector of
    both kinds: plain (encode) and team-discounted (encode_discounted, keyed by the text and
    the factors of its own tokens), so a statement goes through the model once per run
    whichever kind is asked first.

    `max_items` bounds the memory (least recently used vectors are dropped first); None keeps
    everything. Its abilities (max_tokens, count_tokens, ...) are the inner embedder's.
    """

    def __init__(self, inner: Embedder, max_items: int | None = None) -> None:
        if max_items is not None and max_items < 1:
            raise ValueError("max_items must be at least 1")
        self._wrapped = inner
        self._max = max_items
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._discounted: OrderedDict[str, np.ndarray] = OrderedDict()  # by discount_key

    def __len__(self) -> int:
        return len(self._vectors)

    def __contains__(self, text: object) -> bool:
        return text in self._vectors

    def _fetch(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors of the distinct texts, encoding those not remembered in one call."""
        wanted = list(dict.fromkeys(texts))
        fresh = [t for t in wanted if t not in self._vectors]
        found = {t: self._vectors[t] for t in wanted if t in self._vectors}
        if fresh:
            vectors = np.asarray(self._wrapped.encode(fresh))
            if len(vectors) != len(fresh):
                raise RuntimeError("the embedder returned a different number of vectors")
            found.update(zip(fresh, vectors, strict=True))
        self._remember(self._vectors, found)
        return found

    def _remember(
        self, memo: OrderedDict[str, np.ndarray], found: Mapping[str, np.ndarray]
    ) -> None:
        for key, vector in found.items():
            memo[key] = vector
            memo.move_to_end(key)
        if self._max is not None:
            while len(memo) > self._max:
                memo.popitem(last=False)

    def prefetch(self, texts: Iterable[str]) -> int:
        """Encode, in one call, every distinct text not yet remembered; returns how many.

        Nothing for a model pooled token by token here: an audit asks it for both vectors of
        a statement at once (encode_discounted, one run for both, with its team's factors), so
        plain vectors fetched first would put every statement through the model twice."""
        if self._wrapped.pools_by_token:
            return 0
        wanted = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        self._fetch(wanted)
        return len(wanted)

    def encode_discounted(
        self, texts: Sequence[str], factors: Mapping[int, float]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Both vectors of each text, from the memo where it holds both; the rest in one call
        to the model, which gives both from one run (and both are remembered)."""
        unique = list(dict.fromkeys(texts))
        keys = {
            t: discount_key(t, ids, factors)
            for t, ids in zip(unique, self._wrapped.token_ids(unique), strict=True)
        }
        fresh = [t for t in unique if t not in self._vectors or keys[t] not in self._discounted]
        plain = {t: self._vectors[t] for t in unique if t not in fresh}
        index = {t: self._discounted[keys[t]] for t in unique if t not in fresh}
        if fresh:
            new_plain, new_index = self._wrapped.encode_discounted(fresh, factors)
            plain.update(zip(fresh, new_plain, strict=True))
            index.update(zip(fresh, new_index, strict=True))
        self._remember(self._vectors, {t: plain[t] for t in unique})
        self._remember(self._discounted, {keys[t]: index[t] for t in unique})
        return np.stack([plain[t] for t in texts]), np.stack([index[t] for t in texts])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        found = self._fetch(texts)
        return rows_of([found[t] for t in texts]).astype(np.float32, copy=False)

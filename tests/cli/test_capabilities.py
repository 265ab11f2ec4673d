"""Every command with each capability set of model: a plain one (pools inside the model, as
e5-small) and a token-pooled one (pools here, so an audit also asks for team-discounted
vectors, as MiniLM). A wrapper that dropped an ability, or a path that ran a statement through
the model twice, shows here whichever model is the default."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from alignaudit.inputs.answers import load_team
from tests.cli.test_cli import schema
from tests.conftest import EXAMPLES, FakeEmbedder, TokenPooled

runner = CliRunner()
MODELS = {"plain": FakeEmbedder, "token-pooled": TokenPooled}


@pytest.fixture(params=sorted(MODELS))
def model(request: pytest.FixtureRequest, use_model) -> FakeEmbedder:
    fake = MODELS[request.param]()
    use_model(lambda name: fake)
    return fake


def statements(*folders: Path) -> set[str]:
    return {
        s
        for folder in folders
        for m in load_team(folder).managers
        for a in m.answers.values()
        for s in a.statements
    }


def ran(model: FakeEmbedder) -> list[str]:
    return [t for call in model.calls for t in call]


def invoke(*args: str) -> dict:
    from alignaudit.cli import app

    result = runner.invoke(app, [*args, "--no-cache"] if args[0] == "audit" else list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_audit_runs_each_statement_once_and_reports_the_pooling(model: FakeEmbedder):
    team = EXAMPLES / "northwind-logistics"
    report = invoke("audit", str(team), "-f", "json")
    jsonschema.validate(report, schema())
    assert sorted(ran(model)) == sorted(statements(team))
    assert report["signature"]["pooling"].startswith(model.pooling)
    discounted = "team discount" in report["signature"]["pooling"]
    assert discounted is model.pools_by_token


def test_batch_and_compare_run_each_statement_once_per_team(
    model: FakeEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = tmp_path / "teams"
    for name in ("northwind-logistics", "harbor-health"):
        shutil.copytree(EXAMPLES / name, root / name)
    from alignaudit.cli import app

    lines = runner.invoke(app, ["batch", str(root), "-f", "jsonl"])
    assert lines.exit_code == 0, lines.output
    assert len(lines.stdout.strip().splitlines()) == 2
    assert sorted(ran(model)) == sorted(statements(*root.iterdir()))
    model.calls.clear()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh-cache"))  # nothing cached yet
    team = root / "northwind-logistics"
    invoke("compare", str(team), str(team), "-f", "json")
    # two rounds of the same answers: the same statements with the same team context, so
    # each goes through the model once, and through this model, not the default one (an
    # empty run memo once read as "no embedder given")
    assert sorted(ran(model)) == sorted(statements(team))

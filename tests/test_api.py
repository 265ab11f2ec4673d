"""The Python API: `from alignaudit import audit, load_team, score`, kept light to import."""

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import alignaudit
from alignaudit import StatementScore, audit, load_team, score
from alignaudit.core.errors import InputError, UsageError
from alignaudit.core.results import TeamReport
from alignaudit.core.types import Foundation, Team
from tests.conftest import EXAMPLES, ROOT, FakeEmbedder


def run_python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )


def test_score_returns_a_frozen_statement_score():
    result = score("Safety first.", "safety   first", embedder=FakeEmbedder())
    assert isinstance(result, StatementScore)
    assert result == StatementScore(
        score=pytest.approx(5.0, abs=1e-3), band="same meaning", raw=pytest.approx(1.0)
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.score = 1.0  # type: ignore[misc]
    other = score("Safety first.", "Grow the fleet.", FakeEmbedder())
    assert other.score < result.score and other.band != "same meaning"


def test_score_refuses_an_empty_statement():
    with pytest.raises(UsageError, match="statement B is empty"):
        score("Safety first.", " \n", FakeEmbedder())


def test_load_team_and_audit(team_dir: Path):
    team = load_team(team_dir)
    assert isinstance(team, Team) and [m.name for m in team.managers] == ["Ana", "Ben", "Cy"]
    fake = FakeEmbedder()
    report = audit(team, fake)
    assert isinstance(report, TeamReport)
    assert report.signature.model == fake.name
    assert set(report.foundations) == set(Foundation)
    from_path = audit(team_dir, FakeEmbedder(), foundations=("values", "vision"))
    assert list(from_path.foundations) == [Foundation.VISION, Foundation.VALUES]
    assert from_path.foundations[Foundation.VALUES].index == pytest.approx(
        report.foundations[Foundation.VALUES].index
    )
    with pytest.raises(InputError):
        audit(team_dir / "nope", FakeEmbedder())


def test_audit_is_the_function_and_the_auditor_is_a_module_of_its_own(team_dir: Path):
    import importlib

    module = importlib.import_module("alignaudit.features.auditor")
    assert callable(alignaudit.audit) and alignaudit.audit is not module
    from alignaudit import audit as again

    assert again is audit
    assert audit(team_dir, FakeEmbedder()).team.name == "acme"
    assert alignaudit.audit is audit  # the call imported nothing over it
    with pytest.raises(AttributeError):
        alignaudit.no_such_name  # noqa: B018


def test_import_and_help_stay_light():
    code = (
        "import sys, alignaudit\n"
        "light = not any(m in sys.modules for m in ('numpy', 'torch', 'sentence_transformers'))\n"
        "from alignaudit.cli import main\n"
        "sys.argv = ['alignaudit', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'sentence_transformers') if m in sys.modules]\n"
        "print(repr((light, heavy, 'numpy' in sys.modules)), file=sys.stderr)\n"
    )
    proc = run_python(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "(True, [], False)"
    assert all(c in proc.stdout for c in ("score", "batch", "compare"))


def test_completion_is_offered():
    from typer.testing import CliRunner

    from alignaudit.cli import app

    result = CliRunner().invoke(app, ["--help"])
    assert "--install-completion" in result.stdout


def test_shell_completion_knows_the_commands_and_formats():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "_ALIGNAUDIT_COMPLETE": "complete_bash"}
    for words, cword, expected in (
        ("alignaudit compa", "1", ["compare"]),
        ("alignaudit score --format ", "3", ["jsonl", "csv", "table"]),
        ("alignaudit batch --format ", "3", ["table", "jsonl"]),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "alignaudit"],
            capture_output=True,
            text=True,
            env={**env, "COMP_WORDS": words, "COMP_CWORD": cword},
            cwd=ROOT,
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split() == expected


@pytest.mark.model
def test_api_on_the_real_model():
    near = score("We put our customers first.", "Customers always come first for us.")
    far = score("We put our customers first.", "Our trucks run on hydrogen.")
    assert near.score > far.score + 1.0 and near.raw > far.raw
    report = audit(EXAMPLES / "harbor-health", foundations=("mission",))
    assert report.foundations[Foundation.MISSION].verdict == "aligned"
    assert json.loads(json.dumps({"band": near.band}))["band"] == near.band


def test_audit_folder_gives_the_gated_report_the_command_gives(team_dir: Path, use_model):
    """Policy lives in the library: config, anonymity and the gate through one API call."""
    import json

    from typer.testing import CliRunner

    from alignaudit import AuditRequest, audit_folder
    from alignaudit.cli import app
    from alignaudit.formats.json import to_dict

    (team_dir / "alignaudit.yaml").write_text("thresholds: {overall: 0.99}\n")
    fake = FakeEmbedder()
    run = audit_folder(team_dir, AuditRequest(anonymize=True), fake)
    assert not run.passed and run.report.gate is not None
    assert [c.name for c in run.report.gate.failures] == ["overall index"]
    assert sorted(run.aliases.values()) == ["Ana", "Ben", "Cy"]
    assert run.report.anonymized and "Ana" not in {m.name for m in run.report.team.managers}
    use_model(lambda model: fake)
    result = CliRunner().invoke(app, ["audit", str(team_dir), "-f", "json", "--anonymize"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == json.loads(json.dumps(to_dict(run.report)))

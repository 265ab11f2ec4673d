import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from alignaudit import __version__
from alignaudit.cli import app
from tests.conftest import TEXT_FORMATS, write_manager

runner = CliRunner()
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def schema() -> dict:
    text = resources.files("alignaudit").joinpath("data/report.schema.json").read_text()
    return json.loads(text)


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"alignaudit {__version__}"


def test_terminal_report(team_dir: Path, fake_embedder):
    result = runner.invoke(app, ["audit", str(team_dir)], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    words = ("VISION", "MISSION", "VALUES", "POSITIONING", "Key findings", "Overall index")
    for word in words:
        assert word in out
    assert "no answer: Ben" in out  # Ben gave no positioning
    assert "Cy" in out and "says" in out  # evidence quoted side by side
    assert not ANSI.search(out)
    assert max(len(line) for line in out.splitlines()) <= 80


def test_json_report_matches_schema(team_dir: Path, fake_embedder):
    result = runner.invoke(app, ["audit", str(team_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    jsonschema.validate(report, schema())
    assert report["schema"] == "alignaudit.report/3"
    assert report["team"] == "acme"
    assert report["foundations"]["positioning"]["missing"] == ["Ben"]
    assert [m["name"] for m in report["managers"]] == ["Ana", "Ben", "Cy"]
    pair = next(
        p for p in report["foundations"]["vision"]["pairs"] if {p["a"], p["b"]} == {"Ana", "Cy"}
    )
    assert pair["unmatched"]["a"][0]["statement"].startswith("Be the greenest")
    # the STS figures remain for scripts, under statement_similarity, never as a verdict
    scores = [
        f["statement_similarity"]["score"]
        for f in report["foundations"].values()
        if f["statement_similarity"]["score"] is not None
    ]
    overall = report["overall"]
    assert overall["statement_similarity"]["score"] == pytest.approx(
        sum(scores) / len(scores), abs=1e-3
    )
    # the fake model has no fitted bands: every verdict reads "can't tell"
    assert report["bands"] is None and report["signature"]["bands"] == "none"
    assert overall["verdict"] == "can't tell"
    assert {f["verdict"] for f in report["foundations"].values()} == {"can't tell"}
    assert report["languages"] == ["en"] and report["language_warning"] is None


def test_output_file_is_written(team_dir: Path, tmp_path: Path, fake_embedder):
    out = tmp_path / "report.json"
    out.write_text("old")
    result = runner.invoke(app, ["audit", str(team_dir), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(out.read_text())["team"] == "acme"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_unwritable_output_is_a_usage_error(team_dir: Path, tmp_path: Path, fake_embedder):
    result = runner.invoke(app, ["audit", str(team_dir), "-o", str(tmp_path / "no" / "r.txt")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_foundation_filter(team_dir: Path, fake_embedder):
    result = runner.invoke(app, ["audit", str(team_dir), "-f", "json", "--foundation", "values"])
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.stdout)["foundations"]) == ["values"]


def test_input_errors_exit_2_with_locations(tmp_path: Path, fake_embedder):
    team = tmp_path / "bad"
    write_manager(team, "a.yaml", "manager: Ana\nvison: x\n")
    write_manager(team, "b.yaml", "- 1\n")
    result = runner.invoke(app, ["audit", str(team)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"error: {team}/a.yaml:2:1: unknown key 'vison'; did you mean 'vision'?",
        f"error: {team}/b.yaml:1:1: expected a mapping of keys (manager:, vision:, ...), "
        "found a list",
    ]
    assert "Traceback" not in result.output
    assert fake_embedder.calls == []  # nothing embedded for a broken team


def test_unknown_format_and_foundation_are_usage_errors(team_dir: Path, fake_embedder):
    assert runner.invoke(app, ["audit", str(team_dir), "-f", "docx"]).exit_code == 2
    assert runner.invoke(app, ["audit", str(team_dir), "--foundation", "purpose"]).exit_code == 2


def test_internal_errors_exit_3_without_traceback(team_dir: Path, monkeypatch, use_model):
    def broken(model):
        raise RuntimeError("secret statement text")

    use_model(broken)
    result = runner.invoke(app, ["audit", str(team_dir)])
    assert result.exit_code == 3
    assert "internal error: RuntimeError" in result.stderr
    assert "secret" not in result.output


def test_every_format_renders(team_dir: Path, fake_embedder):
    for fmt in TEXT_FORMATS:
        result = runner.invoke(app, ["audit", str(team_dir), "--format", fmt.value])
        assert result.exit_code == 0, (fmt, result.output)
        assert result.stdout.strip()

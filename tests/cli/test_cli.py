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


ONE_LINE = (
    "Dana Ortiz wrote values as one line, read as 3 values: “Honesty”, “<b>Care</b>”, “Courage”"
)


@pytest.fixture
def one_line_team(tmp_path: Path) -> Path:
    """Dana writes her values as one line; Ben writes a sentence with commas; Cy a list."""
    team = tmp_path / "one-line"
    write_manager(
        team,
        "dana.yaml",
        'manager: Dana Ortiz\nvision: Grow.\nvalues: "Honesty, <b>Care</b>, Courage"\n',
    )
    write_manager(
        team,
        "ben.yaml",
        'manager: Ben\nvision: Grow.\nvalues: "We value honesty, care and courage."\n',
    )
    write_manager(team, "cy.yaml", "manager: Cy\nvision: Grow.\nvalues: [Honesty, Care]\n")
    return team


def test_a_one_line_list_is_said_in_every_human_format_and_json(one_line_team: Path, fake_embedder):
    out = {}
    for fmt in ("terminal", "markdown", "html", "json"):
        result = runner.invoke(app, ["audit", str(one_line_team), "-f", fmt])
        assert result.exit_code == 0, result.output
        out[fmt] = result.stdout
    (note,) = json.loads(out["json"])["foundations"]["values"]["warnings"]
    assert note.startswith(ONE_LINE)
    assert "Ben" not in note  # the sentence was not split, so nothing to say about it
    terminal = " ".join(out["terminal"].split())
    assert f"Warning: {ONE_LINE}" in terminal  # in the foundation's section
    assert f"values: {ONE_LINE}" in terminal  # and among the key findings
    assert "“Honesty”, “\\<b\\>Care\\</b\\>”, “Courage”" in out["markdown"]  # inert
    assert "“Honesty”, “&lt;b&gt;Care&lt;/b&gt;”, “Courage”" in out["html"]
    assert "<b>Care" not in out["html"]


def test_validate_notes_a_one_line_list_at_its_line(one_line_team: Path):
    official = one_line_team / "_official.yaml"
    official.write_text('values: "Safety; Honesty"\n', encoding="utf-8")
    (one_line_team / "alignaudit.yaml").write_text("reference: _official.yaml\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(one_line_team)])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stdout.splitlines() if line.startswith("note: ")]
    assert notes == [
        f"note: {one_line_team / 'dana.yaml'}:3: {ONE_LINE} (a YAML list, one '- ' item a line, "
        "says exactly what is meant)",
        f"note: {official}:1: the official statement wrote values as one line, read as 2 values: "
        "“Safety”, “Honesty” (a YAML list, one '- ' item a line, says exactly what is meant)",
    ]
    quiet = runner.invoke(app, ["validate", str(one_line_team), "-q"])
    assert quiet.exit_code == 0 and quiet.stdout == ""


def test_the_official_statement_written_as_one_line_is_noted_too(
    one_line_team: Path, fake_embedder
):
    (one_line_team / "_official.yaml").write_text('values: "Safety; Honesty"\n', encoding="utf-8")
    args = ["audit", str(one_line_team), "--reference", str(one_line_team / "_official.yaml")]
    result = runner.invoke(app, [*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["foundations"]["values"]["warnings"]
    assert [w.split(" wrote ")[0] for w in warnings] == ["Dana Ortiz", "the official statement"]

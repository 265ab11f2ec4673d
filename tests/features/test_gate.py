"""Thresholds, exit codes and the CI formats, through the real CLI (fake embedder)."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from alignaudit.cli import app
from tests.cli.test_cli import schema
from tests.conftest import write_manager

runner = CliRunner()


def audit(*args: str):
    return runner.invoke(app, ["audit", *args], env={"NO_COLOR": "1"})


def test_exit_0_when_thresholds_are_met(team_dir: Path, fake_embedder):
    result = audit(str(team_dir), "--fail-under", "0.0", "-f", "json")
    assert result.exit_code == 0, result.output
    gate = json.loads(result.stdout)["gate"]
    assert gate["passed"] is True
    assert [c["name"] for c in gate["checks"]] == ["overall index"]


def test_exit_1_says_which_threshold_failed_and_by_how_much(team_dir: Path, fake_embedder):
    result = audit(
        str(team_dir),
        "--fail-under",
        "0.99",
        "--fail-under-foundation",
        "mission=0.99",
        "-f",
        "json",
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)  # the report is still written in full
    jsonschema.validate(report, schema())
    mission = report["foundations"]["mission"]["index"]
    failed = [c for c in report["gate"]["checks"] if not c["passed"]]
    assert [c["name"] for c in failed] == ["mission index", "overall index"]
    assert (
        f"threshold not met: mission index {mission:.2f} is under 0.99 by {0.99 - mission:.2f}"
        in result.stderr
    )


def test_fail_on_missing(team_dir: Path, fake_embedder):
    result = audit(str(team_dir), "--fail-on-missing")
    assert result.exit_code == 1
    assert "threshold not met: positioning: no answer from Ben" in result.stderr


def test_config_thresholds_and_required(team_dir: Path, fake_embedder):
    (team_dir / "alignaudit.yaml").write_text(
        "required: [positioning]\nthresholds: {overall: 0.0}\nformat: json\n"
    )
    result = audit(str(team_dir))
    assert result.exit_code == 1
    report = json.loads(result.stdout)  # format from the config
    names = {c["name"]: c["passed"] for c in report["gate"]["checks"]}
    assert names == {"overall index": True, "positioning answers": False}
    # a flag overrides the config's format
    assert audit(str(team_dir), "-f", "csv").stdout.startswith("kind,team,foundation")


def test_bad_config_is_exit_2_with_its_line(team_dir: Path, fake_embedder):
    (team_dir / "alignaudit.yaml").write_text("thresholds:\n  overall: 5\n")
    result = audit(str(team_dir))
    assert result.exit_code == 2
    assert f"{team_dir}/alignaudit.yaml:2:12: threshold 'overall' is 5.0" in result.stderr
    assert fake_embedder.calls == []


def test_bad_threshold_flags_are_usage_errors(team_dir: Path, fake_embedder):
    assert audit(str(team_dir), "--fail-under", "3").exit_code == 2
    result = audit(str(team_dir), "--fail-under-foundation", "purpose=0.5")
    assert result.exit_code == 2 and "--fail-under-foundation purpose=0.5" in result.stderr


def test_junit(team_dir: Path, fake_embedder):
    result = audit(
        str(team_dir),
        "-f",
        "junit",
        "--fail-under-foundation",
        "vision=0.99",
        "--fail-under",
        "0.0",
    )
    assert result.exit_code == 1
    suite = ET.fromstring(result.stdout)
    assert suite.tag == "testsuite" and suite.get("tests") == "2" and suite.get("failures") == "1"
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert set(cases) == {"vision index", "overall index"}
    failure = cases["vision index"].find("failure")
    assert failure is not None and "is under 0.99" in failure.get("message")
    assert "weakest pair" in failure.text and "Be the greenest" in failure.text
    assert re.search(r"weakest pair \w+ x \w+: index \d\.\d\d can't tell", failure.text)
    assert cases["overall index"].find("failure") is None


def test_junit_without_thresholds_lists_foundations(team_dir: Path, fake_embedder):
    suite = ET.fromstring(audit(str(team_dir), "-f", "junit").stdout)
    assert suite.get("tests") == "4" and suite.get("failures") == "0"


def test_github_annotations_point_at_the_answer(tmp_path: Path, fake_embedder):
    team = tmp_path / "t"
    green = "greenest freight network europe zero emissions reliable"
    for i, name in enumerate(["ana", "ben", "cy", "dee"]):
        words = green.split()
        words = words[i:] + words[:i]
        write_manager(
            team, f"{name}.yaml", f"manager: {name}\nrole: x\nvision: {' '.join(words)}\n"
        )
    write_manager(team, "eve.yaml", "manager: eve\nrole: x\nvision: cheapest trucks, 100% price\n")
    result = audit(str(team), "-f", "github", "--fail-under-foundation", "vision=0.99")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"::error file={team}/eve.yaml,line=3,title=alignaudit%3A vision::eve stands apart" in (
        "\n".join(lines)
    )
    assert any(
        line.startswith("::error title=alignaudit threshold::vision index") for line in lines
    )
    assert lines[-1].startswith("::notice title=alignaudit::t: overall index")
    assert lines[-1].endswith("can't tell (vision can't tell)")  # the fake model has no bands
    weakest = [line for line in lines if "weakest pair" in line]
    assert weakest and all("(index " in line and "can't tell)" in line for line in weakest)
    assert not any(line.startswith("::warning title=alignaudit%3A languages") for line in lines)
    assert all(line.startswith("::") for line in lines)


def test_github_escapes_data():
    from alignaudit.formats.github import _data, _prop

    assert _data("50% done\nnext") == "50%25 done%0Anext"
    assert _prop("a:b,c") == "a%3Ab%2Cc"


def test_validate(team_dir: Path, tmp_path: Path):
    result = runner.invoke(app, ["validate", str(team_dir)])
    assert result.exit_code == 0
    assert "ok:" in result.stdout and "3 managers" in result.stdout
    assert "positioning 2/3" in result.stdout
    bad = tmp_path / "bad"
    write_manager(bad, "a.yaml", "manager: A\nvison: x\n")
    (bad / "alignaudit.yaml").write_text("format: docx\n")
    result = runner.invoke(app, ["validate", str(team_dir), str(bad)])
    assert result.exit_code == 2
    assert "a.yaml:2:1: unknown key 'vison'" in result.stderr
    assert result.stdout == ""


def test_validate_checks_the_config_too(team_dir: Path):
    (team_dir / "alignaudit.yaml").write_text("format: docx\n")
    result = runner.invoke(app, ["validate", str(team_dir)])
    assert result.exit_code == 2 and "alignaudit.yaml:1:9: unknown format 'docx'" in result.stderr


ROOT = Path(__file__).resolve().parents[2]
STRATEGY = ROOT / "examples" / "strategy-repo"


def _schema(name: str) -> dict:
    from importlib import resources

    return json.loads(resources.files("alignaudit").joinpath(f"data/{name}").read_text())


def test_editor_schemas_accept_every_example_and_reject_mistakes():
    import yaml

    answers, config = _schema("answers.schema.json"), _schema("config.schema.json")
    files = [
        p
        for p in (ROOT / "examples").rglob("*.yaml")
        if not any(part.startswith((".", "_")) for part in p.relative_to(ROOT).parts)
    ]
    assert len(files) > 16
    for path in files:
        data = yaml.safe_load(path.read_text())
        jsonschema.validate(data, config if path.name == "alignaudit.yaml" else answers)
    for bad in ({"manager": "A", "vison": "x"}, {"manager": "A"}, {"vision": "x"}):
        assert not jsonschema.Draft7Validator(answers).is_valid(bad)
    assert not jsonschema.Draft7Validator(config).is_valid({"thresholds": {"overall": 3}})


def test_sample_strategy_repository(fake_embedder):
    import yaml

    team = STRATEGY / "teams" / "leadership"
    assert runner.invoke(app, ["validate", str(team)]).exit_code == 0
    result = audit(str(team), "-f", "json")
    report = json.loads(result.stdout)
    assert report["gate"] is not None  # thresholds came from the config
    assert {c["name"] for c in report["gate"]["checks"]} >= {"overall index", "vision answers"}
    assert report["reference"].endswith("_official.yaml")
    assert result.exit_code == (0 if report["gate"]["passed"] else 1)
    workflow = yaml.safe_load((STRATEGY / ".github" / "workflows" / "alignment.yml").read_text())
    assert "audit" in workflow["jobs"]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"alignaudit-validate", "alignaudit-audit"}
    assert all(h["entry"].startswith("alignaudit ") for h in hooks)
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite" and "team" in action["inputs"]


def test_a_check_on_a_foundation_not_audited_is_refused(team_dir):
    """The gate must never pass silently: a threshold or required answer on a foundation the
    audit leaves out is a usage error (exit 2) naming the conflict."""
    from typer.testing import CliRunner

    from alignaudit.cli import app

    runner = CliRunner()
    result = runner.invoke(
        app,
        ["audit", str(team_dir), "--foundation", "vision", "--fail-under-foundation", "values=0.5"],
    )
    assert result.exit_code == 2
    assert "values" in result.stderr and "not audited" in result.stderr
    (team_dir / "alignaudit.yaml").write_text(
        "foundations: [mission]\nrequired: [positioning]\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["audit", str(team_dir)])
    assert result.exit_code == 2
    assert "required positioning" in result.stderr

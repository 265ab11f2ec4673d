"""init, collect --from and status through the CLI, in-process (CliRunner has no terminal)."""

import json
from pathlib import Path

from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.collection.templates import render_answers
from alignaudit.core.types import Foundation
from alignaudit.inputs.answers import load_team
from tests.collection.test_templates import fill
from tests.conftest import write_manager

runner = CliRunner()
ANSWERS = {
    "Ana Silva": {
        "vision": "Be the greenest freight network in Europe.",
        "mission": "Keep supply chains running for communities.",
        "values": ["Safety: nobody gets hurt", "Honesty"],
        "positioning": "Reliable green freight, not the cheapest.",
    },
    "Ben Okafor": {
        "vision": "The greenest freight network in Europe. Grow steadily.",
        "mission": "Keep supply chains running for communities.",
        "values": ["Safety", "Teamwork"],
        "positioning": "Green and reliable freight.",
    },
}


RATINGS = {
    "Ana Silva": {
        "cost-vs-differentiation": "6",
        "value-disciplines": "[product leadership, customer intimacy, operational excellence]",
    },
    "Ben Okafor": {
        "cost-vs-differentiation": "5",
        "value-disciplines": "[product leadership, operational excellence, customer intimacy]",
    },
}


def rate(template: str, ratings: dict[str, str]) -> str:
    """Rate trade-offs in a template as a person would: a value after the id's colon."""
    for key, value in ratings.items():
        assert f"\n  {key}:\n" in template
        template = template.replace(f"\n  {key}:\n", f"\n  {key}: {value}\n", 1)
    return template


def init(team: Path, *names: str, force: bool = False):
    args = ["init", str(team)]
    for name in names:
        args += ["--manager", name]
    return runner.invoke(app, [*args, "--force"] if force else args)


def test_init_creates_readme_config_and_one_template_per_manager(tmp_path: Path):
    team = tmp_path / "teams" / "acme"
    result = init(team, "Ana Silva", "Ben Okafor")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in team.iterdir()) == [
        "README.md",
        "_template-ana-silva.yaml",
        "_template-ben-okafor.yaml",
        "alignaudit.yaml",
    ]
    assert f"alignaudit collect {team} --manager 'Ana Silva'" in result.stdout
    readme = (team / "README.md").read_text()
    assert "# Alignment audit: acme" in readme and f"alignaudit audit {team}" in readme
    assert "\n  - Ben Okafor\n" in (team / "alignaudit.yaml").read_text()
    # templates are reserved files: a fresh team has no answers, and status says so
    status = runner.invoke(app, ["status", str(team)])
    assert status.exit_code == 1
    assert "0 of 2 managers have answered" in status.stdout


def test_init_never_overwrites_without_force(tmp_path: Path):
    team = tmp_path / "acme"
    assert init(team, "Ana").exit_code == 0
    (team / "README.md").write_text("my notes")
    again = init(team, "Ana", "Ben")
    assert again.exit_code == 0, again.output
    assert (team / "README.md").read_text() == "my notes"
    assert "kept" in again.stdout and "_template-ben.yaml" in again.stdout
    assert "not on the roster" in again.stdout and "Ben" in again.stdout
    forced = init(team, "Ana", force=True)
    assert forced.exit_code == 0
    assert (team / "README.md").read_text().startswith("# Alignment audit: acme")


def test_init_without_names_writes_a_generic_template(tmp_path: Path):
    result = init(tmp_path / "t")
    assert result.exit_code == 0
    assert (tmp_path / "t" / "_template.yaml").read_text().count("\nmanager:\n") == 1
    assert "managers: []" in (tmp_path / "t" / "alignaudit.yaml").read_text()


def test_init_usage_errors(tmp_path: Path):
    same = init(tmp_path / "t", "Ana Silva", "ana  silva")
    assert same.exit_code == 2 and "same person as 'Ana Silva'" in same.stderr
    assert not (tmp_path / "t").exists()
    assert init(tmp_path / "t", "!!").exit_code == 2
    (tmp_path / "file").write_text("x")
    result = init(tmp_path / "file", "Ana")
    assert result.exit_code == 2 and "is a file" in result.stderr


def test_templates_round_trip_through_collect_and_audit(tmp_path: Path, fake_embedder):
    """init, each manager fills their template, collect --from stores it, audit reads it."""
    team = tmp_path / "acme"
    assert init(team, *ANSWERS).exit_code == 0
    for name, answers in ANSWERS.items():
        template = team / f"_template-{name.lower().replace(' ', '-')}.yaml"
        returned = tmp_path / f"returned-{name}.yaml"
        returned.write_text(fill(template.read_text(), answers))
        result = runner.invoke(
            app, ["collect", str(team), "--manager", name, "--from", str(returned)]
        )
        assert result.exit_code == 0, result.output
        assert "saved" in result.stderr
    # the free text alone is not complete while the questionnaire asks for trade-offs
    status = runner.invoke(app, ["status", str(team)])
    assert status.exit_code == 1 and "rated 0 of 7 trade-offs" in status.stdout
    for name, answers in ANSWERS.items():
        template = team / f"_template-{name.lower().replace(' ', '-')}.yaml"
        returned = tmp_path / f"returned-{name}.yaml"
        returned.write_text(rate(fill(template.read_text(), answers), RATINGS[name]))
        result = runner.invoke(
            app, ["collect", str(team), "--manager", name, "--from", str(returned), "--force"]
        )
        assert result.exit_code == 0, result.output
    status = runner.invoke(app, ["status", str(team)])
    assert "rated 2 of 7 trade-offs" in status.stdout
    report = runner.invoke(app, ["audit", str(team), "-f", "json"])
    assert report.exit_code == 0, report.output
    data = json.loads(report.stdout)
    assert [m["name"] for m in data["managers"]] == ["Ana Silva", "Ben Okafor"]
    assert all(f["missing"] == [] for f in data["foundations"].values())
    ana = load_team(team).managers[0]
    assert ana.answers[Foundation.VALUES].statements == ("Safety: nobody gets hurt", "Honesty")
    # the ratings went through: one trade-off rated by both, the others by nobody
    rated = {t["id"]: t for t in data["tradeoffs"]}
    assert [r["rating"] for r in rated["cost-vs-differentiation"]["ratings"]] == [6, 5]
    assert data["rankings"][0]["id"] == "value-disciplines"
    assert ana.rating("value-disciplines").value == (
        "product leadership",
        "customer intimacy",
        "operational excellence",
    )


def test_collect_from_refuses_an_off_scale_rating_at_its_line(tmp_path: Path):
    team = tmp_path / "acme"
    assert init(team, "Ana Silva").exit_code == 0
    template = (team / "_template-ana-silva.yaml").read_text()
    returned = tmp_path / "returned.yaml"
    returned.write_text(rate(fill(template, ANSWERS["Ana Silva"]), {"broad-vs-focused": "9"}))
    line = returned.read_text().splitlines().index("  broad-vs-focused: 9") + 1
    result = runner.invoke(
        app, ["collect", str(team), "--manager", "Ana Silva", "--from", str(returned)]
    )
    assert result.exit_code == 2
    assert (
        f"{returned}:{line}:" in result.stderr
        and "off its scale: give 1 (serve a broad market) to 7" in result.stderr
    )
    assert not (team / "ana-silva.yaml").exists()


def test_init_writes_the_default_trade_offs_into_config_and_template(tmp_path: Path):
    team = tmp_path / "acme"
    assert init(team, "Ana Silva").exit_code == 0
    config = (team / "alignaudit.yaml").read_text()
    for pole in ("cost", "acquisitions", "operational excellence"):
        assert pole in config
    template = (team / "_template-ana-silva.yaml").read_text()
    assert "\ntradeoffs:\n" in template and "  organic-vs-acquisitions:\n" in template
    # switched off in the config: the next template asks no trade-offs
    (team / "alignaudit.yaml").write_text(
        "managers: [Ana Silva, Ben]\nfoundations: [vision, positioning]\n"
        "tradeoffs:\n  - id: price\n    foundation: positioning\n    left: cheapest\n"
        "    right: premium\n    scale: [1, 5]\nrankings: []\n"
    )
    # a template added later asks what the kept questionnaire asks, not the defaults
    assert init(team, "Ben").exit_code == 0
    ben = (team / "_template-ben.yaml").read_text()
    assert "\n  price:\n" in ben and "1 = cheapest; 5 = premium" in ben
    assert "cost-vs-differentiation" not in ben and "value-disciplines" not in ben
    assert "\nmission:" not in ben and "\nvision: >" in ben


def test_collect_from_stdin_and_draft_is_removed(tmp_path: Path):
    team = tmp_path / "t"
    draft = render_answers("Ana", None, None, {Foundation.VISION: "Old."}, "draft")
    write_manager(team, "_draft-ana.yaml", draft)
    result = runner.invoke(
        app, ["collect", str(team), "-m", "Ana", "--from", "-"], input="manager: Ana\nvision: V.\n"
    )
    assert result.exit_code == 0, result.output
    assert (team / "ana.yaml").read_text() == "manager: Ana\nvision: V.\n"
    assert not (team / "_draft-ana.yaml").exists()
    assert "removed the interview draft" in result.stderr


def test_collect_from_reports_problems_with_locations(tmp_path: Path):
    team = tmp_path / "t"
    team.mkdir()
    result = runner.invoke(
        app,
        ["collect", str(team), "-m", "Ana", "--from", "-"],
        input="manager: Ana\nvison: V.\nvalues: []\n",
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: <stdin>:2:1: unknown key 'vison'; did you mean 'vision'?",
        "error: <stdin>:3:9: 'values' is an empty list; add items or remove the key",
    ]
    assert list(team.iterdir()) == []


def test_collect_from_someone_elses_file_is_refused(tmp_path: Path):
    team = tmp_path / "t"
    team.mkdir()
    source = write_manager(tmp_path, "x.yaml", "manager: Ben\nvision: V.\n")
    result = runner.invoke(app, ["collect", str(team), "-m", "Ana", "--from", str(source)])
    assert result.exit_code == 2
    assert f"{source}:1: these are the answers of 'Ben', not of 'Ana'" in result.stderr
    missing = runner.invoke(app, ["collect", str(team), "-m", "Ana", "--from", "nope.yaml"])
    assert missing.exit_code == 2 and "nope.yaml: no such file" in missing.stderr


def test_collect_does_not_replace_answers_without_force(tmp_path: Path):
    team = tmp_path / "t"
    write_manager(team, "ana.yaml", "manager: Ana\nvision: Old.\n")
    new = "manager: Ana\nvision: New.\n"
    args = ["collect", str(team), "-m", "ana", "--from", "-"]
    refused = runner.invoke(app, args, input=new)
    assert refused.exit_code == 2 and "ana has already answered; use --force" in refused.stderr
    assert runner.invoke(app, [*args, "--force"], input=new).exit_code == 0
    assert (team / "ana.yaml").read_text() == new


def test_collect_refuses_a_second_file_for_the_same_manager(tmp_path: Path):
    team = tmp_path / "t"
    write_manager(team, "dana.yaml", "manager: Dana Ortiz\nvision: Old.\n")
    args = ["collect", str(team), "-m", "Dana Ortiz", "--from", "-", "--force"]
    result = runner.invoke(app, args, input="manager: Dana Ortiz\nvision: New.\n")
    assert result.exit_code == 2
    assert "dana.yaml: Dana Ortiz has already answered in this file" in result.stderr


def test_collect_checks_the_roster(tmp_path: Path):
    team = tmp_path / "t"
    assert init(team, "Ana Silva").exit_code == 0
    result = runner.invoke(app, ["collect", str(team), "-m", "Ana Silvia", "--from", "-"])
    assert result.exit_code == 2
    assert "'Ana Silvia' is not on the roster" in result.stderr
    assert "did you mean 'Ana Silva'?" in result.stderr


def test_collect_refuses_to_interview_without_a_terminal(tmp_path: Path):
    team = tmp_path / "t"
    team.mkdir()
    result = runner.invoke(app, ["collect", str(team), "-m", "Ana"], input="")
    assert result.exit_code == 2
    assert "stdin is not one" in result.stderr and "--from" in result.stderr


def test_collect_usage_errors(tmp_path: Path):
    assert runner.invoke(app, ["collect", str(tmp_path)]).exit_code == 2  # --manager required
    nope = runner.invoke(app, ["collect", str(tmp_path / "nope"), "-m", "Ana"])
    assert nope.exit_code == 2 and "no such folder; create it with alignaudit init" in nope.stderr
    assert runner.invoke(app, ["collect", str(tmp_path), "-m", " "]).exit_code == 2


def test_status_lists_who_answered_and_what_is_missing(tmp_path: Path):
    team = tmp_path / "t"
    assert init(team, "Ana", "Ben", "Cy").exit_code == 0
    write_manager(team, "ana.yaml", "manager: Ana\nvision: SECRET-ANA.\n")
    draft = render_answers("Ben", None, None, {Foundation.VALUES: ("x",)}, "draft")
    write_manager(team, "_draft-ben.yaml", draft)
    result = runner.invoke(app, ["status", str(team)])
    assert result.exit_code == 1
    out = result.stdout
    assert "1 of 3 managers have answered" in out
    assert "Ana  answered; missing mission, values, positioning" in out
    assert "Ben  interview in progress (so far: values)" in out
    assert "Cy   not answered" in out
    assert "waiting for Ben, Cy" in out
    assert "SECRET" not in out


def test_status_shows_problems_and_bad_config(tmp_path: Path):
    team = tmp_path / "t"
    write_manager(team, "ana.yaml", "manager: Ana\nvison: x\n")
    result = runner.invoke(app, ["status", str(team)])
    assert result.exit_code == 1
    assert f"error: {team}/ana.yaml:2:1: unknown key 'vison'" in result.stdout
    assert "fix the problems above" in result.stdout
    write_manager(team, "alignaudit.yaml", "managers: Ana\n")
    bad = runner.invoke(app, ["status", str(team)])
    assert bad.exit_code == 2 and "'managers' must be a list" in bad.stderr
    assert runner.invoke(app, ["status", str(tmp_path / "nope")]).exit_code == 2


def test_init_refuses_a_name_too_long_for_a_file_before_writing_anything(tmp_path):
    from typer.testing import CliRunner

    from alignaudit.cli import app

    team = tmp_path / "team"
    result = CliRunner().invoke(app, ["init", str(team), "-m", "Ada", "-m", "B" * 300])
    assert result.exit_code == 2
    assert "too long for a file name" in result.stderr
    assert not team.exists() or not any(team.iterdir()), "nothing written"

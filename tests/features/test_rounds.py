"""`alignaudit compare`: two rounds of a team, the change and whether it exceeds noise."""

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignaudit.api import audit
from alignaudit.cli import app
from alignaudit.core.errors import UsageError
from alignaudit.core.types import Foundation
from alignaudit.features.rounds import compare
from tests.conftest import EXAMPLES, FakeEmbedder, write_manager

runner = CliRunner()
ANSI = re.compile(r"\x1b\[[0-9;]*m")
NAMES = ("Ana", "Ben", "Cy", "Dee")
SPREAD = {  # before the off-site: everyone says something else
    "Ana": ("Lowest cost carrier in Europe.", "[Thrift, Speed]"),
    "Ben": ("A software platform for shipping data.", "[Curiosity, Openness]"),
    "Cy": ("Family owned bakery chain with local roots.", "[Tradition, Warmth]"),
    "Dee": ("Premium luxury travel experiences worldwide.", "[Elegance, Discretion]"),
}
AGREED = ("The greenest freight network in Europe.", "[Safety, Honesty]")


def make_round(folder: Path, answers: dict[str, tuple[str, str]]) -> Path:
    for name, (vision, values) in answers.items():
        write_manager(
            folder,
            f"{name.lower()}.yaml",
            f"manager: {name}\nvision: {vision}\nvalues: {values}\n",
        )
    return folder


@pytest.fixture
def rounds(tmp_path: Path) -> tuple[Path, Path]:
    before = make_round(tmp_path / "before", SPREAD)
    after = make_round(tmp_path / "after", dict.fromkeys(NAMES, AGREED))
    return before, after


def run_json(*args: str) -> dict:
    result = runner.invoke(app, ["compare", *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_identical_rounds_are_within_noise(rounds, tmp_path: Path, fake_embedder):
    before, _ = rounds
    copy = tmp_path / "again"
    shutil.copytree(before, copy)
    data = run_json(str(before), str(copy))
    assert data["schema"] == "alignaudit.comparison/2"
    assert data["managers"] == {"both": list(NAMES), "only_before": [], "only_after": []}
    assert set(data["foundations"]) == {"vision", "values"}
    for f in data["foundations"].values():
        for figure in (f["index"], f["score"]):
            assert figure["change"] == 0.0 and figure["common_change"] == 0.0
        # noise is judged on the index only; the STS change is a figure
        assert f["index"]["beyond_noise"] is False and f["index"]["interval"] == [0.0, 0.0]
        assert f["score"]["beyond_noise"] is None and f["score"]["interval"] is None
        assert len(f["pairs"]) == 6
        assert all(p["index_change"] == 0.0 and "beyond_noise" not in p for p in f["pairs"])
    assert data["overall"]["index"]["change"] == 0.0
    assert "pair_score" not in data["noise"]


def test_a_large_change_is_beyond_noise(rounds, fake_embedder):
    before, after = rounds
    data = run_json(str(before), str(after))
    for name in ("vision", "values"):
        f = data["foundations"][name]
        assert f["index"]["before"] < 0.5 and f["index"]["after"] == 1.0
        assert f["index"]["change"] > 0.5 and f["index"]["beyond_noise"] is True
        assert f["index"]["interval"][0] > 0
        assert f["score"]["change"] > 3 and f["score"]["beyond_noise"] is None
        assert all(p["index_change"] > 0.5 for p in f["pairs"])
        assert all(p["after"]["band"] == "same meaning" for p in f["pairs"])
        changes = [abs(p["index_change"]) for p in f["pairs"]]
        assert changes == sorted(changes, reverse=True)  # largest change first
    assert len(fake_embedder.calls) == 1  # both rounds embedded in one call
    (call,) = fake_embedder.calls
    assert len(call) == len(set(call)) == 4 + 8 + 1 + 2  # visions, values, agreed answers


def test_managers_in_one_round_only_are_listed(rounds, tmp_path: Path, fake_embedder):
    before, after = rounds
    (after / "dee.yaml").unlink()
    write_manager(after, "eve.yaml", f"manager: Eve\nvision: {AGREED[0]}\n")
    write_manager(after, "ana.yaml", f"manager: ana\nvision: {AGREED[0]}\n")
    data = run_json(str(before), str(after))
    assert data["managers"]["only_before"] == ["Dee"]
    assert data["managers"]["only_after"] == ["Eve"]
    assert data["managers"]["both"] == ["ana", "Ben", "Cy"]  # matched ignoring case
    vision = data["foundations"]["vision"]
    assert vision["common"] == ["ana", "Ben", "Cy"]
    assert len(vision["pairs"]) == 3
    values = data["foundations"]["values"]  # Ana gave no values after: 2 in common
    assert values["common"] == ["Ben", "Cy"] and values["index"]["beyond_noise"] is None

    result = runner.invoke(app, ["compare", str(before), str(after)], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Only before: Dee" in out and "Only after: Eve" in out
    assert "same managers" in out and "cannot tell" in out
    assert not ANSI.search(out)
    assert max(len(line) for line in out.splitlines()[1:]) <= 80  # the paths are not wrapped


def test_terminal_and_markdown(rounds, tmp_path: Path, fake_embedder):
    before, after = rounds
    result = runner.invoke(app, ["compare", str(before), str(after)])
    assert result.exit_code == 0
    out = result.stdout
    assert f"{before} → {after}" in out
    assert re.search(r"vision\s+\d\.\d\d → 1\.00\s+\+\d\.\d\d\s+beyond noise", out)
    assert "Only before: nobody" in out and "same managers" not in out
    assert "Ana × Ben" in out
    result = runner.invoke(app, ["compare", str(before), str(after), "-f", "markdown"])
    assert result.exit_code == 0
    assert result.stdout.startswith("## Alignment:")
    assert "| vision |" in result.stdout and "beyond noise" in result.stdout


def test_output_file_and_quiet(rounds, tmp_path: Path, fake_embedder):
    before, after = rounds
    out = tmp_path / "cmp.json"
    result = runner.invoke(app, ["compare", str(before), str(after), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"wrote {out}\n"
    assert json.loads(out.read_text())["after"]["team"] == "after"
    result = runner.invoke(app, ["compare", str(before), str(after), "-o", str(out), "-q"])
    assert result.exit_code == 0 and result.stderr == ""


def test_foundation_filter(rounds, fake_embedder):
    data = run_json(*map(str, rounds), "--foundation", "values")
    assert list(data["foundations"]) == ["values"]


def test_bad_rounds_exit_2_with_every_problem(tmp_path: Path, fake_embedder):
    before = make_round(tmp_path / "before", SPREAD)
    write_manager(before, "zed.yaml", "manager: Zed\nvison: typo\n")
    result = runner.invoke(app, ["compare", str(before), str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {before / 'zed.yaml'}:2:1: unknown key 'vison'; did you mean 'vision'?",
        f"error: {tmp_path / 'missing'}: no such folder; give a team folder",
    ]
    assert fake_embedder.calls == []
    assert runner.invoke(app, ["compare", str(before)]).exit_code == 2  # AFTER is required


def test_internal_error_exits_3(rounds, monkeypatch, use_model):
    def broken(model):
        raise RuntimeError("boom")

    use_model(broken)
    result = runner.invoke(app, ["compare", *map(str, rounds)])
    assert result.exit_code == 3 and "internal error: RuntimeError" in result.stderr


def test_rounds_scored_differently_are_refused(rounds):
    before = audit(rounds[0], FakeEmbedder())
    after = audit(rounds[1], FakeEmbedder())
    other = dataclasses.replace(
        after, signature=dataclasses.replace(after.signature, model="another/model")
    )
    with pytest.raises(UsageError, match="scored differently"):
        compare(before, other)
    result = compare(before, after)
    assert result.foundations[Foundation.VISION].index.beyond_noise is True
    assert result.overall_index.interval is None and result.overall_index.beyond_noise is None


def test_unknown_format_is_a_usage_error(rounds, fake_embedder):
    result = runner.invoke(app, ["compare", *map(str, rounds), "-f", "csv"])
    assert result.exit_code == 2 and "Invalid value" in result.stderr


def test_each_round_says_its_verdict(rounds):
    """The comparison speaks the reports' words: each round's verdict, never a team STS."""
    from alignaudit.core.verdict import Bands, word
    from alignaudit.formats.comparison import render_markdown, render_terminal, to_dict

    bands = Bands("test", aligned=0.6, partly=0.4, margin=0.05)
    before = audit_report(rounds[0], bands)
    after = audit_report(rounds[1], bands)
    c = compare(before, after)
    data = to_dict(c)
    vision = data["foundations"]["vision"]
    assert vision["verdict"] == {
        "before": before.foundations[Foundation.VISION].verdict,
        "after": after.foundations[Foundation.VISION].verdict,
    }
    assert vision["verdict"]["after"] == "aligned"
    assert data["overall"]["verdict"]["after"] == after.overall_verdict
    assert all(p["after"]["verdict"] == word(p["after"]["index"], bands) for p in vision["pairs"])
    text = " ".join(render_terminal(c, width=80).split())
    assert f"VISION index {vision['index']['before']:.2f} → 1.00, " in text
    assert "team STS" not in text
    md = render_markdown(c)
    assert "| verdict before | verdict after |" in md and "STS before" not in md
    assert f"| {vision['verdict']['before']} | aligned |" in md


def audit_report(folder: Path, bands):
    from alignaudit.features.auditor import audit as audit_team
    from alignaudit.inputs.answers import load_team

    return audit_team(load_team(folder), FakeEmbedder(), bands=bands)


def test_a_foundation_whose_answers_did_not_change_keeps_its_figures(tmp_path: Path, fake_embedder):
    """Only positioning changes between the rounds: vision, mission and values read the same
    figures in both, although the team context (everything the team wrote) moved."""
    before = tmp_path / "before"
    shutil.copytree(EXAMPLES / "northwind-logistics", before)
    after = tmp_path / "after"
    shutil.copytree(before, after)
    marcus = after / "marcus-holt.yaml"
    text = marcus.read_text(encoding="utf-8")
    marcus.write_text(text.replace("The price leader", "The most reliable partner"), "utf-8")
    data = run_json(str(before), str(after))
    for f in ("vision", "mission", "values"):
        figures = data["foundations"][f]
        assert figures["index"]["change"] == 0.0 and figures["score"]["change"] == 0.0, f
        assert all(p["index_change"] == 0.0 for p in figures["pairs"]), f
    assert data["foundations"]["positioning"]["index"]["change"] != 0.0

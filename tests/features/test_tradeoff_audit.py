"""Trade-offs through the audit, every format, the gate and the real model: a flat
contradiction in words gets a key finding naming both sides; a team without ratings audits
exactly as it did before trade-offs existed."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.results import WORDS_NOT_CHOICES
from alignaudit.core.types import AuditOptions, Format, Foundation
from alignaudit.core.verdict import Bands
from alignaudit.features.auditor import audit
from alignaudit.formats import render
from alignaudit.inputs.answers import load_team
from alignaudit.inputs.tradeoffs import DEFAULT_RANKINGS, DEFAULT_TRADEOFFS
from tests.cli.test_cli import schema
from tests.conftest import EXAMPLES, TEXT_FORMATS, FakeEmbedder, write_manager

runner = CliRunner()
CHOICES = AuditOptions(tradeoffs=DEFAULT_TRADEOFFS, rankings=DEFAULT_RANKINGS)

# Four managers who write about price in nearly the same words and mean opposite things.
FLAT = {
    "ana": ("We win on the lowest price in the market.", 1),
    "ben": ("We win on the lowest price in the market, always.", 2),
    "cy": ("We never win on the lowest price in the market.", 6),
    "dee": ("We never win on the lowest price in the market, always.", 7),
}


def flat_team(root: Path) -> Path:
    for name, (said, rating) in FLAT.items():
        write_manager(
            root,
            f"{name}.yaml",
            f"manager: {name.capitalize()}\npositioning: '{said}'\n"
            f"tradeoffs: {{cost-vs-differentiation: {rating}}}\n",
        )
    return root


def test_a_flat_contradiction_gets_a_key_finding_naming_both_sides(tmp_path: Path):
    team = load_team(flat_team(tmp_path / "flat"))
    # bands under which the shared words read as "aligned", as a sentence model reads them
    bands = Bands("hand", aligned=0.0, partly=0.0, margin=1.0)
    report = audit(team, FakeEmbedder(), CHOICES, bands=bands)
    assert report.foundations[Foundation.POSITIONING].verdict == "aligned"
    (signal,) = report.signals
    assert signal.kind == WORDS_NOT_CHOICES and signal.choice == "cost-vs-differentiation"
    assert {q[0] for q in signal.quotes} == {"Ana", "Ben", "Cy", "Dee"}
    assert dict((q[0], q[1]) for q in signal.quotes) == {"Ana": 1, "Ben": 2, "Cy": 6, "Dee": 7}
    for fmt in (Format.TERMINAL, Format.MARKDOWN, Format.HTML):
        text = " ".join(render(report, fmt, width=200).split())  # wrapped lines joined
        finding = text.split("the words agree but the choices do not", 1)[1][:300]
        assert re.search(r"Ana.{0,12}Ben.*\(1, 2\).*Cy.{0,12}Dee.*\(6, 7\)", finding), fmt
        assert "We never win on the lowest price" in text and "We win on the lowest" in text
    data = json.loads(render(report, Format.JSON))
    jsonschema.validate(data, schema())
    assert data["signals"][0]["kind"] == WORDS_NOT_CHOICES
    camps = data["tradeoffs"][0]["camps"]
    assert [c["members"] for c in camps] == [["Ana", "Ben"], ["Cy", "Dee"]]


def test_without_bands_the_split_is_still_a_key_finding(tmp_path: Path, fake_embedder):
    result = runner.invoke(app, ["audit", str(flat_team(tmp_path / "flat")), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    findings = result.stdout.split("### Key findings")[1].split("###")[0]
    assert "two camps on cost-vs-differentiation: Ana and Ben toward" in findings
    assert "Cy and Dee toward" in findings


def strip_ratings(folder: Path) -> None:
    for path in folder.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.split("tradeoffs:")[0], encoding="utf-8")


@pytest.mark.parametrize("example", ["northwind-logistics", "brightline-software"])
def test_a_team_without_ratings_audits_exactly_as_before(tmp_path: Path, example: str):
    folder = tmp_path / example
    shutil.copytree(EXAMPLES / example, folder)
    rated = audit(load_team(folder), FakeEmbedder(), CHOICES)
    strip_ratings(folder)
    team = load_team(folder)
    before = audit(team, FakeEmbedder())  # no trade-offs defined at all: the old path
    after = audit(team, FakeEmbedder(), CHOICES)  # the defaults defined, nothing rated
    assert after.tradeoffs == () and after.rankings == () and after.signals == ()
    for fmt in TEXT_FORMATS:
        assert render(after, fmt) == render(before, fmt), fmt
    assert "tradeoffs" not in json.loads(render(after, Format.JSON))
    assert "Trade-offs" not in render(after, Format.TERMINAL)
    assert render(after, Format.CSV).splitlines()[0].endswith(",unmatched_b")
    # ratings add their section and findings, and move no text figure
    assert rated.foundations == after.foundations and rated.tradeoffs


def test_the_rwg_floor_gates_ci(tmp_path: Path, fake_embedder):
    folder = flat_team(tmp_path / "flat")
    result = runner.invoke(
        app, ["audit", str(folder), "-f", "junit", "--fail-under-foundation", "tradeoff_rwg=0.7"]
    )
    assert result.exit_code == 1
    assert 'name="cost-vs-differentiation r_wg"' in result.stdout
    assert "r_wg 0.00 is under 0.70 by 0.70 (split into camps)" in result.stdout
    assert "1: Ana · 2: Ben · 6: Cy · 7: Dee" in result.stdout  # the evidence: who sits where
    github = runner.invoke(
        app, ["audit", str(folder), "-f", "github", "--fail-under-foundation", "tradeoff_rwg=0.7"]
    )
    assert github.exit_code == 1
    assert "::error file=" in github.stdout and "ana.yaml,line=3," in github.stdout
    strip_ratings(folder)
    (folder / "alignaudit.yaml").write_text("thresholds: {tradeoff_rwg: 0.7}\n", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(folder), "-f", "json"])
    assert result.exit_code == 1  # a floor with nothing under it never passes
    checks = json.loads(result.stdout)["gate"]["checks"]
    assert [c["message"] for c in checks] == ["trade-off r_wg: no trade-off was rated (floor 0.70)"]


def test_an_agreed_team_passes_the_floor(tmp_path: Path, fake_embedder):
    folder = tmp_path / "agreed"
    for name, rating in (("ana", 6), ("ben", 6), ("cy", 6), ("dee", 5), ("eve", 6)):
        write_manager(
            folder,
            f"{name}.yaml",
            f"manager: {name}\npositioning: We win on service.\n"
            f"tradeoffs: {{cost-vs-differentiation: {rating}}}\n",
        )
    result = runner.invoke(
        app, ["audit", str(folder), "-f", "json", "--fail-under-foundation", "tradeoff_rwg=0.7"]
    )
    assert result.exit_code == 0, result.output
    (t,) = json.loads(result.stdout)["tradeoffs"]
    assert t["word"] == "agreed" and t["rwg"] == pytest.approx(1 - 0.2 / 4)


def test_csv_rows_per_rating(tmp_path: Path, fake_embedder):
    result = runner.invoke(app, ["audit", str(flat_team(tmp_path / "flat")), "-f", "csv"])
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][-4:] == ["choice", "rating", "choice_word", "agreement"]
    rated = [r for r in rows[1:] if r[-4] == "cost-vs-differentiation"]
    assert [(r[0], r[3], r[-3]) for r in rated] == [
        ("rating", name, v) for name, v in (("Ana", "1"), ("Ben", "2"), ("Cy", "6"), ("Dee", "7"))
    ]
    assert all(len(r) == len(rows[0]) for r in rows)


def test_html_strip_is_a_chart_without_script(tmp_path: Path, fake_embedder):
    result = runner.invoke(app, ["audit", str(flat_team(tmp_path / "flat")), "-f", "html"])
    choices = result.stdout.split("<h2>Trade-offs</h2>", 1)[1]  # after the summary's chart
    svg = choices.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count("<circle") == 4 and "<script" not in result.stdout.lower()
    assert "<title>Ana: 1</title>" in svg and "<title>Dee: 7</title>" in svg


def test_anonymised_small_camps_are_withheld(tmp_path: Path, fake_embedder):
    result = runner.invoke(
        app, ["audit", str(flat_team(tmp_path / "flat")), "-f", "json", "--anonymize"]
    )
    assert result.exit_code == 0, result.output
    (t,) = json.loads(result.stdout)["tradeoffs"]
    assert t["word"] == "split into camps" and t["camps"] is None and t["camps_hidden"]
    assert "Ana" not in result.stdout


@pytest.mark.model
def test_the_real_model_reads_northwind_positioning_as_aligned_and_the_ratings_say_otherwise(
    embedder,
):
    report = audit(load_team(EXAMPLES / "northwind-logistics"), embedder, CHOICES)
    signals = {s.choice: s for s in report.signals if s.kind == WORDS_NOT_CHOICES}
    price = signals["cost-vs-differentiation"]
    assert 'Marcus Holt alone toward "win on the lowest cost and price" (1)' in price.message
    assert price.quotes[0][0] == "Marcus Holt" and "price leader" in price.quotes[0][2]
    text = render(report, Format.MARKDOWN)
    assert "the words agree but the choices do not on cost-vs-differentiation" in text


def test_compare_reports_rating_shifts_and_their_noise(tmp_path: Path, fake_embedder):
    before, after = tmp_path / "before", tmp_path / "after"
    for name, (b, a) in {
        "ana": (3, 5),
        "ben": (3, 4),
        "cy": (4, 5),
        "dee": (2, 4),
        "eve": (3, 4),
    }.items():
        for folder, rating in ((before, b), (after, a)):
            write_manager(
                folder,
                f"{name}.yaml",
                f"manager: {name.capitalize()}\npositioning: We win on service.\n"
                f"tradeoffs: {{cost-vs-differentiation: {rating}, broad-vs-focused: 4}}\n",
            )
    result = runner.invoke(app, ["compare", str(before), str(after), "-f", "json"])
    assert result.exit_code == 0, result.output
    shifts = {t["id"]: t for t in json.loads(result.stdout)["tradeoffs"]}
    price = shifts["cost-vs-differentiation"]
    # every manager moved right (2, 1, 1, 2, 1): only all-up or all-down of 32 signs reach it
    assert price["shift"] == pytest.approx(1.4) and price["p"] == pytest.approx(2 / 32)
    assert price["beyond_noise"] is True
    assert {"manager": "Ana", "before": 3, "after": 5} in price["moves"]
    assert shifts["broad-vs-focused"]["beyond_noise"] is False
    text = runner.invoke(app, ["compare", str(before), str(after), "-f", "markdown"]).stdout
    assert "| cost-vs-differentiation |" in text and "beyond noise (p 0.062)" in text
    (after / "ana.yaml").write_text(
        "manager: Ana\npositioning: x\ntradeoffs: {cost-vs-differentiation: 8}\n", encoding="utf-8"
    )
    refused = runner.invoke(app, ["compare", str(before), str(after)])
    assert refused.exit_code == 2 and "ana.yaml:3:" in refused.stderr

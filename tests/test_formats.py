"""Every format on one hand-built report whose answers try to break out of their cell."""

import csv
import html
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from alignaudit.answers import load_reference, load_team
from alignaudit.audit import audit
from alignaudit.cli import app
from alignaudit.formats import Format, render
from alignaudit.formats.summary import BANDS_CAVEAT
from alignaudit.model import AuditOptions
from tests.conftest import FakeEmbedder, write_manager
from tests.test_cli import schema

SCRIPT = "<script>document.title='pwned'</script>"
FORMULA = '=HYPERLINK("http://evil.example","click")'
MARKUP = "[bold red]forged[/bold red] ![img](http://evil.example/x.png)"


@pytest.fixture(scope="module")
def hostile_team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    team = tmp_path_factory.mktemp("hostile") / "team"
    write_manager(
        team,
        "ana.yaml",
        f'manager: Ana\nvision: "{SCRIPT} We lead green freight."\n'
        f"values: ['{FORMULA}', 'Honesty']\n",
    )
    write_manager(
        team,
        "ben.yaml",
        f"manager: Ben\nvision: '{MARKUP}'\nvalues: ['+1 Courage', 'Honesty']\n",
    )
    write_manager(
        team,
        "cy.yaml",
        "manager: Cy\nvision: \"Plain words\\u001b[31m in red\\u001b[0m.\"\nvalues: ['-2 Speed']\n",
    )
    return team


@pytest.fixture(scope="module")
def report(hostile_team: Path, tmp_path_factory: pytest.TempPathFactory):
    ref = tmp_path_factory.mktemp("ref") / "official.yaml"
    ref.write_text("vision: 'We lead green freight. <b>Bold</b> promises.'\n")
    options = AuditOptions(reference=load_reference(ref), themes=("green <i>freight</i>",))
    return audit(load_team(hostile_team), FakeEmbedder(), options)


def test_every_format_is_covered(report):
    for fmt in Format:
        assert render(report, fmt).strip()


def test_csv_rows_and_formula_neutralising(report):
    rows = list(csv.DictReader(io.StringIO(render(report, Format.CSV))))
    assert len(rows) == sum(len(r.pairs) for r in report.foundations.values())
    for row in rows:
        for key in ("unmatched_a", "unmatched_b", "manager_a", "manager_b"):
            assert not row[key].startswith(("=", "+", "-", "@")), row[key]
        float(row["score"]), float(row["index"]), float(row["raw"])
    cells = " ".join(r["unmatched_a"] + " " + r["unmatched_b"] for r in rows)
    assert "'" + FORMULA in cells
    assert "'+1 Courage" in cells or "'-2 Speed" in cells


def test_every_human_format_says_what_a_band_word_is_worth(report):
    """Where the bands are explained, the reader is told how often they match a person."""
    words = " ".join(BANDS_CAVEAT.split())
    for fmt in (Format.TERMINAL, Format.MARKDOWN, Format.HTML):
        text = render(report, fmt, color=False, width=80)
        text = " ".join((html.unescape(text) if fmt is Format.HTML else text).split())
        assert words in text, fmt
    assert "a guide, not a verdict" in BANDS_CAVEAT


def test_markdown_escapes_answer_text(report):
    md = render(report, Format.MARKDOWN)
    assert "<script>" not in md and "\\<script\\>" in md
    assert "![img](" not in md and "\\[bold red\\]" in md
    assert "## Alignment audit: team" in md
    for word in ("Key findings", "Most divergent pairs", "Against the official statement"):
        assert word in md


def test_html_escapes_and_forbids_scripts(report):
    page = render(report, Format.HTML)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page or "&lt;b&gt;" in page
    assert page.count("<table") >= 3  # summary and heatmaps


def test_terminal_shows_markup_literally_and_no_escape_codes(report):
    text = render(report, Format.TERMINAL, color=False, width=80)
    assert "[bold red]forged" in text  # shown, not interpreted
    assert "\x1b" not in text
    assert "Plain words[31m in red[0m." in text  # ESC stripped at load, text kept
    coloured = render(report, Format.TERMINAL, color=True, width=80)
    ansi = re.findall(r"\x1b\[[0-9;]*m", coloured)
    assert ansi and all(code.startswith("\x1b[") for code in ansi)
    assert "\x1b[31m in red" not in coloured


def test_json_report_with_findings_matches_schema(report):
    data = json.loads(render(report, Format.JSON))
    jsonschema.validate(data, schema())
    vision = data["foundations"]["vision"]
    assert vision["reference"]["furthest"] in {"Ana", "Ben", "Cy"}
    assert list(vision["themes"]) == ["green <i>freight</i>"]
    assert set(vision) >= {"outliers", "groups", "consensus", "divisive", "interval", "warnings"}
    assert data["themes"] == ["green <i>freight</i>"]


def test_anonymize_hides_names_in_every_format(hostile_team: Path, fake_embedder, tmp_path):
    runner = CliRunner()
    key = tmp_path / "key.txt"
    for fmt in Format:
        args = ["audit", str(hostile_team), "-f", fmt.value, "--anonymize"]
        if fmt is Format.JSON:
            args += ["--anonymize-key", str(key)]
        result = runner.invoke(app, args, env={"NO_COLOR": "1"})
        assert result.exit_code == 0, result.output
        for name in ("Ana", "Ben", "ana.yaml", "ben.yaml"):
            assert name not in result.stdout, (fmt, name)
        if fmt not in (Format.JUNIT, Format.GITHUB):  # these name managers only in findings
            assert "Manager A" in result.stdout
    mapping = dict(line.split(": ", 1) for line in key.read_text().splitlines())
    assert sorted(mapping) == ["Manager A", "Manager B", "Manager C"]
    assert sorted(mapping.values()) == ["Ana", "Ben", "Cy"]
    assert (
        "Manager"
        not in json.loads(runner.invoke(app, ["audit", str(hostile_team), "-f", "json"]).stdout)[
            "managers"
        ][0]["name"]
    )


def test_anonymize_key_needs_anonymize(hostile_team: Path, fake_embedder, tmp_path):
    result = CliRunner().invoke(
        app, ["audit", str(hostile_team), "--anonymize-key", str(tmp_path / "k")]
    )
    assert result.exit_code == 2 and "--anonymize-key needs --anonymize" in result.stderr

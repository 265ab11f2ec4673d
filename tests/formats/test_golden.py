"""Golden files: every command's every format, rendered through the real CLI with the fake
embedder, compared byte for byte with tests/golden/. They pin what `python -m alignaudit`
prints on every example team and on one hostile team whose answers try every escape, so a
change of structure that changes a single character fails here.

Regenerate only on purpose, after a change meant to alter output, and read the diff:
    ALIGNAUDIT_GOLDEN=write .venv/bin/python -m pytest tests/formats/test_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.types import Format
from tests.conftest import EXAMPLES, write_manager

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
WRITE = os.environ.get("ALIGNAUDIT_GOLDEN") == "write"
runner = CliRunner()

# Every way an answer can try to break out of its cell: markup of each format, a formula, a
# script, a link and a mention, terminal escapes (as YAML escapes), bidi and zero-width
# characters, other scripts and emoji.
HOSTILE = {
    "ana.yaml": (
        "manager: Ana <b>Silva</b>\nrole: CEO | Owner\nunit: Ops\n"
        'vision: "<script>alert(1)</script> We lead green freight. See https://evil.example '
        'and ping @octocat about #123."\n'
        "mission: Keep supply chains running for communities, whatever the weather.\n"
        "values: ['=HYPERLINK(\"http://evil.example\",\"x\")', '+1 Courage', 'Honesty']\n"
        "positioning: '[bold red]forged[/bold red] ![img](http://evil.example/x.png)'\n"
    ),
    "ben.yaml": (
        "manager: Ben\nunit: Ops\n"
        'vision: "Plain words\\u001b[31m in red\\u001b[0m. Be the greenest \\u202efreight."\n'
        "mission: Keep supply chains running for communities.\n"
        'values:\n  - "-2 Speed"\n  - Honesty\n  - "@team first"\n'
        "positioning: Reliable green freight, not the cheapest.\n"
    ),
    "cy.yaml": (
        "manager: Zoë O'Neill\nunit: Finance\n"
        "vision: Devenir le transporteur le moins cher d'Europe. 🚚 最も安い運送会社。\n"
        "mission: Deliver shareholder returns | every quarter *and* `more`.\n"
        "values: [Cost discipline, Efficiency]\n"
        "positioning: Price leader with the lowest rates.\n"
    ),
    "dee.yaml": (
        "manager: Dee\nunit: Finance\n"
        "vision: Become the lowest cost carrier by acquisitions.\n"
        "mission: Deliver shareholder returns.\n"
        "values: [Cost discipline, Speed]\n"
    ),
}
CONFIG = (
    "reference: _official.yaml\nthemes: ['green <i>freight</i>']\n"
    "tradeoffs:\n  - {id: price, foundation: positioning, left: '<b>cheap</b> =SUM(1)',\n"
    "     right: '[red]premium[/red] @octocat #12 | pipe'}\n"
    "rankings:\n  - {id: lead, foundation: positioning,\n"
    "     items: ['<i>ops</i>', '=intimacy', 'product | leadership']}\n"
)
# Ratings that split the hostile team into two camps, so names, poles and quotes are shown.
OPS, INTIMACY, PRODUCT = "'<i>ops</i>'", "'=intimacy'", "'product | leadership'"
RATINGS = {
    "ana.yaml": f"tradeoffs: {{price: 1, lead: [{OPS}, {INTIMACY}, {PRODUCT}]}}\n",
    "ben.yaml": f"tradeoffs: {{price: 2, lead: [{OPS}, {PRODUCT}, {INTIMACY}]}}\n",
    "cy.yaml": f"tradeoffs: {{price: 6, lead: [{INTIMACY}, {OPS}, {PRODUCT}]}}\n",
    "dee.yaml": f"tradeoffs: {{price: 7, lead: [{INTIMACY}, {PRODUCT}, {OPS}]}}\n",
}
OFFICIAL = "vision: 'We lead green freight. <b>Bold</b> promises.'\n"
PAIRS = (
    "id,a,b\n"
    "p1,Customers first.,We put the customer first.\n"
    'p2,"=1+1 formula","<b>bold</b> | pipe"\n'
    "p3,Grow fast,Shrink slowly\n"
)


def write_hostile(team: Path) -> Path:
    """The hostile team, with its config (reference, theme, trade-offs) and ratings, in
    `team`: the shared report every format's escaping is checked on."""
    for name, text in HOSTILE.items():
        write_manager(team, name, text + RATINGS[name])
    (team / "alignaudit.yaml").write_text(CONFIG, encoding="utf-8")
    (team / "_official.yaml").write_text(OFFICIAL, encoding="utf-8")
    return team


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_embedder) -> Path:
    """A folder holding copies of the examples and the hostile team, as the current folder,
    so every path in the output is the same relative one on every machine."""
    for example in ("northwind-logistics", "harbor-health", "brightline-software"):
        shutil.copytree(EXAMPLES / example, tmp_path / "examples" / example)
    write_hostile(tmp_path / "hostile")
    after = tmp_path / "round-2"
    shutil.copytree(tmp_path / "examples" / "northwind-logistics", after)
    answer = after / "marcus-holt.yaml"
    answer.write_text(
        answer.read_text(encoding="utf-8").replace(
            "To become the lowest-cost, highest-volume road carrier in Europe",
            "To become the greenest, most reliable freight network in Europe",
        ),
        encoding="utf-8",
    )
    (tmp_path / "pairs.csv").write_text(PAIRS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # no COLUMNS (conftest): text is 80 columns, as in a pipe
    return tmp_path


CASES = [
    *(
        (f"{team.split('/')[-1]}.{fmt.value}", ["audit", team, "-f", fmt.value])
        for team in (
            "examples/northwind-logistics",
            "examples/harbor-health",
            "examples/brightline-software",
            "hostile",
        )
        for fmt in Format
        if not fmt.binary  # bytes that vary with the engine's version: tests/formats/test_pdf.py
    ),
    ("hostile.anonymized.json", ["audit", "hostile", "-f", "json", "--anonymize"]),
    ("hostile.anonymized.workshop", ["audit", "hostile", "-f", "workshop", "--anonymize"]),
    ("batch.table", ["batch", "examples", "hostile", "-q"]),
    ("batch.jsonl", ["batch", "examples", "hostile", "-f", "jsonl", "-q"]),
    *(
        (f"compare.{fmt}", ["compare", "examples/northwind-logistics", "round-2", "-f", fmt])
        for fmt in ("terminal", "json", "markdown")
    ),
    *(
        (f"score.{fmt}", ["score", "--pairs", "pairs.csv", "-f", fmt, "-q"])
        for fmt in ("jsonl", "csv", "table")
    ),
    ("score.two", ["score", "Customers first.", "We put the customer first."]),
]


@pytest.mark.parametrize(("name", "args"), CASES, ids=[c[0] for c in CASES])
def test_output_matches_its_golden_file(workspace: Path, name: str, args: list[str]):
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    golden = GOLDEN / f"{name}.txt"
    if WRITE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
        pytest.skip(f"wrote {golden.name}")
    assert golden.is_file(), f"no golden file {golden.name}: run with ALIGNAUDIT_GOLDEN=write"
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_every_golden_file_belongs_to_a_case():
    names = {f"{name}.txt" for name, _ in CASES}
    assert {p.name for p in GOLDEN.iterdir()} == names

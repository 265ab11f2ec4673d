"""`--format workshop`: the plan as Markdown, every item in order with its quotes, question and
speakers; text from the files inert (no link, image, mention, reference or HTML); written by
the CLI to standard output or -o FILE."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.types import AuditOptions, Format, Foundation, TradeOff
from alignaudit.features.auditor import audit
from alignaudit.features.workshop import workshop_plan
from alignaudit.formats import render
from alignaudit.formats.markdown import escape
from alignaudit.formats.workshop import duration, render_plan
from alignaudit.inputs.answers import load_team
from tests.conftest import EXAMPLES, FakeEmbedder, write_manager
from tests.features.test_workshop import team_report
from tests.formats.test_formats import CMARK_GFM, LINKY

runner = CliRunner()
PRICE = TradeOff(
    "price",
    Foundation.POSITIONING,
    left="<b>cheap</b> @octocat",
    right="[premium](https://evil.example) #12",
)
NAMES = ("Ana @ana", "<i>Ben</i>", "Cy [x](https://evil.example)", "Dee #7")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    """Two camps of two on a trade-off with hostile poles, every answer and name hostile, so
    the plan quotes all of them."""
    team = tmp_path_factory.mktemp("hostile") / "team"
    for i, name in enumerate(NAMES):
        mine = " ; ".join(LINKY[i::4]) + " <script>alert(1)</script>"
        write_manager(  # JSON is YAML: every sample one quoted string
            team,
            f"m{i}.yaml",
            f"manager: {json.dumps(name)}\npositioning: {json.dumps([mine])}\n"
            f"vision: {json.dumps(mine)}\ntradeoffs: {{price: {(1, 2, 6, 7)[i]}}}\n",
        )
    return audit(load_team(team), FakeEmbedder(), AuditOptions(tradeoffs=(PRICE,)))


def test_hostile_text_is_escaped(hostile):
    plan = workshop_plan(hostile)
    page = render(hostile, Format.WORKSHOP)
    assert "<script>" not in page and "\\<script\\>" in page
    assert "<b>" not in page and "<i>" not in page
    assert "](" not in page.replace("\\](", "")  # no link syntax survives
    quoted = {q.text for i in plan.items for q in i.quotes}
    assert len(quoted) == len(NAMES)  # both camps, every manager quoted
    for text in quoted:
        assert escape(text) in page
    for name in NAMES:
        assert escape(name) in page


@pytest.mark.skipif(CMARK_GFM is None, reason="cmark-gfm is not installed")
def test_hostile_text_makes_no_link_mention_or_reference_on_github(hostile):
    """Rendered as GitHub renders it, the plan has no link, image or raw HTML, and the text
    of every quote, name and pole reads as written."""
    assert CMARK_GFM is not None
    page = subprocess.run(
        [CMARK_GFM, "-e", "autolink", "-e", "table", "-e", "strikethrough", "-e", "tagfilter"],
        input=render(hostile, Format.WORKSHOP),
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    ).stdout
    assert "<a " not in page and "<img" not in page and "<script" not in page
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for pattern in (r"@\w", r"#\d", r"GH-\d", r"\w://", r"www\."):
        assert not re.search(pattern, text), re.findall(rf".{{0,20}}{pattern}.{{0,20}}", text)
    seen = " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).replace("\u200b", "").split())
    for sample in (*LINKY, *NAMES, PRICE.left, PRICE.right, "<script>alert(1)</script>"):
        assert sample in seen, sample


def test_every_item_is_rendered_in_the_plan_order(tmp_path: Path):
    report = team_report(tmp_path / "team")
    plan = workshop_plan(report)
    page = render_plan(plan, report)
    rows = re.findall(r"^\| (\d+) \| (.+) \| (.+) \|$", page, flags=re.MULTILINE)
    assert [(int(n), topic) for n, topic, _ in rows] == [
        (n, escape(i.topic)) for n, i in enumerate(plan.items, 1)
    ]
    headings = re.findall(r"^## (\d+)\. (.+) \((.+)\)$", page, flags=re.MULTILINE)
    assert [int(n) for n, _, _ in headings] == list(range(1, len(plan.items) + 1))
    assert [t for _, _, t in headings] == [duration(i.minutes) for i in plan.items]
    assert page.count("**Ask:**") == page.count("**Who speaks:**") == len(plan.items)
    assert f"about {duration(plan.minutes)}" in page
    first = page.split("## 2. ")[0].split("## 1. ")[1]  # the most divisive item
    assert escape(plan.items[0].question) in first
    for q in plan.items[0].quotes:
        assert f"“{escape(q.text)}”" in first
    assert "camp 1: Ana, Ben and Cy; then camp 2: Dee, Eli and Fay" in first
    assert "How far to trust the findings:" in page and page.rstrip().endswith("</sub>")


def test_the_cli_writes_the_plan_to_a_file(tmp_path: Path, fake_embedder):
    out = tmp_path / "plan.md"
    team = str(EXAMPLES / "brightline-software")
    result = runner.invoke(app, ["audit", team, "-f", "workshop", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    written = out.read_text(encoding="utf-8")
    assert written.startswith("# Workshop plan: brightline-software\n")
    assert written == runner.invoke(app, ["audit", team, "-f", "workshop"]).stdout


def test_durations_read_as_a_consultant_writes_them():
    assert [duration(m) for m in (5, 35, 60, 100, 125)] == [
        "5 min",
        "35 min",
        "1 h",
        "1 h 40 min",
        "2 h 05 min",
    ]


def test_a_large_side_is_named_up_to_a_dozen():
    from alignaudit.features.workshop import Speakers
    from alignaudit.formats.workshop import _speakers

    many = tuple(f"M{i}" for i in range(30))
    said = _speakers((Speakers("camp 1", many),))
    assert said.startswith("camp 1: M0, M1,") and said.endswith("M11 and 18 others")

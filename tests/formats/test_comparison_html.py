"""`compare --format html`: the two rounds on one page, before/after bars as an inline SVG
with no script, the changes as in the other formats, text from the files escaped."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from alignaudit.cli import app
from tests.features.test_rounds import rounds  # noqa: F401 - the fixture
from tests.formats.test_golden import write_hostile

runner = CliRunner()


def test_the_page_draws_both_rounds_and_the_change(rounds, fake_embedder):  # noqa: F811
    before, after = rounds
    result = runner.invoke(app, ["compare", str(before), str(after), "-f", "html"])
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page.lower()
    assert "default-src 'none'" in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count("<title>") == 2 * 3  # before and after: vision, values and overall
    assert "vision after: 1.00" in svg
    assert "<td>vision</td>" in page and "beyond noise" in page
    assert "Ana × Ben" in page


def test_hostile_names_and_statements_stay_text(tmp_path: Path, fake_embedder):
    first = write_hostile(tmp_path / "round <b>1")
    second = tmp_path / "round 2"
    shutil.copytree(first, second)
    result = runner.invoke(app, ["compare", str(first), str(second), "-f", "html"])
    assert result.exit_code == 0, result.output
    page = result.stdout
    title = page[page.index("<h1>") : page.index("</h1>")]
    assert "<b>" not in page and "round &lt;b&gt;1" in title
    assert "<script" not in page.lower()

"""How wide text is rendered (cli/emit.py): COLUMNS when set, else the terminal's width, else
80 columns for files and pipes; never under 60."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.cli.emit import MIN_WIDTH, PLAIN_WIDTH, layout, width

runner = CliRunner()
RULES = re.compile(r"[─━┼│╷╵]+")


def words(text: str) -> list[str]:
    """The words of a rendered text, without its table rules."""
    return RULES.sub(" ", text).split()


class Tty(io.StringIO):
    """Standard output as a terminal of a given size."""

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return 1


def terminal(monkeypatch: pytest.MonkeyPatch, columns: int = 132) -> None:
    """Standard output becomes a terminal `columns` wide (inside the test: pytest puts its own
    capture back between setting up and running it)."""
    monkeypatch.setattr("sys.stdout", Tty())
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((columns, 40)))


def test_files_and_pipes_get_80_columns():
    assert width(None) == PLAIN_WIDTH == 80  # stdout under pytest is not a terminal
    assert width(Path("report.txt")) == 80


@pytest.mark.parametrize(("columns", "expected"), [("120", 120), ("200", 200), ("40", MIN_WIDTH)])
def test_columns_sets_the_width(monkeypatch: pytest.MonkeyPatch, columns: str, expected: int):
    monkeypatch.setenv("COLUMNS", columns)
    assert width(None) == expected
    assert width(Path("report.txt")) == expected  # asked for, so files follow it too


@pytest.mark.parametrize("columns", ["", "0", "-5", "wide", "1.5", "١٢٠"])
def test_columns_that_is_not_a_positive_number_is_ignored(
    monkeypatch: pytest.MonkeyPatch, columns: str
):
    monkeypatch.setenv("COLUMNS", columns)
    assert width(None) == 80


def test_a_terminal_gives_its_width(monkeypatch: pytest.MonkeyPatch):
    terminal(monkeypatch)
    monkeypatch.setenv("NO_COLOR", "1")  # plain text on a terminal still follows its width
    assert layout(None) == (False, 132)
    assert width(Path("report.txt")) == 80  # a file is not the terminal
    monkeypatch.setenv("COLUMNS", "100")
    assert width(None) == 100  # COLUMNS comes first


def test_a_narrow_terminal_still_gets_60(monkeypatch: pytest.MonkeyPatch):
    terminal(monkeypatch, columns=30)
    assert width(None) == MIN_WIDTH


def test_a_terminal_that_will_not_tell_its_size_gets_80(monkeypatch: pytest.MonkeyPatch):
    terminal(monkeypatch)

    def fails(fd: int) -> os.terminal_size:
        raise OSError("not a terminal")

    monkeypatch.setattr(os, "get_terminal_size", fails)
    assert width(None) == 80


def test_the_terminal_report_follows_columns(team_dir: Path, fake_embedder):
    plain = runner.invoke(app, ["audit", str(team_dir)])
    wide = runner.invoke(app, ["audit", str(team_dir)], env={"COLUMNS": "140"})
    assert plain.exit_code == wide.exit_code == 0, wide.output
    assert max(len(line) for line in plain.stdout.splitlines()) <= 80
    widest = max(len(line) for line in wide.stdout.splitlines())
    assert 80 < widest <= 140
    # the same report, only laid out wider: the same words (tables wrap them otherwise)
    assert sorted(words(plain.stdout)) == sorted(words(wide.stdout))


def test_batch_and_score_tables_follow_columns(team_dir: Path, tmp_path: Path, fake_embedder):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,b\n" + f"{'word ' * 40},{'other ' * 40}\n", encoding="utf-8")
    for args in (
        ["batch", str(team_dir.parent), "-q"],
        ["score", "--pairs", str(pairs), "-f", "table"],
    ):
        plain = runner.invoke(app, args)
        wide = runner.invoke(app, args, env={"COLUMNS": "150"})
        assert plain.exit_code == wide.exit_code == 0, wide.output
        assert max(len(line) for line in plain.stdout.splitlines()) <= 80
        assert 80 < max(len(line) for line in wide.stdout.splitlines()) <= 150

"""The corpus of bad and odd answer files under tests/corpus, through the real CLI: each bad
file gives a file:line message and exit 2 with nothing written; each odd-but-fine one loads."""

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.types import Foundation
from alignaudit.inputs.answers import load_team
from alignaudit.inputs.yaml_nodes import MAX_FILE_BYTES
from tests.conftest import write_manager

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
runner = CliRunner()

BAD = {
    "empty.yaml": ":1:1: file is empty",
    "only-comments.yaml": ":1:1: file is empty",
    "list-not-mapping.yaml": ":1:1: expected a mapping of keys",
    "several-documents.yaml": ":3:1: several YAML documents",
    "number-answer.yaml": ":2:9: 'vision' must be text or a list of texts, found a number",
    "null-answer.yaml": ":2:8: 'vision' is empty",
    "nested-mapping.yaml": ":3:3: 'mission' must be text or a list of texts, found a mapping",
    "unknown-key.yaml": ":2:1: unknown key 'vison'; did you mean 'vision'?",
    "duplicate-key.yaml": ":3:1: duplicate key 'vision' (first at line 2)",
    "no-answers.yaml": ":1: no answers",
    "tabs.yaml": ":3:1: a tab character where YAML expects spaces",
    "invalid-utf8.yaml": ":2:12: not valid UTF-8",
    "utf16-bom.yaml": ":1:1: file is UTF-16; save it as UTF-8",
    "billion-laughs.yaml": ":2:1: unknown key 'a'",
    "python-object.yaml": ":2:9: 'vision' must be text or a list of texts, found a value tagged",
    "custom-tag.yaml": ":2:9: 'vision' must be text or a list of texts, found a value tagged "
    "!secret",
    "control-character.yaml": ":2:13: control character U+0007 is not allowed in YAML",
    "manager-not-text.yaml": ":1:10: 'manager' must be text, found a list",
    "empty-list-item.yaml": ":2:19: empty item in 'values'",
    # issue 14: input that used to end in an internal error (exit 3) or an unbounded matrix
    "deep-nesting.yaml": ":2:28: invalid YAML: nested more than 20 levels deep",
    "beyond-unicode.yaml": ":2:17: invalid YAML: an escape names a code point past U+10FFFF",
    "lone-surrogate.yaml": ":2:9: the escape for U+D800 is half of a surrogate pair",
    "too-many-items.yaml": ":103:5: 'values' has 101 items, over the 100 an answer may have",
    "too-many-sentences.yaml": ":2:9: 'vision' has 101 sentences, over the 100",
    "statement-too-long.yaml": ":4:5: an item of 'values' is 10,004 characters long, over the "
    "10,000",
    "not-an-answer-file.yaml": ":1:1: none of its 3 keys is one this file takes",
}


def team_with(tmp_path: Path, *files: Path) -> Path:
    team = tmp_path / "team"
    write_manager(team, "zed.yaml", "manager: Zed\nvision: Grow steadily.\n")
    for f in files:
        shutil.copy(f, team / f.name)
    return team


def test_the_corpus_is_complete():
    assert {p.name for p in (CORPUS / "bad").iterdir()} == set(BAD)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file(name: str, tmp_path: Path, fake_embedder):
    team = team_with(tmp_path, CORPUS / "bad" / name)
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["audit", str(team), "-f", "json", "-o", str(out)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith(f"error: {team}/{name}") and BAD[name] in line for line in lines), (
        lines
    )
    assert "Traceback" not in result.output
    assert result.stdout == "" and not out.exists()
    assert fake_embedder.calls == []


def test_duplicate_managers_across_files(tmp_path: Path, fake_embedder):
    team = team_with(tmp_path)
    write_manager(team, "zz.yaml", "role: CFO\nmanager: zed\nvision: Shrink.\n")
    result = runner.invoke(app, ["audit", str(team)])
    assert result.exit_code == 2
    assert f"{team}/zz.yaml:2: duplicate manager 'zed': also in {team}/zed.yaml:1" in (
        result.stderr
    )


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path, fake_embedder):
    team = team_with(tmp_path)
    huge = team / "huge.yaml"
    with huge.open("wb") as f:  # sparse: 50 MB on paper, nothing to parse
        f.truncate(50 * 1024 * 1024)
    result = runner.invoke(app, ["audit", str(team)])
    assert result.exit_code == 2
    assert f"huge.yaml: file is 52,428,800 bytes, over the {MAX_FILE_BYTES:,}-byte limit" in (
        result.stderr
    )


GOOD = {
    "utf8-bom.yaml": ("Ana", Foundation.VISION, ("Grow steadily.",)),
    "crlf.yaml": ("Ben", Foundation.VALUES, ("Honesty",)),
    "zero-width.yaml": ("Dee", Foundation.VISION, ("Grow steadily.",)),
    "emoji-and-languages.yaml": (
        "Émile",
        Foundation.VALUES,
        ("誠実", "Ehrlichkeit", "🤝 Vertrauen"),
    ),
    "right-to-left.yaml": ("דנה", Foundation.MISSION, ("نحن نخدم مجتمعنا بكل أمانة",)),
}


@pytest.mark.parametrize("name", sorted(GOOD))
def test_odd_but_fine_files_load_clean(name: str, tmp_path: Path):
    team = load_team(team_with(tmp_path, CORPUS / "good" / name))
    manager, foundation, statements = GOOD[name]
    loaded = next(m for m in team.managers if m.name == manager)
    assert loaded.answers[foundation].statements == statements


def test_odd_files_are_scored_together(tmp_path: Path, fake_embedder):
    team = team_with(tmp_path, *sorted((CORPUS / "good").iterdir()))
    result = runner.invoke(app, ["audit", str(team), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert '"name": "Émile"' in result.stdout and '"name": "דנה"' in result.stdout
    assert "\u202e" not in result.stdout and "\u200b" not in result.stdout


def test_bad_paths_and_options_are_one_line_errors(tmp_path: Path, fake_embedder):
    team = team_with(tmp_path)
    a_file = team / "zed.yaml"
    cases = [
        (["audit", str(tmp_path / "missing")], "no such folder"),
        (["audit", str(a_file)], "is a file"),
        (["audit", str(team), "-o", str(a_file / "report.txt")], "does not exist"),
        (["audit", str(team), "-f", "docx"], "docx"),
        (["audit", str(team), "--foundation", "purpose"], "purpose"),
        (["audit", str(team), "--reference", str(tmp_path / "nope.yaml")], "no such file"),
    ]
    for args, fragment in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert fragment in result.output, (args, result.output)
        assert "Traceback" not in result.output

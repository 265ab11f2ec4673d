"""Issue 14: input built to hurt. Every case here used to crash (exit 3), hang, read outside
the team folder, echo escapes to the terminal or grow without bound; each now gets exit 2
with a located message, or is shown inert. Nothing here touches a path outside tmp_path."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.collection.status import team_status
from alignaudit.core.errors import InputError, Problem
from alignaudit.core.text import clean
from alignaudit.inputs.yaml_nodes import MAX_FILE_BYTES, read_text
from alignaudit.scoring import similarity as scoring
from tests.conftest import ROOT, write_manager

runner = CliRunner()
ESCAPES = "\x1b]52;c;aGVsbG8=\x07\x1b[2J\x1b[31m"  # set the clipboard, clear screen, red
ESCAPES_YAML = "\\x1b]52;c;aGVsbG8=\\x07\\x1b[2J\\u202e"  # the same, as YAML escapes
CONTROL = ("\x1b", "\x07", "\x9b", "\u202e")


def a_team(tmp_path: Path, name: str = "team") -> Path:
    team = tmp_path / name
    write_manager(team, "ana.yaml", "manager: Ana\nvision: Be the greenest carrier.\n")
    write_manager(team, "ben.yaml", "manager: Ben\nvision: Be the greenest carrier in Europe.\n")
    return team


def audit(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["audit", *args])


def assert_input_error(result, *expected: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output and "internal error" not in result.output
    for text in expected:
        assert text in result.stderr, result.stderr


# ---------------------------------------------------------------------------- item 11


@pytest.mark.parametrize("kind", ["fifo", "folder", "broken link", "link loop", "socket"])
def test_an_entry_that_is_not_a_file_is_named_not_skipped(tmp_path: Path, kind: str, fake_embedder):
    team = a_team(tmp_path)
    entry = team / "cy.yaml"
    if kind == "fifo":
        os.mkfifo(entry)  # reading it would block forever: it must be refused unopened
    elif kind == "folder":
        entry.mkdir()
    elif kind == "broken link":
        entry.symlink_to(team / "nobody.yaml")
    elif kind == "link loop":
        entry.symlink_to(team / "cy.yaml")
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(entry))
        server.close()
    expected = {
        "fifo": "is a named pipe (FIFO), not an answer file",
        "folder": "is a folder, not an answer file",
        "broken link": "is a broken link",
        "link loop": "is a link that loops",
        "socket": "is a socket, not an answer file",
    }[kind]
    for command in (["audit", str(team)], ["validate", str(team)]):
        result = runner.invoke(app, command)
        assert_input_error(result, f"{team}/cy.yaml: {expected}")
    assert fake_embedder.calls == []
    status = team_status(team)
    assert any(p.file.endswith("cy.yaml") and expected in p.message for p in status.problems)
    assert not status.complete


# ---------------------------------------------------------------------------- item 7


def test_a_link_out_of_the_team_folder_is_refused_unread(tmp_path: Path, fake_embedder):
    secret = tmp_path / "passwd"
    secret.write_text("rootkey: x:0:0\nhunter2: secret-token\n")
    team = a_team(tmp_path)
    (team / "cy.yaml").symlink_to(secret)
    result = audit(str(team))
    assert_input_error(result, f"{team}/cy.yaml: is a link to a file outside the team folder")
    assert "hunter2" not in result.output and "rootkey" not in result.output
    # a link that stays inside the folder is fine
    (team / "cy.yaml").unlink()
    (team / "answers").mkdir()
    write_manager(team / "answers", "cy.txt", "manager: Cy\nvision: Be the greenest carrier.\n")
    (team / "cy.yaml").symlink_to(team / "answers" / "cy.txt")
    assert audit(str(team), "-f", "json").exit_code == 0


def test_a_config_linked_out_of_the_team_folder_is_refused(tmp_path: Path, fake_embedder):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("thresholds: {overall: 0.99}\n")
    team = a_team(tmp_path)
    (team / "alignaudit.yaml").symlink_to(outside)
    for command in ("audit", "validate", "status"):
        result = runner.invoke(app, [command, str(team)])
        assert_input_error(result, "alignaudit.yaml: is a link to a file outside the team folder")


def test_a_reference_outside_the_configs_folder_needs_the_command_line(
    tmp_path: Path, fake_embedder
):
    official = tmp_path / "official.yaml"
    official.write_text("vision: Be the greenest carrier.\n")
    team = a_team(tmp_path)
    (team / "alignaudit.yaml").write_text("reference: ../official.yaml\n")
    assert_input_error(
        audit(str(team)), "alignaudit.yaml:1:12: reference file '../official.yaml' is outside"
    )
    (team / "alignaudit.yaml").unlink()
    assert audit(str(team), "--reference", str(official), "-f", "json").exit_code == 0


def test_a_foreign_file_is_not_quoted(tmp_path: Path, fake_embedder):
    team = a_team(tmp_path)
    write_manager(team, "cy.yaml", "rootkey: x:0:0\nhunter2: token\nmail: x\n")
    result = audit(str(team))
    assert_input_error(result, f"{team}/cy.yaml:1:1: none of its 3 keys is one this file takes")
    assert "hunter2" not in result.output and "rootkey" not in result.output


def test_the_size_limit_holds_on_the_bytes_read(tmp_path: Path, monkeypatch):
    """A /proc file says it is 0 bytes long: the limit must count what is read."""
    big = tmp_path / "big.yaml"
    big.write_bytes(b"manager: A\nvision: " + b"x" * (MAX_FILE_BYTES + 10) + b"\n")
    real_stat, real_fstat = os.stat, os.fstat

    def says_empty(result: os.stat_result) -> os.stat_result:
        fields = list(result)
        fields[6] = 0  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr("alignaudit.inputs.yaml_nodes.os.stat", lambda p: says_empty(real_stat(p)))
    monkeypatch.setattr(
        "alignaudit.inputs.yaml_nodes.os.fstat", lambda fd: says_empty(real_fstat(fd))
    )
    problems: list[Problem] = []
    assert read_text(big, "big.yaml", problems) is None
    assert "over the 1,000,000-byte limit" in str(problems[0])


def test_unknown_keys_are_listed_up_to_a_cap(tmp_path: Path, fake_embedder):
    team = a_team(tmp_path)
    keys = "".join(f"key{i}: x\n" for i in range(50_000))
    write_manager(team, "cy.yaml", "manager: Cy\nvision: Grow.\n" + keys)
    result = runner.invoke(app, ["validate", str(team)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 21, lines[-3:]
    assert "... and 49,980 more bad keys" in lines[-1]


# ---------------------------------------------------------------------------- item 3


def test_init_with_too_long_a_folder_name_is_exit_2_and_writes_nothing(tmp_path: Path):
    folder = tmp_path / ("y" * 300)
    result = runner.invoke(app, ["init", str(folder), "--manager", "Ana"])
    assert_input_error(result, "File name too long")
    assert list(tmp_path.iterdir()) == []
    assert_input_error(audit(str(folder)), "File name too long")


@pytest.mark.parametrize("args", [[], ["--from", "-"]])
def test_collect_with_stdin_closed_is_exit_2(tmp_path: Path, args: list[str]):
    team = a_team(tmp_path)
    command = [sys.executable, "-m", "alignaudit", "collect", str(team), "--manager", "Cy", *args]
    proc = subprocess.run(
        ["bash", "-c", '"$@" <&-', "bash", *command], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


def test_batch_skips_the_team_with_a_hostile_file(tmp_path: Path, fake_embedder):
    root = tmp_path / "teams"
    a_team(root, "good")
    bad = a_team(root, "bad")
    (bad / "deep.yaml").write_text("manager: D\nvision: " + "[" * 600 + "]" * 600 + "\n")
    os.mkfifo(bad / "pipe.yaml")
    result = runner.invoke(app, ["batch", str(root), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.stderr and "nested more than 20 levels" in result.stderr
    assert "is a named pipe" in result.stderr
    assert "good" in result.stdout


# ---------------------------------------------------------------------------- item 2


def test_best_match_in_blocks_equals_the_whole_matrix(monkeypatch):
    rng = np.random.default_rng(7)
    a = rng.standard_normal((37, 8))
    b = rng.standard_normal((23, 8))
    b[5] = b[3]  # a tie: the first index wins, as argmax over the whole matrix gives
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    whole = scoring.best_match(a, b)
    monkeypatch.setattr(scoring, "BLOCK_CELLS", 50)  # two rows of a at a time
    blocked = scoring.best_match(a, b)
    sim = a @ b.T
    assert np.array_equal(blocked.a_best, sim.argmax(axis=1))
    assert np.array_equal(blocked.b_best, sim.argmax(axis=0))
    assert np.allclose(blocked.b_sim, sim.max(axis=0))
    assert blocked.agreement == pytest.approx(whole.agreement)


def _peak_mb(args: list[str], stdin: object = subprocess.DEVNULL, timeout: float = 120) -> tuple:
    """Run the CLI in a child, return (exit code, stderr, the child's peak RSS in MB)."""
    code = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run([sys.executable, '-m', 'alignaudit', *sys.argv[1:]],"
        " stdin=sys.stdin, capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(p.returncode, peak); sys.stderr.write(p.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        stdin=stdin,  # type: ignore[arg-type]
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )
    rc, peak = proc.stdout.split()
    return int(rc), proc.stderr, float(peak)


PEAK_MB = 400  # docs/performance.md: what a command holds before any model is loaded


def test_fifty_thousand_items_are_refused_with_bounded_memory(tmp_path: Path):
    team = tmp_path / "team"
    for name in ("ana", "ben"):
        items = "".join(f"- v{i}\n" for i in range(50_000))
        write_manager(team, f"{name}.yaml", f"manager: {name}\nvalues:\n{items}")
    assert (team / "ana.yaml").stat().st_size > 300_000
    for command in ("validate", "audit"):
        rc, err, peak = _peak_mb([command, str(team)])
        assert rc == 2, err
        assert "ana.yaml:103:3: 'values' has 50,000 items, over the 100" in err
        assert peak < PEAK_MB, peak


def test_pairs_without_line_breaks_are_refused_with_bounded_memory(tmp_path: Path):
    """An endless pipe with no newline (what /dev/zero gives) must stop at the line bound."""
    read, write = os.pipe()
    stop = threading.Event()

    def pour() -> None:
        chunk = b"a" * 65536
        try:
            while not stop.is_set():
                os.write(write, chunk)
        except OSError:  # the reader is gone: EPIPE
            pass
        finally:
            os.close(write)

    pourer = threading.Thread(target=pour, daemon=True)
    pourer.start()
    try:
        with os.fdopen(read, "rb") as source:
            rc, err, peak = _peak_mb(["score", "--pairs", "-", "-q"], stdin=source)
    finally:
        stop.set()
    assert rc == 2, err
    assert "<stdin>:1: line too long" in err
    assert peak < PEAK_MB + 300, peak  # the model may be loaded before the first line is read


def test_pairs_problems_that_crashed(tmp_path: Path, fake_embedder):
    big = tmp_path / "big.jsonl"
    big.write_text(json.dumps({"a": "x", "b": "y"})[:-1] + ', "id": ' + "9" * 5000 + "}\n")
    result = runner.invoke(app, ["score", "--pairs", str(big)])
    assert_input_error(result, f"{big}:1: not valid JSON")
    flat = tmp_path / "flat.csv"
    flat.write_bytes(b"a,b\n" + b"x" * 200_000)
    result = runner.invoke(app, ["score", "--pairs", str(flat)])
    assert_input_error(result, f"{flat}:2: line too long")
    half = tmp_path / "half.jsonl"
    half.write_text('{"a": "Grow \\ud800 fast", "b": "Grow"}\n')
    assert_input_error(runner.invoke(app, ["score", "--pairs", str(half)]), "surrogate pair")


# ---------------------------------------------------------------------------- item 4


def no_control(text: str) -> None:
    assert not any(c in text for c in CONTROL), repr(text[:300])


def test_a_hostile_folder_name_is_inert_in_every_format(tmp_path: Path, fake_embedder):
    team = a_team(tmp_path, f"acme{ESCAPES}\n::error::forged")
    for fmt in ("terminal", "json", "markdown", "html", "csv", "github", "junit"):
        result = audit(str(team), "-f", fmt)
        assert result.exit_code == 0, (fmt, result.output)
        no_control(result.stdout)
        assert not any(line.startswith("::error::forged") for line in result.stdout.splitlines())
    result = runner.invoke(app, ["batch", str(team), "-f", "table"])
    no_control(result.stdout)


def test_a_newline_in_a_file_name_forges_no_workflow_command(tmp_path: Path, fake_embedder):
    team = a_team(tmp_path)
    write_manager(team, "x\n::error file=a,line=1::forged\x1b[2J.yaml", "manager: X\nvison: y\n")
    for command in ("audit", "validate", "status"):
        result = runner.invoke(app, [command, str(team)])
        assert result.exit_code in (1, 2)
        no_control(result.output)
        assert not any(line.startswith("::") for line in result.output.splitlines()), result.output


def test_keys_and_config_values_in_errors_are_inert(tmp_path: Path, fake_embedder):
    team = a_team(tmp_path)
    write_manager(team, "cy.yaml", f'manager: Cy\nvision: Grow.\n"vison{ESCAPES_YAML}": x\n')
    (team / "alignaudit.yaml").write_text(f'format: "html{ESCAPES_YAML}"\n')
    result = runner.invoke(app, ["validate", str(team)])
    assert_input_error(result, "unknown key 'vison\\x1b]52;c;aGVsbG8=\\x07")
    no_control(result.output)
    result = audit(str(team))
    assert_input_error(result, "unknown format 'html\\x1b]52")
    no_control(result.output)


def test_themes_from_options_and_config_are_inert(tmp_path: Path, fake_embedder):
    team = a_team(tmp_path)
    (team / "alignaudit.yaml").write_text(f'themes: ["green{ESCAPES_YAML}"]\n')
    result = audit(str(team), "--theme", f"speed{ESCAPES}", "-f", "markdown")
    assert result.exit_code == 0, result.output
    assert "speed" in result.stdout
    no_control(result.stdout)
    result = audit(str(team), "-f", "terminal")
    assert "green" in result.stdout
    no_control(result.stdout)


def test_status_shows_file_names_inert(tmp_path: Path):
    team = a_team(tmp_path)
    write_manager(team, f"cy{ESCAPES}.yaml", "manager: Cy\nvision: Grow.\n")
    result = runner.invoke(app, ["status", str(team)])
    assert "cy\\x1b" in result.stdout
    no_control(result.output)


@pytest.mark.parametrize("fmt", ["table", "csv", "jsonl"])
def test_pair_ids_are_inert(tmp_path: Path, fake_embedder, fmt: str):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(f'id,a,b\n"p1{ESCAPES}\n::error::x",Grow fast,Grow quickly\n')
    result = runner.invoke(app, ["score", "--pairs", str(pairs), "-f", fmt, "-q"])
    assert result.exit_code == 0, result.output
    assert "p1" in result.stdout
    no_control(result.stdout)
    assert not any(line.startswith("::error") for line in result.stdout.splitlines())


def test_inert_escapes_what_is_not_plainly_visible():
    from alignaudit.core.text import inert

    assert inert("plain é 日本 👍") == "plain é 日本 👍"
    assert inert("a\x1bb\nc\u202ed\u200be\ud800") == "a\\x1bb\\x0ac\\u202ed\\u200be\\ud800"
    assert inert(inert("a\x1b\n")) == inert("a\x1b\n")  # idempotent
    assert str(Problem("f\x1b.yaml", 1, 2, "key '\x07'")) == "f\\x1b.yaml:1:2: key '\\x07'"
    assert str(InputError([Problem("a\nb", None, None, "x")])) == "a\\x0ab: x"


# ---------------------------------------------------------------------------- item 12


@pytest.mark.parametrize(
    "char",
    [
        "\u200e",  # left-to-right mark
        "\u200f",  # right-to-left mark
        "\u061c",  # Arabic letter mark
        "\u00ad",  # soft hyphen
        "\u034f",  # combining grapheme joiner
        "\u180e",  # Mongolian vowel separator
        "\U000e0041",  # tag letter A
        "\u2064",  # invisible plus
        "\u202e",  # right-to-left override
        "\u2067",  # right-to-left isolate
        "\ufeff",  # zero-width no-break space
        "\u3164",  # Hangul filler
    ],
)
def test_bidi_and_invisible_characters_are_dropped(char: str):
    assert clean(f"Safe{char}ty first") == "Safety first"


def test_a_joiner_inside_an_emoji_is_kept_and_elsewhere_dropped():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean(f"We are a {family}") == f"We are a {family}"
    assert clean("to\u200dgether") == "together"
    thumbs = "\U0001f44d\U0001f3fd\u200d\U0001f469"  # a skin tone before the joiner
    assert clean(thumbs) == thumbs


# ---------------------------------------------------------------------------- item 13


@pytest.mark.parametrize(
    "config",
    [
        "foundations: []\n",
        "foundations: [vision, vision]\n",
        "required: [values, values]\n",
        "foundations: [vision]\nfoundations: [values]\n",
        "managers: [Ana, ana]\n",
    ],
)
def test_validate_status_and_audit_agree_on_a_config(tmp_path: Path, config: str, fake_embedder):
    team = a_team(tmp_path)
    (team / "alignaudit.yaml").write_text(config)
    for command in ("validate", "status", "audit"):
        result = runner.invoke(app, [command, str(team)])
        assert_input_error(result, "alignaudit.yaml:")


def test_a_broken_answer_file_and_a_template_are_one_manager(tmp_path: Path):
    team = tmp_path / "t"
    result = runner.invoke(app, ["init", str(team), "--manager", "Ana Silva", "--manager", "Ben"])
    assert result.exit_code == 0
    (team / "alignaudit.yaml").unlink()  # no roster: only the files say who is who
    write_manager(team, "ana.yaml", "manager: Ana Silva\nvision: [unclosed\n")
    write_manager(team, "ben.yaml", "manager: Ben\nvision: Grow.\n")
    names = [m.name for m in team_status(team).managers]
    assert len(names) == 2, names


def test_a_team_or_a_batch_past_the_statement_limit_is_refused(
    tmp_path: Path, fake_embedder, monkeypatch
):
    monkeypatch.setattr("alignaudit.inputs.answers.MAX_TEAM_STATEMENTS", 3)
    root = tmp_path / "teams"
    first, second = a_team(root, "a-first"), a_team(root, "b-second")  # 2 statements each
    assert audit(str(first), "-f", "json").exit_code == 0
    write_manager(first, "cy.yaml", "manager: Cy\nvision: Grow. Be green.\n")
    assert_input_error(audit(str(first)), "the team wrote 4 statements, over the 3 one run")
    (first / "cy.yaml").unlink()
    result = runner.invoke(app, ["batch", str(root), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert f"skipped {second}" in result.stderr and "over the 3 one run takes" in result.stderr
    assert len(result.stdout.strip().splitlines()) == 1
    monkeypatch.setattr("alignaudit.inputs.answers.MAX_TEAM_STATEMENTS", 100)
    monkeypatch.setattr("alignaudit.inputs.answers.MAX_TEAM_CHARS", 60)  # each team writes 58
    assert audit(str(first), "-f", "json").exit_code == 0
    result = runner.invoke(app, ["batch", str(root), "-f", "jsonl"])
    assert "116 characters, over the 60 one run takes" in result.stderr

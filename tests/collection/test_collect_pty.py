"""The interview as a person uses it: the real program in a pseudo-terminal, driven by pexpect.

Each test types answers, edits in the review or presses Ctrl-C, then checks the files the
program left behind. Timeouts are generous (20 s per step) and nothing is timed.
"""

import io
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.types import Foundation
from alignaudit.inputs.answers import load_team
from tests.conftest import ROOT, write_manager

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

TEXT_PROMPT = "Type your answer; press Enter on an empty line to finish."
LIST_PROMPT = "Type one value per line; press Enter on an empty line to finish."
SECRET = "SECRET-BEN-ANSWER"


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A team made by init, where Ben has already answered."""
    folder = tmp_path / "acme"
    result = CliRunner().invoke(app, ["init", str(folder), "-m", "Ana Silva", "-m", "Ben"])
    assert result.exit_code == 0, result.output
    write_manager(folder, "ben.yaml", f"manager: Ben\nvision: {SECRET} one.\nmission: Two.\n")
    return folder


class Session:
    """One run of `alignaudit collect` in a pty, with everything it printed kept."""

    def __init__(self, team: Path, manager: str) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),  # this worktree's code
            "NO_COLOR": "1",
            "TERM": "dumb",  # rich then prints plain text, 80 columns wide
        }
        env.pop("ALIGNAUDIT_DEBUG", None)
        self.screen = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "alignaudit", "collect", str(team), "--manager", manager],
            env=env,
            encoding="utf-8",
            timeout=20,
        )
        self.child.logfile_read = self.screen

    def expect(self, text: str) -> None:
        self.child.expect_exact(text)

    def line(self, prompt: str, text: str) -> None:
        self.expect(prompt)
        self.child.sendline(text)

    def answer(self, heading: str, lines: list[str], values: bool = False) -> None:
        """Wait for a question, type the answer's lines, finish with an empty line."""
        self.expect(heading)
        self.expect(LIST_PROMPT if values else TEXT_PROMPT)
        for text in [*lines, ""]:
            self.line("- " if values else "> ", text)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus

    @property
    def text(self) -> str:
        return self.screen.getvalue()


def test_interview_typed_edited_and_saved(team: Path):
    s = Session(team, "ana silva")  # the roster's spelling is used
    s.line("Your role, e.g. Chief Operating Officer (Enter to skip): ", "COO")
    s.line("Your unit or line of business (Enter to skip): ", "Operations")
    s.answer("(1/4) VISION", ["Be the greenest freight network.", "In all of Europe."])
    s.answer("(2/4) MISSION", ["Make money."])
    s.answer("(3/4) VALUES", ["Safety: nobody gets hurt", "[bold]Honesty[/bold]"], values=True)
    s.answer("(4/4) POSITIONING", ["Reliable green freight, not the cheapest."])
    # then the strategic choices, one screen each, as init defined them
    s.expect("(1/7) TRADE-OFF: cost-vs-differentiation")
    s.expect("1 = win on the lowest cost and price; 7 = win on a distinctive offer")
    s.line("1-7 (Enter to skip): ", "9")  # off the scale: asked again
    s.expect("Please type a whole number from 1 to 7.")
    s.line("1-7 (Enter to skip): ", "6")
    for rating in ["2", "5", "6", "", "1"]:  # one skipped with Enter
        s.line("1-7 (Enter to skip): ", rating)
    s.expect("(7/7) RANKING: value-disciplines")
    s.line("(Enter to skip): ", "2 2 1")
    s.expect("Please type each number from 1 to 3 once, in your order.")
    s.line("(Enter to skip): ", "2 1 3")
    s.expect("Your answers")
    s.expect("- [bold]Honesty[/bold]")  # shown as typed, not as markup
    s.expect("TRADE-OFFS")
    s.expect("short-vs-long-term: 6")
    s.expect("standard-vs-tailored: (not rated)")
    s.expect("value-disciplines: customer intimacy > operational excellence >")  # wraps at 80
    s.expect("leadership")
    s.line("Your choice: ", "2")  # rewrite the mission
    s.expect("Rewrite MISSION")
    s.expect("Make money.")  # the current answer is shown before it is replaced
    for text in ["Keep supply chains running for the communities that need them.", ""]:
        s.line("> ", text)
    s.expect("Keep supply chains running for the communities that need them.")
    s.line("Your choice: ", "s")
    s.expect("Saved")
    assert s.finish() == 0

    assert not (team / "_draft-ana-silva.yaml").exists()
    managers = {m.name: m for m in load_team(team).managers}  # loads in audit as it is
    ana = managers["Ana Silva"]
    assert (ana.role, ana.unit) == ("COO", "Operations")
    assert ana.answers[Foundation.VISION].statements == (
        "Be the greenest freight network.",
        "In all of Europe.",
    )
    assert ana.answers[Foundation.MISSION].statements == (
        "Keep supply chains running for the communities that need them.",
    )
    assert ana.answers[Foundation.VALUES].statements == (
        "Safety: nobody gets hurt",
        "[bold]Honesty[/bold]",
    )
    assert {r.id: r.value for r in ana.ratings} == {
        "cost-vs-differentiation": 6,
        "broad-vs-focused": 2,
        "growth-vs-profitability": 5,
        "short-vs-long-term": 6,
        "organic-vs-acquisitions": 1,
        "value-disciplines": ("customer intimacy", "operational excellence", "product leadership"),
    }
    assert SECRET not in s.text and "Ben" not in s.text  # never another manager's answers
    assert "Traceback" not in s.text


def test_ctrl_c_keeps_the_answers_and_the_same_command_resumes(team: Path):
    s = Session(team, "Ana Silva")
    s.line("(Enter to skip): ", "")
    s.line("(Enter to skip): ", "")
    s.answer("(1/4) VISION", ["Be the greenest freight network."])
    s.expect("(2/4) MISSION")
    s.expect(TEXT_PROMPT)
    s.line("> ", "Keep supply chains")
    s.expect("> ")
    s.child.send("running for")  # half a line typed, then Ctrl-C
    s.child.sendintr()
    assert s.finish() == 130
    message = [line for line in s.text.splitlines() if "interrupted" in line]
    assert message == [
        f"interrupted: your answers so far are kept in {team}/_draft-ana-silva.yaml; "
        "run the same command to continue"
    ]
    assert "Traceback" not in s.text
    assert not (team / "ana-silva.yaml").exists()
    # the draft is a reserved file: the team still audits, and status shows the progress
    assert [m.name for m in load_team(team).managers] == ["Ben"]
    status = CliRunner().invoke(app, ["status", str(team)])
    assert "Ana Silva  interview in progress (so far: vision)" in status.stdout

    again = Session(team, "Ana Silva")
    again.expect("Welcome back, Ana Silva")
    again.answer("(2/4) MISSION", ["Keep supply chains running."])
    again.answer("(3/4) VALUES", ["Safety"], values=True)
    again.answer("(4/4) POSITIONING", ["Reliable green freight."])
    for _ in range(6):
        again.line("(Enter to skip): ", "")  # every choice skipped
    again.line("(Enter to skip): ", "")
    again.line("Your choice: ", "s")
    again.expect("Saved")
    assert again.finish() == 0
    assert "(1/4) VISION" not in again.text and "Your role" not in again.text

    ana = next(m for m in load_team(team).managers if m.name == "Ana Silva")
    assert ana.answers[Foundation.VISION].statements == ("Be the greenest freight network.",)
    assert set(ana.answers) == set(Foundation)
    assert not (team / "_draft-ana-silva.yaml").exists()


def test_ctrl_c_before_any_answer_saves_nothing(team: Path):
    s = Session(team, "Ana Silva")
    s.expect("(Enter to skip): ")
    s.child.sendintr()
    assert s.finish() == 130
    assert "interrupted: nothing was saved" in s.text
    assert not (team / "_draft-ana-silva.yaml").exists()
    assert not (team / "ana-silva.yaml").exists()


def test_a_damaged_draft_is_reported_and_left_alone(team: Path):
    draft = write_manager(team, "_draft-ana-silva.yaml", "manager: Ana Silva\nvision: [oops\n")
    s = Session(team, "Ana Silva")
    assert s.finish() == 2
    assert f"error: {draft}:3:1: invalid YAML: " in s.text
    assert "; delete it to start the interview again" in s.text
    assert draft.read_text() == "manager: Ana Silva\nvision: [oops\n"
    assert "Traceback" not in s.text

"""The questionnaire with injected input and output: no terminal needed."""

import io
from pathlib import Path

import pytest
from rich.console import Console

from alignaudit.collection.interview import Collected, Interview, read_draft, scrub
from alignaudit.collection.templates import FOUNDATIONS, RULE, render_answers
from alignaudit.core.errors import InputError
from alignaudit.core.types import Foundation

ALL = tuple(Foundation)


class Script:
    """Types the given lines, one per prompt, and records the whole screen."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = list(lines)
        self.screen = io.StringIO()
        self.console = Console(file=self.screen, width=100, color_system=None, highlight=False)
        self.prompts: list[str] = []
        self.saves: list[Collected] = []

    def read(self, prompt: str) -> str:
        self.prompts.append(prompt)
        self.screen.write(prompt)
        if not self.lines:
            raise EOFError
        line = self.lines.pop(0)
        self.screen.write(line + "\n")
        return line

    def save(self, collected: Collected) -> None:
        # a deep-enough copy: what a draft file would hold at this moment
        self.saves.append(
            Collected(collected.manager, collected.role, collected.unit, dict(collected.answers))
        )

    def interview(self, foundations=ALL) -> Interview:
        return Interview(
            self.console,
            self.read,
            manager="Ana Silva",
            team="acme",
            foundations=foundations,
            save=self.save,
        )

    @property
    def text(self) -> str:
        return self.screen.getvalue()


FULL = [
    "COO",  # role
    "",  # unit skipped
    "Be the greenest freight network.",
    "In Europe.",
    "",
    "Keep supply chains running.",
    "",
    "Safety",
    "- Honesty",
    "2. Teamwork",
    "",
    "Reliable green freight, not the cheapest.",
    "",
]


def test_a_full_interview():
    s = Script([*FULL, "s"])
    got = s.interview().run()
    assert got.role == "COO" and got.unit is None
    assert got.answers == {
        Foundation.VISION: "Be the greenest freight network.\nIn Europe.",
        Foundation.MISSION: "Keep supply chains running.",
        Foundation.VALUES: ("Safety", "Honesty", "Teamwork"),  # bullets typed are dropped
        Foundation.POSITIONING: "Reliable green freight, not the cheapest.",
    }
    # every definition and the rule are shown, from the one source of truth
    flat = " ".join(s.text.split())
    assert " ".join(RULE.split()) in flat
    for d in FOUNDATIONS.values():
        assert d.question in flat and d.meaning in flat and d.not_ in flat
    assert "(1/4) VISION" in s.text and "(4/4) POSITIONING" in s.text
    assert s.prompts.count("- ") == 4 and s.prompts[-1] == "Your choice: "


def test_saves_after_details_and_each_answer():
    s = Script([*FULL, "s"])
    s.interview().run()
    assert [len(c.answers) for c in s.saves] == [0, 1, 2, 3, 4]
    assert s.saves[0].role == "COO"


def test_an_empty_answer_asks_before_leaving_it_out():
    lines = ["", "", "", "n", "Be green.", "", "", "y", "", "y", "", "y", "s", "y"]
    s = Script(lines)
    got = s.interview().run()
    assert got.answers == {Foundation.VISION: "Be green."}
    assert "Leave vision unanswered for now? [y/n] " in s.prompts
    assert "Not answered: mission, values, positioning." in " ".join(s.text.split())
    assert "(no answer)" in s.text


def test_unclear_yes_no_is_asked_again():
    s = Script(["", "", "", "maybe", "y", "Keep going.", "", "x", "", "P.", "", "s", "n"])
    with pytest.raises(EOFError):  # declined to save with a gap; input ends at the menu
        s.interview().run()
    assert "Please type y or n." in s.text
    assert s.saves[-1].answers == {
        Foundation.MISSION: "Keep going.",
        Foundation.VALUES: ("x",),
        Foundation.POSITIONING: "P.",
    }


def test_review_rewrites_an_answer_and_an_empty_rewrite_keeps_it():
    s = Script([*FULL, "2", "Serve our communities.", "", "3", "", "9", "r", "CFO", "Finance", "s"])
    got = s.interview().run()
    assert got.answers[Foundation.MISSION] == "Serve our communities."
    assert got.answers[Foundation.VALUES] == ("Safety", "Honesty", "Teamwork")
    assert (got.role, got.unit) == ("CFO", "Finance")
    assert "Kept." in s.text
    assert "Please type a number from 1 to 4, r or s." in s.text
    assert "Rewrite MISSION" in s.text and "Your current answer:" in s.text
    assert s.saves[-1].role == "CFO"
    assert s.saves[-2].answers[Foundation.MISSION] == "Serve our communities."


def test_nothing_answered_cannot_be_saved():
    s = Script(["", "", "", "y", "", "y", "", "y", "", "y", "s"])
    with pytest.raises(EOFError):
        s.interview().run()
    assert "Answer at least one question before saving." in s.text


def test_only_the_configured_foundations_are_asked():
    s = Script(["", "", "Be green.", "", "Safety", "", "s"])
    got = s.interview(foundations=(Foundation.VISION, Foundation.VALUES)).run()
    assert set(got.answers) == {Foundation.VISION, Foundation.VALUES}
    assert "MISSION" not in s.text and "(2/2) VALUES" in s.text
    assert "Type 1-2 to rewrite" in s.text


def test_resume_asks_only_what_is_left():
    start = Collected("Ana Silva", "COO", None, {Foundation.VISION: "Be green."})
    s = Script(["Serve.", "", "Safety", "", "Trusted.", "", "s"])
    got = s.interview().run(start)
    assert got.answers[Foundation.VISION] == "Be green."
    assert set(got.answers) == set(Foundation)
    assert "Welcome back, Ana Silva" in s.text and "(1/4) VISION" not in s.text
    assert "Your role" not in s.text  # the details were given before


def test_answers_are_data_not_markup_or_escapes():
    typed = "[bold red]Be[/] \x1b[31mgreen\x1b[0m\x07 :smile:"
    s = Script(["", "", typed, "", "", "y", "", "y", "", "y", "s", "y"])
    got = s.interview().run()
    assert got.answers[Foundation.VISION] == "[bold red]Be[/] green :smile:"
    review = s.text.split("Your answers")[1]
    assert "[bold red]Be[/] green :smile:" in review
    assert "\x1b" not in review and "\x07" not in review


def test_scrub():
    assert scrub("a\tb\x1b[2J\x1b]0;title\x07c\rd\u202eé\n") == "a bcdé\n"


def test_interrupt_propagates_after_saving_what_was_answered():
    def read(prompt: str) -> str:
        if prompt == "- ":
            raise KeyboardInterrupt
        return lines.pop(0)

    lines = ["", "", "Be green.", "", "Serve.", ""]
    saves: list[Collected] = []
    console = Console(file=io.StringIO(), width=100)
    interview = Interview(
        console, read, manager="Ana", team="t", foundations=ALL, save=saves.append
    )
    with pytest.raises(KeyboardInterrupt):
        interview.run()
    assert set(saves[-1].answers) == {Foundation.VISION, Foundation.MISSION}


def test_draft_round_trip(tmp_path: Path):
    answers = {
        Foundation.VISION: "Be [b]green[/b].\nSoon.",
        Foundation.VALUES: ("yes", "No: never"),
    }
    path = tmp_path / "_draft-ana.yaml"
    path.write_text(render_answers("Ana", "COO", None, answers, "draft"))
    got = read_draft(path, "d.yaml", "Ana")
    assert got == Collected("Ana", "COO", None, answers)
    assert read_draft(path, "d.yaml", "ANA").manager == "ANA"  # names compare as file names


def test_a_draft_of_someone_else_or_damaged_is_refused(tmp_path: Path):
    path = tmp_path / "_draft-ana.yaml"
    path.write_text(render_answers("Ben", None, None, {Foundation.VISION: "x"}, "draft"))
    with pytest.raises(InputError, match="not 'Ana'"):
        read_draft(path, "d.yaml", "Ana")
    path.write_text("manager: Ana\nvision: [unclosed\n")
    with pytest.raises(InputError, match=r"d.yaml:\d+:\d+: invalid YAML: .*; delete it to start"):
        read_draft(path, "d.yaml", "Ana")
    path.write_text("manager: Ana\nvision: !!python/object:os.system x\n")
    with pytest.raises(InputError, match="must be text"):
        read_draft(path, "d.yaml", "Ana")

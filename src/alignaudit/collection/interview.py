"""The questionnaire: one manager, alone, answers each foundation in turn, reviews, saves.

Everything here talks to a rich Console and a `read(prompt) -> line` function that the caller
injects, so the whole interview runs in tests without a terminal. It knows nothing of other
managers: it is given one manager's name and, when resuming, that manager's own draft.

Answer text is data. It is scrubbed of control characters and escape sequences as it is typed
and again before it is shown, and it is only ever displayed as rich Text, never as markup, so
"[bold]" in an answer is printed as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rich.console import Console
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from ..core.errors import InputError, Problem
from ..core.text import dropped, file_stem
from ..core.types import Foundation, TradeOff
from ..inputs.answers import ALLOWED_KEYS, read_ratings
from ..inputs.yaml_nodes import compose, read_text
from .templates import FOUNDATIONS, RULE, Answer, Choice, RatingValue, choice_help

Reader = Callable[[str], str]  # shows a prompt, returns one line; EOFError at end of input

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_BULLET = re.compile(r"^(?:[-*•–]|\d{1,2}[.)])\s+")


def scrub(text: str) -> str:
    """Text safe to store and to show: escape sequences and control characters removed (line
    breaks kept, tabs made spaces), so an answer cannot restyle or rewrite the terminal."""
    text = _ANSI.sub("", text)
    kept = []
    for i, ch in enumerate(text):
        if ch == "\n":
            kept.append(ch)
        elif ch == "\t":
            kept.append(" ")
        elif dropped(text, i):  # the same characters as every answer file loses (text.clean)
            continue
        else:
            kept.append(ch)
    return "".join(kept)


@dataclass
class Collected:
    """What one manager has said so far."""

    manager: str
    role: str | None = None
    unit: str | None = None
    answers: dict[Foundation, Answer] = field(default_factory=dict)
    ratings: dict[str, RatingValue] = field(default_factory=dict)  # trade-off id -> rating


# ---------------------------------------------------------------------------- drafts


def read_fields(path: Path, label: str) -> dict[str, str | list[str]]:
    """A small answer-shaped YAML file (a draft, a template) read without constructing
    objects: a mapping of known keys to text or lists of text (its trade-off ratings are
    read by read_choices). InputError otherwise."""
    return _read(path, label)[0]


def read_choices(path: Path, label: str) -> dict[str, RatingValue]:
    """The trade-off ratings of a draft, as read_fields reads its text."""
    return _read(path, label)[1]


def _read(path: Path, label: str) -> tuple[dict[str, str | list[str]], dict[str, RatingValue]]:

    def fail(line: int | None, message: str) -> InputError:
        return InputError([Problem(label, line, None, message)])

    problems: list[Problem] = []
    text = read_text(path, label, problems)  # the bounded, regular-files-only reader
    root = compose(text, label, problems, what="draft") if text is not None else None
    if problems:
        raise InputError(problems)
    if root is None:
        return {}, {}
    fields: dict[str, str | list[str]] = {}
    ratings: dict[str, RatingValue] = {}
    for key, value in root.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode) or key.value not in ALLOWED_KEYS:
            raise fail(line, "unexpected key")
        if key.value == "tradeoffs":
            ratings = {r.id: r.value for r in read_ratings(value, label, problems)}
            if problems:
                raise InputError(problems)
        elif isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:str":
            fields[key.value] = value.value
        elif isinstance(value, yaml.SequenceNode) and all(
            isinstance(item, yaml.ScalarNode) and item.tag == "tag:yaml.org,2002:str"
            for item in value.value
        ):
            fields[key.value] = [item.value for item in value.value]
        elif isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null":
            continue  # an empty key, as in an unfilled template
        else:
            raise fail(line, f"'{key.value}' must be text or a list of text")
    return fields, ratings


def read_draft(path: Path, label: str, manager: str) -> Collected:
    """A manager's interview draft, as the interview saved it."""
    hint = "; delete it to start the interview again"
    try:
        fields, ratings = _read(path, label)
    except InputError as exc:
        damaged = [Problem(p.file, p.line, p.column, p.message + hint) for p in exc.problems]
        raise InputError(damaged) from None
    written = fields.get("manager")
    if not isinstance(written, str) or file_stem(written) != file_stem(manager):
        raise InputError([Problem(label, None, None, f"this draft is not {manager!r}'s{hint}")])
    collected = Collected(manager)
    for key in ("role", "unit"):
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            setattr(collected, key, scrub(value).strip())
    for foundation in Foundation:
        value = fields.get(foundation.value)
        if isinstance(value, str) and value.strip():
            collected.answers[foundation] = scrub(value).strip()
        elif isinstance(value, list):
            items = tuple(s for s in (scrub(v).strip() for v in value) if s)
            if items:
                collected.answers[foundation] = items
    collected.ratings = ratings
    return collected


# ---------------------------------------------------------------------------- the interview


class Interview:
    """One manager's questionnaire. `save` is called with the answers so far after every
    change, so an interrupted interview loses at most the answer being typed."""

    def __init__(
        self,
        console: Console,
        read: Reader,
        *,
        manager: str,
        team: str,
        foundations: Sequence[Foundation],
        save: Callable[[Collected], None],
        choices: Sequence[Choice] = (),
    ) -> None:
        self.console = console
        self._read = read
        self.manager = manager
        self.team = team
        self.foundations = tuple(foundations)
        self.save = save
        self.choices = tuple(choices)  # asked after the free text, one screen each

    # -- input and output

    def say(self, text: str | Text = "", style: str = "") -> None:
        """Print a line; a str is printed as typed, never interpreted as markup."""
        if isinstance(text, str):
            text = Text(text, style=style)
        self.console.print(text)

    def read(self, prompt: str) -> str:
        return scrub(self._read(prompt)).strip()

    def yes(self, question: str) -> bool:
        while True:
            reply = self.read(f"{question} [y/n] ").casefold()
            if reply in ("y", "yes"):
                return True
            if reply in ("n", "no"):
                return False
            self.say("Please type y or n.")

    def read_answer(self, is_list: bool) -> Answer | None:
        """Lines until an empty one. None when nothing was typed."""
        lines: list[str] = []
        while True:
            line = self.read("- " if is_list else "> ")
            if not line:
                break
            if is_list:
                line = _BULLET.sub("", line).strip()
                if not line:
                    continue
            lines.append(line)
        if not lines:
            return None
        return tuple(lines) if is_list else "\n".join(lines)

    # -- the screens

    def run(self, resume: Collected | None = None) -> Collected:
        """Ask what is still unanswered, then review until the manager saves."""
        names = ", ".join(f.value for f in self.foundations)
        self.console.print(Rule(Text(f"Alignment interview · team {self.team}")))
        if resume is None:
            collected = Collected(self.manager)
            count = len(self.foundations)
            self.say(f"Hello {self.manager}. You will answer {count} questions: {names}.")
            if self.choices:
                self.say(
                    f"Then you will place the firm on {len(self.choices)} strategic choices, "
                    "one number (or one order) each."
                )
        else:
            collected = resume
            done = [f.value for f in self.foundations if f in collected.answers]
            self.say(
                f"Welcome back, {self.manager}. Your earlier answers are kept (answered so "
                f"far: {', '.join(done) or 'none'}); we continue from there."
            )
        self.say()
        self.say(RULE, "bold")
        self.say()
        self.say(
            "An answer can take several lines: press Enter on an empty line to finish it. At "
            "the end you can review and change your answers before they are saved. Ctrl-C "
            "stops the interview; your answers so far are kept, and running the same command "
            "again continues where you stopped."
        )
        if resume is None:
            self.say()
            collected.role = (
                self.read("Your role, e.g. Chief Operating Officer (Enter to skip): ") or None
            )
            collected.unit = self.read("Your unit or line of business (Enter to skip): ") or None
            self.save(collected)
        for number, foundation in enumerate(self.foundations, 1):
            if foundation in collected.answers:
                continue
            self.show_question(foundation, f"({number}/{len(self.foundations)}) ")
            answer = self.ask(foundation)
            if answer is not None:
                collected.answers[foundation] = answer
                self.save(collected)
        for number, choice in enumerate(self.choices, 1):
            if choice.id in collected.ratings:
                continue
            rating = self.ask_choice(choice, f"({number}/{len(self.choices)}) ")
            if rating is not None:
                collected.ratings[choice.id] = rating
                self.save(collected)
        return self.review(collected)

    def ask_choice(self, choice: Choice, prefix: str = "") -> RatingValue | None:
        """One trade-off or ranking on its own screen: its poles (or options) explained, one
        answer read and checked; None when skipped with Enter."""
        self.say()
        kind = "TRADE-OFF" if isinstance(choice, TradeOff) else "RANKING"
        self.say(f"{prefix}{kind}: {choice.id}", "bold")
        self.console.print(Padding(Text(choice_help(choice)), (0, 0, 0, 2), expand=False))
        if isinstance(choice, TradeOff):
            while True:
                reply = self.read(f"{choice.low}-{choice.high} (Enter to skip): ")
                if not reply:
                    return None
                if reply.lstrip("-").isdigit() and choice.low <= int(reply) <= choice.high:
                    return int(reply)
                self.say(f"Please type a whole number from {choice.low} to {choice.high}.")
        for i, item in enumerate(choice.items, 1):
            self.console.print(Padding(Text(f"{i} {item}"), (0, 0, 0, 2), expand=False))
        example = " ".join(str(i) for i in range(len(choice.items), 0, -1))
        while True:
            reply = self.read(f"The numbers in your order, e.g. {example} (Enter to skip): ")
            if not reply:
                return None
            picked = reply.replace(",", " ").split()
            wanted = [str(i) for i in range(1, len(choice.items) + 1)]
            if sorted(picked) == wanted:
                return tuple(choice.items[int(p) - 1] for p in picked)
            self.say(f"Please type each number from 1 to {len(choice.items)} once, in your order.")

    def show_question(self, foundation: Foundation, prefix: str = "") -> None:
        d = FOUNDATIONS[foundation]
        self.say()
        self.say(f"{prefix}{d.title.upper()}", "bold")
        self.say(d.question, "bold")
        self.console.print(Padding(Text(f"What it is: {d.meaning}"), (0, 0, 0, 2), expand=False))
        self.console.print(Padding(Text(f"What it is not: {d.not_}"), (0, 0, 0, 2), expand=False))

    def ask(self, foundation: Foundation) -> Answer | None:
        d = FOUNDATIONS[foundation]
        while True:
            if d.is_list:
                self.say("Type one value per line; press Enter on an empty line to finish.")
            else:
                self.say("Type your answer; press Enter on an empty line to finish.")
            answer = self.read_answer(d.is_list)
            if answer is not None:
                return answer
            if self.yes(f"Leave {foundation.value} unanswered for now?"):
                return None

    def show_answer(self, answer: Answer | None) -> None:
        self.console.print(Padding(_answer_text(answer), (0, 0, 0, 2), expand=False))

    def show_answers(self, collected: Collected) -> None:
        self.say()
        self.console.print(Rule(Text("Your answers")))
        for number, foundation in enumerate(self.foundations, 1):
            self.say(f"{number} {FOUNDATIONS[foundation].title.upper()}", "bold")
            self.show_answer(collected.answers.get(foundation))
        if self.choices:
            self.say("TRADE-OFFS", "bold")
        for choice in self.choices:
            rating = collected.ratings.get(choice.id)
            shown = (
                "(not rated)"
                if rating is None
                else str(rating)
                if isinstance(rating, int)
                else " > ".join(rating)
            )
            self.console.print(Padding(Text(f"{choice.id}: {shown}"), (0, 0, 0, 2), expand=False))
        details = Text("Role: ")
        details.append(collected.role or "-")
        details.append(" · Unit: ")
        details.append(collected.unit or "-")
        self.say(details)

    def review(self, collected: Collected) -> Collected:
        last = len(self.foundations)
        show = True
        while True:
            if show:
                self.show_answers(collected)
                redo = ", t to redo the strategic choices" if self.choices else ""
                self.say(
                    f"Type 1-{last} to rewrite an answer, r to change your role and unit"
                    f"{redo}, s to save your answers."
                )
            show = True
            choice = self.read("Your choice: ").casefold()
            if choice.isdigit() and 1 <= int(choice) <= last:
                self.edit(collected, self.foundations[int(choice) - 1])
            elif choice == "r":
                collected.role = self.read("Your role (Enter to leave it empty): ") or None
                collected.unit = self.read("Your unit (Enter to leave it empty): ") or None
                self.save(collected)
            elif choice == "t" and self.choices:
                for number, asked in enumerate(self.choices, 1):
                    rating = self.ask_choice(asked, f"({number}/{len(self.choices)}) ")
                    if rating is not None:  # Enter keeps the earlier rating
                        collected.ratings[asked.id] = rating
                self.save(collected)
            elif choice == "s":
                if self.confirm_save(collected):
                    return collected
            else:
                more = ", t" if self.choices else ""
                self.say(f"Please type a number from 1 to {last}, r{more} or s.")
                show = False

    def edit(self, collected: Collected, foundation: Foundation) -> None:
        self.show_question(foundation, "Rewrite ")
        self.say("Your current answer:")
        self.show_answer(collected.answers.get(foundation))
        what = (
            "the new values, one per line" if FOUNDATIONS[foundation].is_list else "the new answer"
        )
        self.say(
            f"Type {what}; press Enter on an empty line to finish. "
            "An empty answer keeps the current one."
        )
        answer = self.read_answer(FOUNDATIONS[foundation].is_list)
        if answer is None:
            self.say("Kept.")
            return
        collected.answers[foundation] = answer
        self.save(collected)

    def confirm_save(self, collected: Collected) -> bool:
        if not collected.answers:
            self.say("Answer at least one question before saving.")
            return False
        missing = [f.value for f in self.foundations if f not in collected.answers]
        if missing:
            self.say(
                f"Not answered: {', '.join(missing)}. The audit will show 'no answer' for you "
                "there."
            )
            return self.yes("Save anyway?")
        return True


def _answer_text(answer: Answer | None) -> Text:
    if answer is None:
        return Text("(no answer)", style="italic")
    if isinstance(answer, str):
        return Text(scrub(answer))
    return Text("\n".join(f"- {scrub(item)}" for item in answer))

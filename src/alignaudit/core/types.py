"""The data the library passes around: plain frozen dataclasses, no behaviour beyond naming."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


class Foundation(StrEnum):
    """The four foundations a management team should agree on, in report order."""

    VISION = "vision"
    MISSION = "mission"
    VALUES = "values"
    POSITIONING = "positioning"


@dataclass(frozen=True)
class Answer:
    """One manager's answer to one foundation, already split into statements."""

    statements: tuple[str, ...]
    line: int  # where the answer starts in its file, for pointing people at it


@dataclass(frozen=True)
class Manager:
    """One manager: their answers by foundation, the file they were read from, their role, and
    the unit the silo finding groups managers by."""

    name: str
    file: str
    role: str | None = None
    unit: str | None = None
    answers: dict[Foundation, Answer] = field(default_factory=dict)


@dataclass(frozen=True)
class Team:
    """The managers audited together, loaded from one team folder (`path` as given)."""

    name: str
    path: str
    managers: tuple[Manager, ...]

    @property
    def statement_count(self) -> int:
        """Statements in all answers: what the memory of an audit grows with."""
        return sum(len(a.statements) for m in self.managers for a in m.answers.values())

    @property
    def character_count(self) -> int:
        """Characters of all statements: what the memory of the texts grows with."""
        return sum(len(s) for m in self.managers for a in m.answers.values() for s in a.statements)


@dataclass(frozen=True)
class AuditOptions:
    """What to audit and against what, beyond the team itself."""

    foundations: tuple[Foundation, ...] = tuple(Foundation)
    reference: Manager | None = None  # the firm's published foundations
    themes: tuple[str, ...] = ()
    # The fewest managers a unit, camp or idea is broken out with: 1 shows everything; an
    # anonymised audit raises it (default 3) so a group of one or two cannot name anybody.
    min_group: int = 1


class Format(StrEnum):
    """The report formats an audit can be written in; formats.RENDERERS has a module for each."""

    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"
    CSV = "csv"
    HTML = "html"
    JUNIT = "junit"
    GITHUB = "github"

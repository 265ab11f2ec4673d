"""The data the library passes around: plain frozen dataclasses, no behaviour beyond naming."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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
    # A list written as one line of text ("values: Honesty, Care"), read as its items: the
    # report says so (analysis/guards.one_line_note), so the reading is never silent.
    one_line: bool = False


@dataclass(frozen=True)
class Manager:
    """One manager: their answers by foundation, the file they were read from, their role, the
    unit the silo finding groups managers by, and their trade-off ratings."""

    name: str
    file: str
    role: str | None = None
    unit: str | None = None
    answers: dict[Foundation, Answer] = field(default_factory=dict)
    ratings: tuple[Rating, ...] = ()

    def rating(self, id_: str) -> Rating | None:
        """This manager's answer to the trade-off or ranking `id_`, if they gave one."""
        return next((r for r in self.ratings if r.id == id_), None)


@dataclass(frozen=True)
class TradeOff:
    """A strategic choice between two poles, on which each manager places the firm (1 = all the
    way to the left pole, `high` = all the way to the right)."""

    id: str
    foundation: Foundation
    left: str
    right: str
    low: int = 1
    high: int = 7

    @property
    def options(self) -> int:
        """How many points the scale has (7 for 1-7)."""
        return self.high - self.low + 1

    @property
    def midpoint(self) -> float:
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class Ranking:
    """A forced ranking of options (the three value disciplines, say): each manager orders them
    from the one the firm leads with to the one it leads with least."""

    id: str
    foundation: Foundation
    items: tuple[str, ...]


@dataclass(frozen=True)
class Rating:
    """One manager's answer to a trade-off (a point of its scale) or a ranking (the items in
    order), with where it was written, so a problem can be pointed at."""

    id: str
    value: int | tuple[str, ...]
    line: int
    column: int


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
    tradeoffs: tuple[TradeOff, ...] = ()  # the choices the team rates (alignaudit.yaml)
    rankings: tuple[Ranking, ...] = ()
    # The fewest managers a unit, camp or idea is broken out with: 1 shows everything; an
    # anonymised audit raises it (default 3) so a group of one or two cannot name anybody.
    min_group: int = 1


class Format(StrEnum):
    """The report formats an audit can be written in; formats.RENDERERS has a module for each
    text format, formats.DOCUMENTS for each binary one (a file for the client: PDF, slides)."""

    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"
    CSV = "csv"
    HTML = "html"
    JUNIT = "junit"
    GITHUB = "github"
    WORKSHOP = "workshop"  # the agenda of the follow-up workshop, as Markdown
    PDF = "pdf"
    PPTX = "pptx"

    @property
    def binary(self) -> bool:
        """Bytes, not text: written to a file (or a pipe), never to a terminal."""
        return self in _BINARY


_BINARY = frozenset({Format.PDF, Format.PPTX})

"""The data the library passes around: plain frozen dataclasses, no behaviour beyond naming."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from .verdict import Bands

if TYPE_CHECKING:
    from .analysis.findings import Contrast, Findings
    from .analysis.themes import Coherence
    from .gate import Gate


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
    name: str
    file: str
    role: str | None = None
    unit: str | None = None
    answers: dict[Foundation, Answer] = field(default_factory=dict)


@dataclass(frozen=True)
class Team:
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
class Match:
    """A statement and its closest statement on the other side: the evidence of a pair score."""

    statement: str
    best: str
    raw: float
    score: float


@dataclass(frozen=True)
class PairScore:
    a: str
    b: str
    raw: float  # symmetric best-match cosine
    score: float  # calibrated, STS scale 0-5
    band: str
    index: float  # agreement index against the domain baseline (0 unrelated firms, 1 same idea)
    a_matches: tuple[Match, ...]  # each of a's statements matched into b
    b_matches: tuple[Match, ...]

    def unmatched(self, below: float) -> tuple[tuple[Match, ...], tuple[Match, ...]]:
        """Statements of each side whose best match scores under `below`."""
        return (
            tuple(m for m in self.a_matches if m.score < below),
            tuple(m for m in self.b_matches if m.score < below),
        )


@dataclass(frozen=True)
class FoundationResult:
    foundation: Foundation
    answered: tuple[str, ...]  # managers with an answer, in team order
    missing: tuple[str, ...]  # managers without one: a finding, not an error
    pairs: tuple[PairScore, ...]
    score: float | None  # mean pair score; None when fewer than two answered
    raw: float | None
    band: str | None
    index: float | None  # mean pair index, floored at 0: the headline figure
    verdict: str | None  # verdict.VERDICTS, set by the auditor once the interval is known
    index_interval: tuple[float, float] | None = None  # bootstrap over managers

    def pair(self, a: str, b: str) -> PairScore | None:
        for p in self.pairs:
            if {p.a, p.b} == {a, b}:
                return p
        return None

    def manager_means(self, field: str = "score") -> dict[str, float]:
        """Each answering manager's mean agreement with the others: low means stands apart."""
        sums: dict[str, list[float]] = {m: [] for m in self.answered}
        for p in self.pairs:
            sums[p.a].append(getattr(p, field))
            sums[p.b].append(getattr(p, field))
        return {m: sum(v) / len(v) for m, v in sums.items() if v}

    def lowest_index(self) -> float | None:
        """The lowest manager's mean index with the others, which a verdict weighs (None with
        fewer than three answers, where one pair is all there is)."""
        means = self.manager_means("index")
        return min(means.values()) if len(means) >= 3 else None


@dataclass(frozen=True)
class Signature:
    """What a figure depends on, so a report can be reproduced and drift is visible."""

    package: str
    model: str
    model_sha256: str | None
    calibration: str
    baseline: str
    pooling: str = "model's own"  # how token vectors became statement vectors (pooling.py)
    bands: str = "none"  # version of the verdict bands (catalogue.py)


@dataclass(frozen=True)
class TeamReport:
    team: Team
    foundations: dict[Foundation, FoundationResult]
    overall: float | None
    overall_band: str | None
    overall_index: float | None
    overall_verdict: str | None
    signature: Signature
    overall_interval: tuple[float, float] | None = None
    bands: Bands | None = None  # the model's verdict bands (None: every verdict "can't tell")
    languages: tuple[str, ...] = ()  # languages the answers are written in, most used first
    language_warning: str | None = None  # set when the model cannot read all of them
    findings: dict[Foundation, Findings] = field(default_factory=dict)
    coherence: tuple[Coherence, ...] = ()
    contrasts: tuple[Contrast, ...] = ()
    themes: tuple[str, ...] = ()
    reference: str | None = None  # the official statement's file, as given
    gate: Gate | None = None  # thresholds checked, when any were set
    anonymized: bool = False


@dataclass(frozen=True)
class AuditOptions:
    """What to audit and against what, beyond the team itself."""

    foundations: tuple[Foundation, ...] = tuple(Foundation)
    reference: Manager | None = None  # the firm's published foundations
    themes: tuple[str, ...] = ()

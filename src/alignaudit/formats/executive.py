"""The one-page executive summary: what a board member reads in a minute, shared by the HTML,
Markdown, PDF and slide formats (each lays it out its own way).

It holds: the verdict per foundation with its interval, the findings that matter most, ranked
by how far each moves the verdict (below), the team's shared core in its own words, the main
splits with both sides quoted, and what to do next. Every figure comes with its meaning.

How far a finding moves the verdict, the ranking key (on the agreement index, 0-1):
- a manager standing apart: the others' index among themselves minus the foundation's index
  (what the figure would be without them);
- camps: the camps' own index minus the foundation's index;
- silos by unit: agreement within units minus the foundation's index;
- the words and the choices disagreeing, or both split: 1 - r_wg of the trade-off (how far
  the ratings are from agreeing), for a verdict the text alone would have given wrongly;
- a manager drifting from the official statement: the gap to the others;
- a missing answer: 0.05 each (it widens the interval, never moves the figure itself).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.results import BOTH_SPLIT, WORDS_NOT_CHOICES, Findings, TeamReport
from ..core.types import Foundation
from ..core.verdict import ALIGNED, CANT_TELL, MEANINGS, NOT_ALIGNED, PARTLY
from .summary import figure as summary_figure
from .summary import verdict_of

SHOWN = 5  # findings on the page
CORE_SHOWN = 3  # shared ideas quoted
MISSING_WEIGHT = 0.05


@dataclass(frozen=True)
class Row:
    """One foundation's line: figure, interval, verdict and what the verdict means."""

    foundation: Foundation | None  # None: the team overall
    index: float | None
    interval: tuple[float, float] | None
    verdict: str
    meaning: str

    @property
    def name(self) -> str:
        """The foundation's name, or "overall"."""
        return "overall" if self.foundation is None else self.foundation.value


@dataclass(frozen=True)
class Point:
    """A finding in plain words, with how far it moves the verdict (the ranking key)."""

    foundation: Foundation | None
    text: str
    weight: float


@dataclass(frozen=True)
class Side:
    """One side of a split: who, and a statement of theirs in their own words."""

    members: tuple[str, ...]
    label: str  # e.g. 'toward "win on price" (2, 2, 3)' or 'camp 1'
    quote: tuple[str, str] | None  # (author, statement)


@dataclass(frozen=True)
class Split:
    """A main split: where, in one sentence, and its sides quoted."""

    foundation: Foundation
    what: str
    sides: tuple[Side, ...]


@dataclass(frozen=True)
class Executive:
    """The summary page's content."""

    team: str
    managers: int
    overall: Row | None
    rows: tuple[Row, ...]
    points: tuple[Point, ...]
    core: tuple[tuple[Foundation, str, str, int], ...]  # (foundation, author, statement, held by)
    splits: tuple[Split, ...]
    next_steps: tuple[str, ...]


def _row(f: Foundation | None, index: float | None, interval: tuple[float, float] | None,
         verdict: str | None) -> Row:  # fmt: skip
    word = verdict_of(verdict)
    return Row(f, index, interval, word, MEANINGS[word])


def _points(report: TeamReport) -> list[Point]:
    out: list[Point] = []
    for f, r in report.foundations.items():
        fi = report.findings.get(f)
        index = r.index if r.index is not None else 0.0
        if fi is not None:
            out += _finding_points(f, fi, index)
        if r.missing:
            who = ", ".join(r.missing)
            out.append(
                Point(f, f"{f.value}: no answer from {who}.", MISSING_WEIGHT * len(r.missing))
            )
    for s in report.signals:
        t = next((t for t in report.tradeoffs if t.tradeoff.id == s.choice), None)
        spread = 1.0 - t.rwg if t is not None and t.rwg is not None else 0.5
        if s.kind in (WORDS_NOT_CHOICES, BOTH_SPLIT):
            out.append(Point(s.foundation, f"{s.foundation.value}: {s.message}.", spread))
    return out


def _finding_points(f: Foundation, fi: Findings, index: float) -> list[Point]:
    out = []
    for s in fi.outliers:
        out.append(
            Point(
                f,
                f"{f.value}: {s.manager} stands apart: the others agree at index "
                f"{s.rest_index:.2f} among themselves, {s.own_index:.2f} with {s.manager}.",
                max(0.0, s.rest_index - index),
            )
        )
    if fi.groups:
        camps = " | ".join(", ".join(g.members) for g in fi.groups)
        inside = sum(g.index for g in fi.groups) / len(fi.groups)
        out.append(
            Point(
                f,
                f"{f.value}: {len(fi.groups)} camps ({camps}), each agreeing at index "
                f"{min(g.index for g in fi.groups):.2f} or more inside; the whole team at "
                f"{index:.2f}.",
                max(0.0, inside - index),
            )
        )
    if fi.units is not None and fi.units.within_index - fi.units.between_index >= 0.2:
        u = fi.units
        out.append(
            Point(
                f,
                f"{f.value}: managers agree within their units (index {u.within_index:.2f}) far "
                f"more than across them ({u.between_index:.2f}): silos.",
                max(0.0, u.within_index - index),
            )
        )
    ref = fi.reference
    if ref is not None and ref.drifts is not None and ref.gap is not None:
        out.append(
            Point(
                f,
                f"{f.value}: {ref.drifts} drifts furthest from the official statement "
                f"({ref.gap:.2f} below the others' mean index).",
                ref.gap,
            )
        )
    return out


def _core(report: TeamReport) -> list[tuple[Foundation, str, str, int]]:
    """The ideas everyone holds, widest first, one per foundation before a second."""
    found: list[tuple[Foundation, str, str, int]] = []
    for rank in range(CORE_SHOWN):
        for f, fi in report.findings.items():
            core = [i for i in fi.ideas if i.kind == "core"]
            if rank < len(core) and len(found) < CORE_SHOWN:
                author, text = core[rank].statements[0]
                found.append((f, author, text, len(core[rank].authors)))
    return found


def _splits(report: TeamReport) -> list[Split]:
    out: list[Split] = []
    for f, fi in report.findings.items():
        if len(fi.groups) >= 2:
            sides = tuple(
                Side(
                    g.members,
                    f"camp {i}",
                    (g.typical[0].author, g.typical[0].statement) if g.typical else None,
                )
                for i, g in enumerate(fi.groups, 1)
            )
            out.append(Split(f, f"{f.value}: the team splits into {len(sides)} camps", sides))
    for t in report.tradeoffs:
        if t.camps is None:
            continue
        quotes = next((s.quotes for s in report.signals if s.choice == t.tradeoff.id), ())
        said = {name: text for name, _, text in quotes}
        sides = tuple(
            Side(
                c.members,
                f'toward "{c.pole}" ({", ".join(str(v) for v in c.ratings)})',
                next(((m, said[m]) for m in c.members if m in said), None),
            )
            for c in t.camps
        )
        out.append(
            Split(
                t.tradeoff.foundation, f"{t.tradeoff.id}: the ratings split into two camps", sides
            )
        )
    return out


def _next_steps(report: TeamReport, points: list[Point]) -> list[str]:
    verdicts = {f: verdict_of(r.verdict) for f, r in report.foundations.items()}
    apart = {s.manager for fi in report.findings.values() for s in fi.outliers}
    apart |= {m for t in report.tradeoffs if t.apart is not None for m in t.apart.members}
    out = []
    divided = [f.value for f, v in verdicts.items() if v in (NOT_ALIGNED, PARTLY)]
    contradicted = sorted(
        {s.foundation.value for s in report.signals if s.kind in (WORDS_NOT_CHOICES, BOTH_SPLIT)}
    )
    if divided or contradicted:
        ranked = [p.foundation.value for p in points if p.foundation is not None]
        first = next((f for f in ranked if f in divided or f in contradicted), divided[0]
                     if divided else contradicted[0])  # fmt: skip
        out.append(
            f"Run a workshop with the team (alignaudit audit TEAM -f workshop gives the agenda), "
            f"starting with {first}: put both sides' statements on the wall and decide."
        )
    if apart and not report.anonymized:
        out.append(
            f"Talk one to one with {', '.join(sorted(apart))} before the workshop: hear why "
            "they see it differently; they may be right."
        )
    unclear = [f.value for f, v in verdicts.items() if v == CANT_TELL]
    if unclear:
        out.append(
            f"On {', '.join(unclear)} the answers cannot tell: ask the managers who did not "
            "answer, or ask for fuller answers, and audit again."
        )
    if all(v == ALIGNED for v in verdicts.values()) and not contradicted:
        out.append(
            "Write the shared core down in the team's own words, share it with the next level "
            "of managers, and audit again after the next strategy cycle."
        )
    else:
        out.append("Audit again after the workshop (alignaudit compare shows what moved).")
    return out


def build(report: TeamReport) -> Executive:
    """The summary page of a report."""
    rows = tuple(
        _row(f, r.index, r.index_interval, r.verdict) for f, r in report.foundations.items()
    )
    overall = (
        None
        if report.overall_index is None
        else _row(None, report.overall_index, report.overall_interval, report.overall_verdict)
    )
    points = sorted(_points(report), key=lambda p: -p.weight)
    return Executive(
        team=report.team.name,
        managers=len(report.team.managers),
        overall=overall,
        rows=rows,
        points=tuple(points[:SHOWN]),
        core=tuple(_core(report)),
        splits=tuple(_splits(report)[:2]),
        next_steps=tuple(_next_steps(report, points)),
    )


def figure(row: Row) -> str:
    """'0.72 [0.61-0.80] aligned: the managers state the same idea, in their own words'."""
    return f"{summary_figure(row.index, row.interval)} {row.verdict}: {row.meaning}"

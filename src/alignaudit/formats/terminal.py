"""The coloured terminal report (rich). Colour repeats what the numbers and words say, so the
plain-text version (NO_COLOR, pipes) loses nothing."""

from __future__ import annotations

import string

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..analysis.findings import Findings
from ..analysis.themes import OTHER_FOUNDATIONS
from ..audit import UNMATCHED_BELOW
from ..baseline import INDEX_BANDS, index_band
from ..model import FoundationResult, PairScore, TeamReport
from ..scale import LargeFoundationResult
from .console import string_console
from .summary import BANDS_CAVEAT, key_findings, signature_line

# Index bands and the colour each is shown in; pair STS scores use the same three colours.
INDEX_STYLES = {"aligned": "bold green", "partly aligned": "yellow", "not aligned": "bold red"}
PAIR_STYLES = ((3.5, "bold green"), (2.5, "yellow"), (1.5, "dark_orange"), (0.0, "bold red"))
PAIR_WORDS = ("agree", "roughly", "partly", "diverge")
MOST_DIVERGENT = 3  # pairs quoted per foundation
FURTHEST = 5  # managers named as furthest from the rest on the large-team path
NO_ANSWER = "no answer"


def score_style(score: float) -> str:
    """Colour of an STS pair score: agree from 3.5, roughly 2.5, partly 1.5, else diverge."""
    for lower, style in PAIR_STYLES:
        if score >= lower:
            return style
    return PAIR_STYLES[-1][1]


def _index(index: float | None, words: str | None = None) -> Text:
    if index is None:
        return Text(NO_ANSWER, style="dim italic")
    style = INDEX_STYLES[index_band(index)]
    text = Text(f"{index:.2f}", style=style)
    if words:
        text.append(f" {words}", style=style)
    return text


def _score(score: float | None, band: str | None = None) -> Text:
    if score is None:
        return Text(NO_ANSWER, style="dim italic")
    text = Text(f"{score:.2f}", style=score_style(score))
    if band:
        text.append(f" {band}", style=score_style(score))
    return text


def _labels(names: tuple[str, ...]) -> dict[str, str]:
    """Short column keys (A, B, ...) keep the matrix inside 80 columns."""
    letters = string.ascii_uppercase
    return {n: letters[i] if i < 26 else str(i + 1) for i, n in enumerate(names)}


def legend() -> Group:
    index = Text("Team index 0-1 (0 = no more alike than unrelated firms, 1 = same idea): ")
    for i, (lower, words) in enumerate(INDEX_BANDS):
        if i:
            index.append(", ")
        index.append(words, style=INDEX_STYLES[words])
        index.append(f" from {lower:.2f}" if lower > 0 else " below")
    pairs = Text("Pairs on the human STS scale 0-5: ")
    for i, ((lower, _), words) in enumerate(zip(PAIR_STYLES, PAIR_WORDS, strict=True)):
        if i:
            pairs.append(", ")
        pairs.append(words, style=score_style(lower))
        pairs.append(f" from {lower:.1f}" if lower > 0 else " below")
    return Group(index, pairs, Text(BANDS_CAVEAT, style="dim"))


def _matrix(result: FoundationResult, names: tuple[str, ...]) -> Table:
    keys = _labels(names)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("manager", no_wrap=False, max_width=28)
    for n in names:
        table.add_column(keys[n], justify="right", no_wrap=True)
    for a in names:
        label = Text(f"{keys[a]}  {a}")
        if a in result.missing:
            label.append(f" ({NO_ANSWER})", style="dim italic")
        row: list[RenderableType] = [label]
        for b in names:
            if a == b:
                row.append(Text("·", style="dim"))
            elif a in result.missing or b in result.missing:
                row.append(Text("—", style="dim"))
            else:
                pair = result.pair(a, b)
                row.append(_score(pair.score if pair else None))
        table.add_row(*row)
    return table


def _large(result: LargeFoundationResult) -> RenderableType:
    """A large team's foundation: who stands furthest from the rest instead of a matrix."""
    means = result.agreement_score
    far = sorted(means, key=lambda m: (means[m], m))[:FURTHEST]
    text = Text(
        f"{len(result.answered)} answers, {result.pair_count} pairs: figures from each "
        "manager's mean agreement with the rest (large-team method).\n"
        "Furthest from the rest (mean agreement, STS 0-5): "
    )
    for i, m in enumerate(far):
        if i:
            text.append(", ")
        text.append(f"{m} ")
        text.append_text(_score(means[m]))
    return text


def _evidence(pair: PairScore) -> RenderableType:
    ua, ub = pair.unmatched(UNMATCHED_BELOW)
    if not ua and not ub:  # nothing below the line: show each side's weakest statement
        ua = (min(pair.a_matches, key=lambda m: m.score),)
        ub = (min(pair.b_matches, key=lambda m: m.score),)
    table = Table(box=box.MINIMAL, show_edge=False, expand=True, pad_edge=False)
    table.add_column(Text(f"{pair.a} says"), ratio=1)
    table.add_column(Text(f"{pair.b} says"), ratio=1)

    def cell(matches: tuple) -> Text:  # type: ignore[type-arg]
        text = Text()
        for i, m in enumerate(matches):
            if i:
                text.append("\n")
            text.append(f"“{m.statement}”")
            text.append(f" (closest {m.score:.1f})", style="dim")
        return text

    table.add_row(cell(ua), cell(ub))
    title = Text("  ")
    title.append(f"{pair.a} × {pair.b}: ")
    title.append_text(_score(pair.score, pair.band))
    return Group(title, Padding(table, (0, 0, 0, 4)))


def _bullet(text: Text, indent: int = 2) -> Table:
    """A bullet whose wrapped lines hang under its first word."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=indent + 1, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(" " * indent + "•"), text)
    return grid


def _quote(text: str, author: str | None = None, detail: str = "") -> Table:
    out = Text(f"“{text}”")
    if author:
        out.append(f" ({author})", style="dim")
    if detail:
        out.append(f" {detail}", style="dim")
    return _bullet(out)


def _findings(fi: Findings) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for s in fi.outliers:
        parts.append(
            Text(
                f"Outlier: {s.manager}. The others agree at index {s.rest_index:.2f} among "
                f"themselves, {s.own_index:.2f} with {s.manager} (STS {s.rest_score:.2f} vs "
                f"{s.own_score:.2f}).",
                style="bold",
            )
        )
    if fi.units is not None:
        u = fi.units
        parts.append(
            Text(
                f"Units: agreement within units {u.within_index:.2f}, between units "
                f"{u.between_index:.2f} (STS {u.within_score:.2f} vs {u.between_score:.2f}). "
                + "; ".join(f"{unit}: {', '.join(m)}" for unit, m in u.units.items())
            )
        )
    for i, g in enumerate(fi.groups):
        parts.append(
            Text(f"Camp {i + 1} (index {g.index:.2f} inside): {', '.join(g.members)}", style="bold")
        )
        parts.extend(_quote(t.statement, t.author) for t in g.typical)
    if fi.consensus:
        parts.append(Text("Most echoed (consensus):"))
        parts.extend(
            _quote(e.statement, e.author, f"echoed by {len(e.echoed_by)} of {e.others}")
            for e in fi.consensus
        )
    if fi.divisive:
        parts.append(Text("Echoed by nobody (divisive or idiosyncratic):"))
        parts.extend(_quote(e.statement, e.author) for e in fi.divisive)
    if fi.reference is not None:
        ref = fi.reference
        line = Text("Against the official statement: ")
        for i, r in enumerate(ref.scores):
            if i:
                line.append(", ")
            line.append(f"{r.manager} ")
            line.append_text(_score(r.score))
        parts.append(line)
        if ref.unechoed:
            parts.append(Text("Official statements nobody echoes:"))
            parts.extend(_quote(t) for t in ref.unechoed)
    for t in fi.themes:
        line = Text(f"Theme “{t.theme}”: ")
        for i, (m, v) in enumerate(sorted(t.scores.items(), key=lambda kv: -kv[1])):
            if i:
                line.append(", ")
            line.append(f"{m} ")
            line.append_text(_score(v))
        parts.append(line)
    parts.extend(Text(f"Warning: {w}", style="yellow") for w in fi.warnings)
    return parts


def _foundation(
    result: FoundationResult, findings: Findings | None, names: tuple[str, ...]
) -> RenderableType:
    head = Text(result.foundation.value.upper(), style="bold")
    head.append("  index ")
    head.append_text(_index(result.index, result.index_band))
    if findings is not None and findings.index_interval is not None:
        lo, hi = findings.index_interval
        head.append(f" ({lo:.2f}-{hi:.2f})", style="dim")
    if result.score is not None:
        head.append("  · pairs on STS 0-5: ")
        head.append_text(_score(result.score, result.band))
    parts: list[RenderableType] = [head]
    if result.missing:
        parts.append(Text(f"{NO_ANSWER}: " + ", ".join(result.missing), style="italic"))
    if len(result.answered) < 2:
        parts.append(Text("fewer than two answers: nothing to compare", style="dim"))
        if findings is not None:
            parts.extend(_findings(findings))
        return Group(*parts)
    if isinstance(result, LargeFoundationResult):  # too many managers for a matrix
        parts.append(_large(result))
    else:
        parts.append(_matrix(result, names))
    if findings is not None:
        parts.extend(_findings(findings))
    worst = sorted(result.pairs, key=lambda p: p.score)[:MOST_DIVERGENT]
    parts.append(Text("Most divergent pairs, with the statements that find no counterpart:"))
    parts.extend(_evidence(p) for p in worst)
    return Group(*parts)


def _summary(report: TeamReport) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("foundation")
    table.add_column("index (90% interval)")
    table.add_column("STS")
    table.add_column("stands apart")
    for f, r in report.foundations.items():
        fi = report.findings.get(f)
        label = Text(f.value + (f" ({len(r.missing)} no answer)" if r.missing else ""))
        if r.index is None:
            table.add_row(label, _index(None), "", "")
            continue
        cell = _index(r.index, r.index_band)
        if fi is not None and fi.index_interval is not None:
            cell.append(f" ({fi.index_interval[0]:.2f}-{fi.index_interval[1]:.2f})", style="dim")
        apart = ""
        if fi is not None and fi.outliers:
            apart = ", ".join(s.manager for s in fi.outliers)
        elif fi is not None and fi.groups:
            apart = f"{len(fi.groups)} camps"
        table.add_row(label, cell, _score(r.score), Text(apart))
    return table


def _executive(report: TeamReport) -> RenderableType:
    names = [m.name for m in report.team.managers]
    title = Text(f"Alignment audit: {report.team.name}", style="bold")
    title.append(f"  ({len(names)} managers)")
    overall = Text("Overall index ")
    overall.append_text(_index(report.overall_index, report.overall_index_band))
    overall.append(" · pairs on STS 0-5: ")
    overall.append_text(_score(report.overall, report.overall_band))
    parts: list[RenderableType] = [title, overall, _summary(report)]
    findings = key_findings(report)
    if findings:
        parts.append(Text("Key findings:", style="bold"))
        parts.extend(_bullet(Text(line)) for line in findings)
    else:
        parts.append(Text("Key findings: none beyond the figures above."))
    return Group(*parts)


def _coherence(report: TeamReport) -> RenderableType | None:
    if not report.coherence:
        return None
    table = Table(
        title="Do each manager's values show up in their own answers? (closest STS, mean)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("manager")
    for f in OTHER_FOUNDATIONS:
        table.add_column(f.value, justify="right")
    table.add_column("values found in none", justify="right")
    for c in report.coherence:
        table.add_row(
            Text(c.manager),
            *[
                _score(c.presence.get(f)) if f in c.presence else Text("—")
                for f in OTHER_FOUNDATIONS
            ],
            Text(f"{len(c.absent)} of {c.values}"),
        )
    return table


def render(report: TeamReport, *, color: bool = True, width: int = 100) -> str:
    """The whole report as text, with ANSI colour codes when `color` is set."""
    console, out = string_console(color=color, width=width)
    names = tuple(m.name for m in report.team.managers)
    console.print(_executive(report))
    console.print()
    console.print(legend())
    for f, result in report.foundations.items():
        console.print()
        console.print(_foundation(result, report.findings.get(f), names))
    coherence = _coherence(report)
    if coherence is not None:
        console.print()
        console.print(coherence)
    sig = report.signature
    console.print(Text(signature_line(sig), style="dim"))
    return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())

"""The coloured terminal report (rich). Colour repeats what the numbers and words say, so the
plain-text version (NO_COLOR, pipes) loses nothing."""

from __future__ import annotations

import string

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..core.results import (
    AGREED,
    CHOICE_CANT_TELL,
    NOT_AGREED,
    PARTLY_AGREED,
    SPLIT,
    UNMATCHED_BELOW,
    Findings,
    FoundationResult,
    Idea,
    LargeTeamFigures,
    PairScore,
    TeamReport,
)
from ..core.verdict import ALIGNED, CANT_TELL, NOT_ALIGNED, PARTLY, Bands
from .console import string_console
from .summary import (
    CHOICES_TEXT,
    INDEX_TEXT,
    NO_FIGURE,
    RANKINGS_TEXT,
    SIMILARITY_TEXT,
    apart_text,
    bands_caveat,
    bands_text,
    camps_text,
    interval_text,
    key_findings,
    language_warning_text,
    languages_text,
    leads,
    mean_ranks,
    meanings,
    pair_word,
    positions,
    ranking_head,
    signal_quotes,
    signature_line,
    strip,
    tradeoff_head,
    verdict_of,
)

# The colour of each verdict word; every index figure (team, foundation, pair) is shown in the
# colour of its word, and "can't tell" is neutral. Statement similarity (STS) is never coloured.
VERDICT_STYLES = {
    ALIGNED: "bold green",
    PARTLY: "yellow",
    NOT_ALIGNED: "bold red",
    CANT_TELL: "blue",
}
MOST_DIVERGENT = 3  # pairs quoted per foundation
# Said once above the quoted pairs, so each quote carries its statement similarity in brackets
# and stays on one line of its column.
DIVERGENT = (
    "Most divergent pairs, with the statements that find no counterpart "
    "(in brackets: statement similarity 0-5 of the closest one):"
)
FURTHEST = 5  # managers named as furthest from the rest on the large-team path
NO_ANSWER = NO_FIGURE


def verdict_style(verdict: str | None) -> str:
    """The colour of a verdict word, so each figure is shown in its verdict's colour ("can't tell"
    for no verdict)."""
    return VERDICT_STYLES[verdict_of(verdict)]


def _verdict(verdict: str | None) -> Text:
    return Text(verdict_of(verdict), style=verdict_style(verdict))


def _index(
    index: float | None,
    verdict: str | None = None,
    interval: tuple[float, float] | None = None,
    *,
    words: bool = True,
) -> Text:
    """A team or foundation figure: index, interval and verdict, in the verdict's colour."""
    if index is None:
        return Text(NO_ANSWER, style="dim italic")
    style = verdict_style(verdict)
    text = Text(f"{index:.2f}", style=style)
    if interval is not None:
        text.append(f" {interval_text(interval)}", style="dim")
    if words:
        text.append(f" {verdict_of(verdict)}", style=style)
    return text


def _pair_index(index: float | None, bands: Bands | None, *, words: bool = False) -> Text:
    """A pair's index in the colour of its word (and the word, when asked)."""
    if index is None:
        return Text(NO_ANSWER, style="dim italic")
    w = pair_word(index, bands)
    text = Text(f"{index:.2f}", style=VERDICT_STYLES[w])
    if words:
        text.append(f" {w}", style=VERDICT_STYLES[w])
    return text


def _similarity(score: float | None) -> Text:
    """Statement similarity (STS 0-5), beside a statement: plain, never a verdict colour."""
    if score is None:
        return Text(NO_ANSWER, style="dim italic")
    return Text(f"{score:.2f}")


def _labels(names: tuple[str, ...]) -> dict[str, str]:
    """Short column keys (A, B, ...) keep the matrix inside 80 columns."""
    letters = string.ascii_uppercase
    return {n: letters[i] if i < 26 else str(i + 1) for i, n in enumerate(names)}


def legend(bands: Bands | None) -> Group:
    """How to read the figures: the index, the report's bands, what each word means."""
    parts: list[RenderableType] = [Text(f"{INDEX_TEXT} {bands_text(bands)}")]
    for w, meaning in meanings():
        line = Text()
        line.append(w, style=VERDICT_STYLES[w])
        line.append(f": {meaning}")
        parts.append(_bullet(line))
    parts.append(Text(SIMILARITY_TEXT))
    parts.append(Text(bands_caveat(bands), style="dim"))
    return Group(*parts)


def _matrix(result: FoundationResult, names: tuple[str, ...], bands: Bands | None) -> Table:
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
                row.append(_pair_index(pair.index if pair else None, bands))
        table.add_row(*row)
    return table


def _large(
    result: FoundationResult, large: LargeTeamFigures, bands: Bands | None
) -> RenderableType:
    """A large team's foundation: who stands furthest from the rest instead of a matrix."""
    means = large.agreement_index
    far = sorted(means, key=lambda m: (means[m], m))[:FURTHEST]
    text = Text(
        f"{len(result.answered)} answers, {large.pair_count} pairs: figures from each "
        "manager's mean agreement with the rest (large-team method).\n"
        "Furthest from the rest (mean agreement index): "
    )
    for i, m in enumerate(far):
        if i:
            text.append(", ")
        text.append(f"{m} ")
        text.append_text(_pair_index(means[m], bands))
    return text


def _evidence(pair: PairScore, bands: Bands | None) -> RenderableType:
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
            text.append(f" ({m.score:.1f})", style="dim")  # statement similarity, see DIVERGENT
        return text

    table.add_row(cell(ua), cell(ub))
    title = Text("  ")
    title.append(f"{pair.a} × {pair.b}: index ")
    title.append_text(_pair_index(pair.index, bands, words=True))
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
                f"themselves, {s.own_index:.2f} with {s.manager}.",
                style="bold",
            )
        )
    if fi.units is not None:
        u = fi.units
        parts.append(
            Text(
                f"Units: agreement within units {u.within_index:.2f}, between units "
                f"{u.between_index:.2f}. "
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
    if fi.unique:
        parts.append(Text("Held by one manager alone:"))
        parts.extend(_quote(e.statement, f"unique to {e.author}") for e in fi.unique)
    if fi.reference is not None:
        ref = fi.reference
        line = Text("Against the official statement (agreement index, lowest first): ")
        for i, r in enumerate(ref.scores):
            if i:
                line.append(", ")
            line.append(f"{r.manager} {r.index:.2f}")
        if ref.drifts is not None and ref.gap is not None:
            line.append(f"; {ref.drifts} drifts furthest, {ref.gap:.2f} below the others' mean")
        parts.append(line)
        if ref.unechoed:
            parts.append(Text("Official statements nobody echoes:"))
            parts.extend(_quote(t) for t in ref.unechoed)
    for t in fi.themes:
        line = Text(f"Theme “{t.theme}” (statement similarity 0-5): ")
        for i, (m, v) in enumerate(sorted(t.scores.items(), key=lambda kv: -kv[1])):
            if i:
                line.append(", ")
            line.append(f"{m} ")
            line.append_text(_similarity(v))
        parts.append(line)
    parts.extend(Text(f"Warning: {w}", style="yellow") for w in fi.warnings)
    return parts


def _foundation(
    result: FoundationResult,
    findings: Findings | None,
    names: tuple[str, ...],
    bands: Bands | None,
) -> RenderableType:
    head = Text(result.foundation.value.upper(), style="bold")
    head.append("  index ")
    head.append_text(_index(result.index, result.verdict, result.index_interval))
    parts: list[RenderableType] = [head]
    if result.missing:
        parts.append(Text(f"{NO_ANSWER}: " + ", ".join(result.missing), style="italic"))
    if len(result.answered) < 2:
        parts.append(Text("fewer than two answers: nothing to compare", style="dim"))
        if findings is not None:
            parts.extend(_findings(findings))
        return Group(*parts)
    if result.large is not None:  # too many managers for a matrix
        parts.append(_large(result, result.large, bands))
    else:
        parts.append(_matrix(result, names, bands))
    if findings is not None:
        parts.extend(_findings(findings))
        if findings.ideas:
            parts.append(ideas_grid(findings.ideas, result.answered, findings.same_idea))
    worst = sorted(result.pairs, key=lambda p: (p.index, p.score))[:MOST_DIVERGENT]
    parts.append(Text(DIVERGENT))
    parts.extend(_evidence(p, bands) for p in worst)
    return Group(*parts)


def _summary(report: TeamReport) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    # The figures keep their line; the names wrap in what is left, a camp a line.
    table.add_column("foundation", no_wrap=True)
    table.add_column("index [90% interval]", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("stands apart", overflow="fold")
    table.add_column("camps", overflow="fold")
    for f, r in report.foundations.items():
        fi = report.findings.get(f)
        label = Text(f.value + (f"\n({len(r.missing)} no answer)" if r.missing else ""))
        if r.index is None:
            table.add_row(label, _index(None), _verdict(r.verdict), "", "")
            continue
        cell = _index(r.index, r.verdict, r.index_interval, words=False)
        table.add_row(
            label,
            cell,
            _verdict(r.verdict),
            Text(apart_text(fi)),
            Text(camps_text(fi, separator="\n")),
        )
    return table


def _executive(report: TeamReport) -> RenderableType:
    names = [m.name for m in report.team.managers]
    title = Text(f"Alignment audit: {report.team.name}", style="bold")
    title.append(f"  ({len(names)} managers)")
    overall = Text("Overall index ")
    overall.append_text(
        _index(report.overall_index, report.overall_verdict, report.overall_interval)
    )
    parts: list[RenderableType] = [title, overall]
    warning = language_warning_text(report)
    if warning is not None:
        parts.append(Text(f"⚠ {warning}", style="bold yellow"))
    languages = languages_text(report)
    if languages is not None:
        parts.append(Text(languages))
    parts.append(_summary(report))
    findings = key_findings(report)
    if findings:
        parts.append(Text("Key findings:", style="bold"))
        parts.extend(_bullet(Text(line)) for line in findings)
    else:
        parts.append(Text("Key findings: none beyond the figures above."))
    return Group(*parts)


CHOICE_STYLES = {
    AGREED: "bold green",
    PARTLY_AGREED: "yellow",
    NOT_AGREED: "bold red",
    SPLIT: "bold red",
    CHOICE_CANT_TELL: "blue",
}


def choices(report: TeamReport) -> RenderableType:
    """The trade-offs and rankings: per trade-off its figures, a strip of how many managers
    chose each point between the poles, who sits where, and the quotes where ratings and
    words disagree."""
    parts: list[RenderableType] = [Text("Trade-offs", style="bold")]
    said = signal_quotes(report)
    if report.tradeoffs:
        parts.append(Text(CHOICES_TEXT, style="dim"))
    for t in report.tradeoffs:
        head = Text(tradeoff_head(t))
        head.stylize(CHOICE_STYLES[t.word], len(t.tradeoff.id) + len(t.tradeoff.foundation) + 5)
        head.stylize("bold", 0, len(t.tradeoff.id))
        parts.append(head)
        cells = "".join(f"{c if c else '·':^3}" for c in strip(t))
        scale = "".join(f"{v:^3}" for v in range(t.tradeoff.low, t.tradeoff.high + 1))
        line = Table.grid(padding=(0, 1))
        line.add_column(justify="right", ratio=1, overflow="fold")
        line.add_column(no_wrap=True)
        line.add_column(ratio=1, overflow="fold")
        line.add_row(Text(""), Text(scale, style="dim"), Text(""))
        line.add_row(Text(t.tradeoff.left), Text(f"[{cells}]"), Text(t.tradeoff.right))
        parts.append(Padding(line, (0, 0, 0, 2)))
        if t.ratings and not t.hidden:
            parts.append(Padding(Text(f"where: {positions(t)}"), (0, 0, 0, 2)))
        if t.missing:
            parts.append(Padding(Text(f"not rated by {', '.join(t.missing)}"), (0, 0, 0, 2)))
        if t.tradeoff.id in said:
            message, quotes = said[t.tradeoff.id]
            parts.append(Padding(Text(message), (0, 0, 0, 2)))
            parts.extend(_quote(q, f"{who}, {v}") for who, v, q in quotes)
    if report.rankings:
        parts.append(Text(RANKINGS_TEXT, style="dim"))
    for r in report.rankings:
        head = Text(ranking_head(r))
        head.stylize("bold", 0, len(r.ranking.id))
        parts.append(head)
        if r.mean_ranks:
            parts.append(Padding(Text(f"mean rank (1 = led with): {mean_ranks(r)}"), (0, 0, 0, 2)))
            parts.append(Padding(Text(f"leads with: {leads(r)}"), (0, 0, 0, 2)))
        if r.missing:
            parts.append(Padding(Text(f"not ranked by {', '.join(r.missing)}"), (0, 0, 0, 2)))
        if r.ranking.id in said:
            parts.append(Padding(Text(said[r.ranking.id][0]), (0, 0, 0, 2)))
    return Group(*parts)


IDEAS_SHOWN = 12  # rows of the idea x manager grid; the rest are counted
_KIND = {"core": "everyone", "addition": "some", "unique": "one"}


def ideas_grid(ideas: tuple[Idea, ...], names: tuple[str, ...], test: str) -> RenderableType:
    """The idea x manager grid: each idea by its first statement, a mark under each manager
    who holds it, and whether everyone, some or one holds it."""
    table = Table(
        title=f"Ideas (statements count as one idea when {test}):",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("idea", overflow="fold", ratio=3)
    for i, _ in enumerate(names):
        table.add_column(_initials(names, i), justify="center", no_wrap=True)
    table.add_column("held by", no_wrap=True)
    for idea in ideas[:IDEAS_SHOWN]:
        text = idea.statements[0][1]
        more = len(idea.statements) - 1
        cell = Text(f"“{text}”")
        if more:
            cell.append(f" (+{more} in other words)", style="dim")
        marks = ["●" if m in idea.authors else "·" for m in names]
        table.add_row(cell, *marks, _KIND[idea.kind])
    parts: list[RenderableType] = [table]
    key = Text(
        "Columns: " + ", ".join(f"{_initials(names, i)} {n}" for i, n in enumerate(names)),
        style="dim",
    )
    parts.append(key)
    if len(ideas) > IDEAS_SHOWN:
        parts.append(Text(f"... {len(ideas) - IDEAS_SHOWN} more ideas", style="dim"))
    return Group(*parts)


def _initials(names: tuple[str, ...], i: int) -> str:
    """A short column heading for manager i: their initials, numbered where two share them."""

    def short(name: str) -> str:
        return "".join(w[0] for w in name.split() if w[:1].isalnum()).upper()[:3] or "?"

    mine = short(names[i])
    same = [j for j, n in enumerate(names) if short(n) == mine]
    return mine if len(same) == 1 else f"{mine}{same.index(i) + 1}"


def render(report: TeamReport, *, color: bool = True, width: int = 100) -> str:
    """The whole report as text, with ANSI colour codes when `color` is set."""
    console, out = string_console(color=color, width=width)
    names = tuple(m.name for m in report.team.managers)
    console.print(_executive(report))
    console.print()
    console.print(legend(report.bands))
    if report.tradeoffs or report.rankings:
        console.print()
        console.print(choices(report))
    for f, result in report.foundations.items():
        console.print()
        console.print(_foundation(result, report.findings.get(f), names, report.bands))
    sig = report.signature
    console.print(Text(signature_line(sig), style="dim"))
    return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())

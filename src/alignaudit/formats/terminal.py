"""The coloured terminal report (rich). Colour repeats what the numbers and words say, so the
plain-text version (NO_COLOR, pipes) loses nothing."""

from __future__ import annotations

import io
import string

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..audit import UNMATCHED_BELOW
from ..baseline import INDEX_BANDS, index_band
from ..model import FoundationResult, PairScore, TeamReport
from ..scale import LargeFoundationResult

# Index bands and the colour each is shown in; pair STS scores use the same three colours.
INDEX_STYLES = {"aligned": "bold green", "partly aligned": "yellow", "not aligned": "bold red"}
MOST_DIVERGENT = 3  # pairs quoted per foundation
FURTHEST = 5  # managers named as furthest from the rest on the large-team path
NO_ANSWER = "no answer"


def score_style(score: float) -> str:
    """Colour of an STS pair score: agree from 3.5, roughly from 2.5, else diverge."""
    return "bold green" if score >= 3.5 else "yellow" if score >= 2.5 else "bold red"


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
    for i, (lower, words) in enumerate(((3.5, "agree"), (2.5, "roughly"), (0.0, "diverge"))):
        if i:
            pairs.append(", ")
        pairs.append(words, style=score_style(lower))
        pairs.append(f" from {lower:.1f}" if lower > 0 else " below")
    return Group(index, pairs)


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


def _foundation(result: FoundationResult, names: tuple[str, ...]) -> RenderableType:
    head = Text(result.foundation.value.upper(), style="bold")
    head.append("  index ")
    head.append_text(_index(result.index, result.index_band))
    if result.score is not None:
        head.append("  · pairs on STS 0-5: ")
        head.append_text(_score(result.score, result.band))
    if result.raw is not None:
        head.append(f"  (raw cosine {result.raw:.2f})", style="dim")
    parts: list[RenderableType] = [head]
    if result.missing:
        parts.append(Text(f"{NO_ANSWER}: " + ", ".join(result.missing), style="italic"))
    if len(result.answered) < 2:
        parts.append(Text("fewer than two answers: nothing to compare", style="dim"))
        return Group(*parts)
    if isinstance(result, LargeFoundationResult):  # too many managers for a matrix
        parts.append(_large(result))
    else:
        parts.append(_matrix(result, names))
    worst = sorted(result.pairs, key=lambda p: p.score)[:MOST_DIVERGENT]
    parts.append(Text("Most divergent pairs, with the statements that find no counterpart:"))
    parts.extend(_evidence(p) for p in worst)
    return Group(*parts)


def _summary(report: TeamReport) -> Table:
    table = Table(title="Summary", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("foundation")
    table.add_column("index")
    table.add_column("STS")
    table.add_column("weakest pair")
    table.add_column("furthest from the rest")
    for f, r in report.foundations.items():
        if r.index is None:
            table.add_row(f.value, _index(None), "", "", "")
            continue
        weakest = min(r.pairs, key=lambda p: p.score)
        means = r.manager_means("score")
        far = min(means, key=lambda m: means[m])
        missing = f" ({len(r.missing)} no answer)" if r.missing else ""
        table.add_row(
            Text(f.value + missing),
            _index(r.index, r.index_band),
            _score(r.score),
            Text(f"{weakest.a} × {weakest.b} ({weakest.score:.2f})"),
            Text(f"{far} ({means[far]:.2f})"),
        )
    overall = Text("overall index ")
    overall.append_text(_index(report.overall_index, report.overall_index_band))
    overall.append(" · pairs on STS 0-5: ")
    overall.append_text(_score(report.overall, report.overall_band))
    table.caption = overall
    table.caption_justify = "left"
    return table


def render(report: TeamReport, *, color: bool = True, width: int = 100) -> str:
    """The whole report as text, with ANSI colour codes when `color` is set."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    names = tuple(m.name for m in report.team.managers)
    console.print(
        Text(f"Alignment audit: {report.team.name}", style="bold"),
        Text(f" ({len(names)} managers)"),
    )
    console.print(legend())
    for result in report.foundations.values():
        console.print()
        console.print(_foundation(result, names))
    console.print()
    console.print(_summary(report))
    sig = report.signature
    console.print(
        Text(
            f"model {sig.model} · calibration {sig.calibration} · baseline {sig.baseline} · "
            f"alignaudit {sig.package}",
            style="dim",
        )
    )
    return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())

"""Output of `alignaudit compare`: terminal, JSON (schema alignaudit.comparison/1), Markdown."""

from __future__ import annotations

import json
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..analysis.confidence import LEVEL
from ..core.results import TeamReport
from ..core.types import Foundation
from ..core.verdict import word
from ..features.rounds import Change, ChoiceChange, Comparison, FoundationChange
from .console import string_console
from .json import signature
from .markdown import escape
from .summary import verdict_of
from .terminal import VERDICT_STYLES

SCHEMA = "alignaudit.comparison/2"
NOISE_TEXT = (
    f"the team index change: paired bootstrap over managers in both rounds, {LEVEL:.0%} "
    "interval; statement similarity and pair changes are figures, not judged"
)


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _change(c: Change) -> dict[str, Any]:
    return {
        "before": _r(c.before),
        "after": _r(c.after),
        "change": _r(c.change),
        "common_change": _r(c.common_change),
        "interval": None if c.interval is None else [_r(c.interval[0]), _r(c.interval[1])],
        "beyond_noise": c.beyond_noise,
    }


def _round(report: TeamReport) -> dict[str, Any]:
    return {
        "team": report.team.name,
        "path": report.team.path,
        "managers": [m.name for m in report.team.managers],
    }


def _verdicts(c: Comparison, f: Foundation | None) -> dict[str, str]:
    """The verdict each round's report gives (a foundation's, or overall with None)."""
    if f is None:
        return {
            "before": verdict_of(c.before.overall_verdict),
            "after": verdict_of(c.after.overall_verdict),
        }
    return {
        "before": verdict_of(c.before.foundations[f].verdict),
        "after": verdict_of(c.after.foundations[f].verdict),
    }


def _foundation(fc: FoundationChange, c: Comparison) -> dict[str, Any]:
    return {
        "index": _change(fc.index),
        "verdict": _verdicts(c, fc.foundation),
        "score": _change(fc.score),
        "common": list(fc.common),
        "pairs": [
            {
                "a": p.a,
                "b": p.b,
                "before": {
                    "score": _r(p.before_score),
                    "band": p.before_band,
                    "index": _r(p.before_index),
                    "verdict": word(p.before_index, c.before.bands),
                },
                "after": {
                    "score": _r(p.after_score),
                    "band": p.after_band,
                    "index": _r(p.after_index),
                    "verdict": word(p.after_index, c.after.bands),
                },
                "index_change": _r(p.index_change),
                "score_change": _r(p.score_change),
            }
            for p in fc.pairs
        ],
    }


def _choice(cc: ChoiceChange) -> dict[str, Any]:
    def side(t: Any) -> dict[str, Any]:
        return {"rwg": _r(t.rwg), "word": t.word, "mean": _r(t.mean)}

    return {
        "id": cc.after.tradeoff.id,
        "foundation": cc.after.tradeoff.foundation.value,
        "before": side(cc.before),
        "after": side(cc.after),
        "moves": [{"manager": m, "before": b, "after": a} for m, b, a in cc.moves],
        "shift": _r(cc.shift),
        "p": None if cc.p is None else float(f"{cc.p:.4g}"),
        "beyond_noise": cc.beyond_noise,
    }


def to_dict(c: Comparison) -> dict[str, Any]:
    """The comparison as the JSON contract for scripts (SCHEMA)."""
    sig = c.after.signature
    return {
        "schema": SCHEMA,
        "before": _round(c.before),
        "after": _round(c.after),
        "signature": signature(sig),
        "managers": {
            "both": list(c.both),
            "only_before": list(c.only_before),
            "only_after": list(c.only_after),
        },
        "foundations": {f.value: _foundation(fc, c) for f, fc in c.foundations.items()},
        "overall": {
            "index": _change(c.overall_index),
            "verdict": _verdicts(c, None),
            "score": _change(c.overall_score),
        },
        "noise": {"level": LEVEL, "method": NOISE_TEXT},
        **({"tradeoffs": [_choice(cc) for cc in c.choices]} if c.choices else {}),
    }


def render_json(c: Comparison) -> str:
    """The comparison as JSON text."""
    return json.dumps(to_dict(c), indent=2, ensure_ascii=False) + "\n"


# -- words shared by the terminal and Markdown ----------------------------------------------


def _num(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "—"
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def verdict(beyond: bool | None) -> str:
    """A change's noise verdict in words: beyond noise, within noise, or cannot tell."""
    if beyond is None:
        return "cannot tell"
    return "beyond noise" if beyond else "within noise"


def _interval(c: Change) -> str:
    if c.interval is None:
        return ""
    return f"({c.interval[0]:+.2f} to {c.interval[1]:+.2f})"


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(names) if names else "nobody"


SHIFT_TEXT = (
    "Trade-offs: r_wg and the word before → after, as figures; shift: the mean move of the "
    "managers who rated it both times, toward the right pole when positive, judged: beyond "
    f"noise when the exact sign-flip test gives under {1 - LEVEL:.2f} (never with 4 managers "
    "or fewer; one manager moving is not the team moving)."
)


def choice_rows(c: Comparison) -> list[tuple[str, str, str, str, str, str]]:
    """Per trade-off: id, r_wg before → after, words, shift, its noise verdict, who moved."""
    rows = []
    for cc in c.choices:
        b, a = cc.before, cc.after
        words = b.word if b.word == a.word else f"{b.word} → {a.word}"
        moved = ", ".join(f"{m} {x}→{y}" for m, x, y in cc.moves if x != y) or "nobody"
        p = "" if cc.p is None else f" (p {cc.p:.3f})"
        rows.append(
            (
                a.tradeoff.id,
                f"{_num(b.rwg)} → {_num(a.rwg)}",
                words,
                _num(cc.shift, signed=True),
                verdict(cc.beyond_noise) + p,
                moved,
            )
        )
    return rows


def summary_lines(c: Comparison) -> list[str]:
    """Who took part in which round: the lines the terminal and Markdown comparisons open with."""
    return [
        f"Managers in both rounds: {_names(c.both)}",
        f"Only before: {_names(c.only_before)}",
        f"Only after: {_names(c.only_after)}",
    ]


# -- terminal ---------------------------------------------------------------------------------

_STYLE = {True: "bold", False: "dim", None: "dim italic"}
PAIRS_SHOWN = 5  # pairs shown per foundation, largest index change first


def same_managers(c: Comparison) -> bool:
    """Whether every foundation's figures cover the same managers in both rounds."""
    for f, fc in c.foundations.items():
        common = set(fc.common)
        if common != set(c.before.foundations[f].answered) or common != set(
            c.after.foundations[f].answered
        ):
            return False
    return True


def _verdict_cell(c: Change) -> Text:
    text = Text(verdict(c.beyond_noise), style=_STYLE[c.beyond_noise])
    if c.interval is not None:
        text.append(f" {_interval(c)}", style="dim")
    return text


def _figures(c: Comparison, like_for_like: bool) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0))
    table.add_column("foundation", no_wrap=True)
    table.add_column("index", justify="right", no_wrap=True)
    table.add_column("change", justify="right", no_wrap=True)
    if like_for_like:
        table.add_column("same managers", justify="right", no_wrap=True)
    table.add_column("noise", overflow="fold")
    table.add_column("verdict", overflow="fold")
    for f, fc in c.foundations.items():
        table.add_row(
            f.value,
            f"{_num(fc.index.before)} → {_num(fc.index.after)}",
            Text(_num(fc.index.change, signed=True), style="bold" if fc.index.beyond_noise else ""),
            *([_num(fc.index.common_change, signed=True)] if like_for_like else []),
            _verdict_cell(fc.index),
            _verdict_text(c, f),
        )
    table.add_row(
        "overall",
        f"{_num(c.overall_index.before)} → {_num(c.overall_index.after)}",
        _num(c.overall_index.change, signed=True),
        *([""] if like_for_like else []),
        "",
        _verdict_text(c, None),
    )
    return table


def _verdict_text(c: Comparison, f: Foundation | None) -> Text:
    v = _verdicts(c, f)
    text = Text(v["before"], style=VERDICT_STYLES[v["before"]])
    if v["after"] != v["before"]:
        text.append(" → ")
        text.append(v["after"], style=VERDICT_STYLES[v["after"]])
    return text


def _pairs(c: Comparison, fc: FoundationChange, width: int) -> RenderableType:
    title = Text(f"{fc.foundation.value.upper()}", style="bold")
    title.append(f"  index {_num(fc.index.before)} → {_num(fc.index.after)}, ")
    title.append_text(_verdict_text(c, fc.foundation))
    if not fc.pairs:
        return Group(title, Text("  no pair answered in both rounds", style="dim"))
    shown = fc.pairs[:PAIRS_SHOWN]
    table = Table(box=None, pad_edge=False, show_header=False, padding=(0, 1, 0, 0))
    table.add_column("pair", no_wrap=True, overflow="ellipsis", max_width=max(width - 44, 20))
    table.add_column("index", justify="right", no_wrap=True)
    table.add_column("change", justify="right", no_wrap=True)
    table.add_column("words", no_wrap=True)
    for p in shown:
        before, after = word(p.before_index, c.before.bands), word(p.after_index, c.after.bands)
        table.add_row(
            Text(f"  {p.a} × {p.b}"),
            f"{p.before_index:.2f} → {p.after_index:.2f}",
            f"{p.index_change:+.2f}",
            Text(before if before == after else f"{before} → {after}", style="dim"),
        )
    rest = len(fc.pairs) - len(shown)
    parts: list[RenderableType] = [title, table]
    if rest:
        parts.append(Text(f"  ... {rest} more pairs", style="dim"))
    return Group(*parts)


def render_terminal(c: Comparison, *, color: bool = False, width: int = 80) -> str:
    """The comparison for a person at a terminal: figures per foundation and overall, then the
    pairs whose index moved most."""
    console, out = string_console(color=color, width=width)
    like_for_like = not same_managers(c)
    console.print(Text(f"{c.before.team.path} → {c.after.team.path}", style="bold"), soft_wrap=True)
    for line in summary_lines(c):
        console.print(Text(line))
    console.print()
    console.print(_figures(c, like_for_like))
    note = (
        "Agreement index 0-1, before → after. Beyond noise: the "
        f"{LEVEL:.0%} interval of the change (a paired bootstrap over the managers who "
        "answered in both rounds) excludes 0; cannot tell: fewer than 3 such managers."
    )
    if like_for_like:
        note += " The team changed: 'same managers' is the change among those in both rounds."
    console.print(Text(note, style="dim"))
    for fc in c.foundations.values():
        console.print()
        console.print(_pairs(c, fc, width))
    if c.choices:
        console.print()
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0))
        for name in ("trade-off", "r_wg", "word", "shift", "noise", "moved"):
            table.add_column(name, overflow="fold", no_wrap=name in ("trade-off", "r_wg"))
        for row in choice_rows(c):
            table.add_row(*(Text(cell) for cell in row))
        console.print(table)
        console.print(Text(SHIFT_TEXT, style="dim"))
    console.print()
    console.print(
        Text(
            "Pairs: agreement index before → after, largest change first, with the pair's "
            "verdict words; one measurement per round, so a pair's change is a figure, not "
            "judged against noise. --format json lists every pair.",
            style="dim",
        )
    )
    text = out.getvalue()
    return text if color else "".join(line.rstrip() + "\n" for line in text.splitlines())


# -- Markdown ---------------------------------------------------------------------------------


def render_markdown(c: Comparison) -> str:
    """The comparison as Markdown, for a pull-request comment or a CI job summary."""
    lines = [
        f"## Alignment: {escape(c.before.team.path)} → {escape(c.after.team.path)}",
        "",
        *(f"- {escape(line)}" for line in summary_lines(c)),
        "",
        "| foundation | index before | index after | change | same managers | noise "
        "| verdict before | verdict after |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for f, fc in c.foundations.items():
        v = _verdicts(c, f)
        lines.append(
            f"| {f.value} | {_num(fc.index.before)} | {_num(fc.index.after)} | "
            f"{_num(fc.index.change, signed=True)} | {_num(fc.index.common_change, signed=True)} | "
            f"{verdict(fc.index.beyond_noise)} {_interval(fc.index)} | "
            f"{v['before']} | {v['after']} |"
        )
    v = _verdicts(c, None)
    lines.append(
        f"| overall | {_num(c.overall_index.before)} | {_num(c.overall_index.after)} | "
        f"{_num(c.overall_index.change, signed=True)} | | | {v['before']} | {v['after']} |"
    )
    lines += [
        "",
        "Pairs (agreement index; one measurement per round, so a pair's change is a figure, "
        "not judged against noise):",
        "",
    ]
    lines += [
        "| foundation | pair | before | after | change | words |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for f, fc in c.foundations.items():
        for p in fc.pairs:
            before, after = word(p.before_index, c.before.bands), word(p.after_index, c.after.bands)
            words = before if before == after else f"{before} → {after}"
            lines.append(
                f"| {f.value} | {escape(p.a)} × {escape(p.b)} | {p.before_index:.2f} | "
                f"{p.after_index:.2f} | {p.index_change:+.2f} | {words} |"
            )
    if c.choices:
        lines += [
            "",
            escape(SHIFT_TEXT),
            "",
            "| trade-off | r_wg | word | shift | noise | moved |",
            "| --- | --- | --- | ---: | --- | --- |",
        ]
        lines += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in choice_rows(c)]
    return "\n".join(lines) + "\n"

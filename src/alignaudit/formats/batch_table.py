"""Output of `alignaudit batch`: a ranked table of teams x foundations, and JSON Lines."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from ..core.results import TeamReport
from ..core.types import Foundation
from .console import string_console
from .json import to_dict
from .summary import bands_text, verdict_of
from .terminal import verdict_style


def labels(reports: Sequence[TeamReport]) -> dict[int, str]:
    """How each team is named in the table: its folder name, or its path where two teams of the
    batch share a name."""
    counts = Counter(r.team.name for r in reports)
    return {id(r): r.team.name if counts[r.team.name] == 1 else r.team.path for r in reports}


def _index(value: float | None, verdict: str | None) -> Text:
    """A team's index in the colour of the verdict the report gives it."""
    if value is None:
        return Text("—", style="dim")
    return Text(f"{value:.2f}", style=verdict_style(verdict))


def _verdict(verdict: str | None) -> Text:
    return Text(verdict_of(verdict), style=verdict_style(verdict))


def _legend(ranked: Sequence[TeamReport]) -> str:
    """The bands behind the verdicts: one sentence when every team used the same ones."""
    distinct = list(dict.fromkeys(r.bands for r in ranked))
    if len(distinct) == 1:
        return bands_text(distinct[0])
    return "The teams were audited with different bands: see each report."


def render(ranked: Sequence[TeamReport], *, color: bool = False, width: int = 80) -> str:
    """The teams in the given (ranked) order, one row each: index per foundation and overall."""
    foundations = [f for f in Foundation if any(f in r.foundations for r in ranked)]
    names = labels(ranked)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=0)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("team", overflow="fold", min_width=12)
    table.add_column("n", justify="right", no_wrap=True)
    for f in foundations:
        table.add_column(f.value, justify="right", no_wrap=True)
    table.add_column("overall", justify="right", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    for rank, r in enumerate(ranked, start=1):
        table.add_row(
            str(rank),
            Text(names[id(r)]),
            str(len(r.team.managers)),
            *[
                _index(r.foundations[f].index, r.foundations[f].verdict)
                if f in r.foundations
                else Text("")
                for f in foundations
            ],
            _index(r.overall_index, r.overall_verdict),
            _verdict(r.overall_verdict),
        )
    console, out = string_console(color=color, width=width)
    console.print(table)
    console.print(
        Text(
            "Agreement index 0-1 per foundation and overall, in the colour of its verdict; "
            f"n = managers; best agreement first. {_legend(ranked)}",
            style="dim",
        )
    )
    for r in ranked:
        if r.language_warning is not None:
            console.print(Text(f"⚠ {names[id(r)]}: {r.language_warning}", style="bold yellow"))
    text = out.getvalue()
    return text if color else "".join(line.rstrip() + "\n" for line in text.splitlines())


def jsonl(reports: Sequence[TeamReport]) -> str:
    """One JSON report (schema alignaudit.report/3) per line, plus the team's `path`."""
    return "".join(
        json.dumps({**to_dict(r), "path": r.team.path}, ensure_ascii=False) + "\n" for r in reports
    )

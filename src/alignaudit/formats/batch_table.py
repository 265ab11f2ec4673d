"""Output of `alignaudit batch`: a ranked table of teams x foundations, and JSON Lines."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from ..baseline import INDEX_BANDS, index_band
from ..model import Foundation, TeamReport
from .console import string_console
from .json import to_dict
from .terminal import INDEX_STYLES


def labels(reports: Sequence[TeamReport]) -> dict[int, str]:
    """How each team is named in the table: its folder name, or its path where two teams of the
    batch share a name."""
    counts = Counter(r.team.name for r in reports)
    return {id(r): r.team.name if counts[r.team.name] == 1 else r.team.path for r in reports}


def _index(value: float | None) -> Text:
    if value is None:
        return Text("—", style="dim")
    return Text(f"{value:.2f}", style=INDEX_STYLES[index_band(value)])


def _band(value: float | None) -> Text:
    if value is None:
        return Text("no answers", style="dim")
    return Text(index_band(value), style=INDEX_STYLES[index_band(value)])


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
    table.add_column("band", no_wrap=True)
    for rank, r in enumerate(ranked, start=1):
        table.add_row(
            str(rank),
            Text(names[id(r)]),
            str(len(r.team.managers)),
            *[
                _index(r.foundations[f].index) if f in r.foundations else Text("")
                for f in foundations
            ],
            _index(r.overall_index),
            _band(r.overall_index),
        )
    console, out = string_console(color=color, width=width)
    console.print(table)
    bands = ", ".join(f"{words} from {lower:.2f}" for lower, words in INDEX_BANDS[:-1])
    console.print(
        Text(
            f"Agreement index 0-1 per foundation and overall ({bands}); "
            "n = managers; best agreement first.",
            style="dim",
        )
    )
    text = out.getvalue()
    return text if color else "".join(line.rstrip() + "\n" for line in text.splitlines())


def jsonl(reports: Sequence[TeamReport]) -> str:
    """One JSON report (schema alignaudit.report/1) per line, plus the team's `path`."""
    return "".join(
        json.dumps({**to_dict(r), "path": r.team.path}, ensure_ascii=False) + "\n" for r in reports
    )

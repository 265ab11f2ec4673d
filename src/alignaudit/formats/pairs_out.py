"""Output of `alignaudit score`: one line per scored pair, yielded as the pairs come.

JSON Lines for scripts (one object per line, UTF-8), CSV for spreadsheets (text cells
neutralised against formulas), and a fixed-width table for people.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # kept light: the CLI imports PairFormat to build its options
    from ..features.pairs import ScoredPair, StatementScore

CSV_COLUMNS = ("id", "score", "band", "raw")
_ID_WIDTH = 10
_BAND_WIDTH = 18  # the longest band words: "roughly equivalent", "share some details"


class PairFormat(StrEnum):
    """The formats `score --format` chooses: JSON Lines, CSV or a table."""

    JSONL = "jsonl"
    CSV = "csv"
    TABLE = "table"


def to_dict(result: ScoredPair | StatementScore) -> dict[str, Any]:
    """The result for scripts: id (when given), score, band, raw."""
    out: dict[str, Any] = {}
    pair_id = getattr(result, "id", None)
    if pair_id is not None:
        out["id"] = pair_id
    out.update(score=round(result.score, 4), band=result.band, raw=round(result.raw, 4))
    return out


def jsonl_line(result: ScoredPair | StatementScore) -> str:
    """One scored pair as a line of JSON Lines."""
    return json.dumps(to_dict(result), ensure_ascii=False) + "\n"


def _csv_line(cells: Iterable[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(list(cells))
    return out.getvalue()


def _clip(text: str, width: int) -> str:
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def table_header(width: int = 80) -> str:
    """The table's heading line, clipped to `width`."""
    head = f"{'pair':<{_ID_WIDTH}}  {'score':>5}  {'band':<{_BAND_WIDTH}}  {'raw':>5}  statements"
    return head[:width] + "\n"


def table_line(result: ScoredPair, width: int = 80) -> str:
    """One row: the pair's id (or input line), score, band, raw and both statements, clipped."""
    label = f"line {result.line}" if result.id is None else str(result.id)
    head = (
        f"{_clip(label, _ID_WIDTH):<{_ID_WIDTH}}  {result.score:>5.2f}  "
        f"{result.band:<{_BAND_WIDTH}}  {result.raw:>5.2f}  "
    )
    half = max((width - len(head) - 3) // 2, 8)  # " │ " between the two statements
    return f"{head}{_clip(result.a, half)} │ {_clip(result.b, half)}".rstrip() + "\n"


def lines(results: Iterable[ScoredPair], fmt: PairFormat, *, width: int = 80) -> Iterator[str]:
    """The output, line by line, as the results arrive (a header first for CSV and table)."""
    from .csv import neutralise

    if fmt is PairFormat.CSV:
        yield _csv_line(CSV_COLUMNS)
    elif fmt is PairFormat.TABLE:
        yield table_header(width)
    for r in results:
        if fmt is PairFormat.JSONL:
            yield jsonl_line(r)
        elif fmt is PairFormat.CSV:
            pair_id = "" if r.id is None else neutralise(str(r.id))
            yield _csv_line((pair_id, f"{r.score:.4f}", r.band, f"{r.raw:.4f}"))
        else:
            yield table_line(r, width)


def single(result: StatementScore) -> str:
    """Two statements' score for a person: one line."""
    return f"{result.score:.2f} {result.band} (raw cosine {result.raw:.3f})\n"

"""Output of `alignaudit score`: one line per scored pair, yielded as the pairs come.

JSON Lines for scripts (one object per line, UTF-8), CSV for spreadsheets (text cells
neutralised against formulas), and a table for people, as wide as the output, whose cells wrap:
nothing is cut.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
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


def _cells(ch: str) -> int:
    """How many columns a character takes on a terminal: two for wide East Asian characters
    and most emoji, none for combining marks, else one."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cell_len(text: str) -> int:
    """How many columns `text` takes on a terminal."""
    return sum(_cells(ch) for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - cell_len(text), 0)


def _chop(word: str, width: int) -> list[str]:
    """A word wider than `width` in pieces that fit (a mark stays with its letter)."""
    pieces, piece, used = [], "", 0
    for ch in word:
        size = _cells(ch)
        if piece and size and used + size > width:
            pieces.append(piece)
            piece, used = "", 0
        piece += ch
        used += size
    return [*pieces, piece] if piece else pieces


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken between words; a word longer than a
    line (a link, text without spaces) is broken inside. Every character is kept."""
    width = max(width, 1)
    out: list[str] = []
    line = ""
    for word in text.split():
        if cell_len(word) > width:
            pieces = _chop(word, width)
            if line and cell_len(line) + 1 + cell_len(pieces[0]) <= width:
                pieces[0] = f"{line} {pieces[0]}"
            elif line:
                out.append(line)
            out.extend(pieces[:-1])
            line = pieces[-1]
        elif not line:
            line = word
        elif cell_len(line) + 1 + cell_len(word) <= width:
            line = f"{line} {word}"
        else:
            out.append(line)
            line = word
    return [*out, line] if line or not out else out


# The figures before the statements: pair, score, band, raw and the gaps between them.
_HEAD_WIDTH = _ID_WIDTH + 2 + 5 + 2 + _BAND_WIDTH + 2 + 5 + 2
_SIDE_BY_SIDE = 20  # the narrowest statement column side by side; narrower: one over the other


def table_header(width: int = 80) -> str:
    """The table's heading line."""
    head = f"{'pair':<{_ID_WIDTH}}  {'score':>5}  {'band':<{_BAND_WIDTH}}  {'raw':>5}  statements"
    return head[:width] + "\n"


def table_line(result: ScoredPair, width: int = 80) -> str:
    """One row: the pair's id (or input line), score, band, raw and both statements, whole.
    Where the output is wide enough the statements stand side by side (a │ b), each wrapped in
    its half; otherwise a over b, each wrapped in the statement column. The id wraps in its
    column too. The row may take several lines; none is wider than `width`."""
    label = f"line {result.line}" if result.id is None else str(result.id)
    room = max(width - _HEAD_WIDTH, 12)
    half = (room - 3) // 2  # " │ " between the two statements
    if half >= _SIDE_BY_SIDE:
        a, b = wrap(result.a, half), wrap(result.b, half)
        a += [""] * (len(b) - len(a))
        b += [""] * (len(a) - len(b))
        said = [f"{_pad(x, half)} │ {y}" for x, y in zip(a, b, strict=True)]
    else:
        said = []
        for tag, text in (("a", result.a), ("b", result.b)):
            first, *rest = wrap(text, room - 3)
            said += [f"{tag}: {first}", *(f"   {x}" for x in rest)]
    ids = wrap(label, _ID_WIDTH)
    figures = f"{result.score:>5.2f}  {result.band:<{_BAND_WIDTH}}  {result.raw:>5.2f}  "
    rows = []
    for i in range(max(len(ids), len(said))):
        pair = _pad(ids[i] if i < len(ids) else "", _ID_WIDTH)
        middle = figures if i == 0 else " " * len(figures)
        rows.append(f"{pair}  {middle}{said[i] if i < len(said) else ''}".rstrip() + "\n")
    return "".join(rows)


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

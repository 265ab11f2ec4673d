"""Scoring statement pairs: two statements, or a CSV / TSV / JSON Lines file of them.

Files are read lazily, a line at a time, and scored in batches of a few hundred pairs, each
distinct statement of a batch embedded once, so memory stays flat for any number of pairs.
Bad rows are collected as file:line problems. Pairs are yielded in input order up to the first
bad row; the rows after it are still checked (so every problem is reported at once) but not
scored, so what was written before a failure is always an in-order prefix of the input.
"""

from __future__ import annotations

import codecs
import csv
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO

import numpy as np

from ..core.errors import InputError, Problem, UsageError
from ..core.text import MAX_STATEMENT_CHARS, clean, inert
from ..embedding.interface import Embedder
from ..embedding.memo import MemoEmbedder
from ..scoring.calibration import Calibration, band
from ..scoring.catalogue import tables_for

BATCH_SIZE = 256  # pairs embedded per encode call
MEMO_ITEMS = 20_000  # vectors remembered across batches: a bound on the memo's memory
MAX_PROBLEMS = 20  # bad rows listed; the rest are counted
# A line holds two statements of at most MAX_STATEMENT_CHARS characters (4 bytes each at most)
# and an id: a longer one (a file with no line breaks, an endless pipe) is refused as soon as
# this many bytes are read, so memory stays bounded whatever arrives.
MAX_LINE_BYTES = 4 * (2 * MAX_STATEMENT_CHARS + 1_000)
KINDS = ("csv", "tsv", "jsonl")
_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl"}

PairId = str | int


@dataclass(frozen=True)
class StatementScore:
    """How alike two statements are: calibrated STS score 0-5, its band words, raw cosine."""

    score: float
    band: str
    raw: float


@dataclass(frozen=True)
class Pair:
    """One row of a pairs file: two statements, the line the row starts on, and its id if it has
    one."""

    a: str
    b: str
    line: int  # where the row starts in its file
    id: PairId | None = None


@dataclass(frozen=True)
class ScoredPair:
    """One row of a pairs file with its score: what `score` writes for it."""

    id: PairId | None
    line: int
    a: str
    b: str
    score: float
    band: str
    raw: float


def statement(text: str, label: str) -> str:
    """A statement as the model will see it; an empty one is a usage error."""
    cleaned = clean(text)
    if not cleaned:
        raise UsageError(f"statement {label} is empty; give some text to compare")
    return cleaned


def score_texts(
    pairs: Sequence[tuple[str, str]],
    embedder: Embedder,
    calibration: Calibration | None = None,
) -> list[StatementScore]:
    """Score each (a, b), embedding every distinct statement of the call once."""
    if not pairs:
        return []
    calibration = calibration or tables_for(embedder.name).calibration
    unique = list(dict.fromkeys(t for pair in pairs for t in pair))
    vectors = np.asarray(embedder.encode(unique), dtype=np.float64)
    if len(vectors) != len(unique):
        raise RuntimeError("the embedder returned a different number of vectors")
    row = {t: i for i, t in enumerate(unique)}
    va = vectors[[row[a] for a, _ in pairs]]
    vb = vectors[[row[b] for _, b in pairs]]
    raw = np.clip(np.einsum("ij,ij->i", va, vb), -1.0, 1.0)
    scores = calibration.to_score(raw)
    return [
        StatementScore(score=float(s), band=band(float(s)), raw=float(r))
        for s, r in zip(scores, raw, strict=True)
    ]


def score_pairs(
    pairs: Iterable[Pair],
    embedder: Embedder,
    *,
    batch_size: int = BATCH_SIZE,
    calibration: Calibration | None = None,
    memo_items: int = MEMO_ITEMS,
) -> Iterator[ScoredPair]:
    """Score pairs lazily, in input order, a batch at a time.

    Each distinct statement is embedded at most once per batch, and not again while it is
    among the last `memo_items` statements seen (0: no memory across batches).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    memo = MemoEmbedder(embedder, max_items=memo_items) if memo_items > 0 else embedder
    it = iter(pairs)
    while chunk := list(islice(it, batch_size)):
        results = score_texts([(p.a, p.b) for p in chunk], memo, calibration)
        for p, r in zip(chunk, results, strict=True):
            yield ScoredPair(p.id, p.line, p.a, p.b, r.score, r.band, r.raw)


class PairReader:
    """The pairs of one file, read lazily. Iterate once; then look at `problems`.

    `position` is how many bytes have been read, for a progress bar against `size`.
    """

    def __init__(self, source: IO[bytes], name: str, kind: str | None = None) -> None:
        if kind is not None and kind not in KINDS:
            raise UsageError(f"unknown pairs format {kind!r}; use one of {', '.join(KINDS)}")
        self.name = name
        self.kind = kind
        self.position = 0
        self.problems: list[Problem] = []
        self.more_problems = 0  # bad rows beyond MAX_PROBLEMS, counted only
        self.has_ids = False  # set once the header (CSV/TSV) or a row (JSONL) carries an id
        self._source = source
        self._stop = False  # an unreadable file: nothing after it can be trusted

    # -- problems -------------------------------------------------------------------------

    def _problem(self, line: int | None, message: str, column: int | None = None) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.name, line, column, message))
        else:
            self.more_problems += 1

    def error(self) -> InputError | None:
        """Every problem found, or None when the whole file was read cleanly."""
        if not self.problems:
            return None
        problems = list(self.problems)
        if self.more_problems:
            problems.append(
                Problem(self.name, None, None, f"... and {self.more_problems} more bad rows")
            )
        return InputError(problems)

    # -- reading --------------------------------------------------------------------------

    def _lines(self) -> Iterator[str]:
        """Decoded lines with their endings; stops at the first line that is not UTF-8."""
        number = 0
        while raw := self._source.readline(MAX_LINE_BYTES + 1):
            number += 1
            self.position += len(raw)
            if len(raw) > MAX_LINE_BYTES:
                self._problem(
                    number,
                    f"line too long (over {MAX_LINE_BYTES:,} bytes without a line break); "
                    "one pair per line",
                )
                self._stop = True
                return
            if number == 1:
                if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    self._problem(1, "the file is UTF-16; save it as UTF-8")
                    self._stop = True
                    return
                if raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                column = len(raw[: exc.start].decode("utf-8", "replace")) + 1
                self._problem(number, "not UTF-8 text; save the file as UTF-8", column)
                self._stop = True
                return

    def __iter__(self) -> Iterator[Pair]:
        lines = self._lines()
        kind = self.kind
        if kind is None:  # sniff the first non-blank line
            first: list[str] = []
            for line in lines:
                first.append(line)
                if line.strip():
                    break
            head = next((x for x in first if x.strip()), "").lstrip()
            if head.startswith("["):
                self._problem(
                    len(first),
                    "a JSON array; write JSON Lines instead: one object "
                    '{"a": "...", "b": "..."} per line',
                )
                return
            kind = "jsonl" if head.startswith("{") else "tsv" if "\t" in head else "csv"
            lines = _chain(first, lines)
        rows = self._jsonl(lines) if kind == "jsonl" else self._delimited(lines, kind)
        for pair in rows:
            if not self.problems:
                yield pair
            # After the first bad row, keep reading to report every problem, but score nothing.

    def _text(self, value: object, key: str, line: int, column: int | None = None) -> str | None:
        if not isinstance(value, str):
            self._problem(line, f"{key!r} must be text, found {_json_type(value)}", column)
            return None
        if any("\ud800" <= c <= "\udfff" for c in value):
            self._problem(
                line,
                f"{key!r} holds half of a surrogate pair (an escape like \\ud800), not a "
                "character; write the character itself",
                column,
            )
            return None
        text = clean(value)
        if not text:
            self._problem(line, f"empty statement in {key!r}", column)
            return None
        if len(text) > MAX_STATEMENT_CHARS:
            self._problem(
                line,
                f"statement in {key!r} is {len(text):,} characters long "
                f"(limit {MAX_STATEMENT_CHARS:,}); an unclosed quote?",
                column,
            )
            return None
        return text

    def _delimited(self, lines: Iterator[str], kind: str) -> Iterator[Pair]:
        # strict: a stray quote or a quote left open at the end is an error, not a silent merge
        reader = csv.reader(lines, delimiter="\t" if kind == "tsv" else ",", strict=True)
        columns: dict[str, int] | None = None
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                self._problem(
                    start, f"cannot read this {kind.upper()} row: {exc} (check its quotes)"
                )
                return
            line, start = start, reader.line_num + 1
            if not row or all(not cell.strip() for cell in row):
                continue
            if columns is None:
                columns = self._header(row, line, kind)
                if columns is None:
                    return
                continue
            values: dict[str, str | None] = {}
            for key in ("a", "b"):
                index = columns[key]
                if index >= len(row):
                    self._problem(line, f"no value in column {key!r} (the row is too short)")
                    values[key] = None
                else:
                    values[key] = self._text(row[index], key, line)
            raw_id = inert(
                row[columns["id"]].strip() if "id" in columns and columns["id"] < len(row) else ""
            )
            a, b = values["a"], values["b"]
            if a is not None and b is not None:
                yield Pair(a, b, line, raw_id or None)
        if columns is None and not self._stop:
            self._problem(None, "no header row; the first line must name the columns a, b (and id)")

    def _header(self, row: list[str], line: int, kind: str) -> dict[str, int] | None:
        names = [cell.strip().lower() for cell in row]
        doubled = sorted({n for n in names if n and names.count(n) > 1})
        missing = [c for c in ("a", "b") if c not in names]
        sep = "\t" if kind == "tsv" else ","
        if doubled:
            self._problem(line, f"column {', '.join(map(repr, doubled))} named twice in the header")
            return None
        if missing:
            found = ", ".join(repr(n) for n in names) or "nothing"
            self._problem(
                line,
                f"the header row needs columns a and b (and optionally id), found {found}; "
                f"start the file with a line like id{sep}a{sep}b",
            )
            return None
        columns = {n: i for i, n in enumerate(names) if n in ("id", "a", "b")}
        self.has_ids = "id" in columns
        return columns

    def _jsonl(self, lines: Iterator[str]) -> Iterator[Pair]:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                self._problem(number, f"not valid JSON: {exc.msg}", exc.colno)
                continue
            except RecursionError:
                self._problem(number, "JSON nested too deeply")
                continue
            except ValueError as exc:  # e.g. an integer of more than 4,300 digits
                self._problem(number, f"not valid JSON: {exc}")
                continue
            if not isinstance(obj, dict):
                self._problem(
                    number,
                    f'expected an object like {{"a": "...", "b": "..."}}, found {_json_type(obj)}',
                )
                continue
            ok = True
            values: dict[str, str | None] = {}
            for key in ("a", "b"):
                if key not in obj:
                    self._problem(number, f"missing key {key!r}")
                    values[key] = None
                else:
                    values[key] = self._text(obj[key], key, number)
                ok = ok and values[key] is not None
            pair_id = obj.get("id")
            if pair_id is not None and (
                isinstance(pair_id, bool) or not isinstance(pair_id, str | int)
            ):
                self._problem(
                    number, f"'id' must be text or a whole number, found {_json_type(pair_id)}"
                )
                ok = False
            if pair_id is not None:
                self.has_ids = True
            if isinstance(pair_id, str):
                pair_id = inert(pair_id)
            a, b = values["a"], values["b"]
            if ok and a is not None and b is not None:
                yield Pair(a, b, number, pair_id)


def _chain(first: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def kind_of(path: str) -> str | None:
    """The format a file name implies, or None (then the first line decides)."""
    return _SUFFIXES.get(Path(path).suffix.lower())


@contextmanager
def open_pairs(path: str, kind: str | None = None) -> Iterator[PairReader]:
    """A PairReader over a file, or over standard input for "-"."""
    if path == "-":
        yield PairReader(sys.stdin.buffer, "<stdin>", kind)
        return
    file = Path(path)
    if not file.exists():
        raise InputError([Problem(path, None, None, "no such file; give a CSV, TSV or JSONL file")])
    if file.is_dir():
        raise InputError([Problem(path, None, None, "is a folder; give a CSV, TSV or JSONL file")])
    try:
        source = file.open("rb")
    except OSError as exc:
        raise InputError([Problem(path, None, None, f"cannot read: {exc.strerror}")]) from None
    with source:
        yield PairReader(source, path, kind or kind_of(path))


def file_size(path: str) -> int | None:
    """The size of a pairs file in bytes, for the progress bar; None for standard input or a file
    that cannot be measured."""
    if path == "-":
        return None
    try:
        return Path(path).stat().st_size
    except OSError:
        return None

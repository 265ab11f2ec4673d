"""`alignaudit score`: two statements, or every pair of a CSV / TSV / JSON Lines file.

Registered in cli/__init__.py; the scoring is alignaudit.api.score and alignaudit.features.pairs,
imported when the command runs so `alignaudit --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from ..core.errors import UsageError
from ..formats.pairs_out import PairFormat
from .emit import emit, width
from .options import ModelOption, output_option
from .progress import progress

if TYPE_CHECKING:
    from ..features.pairs import PairReader, ScoredPair

QUIET_HELP = "No progress bar and no messages on stderr (errors are still reported)."


def score(
    a: Annotated[
        str | None, typer.Argument(help="A statement.", show_default=False, metavar="A")
    ] = None,
    b: Annotated[
        str | None,
        typer.Argument(help="The statement to compare it with.", show_default=False, metavar="B"),
    ] = None,
    pairs: Annotated[
        str | None,
        typer.Option(
            "--pairs",
            metavar="FILE",
            help="Score every pair of FILE: CSV or TSV with columns a, b (optional id), or "
            "JSON Lines with keys a, b (optional id); - reads standard input.",
        ),
    ] = None,
    fmt: Annotated[
        PairFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="jsonl, csv or table (default: one line for two statements, jsonl for --pairs).",
        ),
    ] = None,
    output: Annotated[Path | None, output_option("the results")] = None,
    model: ModelOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=QUIET_HELP)] = False,
) -> None:
    """Score two statements, or every pair of a file (--pairs), on the STS scale 0-5.

    Each result: calibrated score, band words, raw cosine; pairs stream out in input order.
    """
    from . import common

    with common.errors_to_exit_codes():
        if pairs is not None:
            if a is not None:
                raise UsageError("give two statements or --pairs FILE, not both")
            _score_file(pairs, fmt or PairFormat.JSONL, output, model, quiet)
            return
        if a is None or b is None:
            raise UsageError('give two statements (alignaudit score "A" "B") or --pairs FILE')
        _score_two(a, b, fmt, output, model, quiet)


def _score_two(
    a: str, b: str, fmt: PairFormat | None, output: Path | None, model: str | None, quiet: bool
) -> None:
    from .. import api
    from ..embedding.store import no_progress, run_embedder
    from ..features.pairs import ScoredPair, statement
    from ..formats import pairs_out
    from . import common

    a, b = statement(a, "A"), statement(b, "B")  # before the model is loaded
    with run_embedder(common.load_embedder(model), progress=no_progress) as embedder:
        result = api.score(a, b, embedder=embedder)
    if fmt is None:
        text = pairs_out.single(result)
    else:
        scored = ScoredPair(None, 1, a, b, result.score, result.band, result.raw)
        text = "".join(pairs_out.lines([scored], fmt, width=width(output)))
    emit(text, output, quiet, "1 pair")


def _score_file(
    path: str, fmt: PairFormat, output: Path | None, model: str | None, quiet: bool
) -> None:
    from ..embedding.store import no_progress, run_embedder
    from ..features.pairs import file_size, open_pairs, score_pairs
    from ..formats import pairs_out
    from . import common

    if path == "-" and output is None and sys.stdin.isatty() and not quiet:
        common.stderr.print("reading pairs from standard input (Ctrl-D to end)", markup=False)
    # Results streaming to a terminal show the progress themselves; a bar would garble them.
    quiet_bar = quiet or (output is None and sys.stdout.isatty())
    with (
        open_pairs(path) as reader,
        progress(quiet_bar) as bar,
        _sink(output) as out,
        run_embedder(common.load_embedder(model), progress=no_progress) as embedder,
    ):
        task = bar.add_task("scoring pairs", total=file_size(path))
        count = 0

        def tracked(results: Iterator[ScoredPair]) -> Iterator[ScoredPair]:
            nonlocal count
            for r in results:
                count += 1
                bar.update(task, completed=reader.position)
                yield r

        scored = tracked(score_pairs(reader, embedder))
        try:
            for line in pairs_out.lines(scored, fmt, width=width(output)):
                out.write(line)
        except BrokenPipeError:  # `| head`: the reader has what it wanted
            _silence_stdout()
            raise typer.Exit(0) from None
        _check(reader)
    if output is not None and not quiet:
        common.stderr.print(
            f"wrote {output} ({count:,} pair{'' if count == 1 else 's'})",
            markup=False,
            soft_wrap=True,
        )


def _check(reader: PairReader) -> None:
    error = reader.error()
    if error is not None:
        raise error


@contextmanager
def _sink(output: Path | None) -> Iterator[TextIO]:
    if output is None:
        with nullcontext(sys.stdout) as out:
            yield out
            out.flush()
        return
    from ..inputs.atomic import atomic_stream

    with atomic_stream(output) as out:
        yield out


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush is
    silent too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass

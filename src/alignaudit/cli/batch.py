"""`alignaudit batch`: audit many teams in one run and rank them.

Registered in cli/__init__.py; the work is alignaudit.features.batch, imported when the
command runs.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.errors import InputError, UsageError
from ..core.types import Foundation
from .emit import layout
from .options import FoundationOption, ModelOption, output_option
from .progress import embedded

if TYPE_CHECKING:
    from ..core.results import TeamReport
    from ..features.batch import TeamFailure


class BatchFormat(StrEnum):
    """What `batch` writes: a table of the teams ranked by agreement, or one JSON report per team
    and line."""

    TABLE = "table"
    JSONL = "jsonl"


def batch(
    dirs: Annotated[
        list[Path],
        typer.Argument(
            help="Team folders, or folders whose sub-folders are teams.",
            show_default=False,
            metavar="DIR",
        ),
    ],
    fmt: Annotated[
        BatchFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="table: teams ranked by agreement; jsonl: one JSON report per team.",
        ),
    ] = BatchFormat.TABLE,
    output: Annotated[Path | None, output_option("the output")] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option(
            "--jsonl",
            help="Also write one JSON report per team to FILE (JSON Lines); - is standard "
            "output, when the output goes to a file.",
        ),
    ] = None,
    model: ModelOption = None,
    foundation: FoundationOption = None,
    strict: Annotated[
        bool,
        typer.Option(help="Stop with exit code 2 when any team is broken, instead of skipping it."),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="No progress bar and no messages on stderr (problems are still reported).",
        ),
    ] = False,
) -> None:
    """Audit many teams in one run and rank them by agreement.

    Each distinct statement is embedded once. A broken team is skipped unless --strict.
    """
    from ..core.types import AuditOptions
    from ..features.batch import audit_teams, discover, load_teams, rank, statements
    from ..inputs.atomic import is_stdout
    from . import common

    with common.errors_to_exit_codes():
        if is_stdout(jsonl) and output is None:
            raise UsageError(
                "--jsonl -: the output goes to standard output too; give it a file "
                "(-o FILE) or --jsonl one"
            )
        found, failures = discover(dirs)
        teams, broken = load_teams(found)
        failures += broken
        _stop_or_skip(failures, strict)
        if not teams:
            raise UsageError("no team to audit: every folder given was skipped")
        options = AuditOptions(
            foundations=tuple(f for f in Foundation if not foundation or f in foundation)
        )
        with embedded(model, statements(teams, options), quiet) as (embedder, bar):
            task = bar.add_task(f"auditing {len(teams):,} teams", total=len(teams))
            result = audit_teams(teams, embedder, options, on_team=lambda _: bar.advance(task))
        _stop_or_skip(list(result.failures), strict)
        if not result.reports:
            raise UsageError("no team to audit: every folder given was skipped")
        _write(rank(result.reports), list(result.reports), fmt, output, jsonl, quiet)


def _stop_or_skip(failures: list[TeamFailure], strict: bool) -> None:
    """With --strict, broken teams end the run (exit 2); otherwise they are listed and skipped."""
    from . import common

    if not failures:
        return
    if strict:
        raise InputError([p for f in failures for p in f.problems])
    for f in failures:
        common.stderr.print(f"skipped {f.path}:", markup=False, soft_wrap=True)
        for problem in f.problems:
            common.stderr.print(f"  {problem}", markup=False, soft_wrap=True)


def _write(
    ranked: list[TeamReport],
    found: list[TeamReport],
    fmt: BatchFormat,
    output: Path | None,
    jsonl: Path | None,
    quiet: bool,
) -> None:
    import sys

    from ..formats import batch_table
    from ..inputs.atomic import is_stdout, write_atomic
    from . import common

    if fmt is BatchFormat.JSONL:
        text = batch_table.jsonl(found)
    else:
        colour, width = layout(output)
        text = batch_table.render(ranked, color=colour, width=width)
    written = []
    if jsonl is not None:
        write_atomic(jsonl, batch_table.jsonl(found))
        if not is_stdout(jsonl):
            written.append(f"wrote {jsonl} ({len(found)} reports)")
    if output is not None:
        write_atomic(output, text)
        written.append(f"wrote {output}")
    else:
        sys.stdout.write(text)
    if not quiet:
        for line in written:
            common.stderr.print(line, markup=False, soft_wrap=True)

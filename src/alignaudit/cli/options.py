"""Options several commands share, declared once so their names and help never drift."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..core.types import Foundation

ModelOption = Annotated[
    str | None,
    typer.Option(
        help="e5-small (the default: multilingual-e5-small, many languages, no torch), "
        "ensemble (e5-small and MiniLM together), minilm (English), or a local "
        "sentence-transformers folder (no fitted tables: verdicts read can't tell)."
    ),
]
FoundationOption = Annotated[
    list[Foundation] | None,
    typer.Option("--foundation", help="Only this foundation (repeatable).", case_sensitive=False),
]


def stdout_dash(value: Path | None) -> Path | None:
    """The --output callback: `-o -` is standard output, the same as no -o, so each command's
    "no file" path (colour, width, no "wrote FILE" note) serves it."""
    from ..inputs.atomic import is_stdout

    return None if is_stdout(value) else value


def output_option(what: str) -> Any:
    """The -o/--output option of a command that writes `what` ("the report"): a file written
    atomically, a device or pipe written in place, or `-` for standard output."""
    return typer.Option(
        "--output",
        "-o",
        help=f"Write {what} to FILE (atomically); - is standard output.",
        callback=stdout_dash,
    )

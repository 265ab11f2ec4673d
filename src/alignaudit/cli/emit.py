"""A command's finished text: how wide and coloured to render it, and where it goes (standard
output, or --output through output.write_atomic; `-o -` arrives here as no --output)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def layout(output: Path | None, *, terminal: bool = True) -> tuple[bool, int]:
    """(colour, width) to render with: colour and the terminal's width only when a terminal
    format goes to a colour terminal; otherwise (files, pipes, NO_COLOR) 80 columns. Never
    narrower than 60."""
    from . import common

    colour = terminal and output is None and common.use_colour()
    width = shutil.get_terminal_size((80, 24)).columns if colour else 80
    return colour, max(width, 60)


def emit(text: str, output: Path | None, quiet: bool, what: str | None = None) -> None:
    """A file is written whole or not at all (output.write_atomic); the note that it was
    written goes to standard error, so standard output stays clean for pipes."""
    from ..inputs.atomic import write_atomic
    from . import common

    if output is None:
        sys.stdout.write(text)
        return
    write_atomic(output, text)
    if not quiet:
        detail = f" ({what})" if what else ""
        common.stderr.print(f"wrote {output}{detail}", markup=False, soft_wrap=True)

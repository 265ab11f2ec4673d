"""A command's finished text: how wide and coloured to render it, and where it goes (standard
output, or --output through output.write_atomic; `-o -` arrives here as no --output)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PLAIN_WIDTH = 80  # files and pipes, where no width is known or asked for
MIN_WIDTH = 60  # never narrower: the tables need this much


def width(output: Path | None) -> int:
    """How many columns plain or coloured text is rendered in: COLUMNS when it is set to a
    positive whole number (the reader asked for it, whatever the output), else the width of
    the terminal standard output goes to, else (files, pipes) PLAIN_WIDTH; never under
    MIN_WIDTH."""
    asked = os.environ.get("COLUMNS", "").strip()
    if asked.isascii() and asked.isdigit() and int(asked) > 0:
        return max(int(asked), MIN_WIDTH)
    if output is None and sys.stdout.isatty():
        try:
            return max(os.get_terminal_size(sys.stdout.fileno()).columns, MIN_WIDTH)
        except (OSError, ValueError):
            pass  # a terminal that will not say its size (or a replaced stdout)
    return PLAIN_WIDTH


def layout(output: Path | None, *, terminal: bool = True) -> tuple[bool, int]:
    """(colour, width) to render with: colour only when a terminal format goes to a colour
    terminal (never to files, pipes or under NO_COLOR); the width as width() finds it."""
    from . import common

    colour = terminal and output is None and common.use_colour()
    return colour, width(output)


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

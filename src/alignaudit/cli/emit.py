"""A command's finished output, text or bytes: how wide and coloured to render it, and where it
goes (standard output, or --output through write_atomic; `-o -` arrives here as no --output)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..core.errors import UsageError
from ..core.types import Format

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


def refuse_terminal(fmt: Format, output: Path | None) -> None:
    """A binary format (PDF, slides) with no -o while standard output is a terminal: a usage
    error before any work, since the bytes would only garble the screen. A pipe or a
    redirection takes them."""
    if fmt.binary and output is None and sys.stdout.isatty():
        raise UsageError(
            f"--format {fmt.value} writes a binary file: give it one with -o FILE "
            "(or redirect standard output)"
        )


def emit(content: str | bytes, output: Path | None, quiet: bool, what: str | None = None) -> None:
    """A file is written whole or not at all (output.write_atomic), text or bytes; the note
    that it was written goes to standard error, so standard output stays clean for pipes.
    Bytes go to standard output only when it is not a terminal."""
    from ..inputs.atomic import STDOUT, write_atomic
    from . import common

    if output is None:
        if isinstance(content, str):
            sys.stdout.write(content)
        else:
            write_atomic(STDOUT, content)
        return
    write_atomic(output, content)
    if not quiet:
        detail = f" ({what})" if what else ""
        common.stderr.print(f"wrote {output}{detail}", markup=False, soft_wrap=True)

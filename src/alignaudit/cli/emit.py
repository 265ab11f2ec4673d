"""A command's finished output, text or bytes: how wide and coloured to render it, and where it
goes (standard output, or --output through write_atomic; `-o -` arrives here as no --output)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ..core.errors import UsageError
from ..core.types import Format


def layout(output: Path | None, *, terminal: bool = True) -> tuple[bool, int]:
    """(colour, width) to render with: colour and the terminal's width only when a terminal
    format goes to a colour terminal; otherwise (files, pipes, NO_COLOR) 80 columns. Never
    narrower than 60."""
    from . import common

    colour = terminal and output is None and common.use_colour()
    width = shutil.get_terminal_size((80, 24)).columns if colour else 80
    return colour, max(width, 60)


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

"""Deliver a command's finished text: to standard output, or atomically to --output."""

from __future__ import annotations

import sys
from pathlib import Path


def emit(text: str, output: Path | None, quiet: bool, what: str | None = None) -> None:
    """A file is written whole or not at all (output.write_atomic); the note that it was
    written goes to standard error, so standard output stays clean for pipes."""
    from .. import cli
    from ..output import write_atomic

    if output is None:
        sys.stdout.write(text)
        return
    write_atomic(output, text)
    if not quiet:
        detail = f" ({what})" if what else ""
        cli.stderr.print(f"wrote {output}{detail}", markup=False, soft_wrap=True)

"""The command line: parse options, call the library, pick a format, map errors to exit codes.

Nothing here scores or renders; sentence-transformers is imported only when a statement is
embedded, so --help and --version stay fast.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ._version import __version__
from .commands.batch import batch
from .commands.compare import compare
from .commands.score import score
from .errors import EXIT_INTERNAL, AlignAuditError, InputError, UsageError
from .formats import Format
from .model import AuditOptions, Foundation

app = typer.Typer(
    help="Measure whether a management team agrees on its vision, mission, values and positioning.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=True,
)
stderr = Console(stderr=True, highlight=False)


def load_embedder(model: str | None):  # type: ignore[no-untyped-def]
    """The embedder for a run; tests replace this with a deterministic fake."""
    from .embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model)


@contextmanager
def errors_to_exit_codes() -> Iterator[None]:
    """One place where the project's errors become a message on stderr and an exit code."""
    try:
        yield
    except InputError as exc:
        for problem in exc.problems:
            stderr.print(f"error: {problem}", markup=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None
    except AlignAuditError as exc:
        stderr.print(f"error: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        stderr.print("interrupted", markup=False)
        raise typer.Exit(130) from None
    except typer.Exit:
        raise
    except Exception as exc:  # a bug: say so plainly, without statement text or locals
        stderr.print(
            f"internal error: {type(exc).__name__}; please report it "
            "(set ALIGNAUDIT_DEBUG=1 for a traceback)",
            markup=False,
        )
        if os.environ.get("ALIGNAUDIT_DEBUG"):
            raise
        raise typer.Exit(EXIT_INTERNAL) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"alignaudit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Measure whether a management team agrees on its foundations."""


def use_colour() -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


@app.command()
def audit(
    team_dir: Annotated[Path, typer.Argument(help="Folder with one YAML answer file per manager.")],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="Report format.", case_sensitive=False)
    ] = Format.TERMINAL,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to FILE (atomically)."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(help="Local model folder or cached model name (default: bundled MiniLM)."),
    ] = None,
    foundation: Annotated[
        list[Foundation] | None,
        typer.Option(
            "--foundation", help="Only this foundation (repeatable).", case_sensitive=False
        ),
    ] = None,
    reference: Annotated[
        Path | None,
        typer.Option(help="The firm's published foundations (answer-file format, no manager)."),
    ] = None,
    theme: Annotated[
        list[str] | None,
        typer.Option("--theme", help="How strongly each answer reflects THEME (repeatable)."),
    ] = None,
    anonymize: Annotated[
        bool, typer.Option(help="Show managers as Manager A, B, ... in every format.")
    ] = False,
    anonymize_key: Annotated[
        Path | None,
        typer.Option(help="With --anonymize, write the alias -> name key to this file."),
    ] = None,
) -> None:
    """Audit a team: agreement per foundation, who stands apart, and in which words."""
    from .anonymize import anonymize as make_anonymous
    from .answers import load_reference, load_team
    from .audit import audit as run_audit
    from .formats import render
    from .output import write_atomic

    with errors_to_exit_codes():
        if anonymize_key is not None and not anonymize:
            raise UsageError("--anonymize-key needs --anonymize")
        team = load_team(team_dir)
        options = AuditOptions(
            foundations=tuple(f for f in Foundation if not foundation or f in foundation),
            reference=load_reference(reference) if reference is not None else None,
            themes=tuple(dict.fromkeys(t.strip() for t in theme or () if t.strip())),
        )
        if anonymize:
            team, key = make_anonymous(team)
            if anonymize_key is not None:
                write_atomic(anonymize_key, "".join(f"{a}: {n}\n" for a, n in key.items()))
        report = run_audit(team, load_embedder(model), options)
        colour = fmt is Format.TERMINAL and output is None and use_colour()
        width = shutil.get_terminal_size((80, 24)).columns if colour else 80
        text = render(report, fmt, color=colour, width=max(width, 60))
        if output is not None:
            write_atomic(output, text)
            stderr.print(f"wrote {output}", markup=False)
        else:
            sys.stdout.write(text)


app.command()(score)
app.command()(batch)
app.command()(compare)


def main() -> None:
    app(prog_name="alignaudit")

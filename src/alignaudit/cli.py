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
from typing import Annotated, Any

import typer

from ._version import __version__
from .commands import cache as cache_commands
from .commands import validate as validate_command
from .errors import EXIT_INTERNAL, AlignAuditError, InputError
from .formats import Format
from .model import Foundation

app = typer.Typer(
    help="Measure whether a management team agrees on its vision, mission, values and positioning.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: rich's help formatter costs ~0.15 s of start-up
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=True,
)


class _LazyConsole:
    """rich's stderr Console, made on first use: importing rich costs ~50 ms of every start."""

    _console: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True, highlight=False)
        return getattr(self._console, name)


stderr = _LazyConsole()


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
    cache_dir: Annotated[
        Path | None,
        typer.Option(envvar="ALIGNAUDIT_CACHE_DIR", help="Embedding cache folder."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the embedding cache.")
    ] = False,
    backend: Annotated[
        str, typer.Option(help="torch, or onnx (needs alignaudit[onnx]; no torch once exported).")
    ] = "torch",
) -> None:
    """Audit a team: agreement per foundation, who diverges, and in which words."""
    from .answers import load_team
    from .audit import audit as run_audit
    from .cache import run_embedder
    from .output import write_atomic

    with errors_to_exit_codes():
        team = load_team(team_dir)
        chosen = tuple(f for f in Foundation if not foundation or f in foundation)
        embedder = load_embedder(model)
        with run_embedder(embedder, cache_dir=cache_dir, no_cache=no_cache, backend=backend) as emb:
            report = run_audit(team, emb, foundations=chosen)
        if fmt is Format.JSON:
            from .formats import json as json_format

            text = json_format.render(report)
        else:
            from .formats import terminal

            colour = output is None and use_colour()
            width = shutil.get_terminal_size((80, 24)).columns if colour else 80
            text = terminal.render(report, color=colour, width=max(width, 60))
        if output is not None:
            write_atomic(output, text)
            stderr.print(f"wrote {output}", markup=False)
        else:
            sys.stdout.write(text)


app.add_typer(cache_commands.app, name="cache")
app.command()(validate_command.validate)


def main() -> None:
    app(prog_name="alignaudit")

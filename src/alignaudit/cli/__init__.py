"""The command line: parse options, call the library, pick a format, map errors to exit codes.

Each command lives in a module of its own here and only parses, calls the library and renders
(common.py holds what they share); nothing here scores or renders, and each command's heavy
imports stay in its body, so --help and --version stay fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .._version import __version__

app = typer.Typer(
    help="Measure whether a management team agrees on its vision, mission, values and positioning.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: rich's help formatter slows start-up
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=True,
)


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


def _register() -> None:
    """Commands that live in their own modules (their heavy imports stay in their bodies)."""
    from . import cache, collect
    from .audit import audit
    from .batch import batch
    from .compare import compare
    from .score import score
    from .validate import validate

    app.command()(audit)
    app.command()(validate)
    collect.register(app)  # init, collect, status: the front half of an audit
    app.command()(score)
    app.command()(batch)
    app.command()(compare)
    app.add_typer(cache.app, name="cache")


_register()


def main() -> None:
    """The `alignaudit` command. SIGTERM ends it with exit code 143 after cleanup (a report
    being written leaves no temporary file), as Ctrl-C does with 130."""
    from ..inputs.atomic import sigterm_exits

    with sigterm_exits():
        app(prog_name="alignaudit")

"""The command line: parse options, call the library, pick a format, map errors to exit codes.

Nothing here scores or renders; sentence-transformers is imported only when a statement is
embedded, so --help and --version stay fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from ._version import __version__
from .commands.emit import emit, layout
from .commands.options import FoundationOption, ModelOption, stdout_dash
from .errors import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_INTERNAL,
    AlignAuditError,
    InputError,
    UsageError,
)
from .formats import Format
from .model import AuditOptions
from .text import inert

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
    """The embedder for a run (catalogue.build); tests replace this with a deterministic fake."""
    from .catalogue import build

    return build(model)


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
    except OSError as exc:
        if exc.filename is None or os.environ.get("ALIGNAUDIT_DEBUG"):
            _internal(exc)
            raise
        # A path the user gave that the system refuses (too long a name, a loop): their input
        stderr.print(
            f"error: {inert(str(exc.filename))}: {exc.strerror}", markup=False, soft_wrap=True
        )
        raise typer.Exit(EXIT_INPUT) from None
    except Exception as exc:
        _internal(exc)
        raise


def _internal(exc: Exception) -> None:
    """A bug: say so plainly, without statement text or locals; exit 3 unless
    ALIGNAUDIT_DEBUG asks for the traceback (then the caller re-raises)."""
    stderr.print(
        f"internal error: {type(exc).__name__}; please report it "
        "(set ALIGNAUDIT_DEBUG=1 for a traceback)",
        markup=False,
    )
    if not os.environ.get("ALIGNAUDIT_DEBUG"):
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
        Format | None,
        typer.Option(
            "--format", "-f", help="Report format [default: terminal].", case_sensitive=False
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report to FILE (atomically); - is standard output.",
            callback=stdout_dash,
        ),
    ] = None,
    model: ModelOption = None,
    foundation: FoundationOption = None,
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
        typer.Option(
            help="With --anonymize, write the alias -> name key to this file (- is standard "
            "output, when the report goes to a file)."
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="Config file [default: TEAM_DIR/alignaudit.yaml when present]."),
    ] = None,
    fail_under: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Exit 1 when the overall index is under this."),
    ] = None,
    fail_under_foundation: Annotated[
        list[str] | None,
        typer.Option(help="Exit 1 when a foundation's index is under: vision=0.6 (repeatable)."),
    ] = None,
    fail_on_missing: Annotated[
        bool, typer.Option(help="Exit 1 when any manager left a foundation unanswered.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No messages on stderr.")] = False,
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
    """Audit a team: agreement per foundation, who stands apart, and in which words.

    Exit codes: 0 thresholds met (or none set), 1 a threshold not met, 2 input or usage
    error, 3 model or internal error.
    """
    from .anonymize import anonymize as make_anonymous
    from .answers import load_reference, load_team
    from .audit import audit as run_audit
    from .cache import run_embedder
    from .config import OVERALL, parse_threshold, settings_for
    from .formats import render
    from .gate import evaluate
    from .output import is_stdout, write_atomic
    from .text import clean

    with errors_to_exit_codes():
        if anonymize_key is not None and not anonymize:
            raise UsageError("--anonymize-key needs --anonymize")
        if is_stdout(anonymize_key) and output is None:
            raise UsageError(
                "--anonymize-key -: the report goes to standard output too; give the report "
                "a file (-o FILE) or the key one"
            )
        thresholds = {} if fail_under is None else {OVERALL: fail_under}
        for item in fail_under_foundation or ():
            try:
                key, value = parse_threshold(item)
            except ValueError as exc:
                raise UsageError(f"--fail-under-foundation {item}: {exc}") from None
            thresholds[key] = value
        settings = settings_for(
            team_dir,
            config,
            model=model,
            foundations=tuple(foundation or ()),
            thresholds=thresholds,
            fail_on_missing=fail_on_missing,
            reference=str(reference) if reference is not None else None,
            themes=tuple(dict.fromkeys(t for t in map(clean, theme or ()) if t)),
            fmt=fmt,
        )
        team = load_team(team_dir)
        options = AuditOptions(
            foundations=settings.foundations,
            reference=load_reference(settings.reference) if settings.reference else None,
            themes=settings.themes,
        )
        if anonymize:
            team, aliases = make_anonymous(team)
            if anonymize_key is not None:
                write_atomic(anonymize_key, "".join(f"{a}: {n}\n" for a, n in aliases.items()))
        embedder = load_embedder(settings.model)
        with run_embedder(embedder, cache_dir=cache_dir, no_cache=no_cache, backend=backend) as emb:
            report = run_audit(team, emb, options)
        gate = None
        if settings.thresholds or settings.required or settings.fail_on_missing:
            gate = evaluate(
                report, settings.thresholds, settings.required, settings.fail_on_missing
            )
        report = replace(report, gate=gate, anonymized=anonymize)
        chosen = settings.format
        colour, width = layout(output, terminal=chosen is Format.TERMINAL)
        emit(render(report, chosen, color=colour, width=width), output, quiet)
        if gate is not None and not gate.passed:
            for check in gate.failures:
                stderr.print(f"threshold not met: {check.message}", markup=False)
            raise typer.Exit(EXIT_FINDINGS)


def _register() -> None:
    """Commands that live in their own modules (their heavy imports stay in their bodies)."""
    from .commands import cache, collect
    from .commands.batch import batch
    from .commands.compare import compare
    from .commands.score import score
    from .commands.validate import validate

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
    from .output import sigterm_exits

    with sigterm_exits():
        app(prog_name="alignaudit")

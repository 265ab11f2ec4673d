"""What every command shares: the stderr console, the one place errors become exit codes,
colour, and the embedder factory (a context variable, so a caller such as a test injects a
model without replacing anything in this package)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import typer

from ..core.errors import EXIT_INPUT, EXIT_INTERNAL, AlignAuditError, InputError
from ..core.text import inert

if TYPE_CHECKING:
    from ..embedding.interface import Embedder

EmbedderFactory = Callable[[str | None], "Embedder"]


class _LazyConsole:
    """rich's stderr Console, made on first use: importing rich slows every start."""

    _console: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True, highlight=False)
        return getattr(self._console, name)


stderr = _LazyConsole()


def catalogue_embedder(model: str | None) -> Embedder:
    """The catalogue's model for `--model` (catalogue.build): the factory commands use unless
    one is injected."""
    from ..scoring.catalogue import build

    return build(model)


embedder_factory: ContextVar[EmbedderFactory] = ContextVar(
    "embedder_factory", default=catalogue_embedder
)


def load_embedder(model: str | None) -> Embedder:
    """The embedder for a run, from the factory in effect (embedder_factory)."""
    return embedder_factory.get()(model)


@contextmanager
def injected(factory: EmbedderFactory) -> Iterator[None]:
    """Within the block, commands build their model with `factory`."""
    token = embedder_factory.set(factory)
    try:
        yield
    finally:
        embedder_factory.reset(token)


def use_colour() -> bool:
    """Whether standard output gets colour: only on a terminal, and never under NO_COLOR or
    TERM=dumb."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


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

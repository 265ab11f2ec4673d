"""Progress bars for long work: on stderr, and only when stderr is a terminal and the run is
not --quiet, so pipes, files and CI logs never see control characters."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console


class NoProgress:
    """Stands in for rich.progress.Progress when nothing should be shown."""

    def add_task(self, description: str, total: float | None = None, **fields: Any) -> int:
        return 0

    def update(self, task: int, **fields: Any) -> None:
        return None

    def advance(self, task: int, advance: float = 1) -> None:
        return None


def wanted(quiet: bool, stream: Any = None) -> bool:
    """Whether to show progress: not --quiet, and the stream (stderr unless given) is a terminal."""
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return not quiet and callable(isatty) and bool(isatty())


@contextmanager
def progress(quiet: bool, *, console: Console | None = None) -> Iterator[Any]:
    """A rich Progress on stderr when wanted, else a NoProgress; use add_task/update/advance."""
    if console is None and not wanted(quiet):
        yield NoProgress()
        return
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
        transient=True,
        # Never capture stdout: results written meanwhile must reach stdout (a pipe, a file),
        # not the progress bar's console on stderr.
        redirect_stdout=False,
        redirect_stderr=False,
    ) as bar:
        yield bar


@contextmanager
def embedded(model: str | None, texts: list[str], quiet: bool) -> Iterator[tuple[Any, Any]]:
    """The model under the persistent cache and this run's memo, with `texts` already
    embedded in one go (a spinner while it runs); yields the embedder and the progress bar
    for the work that follows."""
    from ..embedding.memo import MemoEmbedder
    from ..embedding.store import no_progress, run_embedder
    from . import common

    with (
        run_embedder(common.load_embedder(model), progress=no_progress) as cached,
        progress(quiet) as bar,
    ):
        embedder = MemoEmbedder(cached)
        task = bar.add_task(f"embedding {len(texts):,} statements", total=None)
        embedder.prefetch(texts)
        bar.update(task, total=1, completed=1)
        yield embedder, bar

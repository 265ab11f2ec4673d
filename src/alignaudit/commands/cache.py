"""`alignaudit cache info|clear`: look at and empty the embedding cache (see cache.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Inspect or empty the embedding cache.", no_args_is_help=True, rich_markup_mode=None
)

CacheDir = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        envvar="ALIGNAUDIT_CACHE_DIR",
        help="Cache folder (default: $XDG_CACHE_HOME/alignaudit or ~/.cache/alignaudit).",
    ),
]


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


@app.command()
def info(cache_dir: CacheDir = None) -> None:
    """Where the cache is, how big, which models it holds, and whether it is intact."""
    from ..cache import VectorCache

    with VectorCache(cache_dir) as cache:
        i = cache.info()
    typer.echo(f"folder: {i.folder}")
    if not i.exists:
        typer.echo("database: none yet (the first audit creates it)")
    else:
        typer.echo(
            f"database: {i.database} ({_size(i.bytes)}{', read-only' if i.read_only else ''})"
        )
        typer.echo(f"integrity: {i.integrity}")
        typer.echo(f"remembered weight hashes: {i.digests}")
        if not i.models:
            typer.echo("vectors: none")
        for m in i.models:
            typer.echo(
                f"vectors: {m.vectors} from {m.name} (sha256 {m.sha256[:12]}, "
                f"{m.variant or 'default'}, {m.dim} dims)"
            )
    if i.onnx_bytes:
        typer.echo(f"onnx exports: {_size(i.onnx_bytes)}")
    for p in i.set_aside:
        typer.echo(f"set aside (damaged): {p}")


@app.command()
def clear(cache_dir: CacheDir = None) -> None:
    """Delete the cache (vectors, remembered hashes, ONNX exports, damaged files set aside):
    only files the tool wrote, each listed."""
    from ..cache import VectorCache

    removed = VectorCache(cache_dir).clear()
    for path in removed:  # each one, so nothing goes unseen
        typer.echo(f"removed {path}")
    typer.echo(f"removed {len(removed)} path(s) from {VectorCache(cache_dir).folder}")

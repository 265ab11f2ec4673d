"""`alignaudit cache info|clear|verify`: look at, empty and check the embedding cache (see
cache.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .options import ModelOption

if TYPE_CHECKING:
    from ..embedding.store import Verification

app = typer.Typer(
    help="Inspect, empty or check the embedding cache.", no_args_is_help=True, rich_markup_mode=None
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
    from ..embedding.store import VectorCache

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
    from ..embedding.store import VectorCache

    removed = VectorCache(cache_dir).clear()
    for path in removed:  # each one, so nothing goes unseen
        typer.echo(f"removed {path}")
    typer.echo(f"removed {len(removed)} path(s) from {VectorCache(cache_dir).folder}")


@app.command()
def verify(
    team_dirs: Annotated[
        list[Path],
        typer.Argument(
            help="Team folders audited with this cache: their statements are re-embedded.",
            show_default=False,
        ),
    ],
    model: ModelOption = None,
    sample: Annotated[
        int, typer.Option(min=1, help="Re-embed this many cached vectors per model, at random.")
    ] = 50,
    check_all: Annotated[
        bool, typer.Option("--all", help="Re-embed every cached vector the statements key.")
    ] = False,
    backend: Annotated[
        str, typer.Option(help="The backend the audits used: torch, or onnx (--model minilm).")
    ] = "torch",
    cache_dir: CacheDir = None,
) -> None:
    """Re-embed cached vectors with their model and report any that differ.

    Whoever can write the cache sets every figure, and a vector of their choosing passes every
    other check. The cache keeps no statement text (only its sha256), so the texts come from
    the team folders: every vector an audit of them reads (each statement's own and its
    team-discounted index vector) can be checked; the others are counted as not checkable.
    The model is each team's, as an audit picks it (--model, else the team's alignaudit.yaml,
    else the default); its weights are hashed afresh, not taken from the cache. The cache is
    opened read-only. Mismatches are shown by key (the stored sha256), never by text.

    Exit codes: 0 every vector checked matches (or none to check), 1 a mismatch or an
    unreadable cache, 2 input or usage error, 3 model or internal error.
    """
    from ..core.errors import EXIT_FINDINGS, UsageError
    from ..embedding.interface import Embedder
    from ..embedding.store import ONNX_DIR, Source, VectorCache, fingerprint
    from ..embedding.store import verify as check
    from ..embedding.transformers import BACKENDS
    from ..inputs.answers import load_reference, load_team
    from ..inputs.config import settings_for
    from . import common

    with common.errors_to_exit_codes():
        if backend not in BACKENDS:
            raise UsageError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
        by_model: dict[str | None, list[Source]] = {}
        for team_dir in team_dirs:
            settings = settings_for(team_dir, None, model=model)
            team = load_team(team_dir)
            reference = load_reference(settings.reference) if settings.reference else None
            by_model.setdefault(settings.model, []).append(
                Source.of_team(str(team_dir), team, reference, settings.themes)
            )
        with VectorCache(cache_dir, warn=lambda _: None, read_only=True) as cache:
            typer.echo(f"cache: {cache.path}")
            held = cache.fingerprints() if cache.path.is_file() else {}
            if cache.disabled:  # damaged, or not a cache of this version: audits rebuild it
                common.stderr.print(
                    f"error: cannot read {cache.path}: {cache.disabled}",
                    markup=False,
                    soft_wrap=True,
                )
                raise typer.Exit(EXIT_FINDINGS)
            if not any(m.vectors for m in held.values()):
                typer.echo("no vectors in the cache: nothing to verify")
                return
            groups: dict[str, tuple[Embedder, list[Source]]] = {}
            for spec, sources in by_model.items():
                embedder = common.load_embedder(spec)
                # no digests: the weights are hashed here, not taken from the cache checked
                embedder.configure(backend=backend, export_dir=cache.folder / ONNX_DIR)
                key = fingerprint(embedder) or f"unhashed {spec}"
                groups.setdefault(key, (embedder, []))[1].extend(sources)  # default = its key
            chosen = None if check_all else sample
            results = [check(cache, e, s, sample=chosen) for e, s in groups.values()]
        for r in results:
            _report(r)
        checked = {r.fingerprint for r in results}
        for fp, m in held.items():
            if fp not in checked and m.vectors:
                typer.echo(
                    f"not checked: {m.vectors} vector(s) of another model, {m.name} "
                    f"(sha256 {m.sha256[:12]}, {m.variant or 'default'}); pass its --model"
                )
        wrong = sum(len(r.mismatches) for r in results)
        checked_count = sum(sum(r.checked.values()) for r in results)
        if wrong:
            typer.echo(f"{wrong} of {checked_count} vector(s) checked do not match their model")
            raise typer.Exit(EXIT_FINDINGS)
        if not checked_count:
            typer.echo("nothing checked: no cached vector belongs to a statement of these teams")
            return
        typer.echo(f"all {checked_count} vector(s) checked match their model")


def _kinds(counts: dict[str, int]) -> str:
    shown = [f"{kind}: {n}" for kind, n in counts.items() if n]
    return f" ({', '.join(shown)})" if shown else ""


def _report(r: Verification) -> None:
    typer.echo(f"model: {r.model} (sha256 {(r.sha256 or 'none')[:12]}, {r.variant or 'default'})")
    if r.fingerprint is None:
        typer.echo("  no weights hash, so none of its vectors is ever cached: nothing to check")
        return
    found, checked = sum(r.found.values()), sum(r.checked.values())
    typer.echo(f"  cached: {r.cached}; keyed by the teams' statements: {found}{_kinds(r.found)}")
    typer.echo(f"  not checkable: {r.not_checkable} (their statements are not in the teams given)")
    drawn = ", drawn at random" if checked < found else ""
    typer.echo(
        f"  checked: {checked} of {found}{drawn}{_kinds(r.checked)}; "
        f"mismatched: {len(r.mismatches)}"
    )
    for m in r.mismatches:
        typer.echo(f"  mismatch: {m.kind} vector {m.key} ({m.source}): {m.problem}")

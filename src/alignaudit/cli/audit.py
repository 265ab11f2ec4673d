"""`alignaudit audit`: parse the options, run the audit as a library call
(features.audit_run: config, anonymity, model, gate), render the report, set the exit code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.errors import EXIT_FINDINGS, UsageError
from ..core.types import Format
from .common import errors_to_exit_codes, load_embedder, stderr
from .emit import emit, layout, refuse_terminal
from .options import FoundationOption, ModelOption, output_option

if TYPE_CHECKING:
    from ..core.results import TeamReport


def audit(
    team_dir: Annotated[Path, typer.Argument(help="Folder with one YAML answer file per manager.")],
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format", "-f", help="Report format [default: terminal].", case_sensitive=False
        ),
    ] = None,
    output: Annotated[Path | None, output_option("the report")] = None,
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
    min_group: Annotated[
        int,
        typer.Option(
            min=1, help="With --anonymize, the fewest managers a unit or camp is shown with."
        ),
    ] = 3,
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
    per_manager: Annotated[
        Path | None,
        typer.Option(
            help="Also write one confidential HTML page per manager into this folder, for "
            "one-to-one debriefs (not with --anonymize).",
        ),
    ] = None,
) -> None:
    """Audit a team: agreement per foundation, who stands apart, and in which words.

    Exit codes: 0 thresholds met (or none set), 1 a threshold not met, 2 input or usage
    error, 3 model or internal error.
    """
    from ..core.text import clean
    from ..features.audit_run import AuditRequest, run_audit
    from ..formats import render_output, require
    from ..inputs.atomic import is_stdout, write_atomic
    from ..inputs.config import OVERALL, parse_threshold

    with errors_to_exit_codes():
        if fmt is not None:  # before the audit: say what is missing before any work
            refuse_terminal(fmt, output)
            require(fmt)
        if per_manager is not None and anonymize:
            raise UsageError(
                "--per-manager pages name their reader: they cannot be made with --anonymize"
            )
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
        request = AuditRequest(
            config=config,
            model=model,
            foundations=tuple(foundation or ()),
            thresholds=thresholds,
            fail_on_missing=fail_on_missing,
            reference=str(reference) if reference is not None else None,
            themes=tuple(dict.fromkeys(t for t in map(clean, theme or ()) if t)),
            format=fmt,
            anonymize=anonymize,
            min_group=min_group,
            cache_dir=cache_dir,
            no_cache=no_cache,
            backend=backend,
        )
        run = run_audit(team_dir, request, load_embedder)
        if anonymize_key is not None:
            write_atomic(anonymize_key, "".join(f"{a}: {n}\n" for a, n in run.aliases.items()))
        chosen = run.settings.format
        refuse_terminal(chosen, output)  # a format from the config file
        colour, width = layout(output, terminal=chosen is Format.TERMINAL)
        emit(render_output(run.report, chosen, color=colour, width=width), output, quiet)
        if per_manager is not None:
            _manager_pages(run.report, per_manager, quiet)
        if not run.passed:
            for check in run.report.gate.failures if run.report.gate else ():
                stderr.print(f"threshold not met: {check.message}", markup=False)
            raise typer.Exit(EXIT_FINDINGS)


def _manager_pages(report: TeamReport, folder: Path, quiet: bool) -> None:
    """One confidential page per manager (formats/manager_pages.py), each written atomically;
    a folder that cannot be made or written is a usage error (exit 2)."""
    from ..formats import manager_pages
    from ..inputs.atomic import write_atomic

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"--per-manager {folder}: cannot make the folder ({exc.strerror})"
        ) from None
    names: dict[str, str] = {}
    for m in report.team.managers:
        name = manager_pages.file_name(m.name)
        stem, k = name.removesuffix(".html"), 2
        while name in names.values():  # two names that read alike: number the second
            name, k = f"{stem}-{k}.html", k + 1
        names[m.name] = name
    for manager, name in names.items():
        write_atomic(folder / name, manager_pages.render(report, manager))
    if not quiet:
        stderr.print(
            f"wrote {len(names)} confidential page(s), one per manager, to {folder}", markup=False
        )

"""`alignaudit validate`: check answer files and config without loading the model (pre-commit)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..core.errors import InputError, Problem


def validate(
    team_dirs: Annotated[
        list[Path], typer.Argument(help="Team folders to check (answer files and config).")
    ],
    config: Annotated[
        Path | None,
        typer.Option(help="Config file [default: TEAM_DIR/alignaudit.yaml when present]."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print problems only.")] = False,
) -> None:
    """Check teams' files for every problem at once, fast: no model is loaded.

    Exit codes: 0 all valid, 2 problems found (each as file:line:column).
    """
    from ..analysis.guards import one_line_note
    from ..core.types import Foundation
    from ..inputs.answers import load_reference, load_team
    from ..inputs.config import Config, find_config, load_config, resolve
    from ..inputs.tradeoffs import check_ratings
    from . import common

    with common.errors_to_exit_codes():
        problems: list[Problem] = []
        summaries = []
        for team_dir in team_dirs:
            try:
                team = load_team(team_dir)
                path = config if config is not None else find_config(team_dir)
                settings = load_config(path) if path is not None else Config()
                official = load_reference(settings.reference) if settings.reference else None
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            choices = resolve(settings)
            found = check_ratings(team.managers, choices.tradeoffs, choices.rankings)
            if found:
                problems.extend(found)
                continue
            counts = ", ".join(
                f"{f.value} {sum(f in m.answers for m in team.managers)}/{len(team.managers)}"
                for f in Foundation
            )
            rated = sum(bool(m.ratings) for m in team.managers)
            ratings = f"; trade-offs rated by {rated}/{len(team.managers)}" if rated else ""
            summaries.append(
                f"ok: {team_dir}: {len(team.managers)} managers; answered {counts}{ratings}"
            )
            read = [(m.name, m) for m in team.managers]
            read += [("the official statement", official)] if official else []
            for who, m in read:
                for f, answer in m.answers.items():
                    note = one_line_note(who, f, answer)
                    if note is not None:
                        summaries.append(f"note: {m.file}:{answer.line}: {note}")
        if problems:
            raise InputError(problems)
        if not quiet:
            for line in summaries:
                typer.echo(line)

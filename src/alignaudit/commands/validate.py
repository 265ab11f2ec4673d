"""`alignaudit validate TEAM_DIR`: check a team's answer files without loading any model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def validate(
    team_dir: Annotated[Path, typer.Argument(help="Folder with one YAML answer file per manager.")],
) -> None:
    """Check the answer files: every problem with its file:line:column, exit 2 if any."""
    from ..answers import load_team
    from ..cli import errors_to_exit_codes

    with errors_to_exit_codes():
        team = load_team(team_dir)
        typer.echo(f"ok: {len(team.managers)} managers")

"""`alignaudit compare`: two rounds of the same team, what changed and whether beyond noise.

Registered in cli/__init__.py; the work is alignaudit.features.rounds, imported when the
command runs.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..core.errors import InputError, Problem
from ..core.results import TeamReport
from ..core.types import Foundation
from .emit import emit, layout
from .options import FoundationOption, ModelOption, output_option
from .progress import embedded


class CompareFormat(StrEnum):
    """The formats `compare` writes its comparison in."""

    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"  # for the client: before/after bars, no script


def compare(
    before_dir: Annotated[
        Path,
        typer.Argument(
            help="The team folder of the first round.", show_default=False, metavar="BEFORE_DIR"
        ),
    ],
    after_dir: Annotated[
        Path,
        typer.Argument(
            help="The team folder of the second round.", show_default=False, metavar="AFTER_DIR"
        ),
    ],
    fmt: Annotated[
        CompareFormat,
        typer.Option("--format", "-f", case_sensitive=False, help="Output format."),
    ] = CompareFormat.TERMINAL,
    output: Annotated[Path | None, output_option("the comparison")] = None,
    model: ModelOption = None,
    foundation: FoundationOption = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="No progress and no messages on stderr (errors still shown)."
        ),
    ] = False,
) -> None:
    """Compare two rounds of the same team: what changed, and whether beyond noise.

    Change per foundation and per pair, whether beyond noise, and who is in one round only.
    """
    from .. import api
    from ..core.types import AuditOptions
    from ..features.batch import statements
    from ..features.rounds import compare as compare_reports
    from ..formats import comparison
    from ..inputs.config import choices_for
    from ..inputs.tradeoffs import check_ratings
    from . import common

    with common.errors_to_exit_codes():
        teams = []
        rounds: list[AuditOptions] = []
        problems: list[Problem] = []
        chosen = tuple(f for f in Foundation if not foundation or f in foundation)
        for folder in (before_dir, after_dir):  # report both rounds' problems at once
            try:
                team = api.load_team(folder)
                tradeoffs, rankings = choices_for(folder)
            except InputError as exc:
                problems += exc.problems
                continue
            problems += check_ratings(team.managers, tradeoffs, rankings)
            teams.append(team)
            rounds.append(AuditOptions(chosen, tradeoffs=tradeoffs, rankings=rankings))
        if problems:
            raise InputError(problems)
        with embedded(model, statements(teams, rounds[0]), quiet) as (embedder, bar):
            task = bar.add_task("auditing both rounds", total=2)
            reports: list[TeamReport] = []
            for team, options in zip(teams, rounds, strict=True):
                previous = reports[0] if reports else None  # keeps unchanged foundations
                reports.append(api.audit(team, embedder, options, previous=previous))
                bar.advance(task)
        result = compare_reports(reports[0], reports[1])
        if fmt is CompareFormat.JSON:
            text = comparison.render_json(result)
        elif fmt is CompareFormat.MARKDOWN:
            text = comparison.render_markdown(result)
        elif fmt is CompareFormat.HTML:
            from ..formats.comparison_html import render_html

            text = render_html(result)
        else:
            colour, width = layout(output)
            text = comparison.render_terminal(result, color=colour, width=width)
        emit(text, output, quiet)

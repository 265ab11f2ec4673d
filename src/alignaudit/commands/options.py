"""Options several commands share, declared once so their names and help never drift."""

from __future__ import annotations

from typing import Annotated

import typer

from ..model import Foundation

ModelOption = Annotated[
    str | None,
    typer.Option(help="Local model folder or cached model name (default: bundled MiniLM)."),
]
FoundationOption = Annotated[
    list[Foundation] | None,
    typer.Option("--foundation", help="Only this foundation (repeatable).", case_sensitive=False),
]

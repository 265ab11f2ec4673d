"""Output formats: each module turns a TeamReport into a string and does no I/O."""

from __future__ import annotations

from importlib import import_module

from ..core.results import TeamReport
from ..core.types import Format


def render(report: TeamReport, fmt: Format, *, color: bool = False, width: int = 80) -> str:
    """The report in `fmt`; only the terminal format takes colour and width."""
    module = import_module(f"{__name__}.{fmt.value}")
    if fmt is Format.TERMINAL:
        return str(module.render(report, color=color, width=width))
    return str(module.render(report))

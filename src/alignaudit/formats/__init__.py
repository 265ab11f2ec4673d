"""Output formats: each module turns a TeamReport into a string and does no I/O; the CLI
decides where it goes. RENDERERS is the one table from a Format to its module, imported on
first use (the terminal format's rich costs start-up time nobody else should pay)."""

from __future__ import annotations

from importlib import import_module
from typing import Protocol

from ..core.results import TeamReport
from ..core.types import Format


class Renderer(Protocol):
    """A report as text; only the terminal format uses colour and width."""

    def __call__(self, report: TeamReport, *, color: bool = False, width: int = 80) -> str: ...


def _module(name: str, *, sized: bool = False) -> Renderer:
    def render(report: TeamReport, *, color: bool = False, width: int = 80) -> str:
        module = import_module(f"{__name__}.{name}")
        if sized:
            return str(module.render(report, color=color, width=width))
        return str(module.render(report))

    render.__doc__ = f"The report rendered by formats/{name}.py."
    return render


RENDERERS: dict[Format, Renderer] = {
    Format.TERMINAL: _module("terminal", sized=True),
    Format.JSON: _module("json"),
    Format.MARKDOWN: _module("markdown"),
    Format.CSV: _module("csv"),
    Format.HTML: _module("html"),
    Format.JUNIT: _module("junit"),
    Format.GITHUB: _module("github"),
    Format.WORKSHOP: _module("workshop"),
}


def render(report: TeamReport, fmt: Format, *, color: bool = False, width: int = 80) -> str:
    """The report in `fmt`."""
    return RENDERERS[fmt](report, color=color, width=width)

"""Output formats: each module turns a TeamReport into a string, or for a document for the
client (PDF, slides) into bytes, and writes nothing the caller sees; the CLI decides where it
goes. RENDERERS is the one table from a text Format to its module, DOCUMENTS the one for the
binary ones, each imported on first use (the terminal format's rich, WeasyPrint and
python-pptx cost start-up time nobody else should pay)."""

from __future__ import annotations

from importlib import import_module
from typing import Protocol

from ..core.results import TeamReport
from ..core.types import Format


class Renderer(Protocol):
    """A report as text; only the terminal format uses colour and width."""

    def __call__(self, report: TeamReport, *, color: bool = False, width: int = 80) -> str: ...


class Document(Protocol):
    """A report as a binary document (PDF, slides); `require` says what is missing to make it
    before any work is done."""

    def __call__(self, report: TeamReport) -> bytes: ...

    def require(self) -> None: ...


def _module(name: str, *, sized: bool = False) -> Renderer:
    def render(report: TeamReport, *, color: bool = False, width: int = 80) -> str:
        module = import_module(f"{__name__}.{name}")
        if sized:
            return str(module.render(report, color=color, width=width))
        return str(module.render(report))

    render.__doc__ = f"The report rendered by formats/{name}.py."
    return render


class _Binary:
    """A binary format's module, imported on first use."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.__doc__ = f"The report rendered by formats/{name}.py."

    def __call__(self, report: TeamReport) -> bytes:
        return bytes(import_module(f"{__name__}.{self.name}").render(report))

    def require(self) -> None:
        """Raise UsageError naming what to install when the format's library is missing."""
        import_module(f"{__name__}.{self.name}").require()


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
DOCUMENTS: dict[Format, Document] = {
    Format.PDF: _Binary("pdf"),
    Format.PPTX: _Binary("pptx"),
}


def render(report: TeamReport, fmt: Format, *, color: bool = False, width: int = 80) -> str:
    """The report in the text format `fmt` (a binary one is `document`'s)."""
    if fmt.binary:
        raise ValueError(f"{fmt.value} is a binary format: formats.document renders it")
    return RENDERERS[fmt](report, color=color, width=width)


def document(report: TeamReport, fmt: Format) -> bytes:
    """The report in the binary format `fmt` (PDF, slides). Raises UsageError naming what to
    install when its library is missing."""
    return DOCUMENTS[fmt](report)


def render_output(
    report: TeamReport, fmt: Format, *, color: bool = False, width: int = 80
) -> str | bytes:
    """The report in any format: text, or bytes for a binary one."""
    if fmt.binary:
        return document(report, fmt)
    return render(report, fmt, color=color, width=width)


def require(fmt: Format) -> None:
    """Raise UsageError (exit 2) naming what to install when `fmt` needs a library that is not
    there, so a command can say so before it spends time auditing; text formats need none."""
    if fmt.binary:
        DOCUMENTS[fmt].require()

"""A rich console that renders into a string: the terminal-like formats share it, so colour,
width and the safety settings (no markup, no emoji codes, no highlighting) are set once."""

from __future__ import annotations

import io

from rich.console import Console


def string_console(*, color: bool, width: int) -> tuple[Console, io.StringIO]:
    """A console writing to the returned buffer; answer text is never read as markup."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    return console, out

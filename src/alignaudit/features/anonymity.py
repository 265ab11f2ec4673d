"""--anonymize: managers become "Manager A", "Manager B", ... before anything is computed, so
every format shows the same aliases and no report can leak a name, a role or a file name."""

from __future__ import annotations

import hashlib
import string
from dataclasses import replace

from ..core.types import Team


def alias(i: int) -> str:
    """The alias of the manager numbered `i` from 0: Manager A to Z, then Manager AA, AB, ..."""
    letters = string.ascii_uppercase
    label = ""
    i += 1
    while i:  # A..Z, AA, AB, ... for teams of more than 26
        i, r = divmod(i - 1, 26)
        label = letters[r] + label
    return f"Manager {label}"


def anonymize(team: Team) -> tuple[Team, dict[str, str]]:
    """The team under aliases, and the key (alias -> name) to keep outside the report.

    Letters follow a hash of the names, not their alphabetical or file order, so the
    letters give no hint of who is who.
    """
    order = sorted(team.managers, key=lambda m: hashlib.sha256(m.name.encode()).hexdigest())
    names = {m.name: alias(i) for i, m in enumerate(order)}
    managers = tuple(
        replace(m, name=names[m.name], file=names[m.name], role=None)
        for m in sorted(team.managers, key=lambda m: names[m.name])
    )
    return replace(team, managers=managers), {a: n for n, a in names.items()}

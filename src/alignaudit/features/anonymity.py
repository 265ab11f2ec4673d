"""--anonymize: managers become "Manager A", "Manager B", ... and units "Unit 1", "Unit 2", ...
before anything is computed, so every format shows the same aliases and no report can leak a
name, a role, a unit or a file name. A unit of fewer than `min_group` managers is not broken out
at all (its managers' unit is dropped): "the only Executive" would name the CEO."""

from __future__ import annotations

import hashlib
import string
from collections import Counter
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


def _hashed(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def anonymize(team: Team, min_group: int = 3) -> tuple[Team, dict[str, str]]:
    """The team under aliases, and the key (alias -> name, for managers and units) to keep
    outside the report.

    Letters and numbers follow a hash of the names, not their alphabetical or file order, so
    they give no hint of who is who; units of fewer than `min_group` managers are dropped.
    """
    order = sorted(team.managers, key=lambda m: _hashed(m.name))
    names = {m.name: alias(i) for i, m in enumerate(order)}
    sizes = Counter(m.unit for m in team.managers if m.unit)
    kept = sorted((u for u, n in sizes.items() if n >= min_group), key=_hashed)
    units = {u: f"Unit {i}" for i, u in enumerate(kept, start=1)}
    managers = tuple(
        replace(
            m,
            name=names[m.name],
            file=names[m.name],
            role=None,
            unit=units.get(m.unit) if m.unit else None,
        )
        for m in sorted(team.managers, key=lambda m: names[m.name])
    )
    key = {a: n for n, a in names.items()} | {a: u for u, a in units.items()}
    return replace(team, managers=managers), key

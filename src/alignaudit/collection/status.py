"""Who is expected to answer and who has: the roster in alignaudit.yaml and the team status.

Only the two keys that `collect` and `status` need are read from alignaudit.yaml
(`managers`, `foundations`); any other key is left to the audit's configuration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..core.errors import InputError, Problem
from ..core.text import clean, file_stem, inert
from ..core.types import Foundation, Manager, Ranking, TradeOff
from ..inputs.answers import answer_files, load_entry, load_manager, outside
from ..inputs.config import find_config, load_config
from ..inputs.tradeoffs import DEFAULT_RANKINGS, DEFAULT_TRADEOFFS, check_ratings
from ..inputs.yaml_nodes import MAX_FILE_BYTES
from .interview import read_draft, read_fields
from .templates import CONFIG_NAME, DRAFT_PREFIX, TEMPLATE_PREFIX

CONFIG_NAMES = (CONFIG_NAME, "alignaudit.yml")


@dataclass(frozen=True)
class TeamConfig:
    """The part of alignaudit.yaml that `collect` and `status` need: the roster and the foundations
    asked."""

    managers: tuple[str, ...] | None  # None: no roster, anyone may answer
    foundations: tuple[Foundation, ...]  # asked by collect, required by status
    file: str | None  # where it was read from
    # The trade-offs and rankings answers may rate (the defaults where the config names none),
    # and the ids asked: those the config names, on the foundations asked.
    tradeoffs: tuple[TradeOff, ...] = DEFAULT_TRADEOFFS
    rankings: tuple[Ranking, ...] = DEFAULT_RANKINGS
    asked: tuple[str, ...] = ()

    @property
    def asked_choices(self) -> tuple[TradeOff | Ranking, ...]:
        """The trade-offs and rankings a manager is asked to rate, in the config's order."""
        offered: tuple[TradeOff | Ranking, ...] = (*self.tradeoffs, *self.rankings)
        return tuple(c for c in offered if c.id in self.asked)


def team_folder(folder: str | Path) -> Path:
    """The team folder, or an InputError saying what is wrong with the path."""
    path = Path(folder)
    if not path.exists():
        raise InputError(
            [Problem(str(folder), None, None, "no such folder; create it with alignaudit init")]
        )
    if not path.is_dir():
        raise InputError([Problem(str(folder), None, None, "is a file; give the team folder")])
    return path


def read_config(folder: str | Path) -> TeamConfig:
    """The roster and foundations of a team, read by the audit's own config reader (so
    `status`, `collect`, `validate` and `audit` agree on every file); defaults when there is
    no alignaudit.yaml."""
    found = find_config(folder)
    if found is None:
        return TeamConfig(None, tuple(Foundation), None)
    config = load_config(found)
    foundations = config.foundations or tuple(Foundation)
    choices: list[TradeOff | Ranking] = [*(config.tradeoffs or ()), *(config.rankings or ())]
    asked = tuple(c.id for c in choices if c.foundation in foundations)
    return TeamConfig(
        config.managers,
        foundations,
        config.path,
        DEFAULT_TRADEOFFS if config.tradeoffs is None else config.tradeoffs,
        DEFAULT_RANKINGS if config.rankings is None else config.rankings,
        asked,
    )


def on_roster(name: str, config: TeamConfig) -> str | None:
    """The roster's spelling of a name (compared as file names are), None if absent."""
    stem = file_stem(name)
    return next((n for n in config.managers or () if file_stem(n) == stem), None)


_MANAGER_LINE = re.compile(rb"^manager:[ \t]*[\"']?([^\"'#\r\n]+)", re.MULTILINE)


def _written_name(path: Path) -> str | None:
    """The name on the `manager:` line of a file the YAML reader refused, so a broken answer
    file is counted as the manager it belongs to (not once more beside their template)."""
    try:
        if not path.is_file() or outside(path, path.parent) is not None:
            return None  # a pipe would block; a link out of the folder is not read
        with path.open("rb") as f:
            head = f.read(MAX_FILE_BYTES)
    except OSError:
        return None
    found = _MANAGER_LINE.search(head)
    name = clean(found.group(1).decode("utf-8", "replace")) if found else ""
    return name or None


def peek_manager(path: Path) -> str | None:
    """The `manager:` of a draft or template, None if it cannot be read."""
    try:
        name = read_fields(path, str(path)).get("manager")
    except InputError:
        return None
    return clean(name) if isinstance(name, str) and clean(name) else None


# ---------------------------------------------------------------------------- status


class State(StrEnum):
    """Where a manager stands in giving their answers, as `status` reports it."""

    ANSWERED = "answered"
    IN_PROGRESS = "in progress"
    NOT_ANSWERED = "not answered"
    PROBLEMS = "has problems"


@dataclass(frozen=True)
class ManagerStatus:
    """One manager's line in `status`: their state, the file it comes from, and which foundations
    are answered and which are missing."""

    name: str
    state: State
    file: str | None  # the answer file, draft or template this state comes from
    answered: tuple[Foundation, ...]
    missing: tuple[Foundation, ...]
    on_roster: bool
    note: str = ""
    unrated: tuple[str, ...] = ()  # trade-offs and rankings asked but not rated


@dataclass(frozen=True)
class TeamStatus:
    """What `status` reports on a team: each manager's status, and the answer files the audit would
    refuse."""

    team: str
    folder: str
    config: TeamConfig
    managers: tuple[ManagerStatus, ...]
    problems: tuple[Problem, ...]  # answer files the audit would refuse

    @property
    def answered(self) -> tuple[ManagerStatus, ...]:
        return tuple(m for m in self.managers if m.state is State.ANSWERED)

    @property
    def waiting(self) -> tuple[ManagerStatus, ...]:
        return tuple(m for m in self.managers if m.state is not State.ANSWERED)

    @property
    def complete(self) -> bool:
        """Everyone expected has answered every foundation, and the audit can read it all."""
        return (
            not self.problems
            and not self.waiting
            and len(self.answered) >= 2
            and all(not m.missing and not m.unrated for m in self.managers)
        )


def team_status(folder: str | Path) -> TeamStatus:
    """Who has answered, who is in the middle of it, who has not, and what is missing.

    Only names and which foundations are answered are read out; no answer text is returned.
    """
    path = team_folder(folder)
    shown = Path(inert(str(folder)))
    config = read_config(path)
    required = config.foundations
    problems: list[Problem] = []
    answered: dict[str, tuple[Manager, str]] = {}
    broken: dict[str, str] = {}  # file stem -> file of an answer file with problems
    for file in answer_files(path):
        label = str(shown / inert(file.name))
        found: list[Problem] = []
        result = load_entry(file, path, label, found)
        if result is None:
            problems.extend(found)
            broken[file_stem(_written_name(file) or file.stem)] = label
            continue
        manager, line = result
        stem = file_stem(manager.name)
        if stem in answered:
            problems.append(
                Problem(
                    label,
                    line,
                    None,
                    f"duplicate manager {manager.name!r}: also in {answered[stem][1]}; "
                    "keep one file per manager",
                )
            )
            continue
        rating_problems = check_ratings((manager,), config.tradeoffs, config.rankings)
        if rating_problems:
            problems.extend(rating_problems)
            broken[stem] = label
            continue
        answered[stem] = (manager, label)
    drafts = _reserved(path, DRAFT_PREFIX)
    templates = _reserved(path, TEMPLATE_PREFIX)

    order: list[str] = []
    names: dict[str, str] = {}
    for name in config.managers or ():
        order.append(file_stem(name))
        names[file_stem(name)] = name
    for stem in sorted({*answered, *broken, *drafts, *templates} - set(order)):
        order.append(stem)
    roster = {file_stem(n) for n in config.managers or ()}

    statuses = []
    for stem in order:
        listed = stem in roster
        if stem in answered:
            manager, label = answered[stem]
            done = tuple(f for f in required if f in manager.answers)
            missing = tuple(f for f in required if f not in manager.answers)
            name = names.get(stem, manager.name)
            unrated = tuple(c for c in config.asked if manager.rating(c) is None)
            statuses.append(
                ManagerStatus(name, State.ANSWERED, label, done, missing, listed, unrated=unrated)
            )
        elif stem in broken:
            name = names.get(stem, stem)
            statuses.append(ManagerStatus(name, State.PROBLEMS, broken[stem], (), required, listed))
        elif stem in drafts:
            file = drafts[stem]
            name = names.get(stem) or peek_manager(file) or stem
            try:
                draft = read_draft(file, str(shown / inert(file.name)), name)
                done = tuple(f for f in required if f in draft.answers)
            except InputError:
                done = ()
            missing = tuple(f for f in required if f not in done)
            statuses.append(
                ManagerStatus(
                    name, State.IN_PROGRESS, str(shown / inert(file.name)), done, missing, listed
                )
            )
        else:
            template = templates.get(stem)
            name = names.get(stem) or (peek_manager(template) if template else None) or stem
            note = ""
            if template is not None and _filled(template):
                note = "template filled in but not collected"
            shown_as = str(shown / inert(template.name)) if template else None
            statuses.append(
                ManagerStatus(name, State.NOT_ANSWERED, shown_as, (), required, listed, note)
            )
    return TeamStatus(
        team=inert(path.resolve().name),
        folder=inert(str(folder)),
        config=config,
        managers=tuple(statuses),
        problems=tuple(problems),
    )


def _reserved(folder: Path, prefix: str) -> dict[str, Path]:
    """Drafts or templates by manager file stem."""
    found = {}
    for file in sorted(folder.glob(f"{prefix}*.yaml")):
        stem = file.name.removeprefix(prefix).removesuffix(".yaml")
        if stem and file.is_file():
            found[stem] = file
    return found


def _filled(template: Path) -> bool:
    """A template that would load as an answer file: the manager filled it in place."""
    return load_manager(template, str(template), []) is not None

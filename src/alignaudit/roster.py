"""Who is expected to answer and who has: the roster in alignaudit.yaml and the team status.

Only the two keys that `collect` and `status` need are read from alignaudit.yaml
(`managers`, `foundations`); any other key is left to the audit's configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml

from .answers import answer_files, load_manager
from .errors import InputError, Problem
from .interview import read_draft, read_fields
from .model import Foundation, Manager
from .templates import CONFIG_NAME, DRAFT_PREFIX, TEMPLATE_PREFIX, file_stem
from .text import clean
from .yamlfile import MAX_FILE_BYTES

CONFIG_NAMES = (CONFIG_NAME, "alignaudit.yml")


@dataclass(frozen=True)
class TeamConfig:
    managers: tuple[str, ...] | None  # None: no roster, anyone may answer
    foundations: tuple[Foundation, ...]  # asked by collect, required by status
    file: str | None  # where it was read from


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
    """The roster and foundations of a team; defaults when there is no alignaudit.yaml."""
    path = Path(folder)
    found = next((path / n for n in CONFIG_NAMES if (path / n).is_file()), None)
    everything = tuple(Foundation)
    if found is None:
        return TeamConfig(None, everything, None)
    label = str(Path(str(folder)) / found.name)

    def fail(node: yaml.Node | None, message: str) -> InputError:
        line = node.start_mark.line + 1 if node is not None else None
        column = node.start_mark.column + 1 if node is not None else None
        return InputError([Problem(label, line, column, message)])

    try:
        if found.stat().st_size > MAX_FILE_BYTES:
            raise fail(None, f"over the {MAX_FILE_BYTES:,}-byte limit; this is a settings file")
        root = yaml.compose(found.read_bytes().decode("utf-8-sig"), Loader=yaml.SafeLoader)
    except OSError as exc:
        raise fail(None, f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise fail(None, "not valid UTF-8 text; save it as UTF-8") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise InputError([Problem(label, line, None, f"invalid YAML: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise fail(None, f"invalid YAML: {exc}") from None
    if root is None:
        return TeamConfig(None, everything, label)
    if not isinstance(root, yaml.MappingNode):
        raise fail(root, "expected settings as 'key: value' lines")
    fields = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    managers: tuple[str, ...] | None = None
    foundations = everything
    if "managers" in fields:
        managers = _names(fields["managers"], fail)
    if "foundations" in fields:
        foundations = _foundations(fields["foundations"], fail)
    return TeamConfig(managers, foundations, label)


def _items(node: yaml.Node, key: str, example: str, fail) -> list[tuple[str, yaml.Node]]:  # type: ignore[no-untyped-def]
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise fail(node, f"'{key}' must be a list, e.g. {example}")
    items = []
    for item in node.value:
        if not (isinstance(item, yaml.ScalarNode) and item.tag == "tag:yaml.org,2002:str"):
            raise fail(item, f"each item of '{key}' must be text; quote it")
        items.append((clean(item.value), item))
    return items


def _names(node: yaml.Node, fail) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    names: list[str] = []
    seen: dict[str, str] = {}
    for name, item in _items(node, "managers", "managers: [Dana Ortiz, Ben Okafor]", fail):
        stem = file_stem(name)
        if not stem:
            raise fail(item, "a manager's name needs letters; write the name")
        if stem in seen:
            raise fail(item, f"{name!r} is listed twice (also as {seen[stem]!r}); keep one")
        seen[stem] = name
        names.append(name)
    return tuple(names)


def _foundations(node: yaml.Node, fail) -> tuple[Foundation, ...]:  # type: ignore[no-untyped-def]
    allowed = ", ".join(f.value for f in Foundation)
    chosen: list[Foundation] = []
    for value, item in _items(node, "foundations", f"foundations: [{allowed}]", fail):
        try:
            foundation = Foundation(value.casefold())
        except ValueError:
            raise fail(item, f"unknown foundation {value!r}; choose from {allowed}") from None
        if foundation in chosen:
            raise fail(item, f"{value!r} is listed twice; keep one")
        chosen.append(foundation)
    if not chosen:
        raise fail(node, f"'foundations' is empty; list at least one of {allowed}")
    return tuple(chosen)


def on_roster(name: str, config: TeamConfig) -> str | None:
    """The roster's spelling of a name (compared as file names are), None if absent."""
    stem = file_stem(name)
    return next((n for n in config.managers or () if file_stem(n) == stem), None)


def peek_manager(path: Path) -> str | None:
    """The `manager:` of a draft or template, None if it cannot be read."""
    try:
        name = read_fields(path, str(path)).get("manager")
    except InputError:
        return None
    return clean(name) if isinstance(name, str) and clean(name) else None


# ---------------------------------------------------------------------------- status


class State(StrEnum):
    ANSWERED = "answered"
    IN_PROGRESS = "in progress"
    NOT_ANSWERED = "not answered"
    PROBLEMS = "has problems"


@dataclass(frozen=True)
class ManagerStatus:
    name: str
    state: State
    file: str | None  # the answer file, draft or template this state comes from
    answered: tuple[Foundation, ...]
    missing: tuple[Foundation, ...]
    on_roster: bool
    note: str = ""


@dataclass(frozen=True)
class TeamStatus:
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
            and all(not m.missing for m in self.managers)
        )


def team_status(folder: str | Path) -> TeamStatus:
    """Who has answered, who is in the middle of it, who has not, and what is missing.

    Only names and which foundations are answered are read out; no answer text is returned.
    """
    path = team_folder(folder)
    shown = Path(str(folder))
    config = read_config(path)
    required = config.foundations
    problems: list[Problem] = []
    answered: dict[str, tuple[Manager, str]] = {}
    broken: dict[str, str] = {}  # file stem -> file of an answer file with problems
    for file in answer_files(path):
        label = str(shown / file.name)
        found: list[Problem] = []
        result = load_manager(file, label, found)
        if result is None:
            problems.extend(found)
            broken[file_stem(file.stem)] = label
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
            statuses.append(ManagerStatus(name, State.ANSWERED, label, done, missing, listed))
        elif stem in broken:
            name = names.get(stem, stem)
            statuses.append(ManagerStatus(name, State.PROBLEMS, broken[stem], (), required, listed))
        elif stem in drafts:
            file = drafts[stem]
            name = names.get(stem) or peek_manager(file) or stem
            try:
                draft = read_draft(file, str(shown / file.name), name)
                done = tuple(f for f in required if f in draft.answers)
            except InputError:
                done = ()
            missing = tuple(f for f in required if f not in done)
            statuses.append(
                ManagerStatus(
                    name, State.IN_PROGRESS, str(shown / file.name), done, missing, listed
                )
            )
        else:
            template = templates.get(stem)
            name = names.get(stem) or (peek_manager(template) if template else None) or stem
            note = ""
            if template is not None and _filled(template):
                note = "template filled in but not collected"
            shown_as = str(shown / template.name) if template else None
            statuses.append(
                ManagerStatus(name, State.NOT_ANSWERED, shown_as, (), required, listed, note)
            )
    return TeamStatus(
        team=path.resolve().name,
        folder=str(folder),
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

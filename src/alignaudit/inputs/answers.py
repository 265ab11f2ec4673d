"""Reading a team folder of YAML answer files into a Team, with file:line errors.

The YAML is composed into nodes with PyYAML's safe loader and never constructed into Python
objects: tags cannot run code, aliases are never expanded, and every value keeps the line it
came from so a problem can be reported where the person has to fix it.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from ..core.errors import InputError, Problem
from ..core.text import MAX_STATEMENT_CHARS, clean, inert, split_list, split_sentences
from ..core.types import Answer, Foundation, Manager, Rating, Team
from .yaml_nodes import (
    INT,
    MAP,
    NULL,
    SEQ,
    STR,
    compose,
    describe,
    fields,
    line_of,
    read_text,
    scalar,
)

RESERVED = {"alignaudit.yaml", "alignaudit.yml"}
# Bounds that keep every audit's memory linear in what it reads (docs/performance.md): a
# statement is at most MAX_STATEMENT_CHARS characters (text.py), an answer at most
# MAX_STATEMENTS statements, a team (or a batch) at most MAX_TEAM_STATEMENTS statements of
# MAX_TEAM_CHARS characters in all.
MAX_STATEMENTS = 100
MAX_TEAM_STATEMENTS = 100_000
MAX_TEAM_CHARS = 20_000_000
MANAGER_KEYS = ("manager", "role", "unit")
# Foundations answered as a list (collection/templates.py asks for values as one): written as
# one line of text, such an answer is read as its items where it clearly is a list.
LIST_FOUNDATIONS = (Foundation.VALUES,)
ALLOWED_KEYS = (*MANAGER_KEYS, *(f.value for f in Foundation), "tradeoffs")


def answer_files(folder: Path) -> list[Path]:
    """The manager files of a team folder: *.yaml and *.yml, minus reserved names and hidden
    or underscored files. Every such entry is listed, whatever it is (a folder, a pipe, a
    broken link): the reader says what is wrong with it, so no manager vanishes unseen."""
    files = [
        p
        for p in folder.iterdir()
        if p.suffix.lower() in (".yaml", ".yml")
        and p.name.lower() not in RESERVED
        and not p.name.startswith((".", "_"))
    ]
    return sorted(files, key=lambda p: p.name)


def outside(file: Path, folder: Path) -> str | None:
    """Why an entry of the team folder cannot be read as an answer file because of where it
    leads: a link out of the folder (the folder's content is not trusted, so a link to
    /etc/passwd must not be read), a broken link, or a loop. None when it stays inside."""
    if not file.is_symlink():
        return None
    try:
        target = file.resolve(strict=True)
    except FileNotFoundError:
        return "is a broken link (its target does not exist); fix or remove it"
    except (OSError, RuntimeError):
        return "is a link that loops or cannot be followed; fix or remove it"
    if not target.is_relative_to(folder.resolve()):
        return "is a link to a file outside the team folder; copy the file in instead"
    return None


def load_team(folder: str | os.PathLike[str]) -> Team:
    """Load and validate every answer file of a team, reporting all problems at once."""
    path = Path(folder)
    shown = inert(str(folder))
    if not path.exists():
        raise InputError([Problem(shown, None, None, "no such folder; give a team folder")])
    if not path.is_dir():
        raise InputError(
            [Problem(shown, None, None, "is a file; give the folder that holds the answer files")]
        )
    try:
        files = answer_files(path)
    except OSError as exc:
        raise InputError(
            [Problem(shown, None, None, f"cannot list folder: {exc.strerror}")]
        ) from None
    if not files:
        raise InputError(
            [
                Problem(
                    shown,
                    None,
                    None,
                    "no manager answer files (*.yaml) in this folder; add one file per manager",
                )
            ]
        )
    problems: list[Problem] = []
    managers: list[Manager] = []
    seen: dict[str, tuple[str, int]] = {}
    for file in files:
        label = str(Path(shown) / inert(file.name))
        result = load_entry(file, path, label, problems)
        if result is None:
            continue
        manager, name_line = result
        key = " ".join(manager.name.split()).casefold()
        if key in seen:
            first, first_line = seen[key]
            problems.append(
                Problem(
                    label,
                    name_line,
                    None,
                    f"duplicate manager {manager.name!r}: also in {first}:{first_line}; "
                    "give each manager one file and a unique name",
                )
            )
            continue
        seen[key] = (label, name_line)
        managers.append(manager)
    if problems:
        raise InputError(problems)
    team = Team(name=inert(path.resolve().name), path=shown, managers=tuple(managers))
    over = over_limits(team.statement_count, team.character_count)
    if over is not None:
        raise InputError([Problem(shown, None, None, f"the team wrote {over}; audit it in parts")])
    return team


def over_limits(statements: int, characters: int) -> str | None:
    """What is over the most one run holds (MAX_TEAM_STATEMENTS, MAX_TEAM_CHARS), in words."""
    if statements > MAX_TEAM_STATEMENTS:
        return f"{statements:,} statements, over the {MAX_TEAM_STATEMENTS:,} one run takes"
    if characters > MAX_TEAM_CHARS:
        return f"{characters:,} characters, over the {MAX_TEAM_CHARS:,} one run takes"
    return None


def load_entry(
    file: Path, folder: Path, label: str, problems: list[Problem]
) -> tuple[Manager, int] | None:
    """One entry of a team folder as an answer file: refused where it leads out of the folder
    (outside()), else read as load_manager reads it."""
    leads = outside(file, folder)
    if leads is not None:
        problems.append(Problem(label, None, None, leads))
        return None
    return load_manager(file, label, problems)


def load_reference(path: str | os.PathLike[str]) -> Manager:
    """The firm's published foundations: an answer file whose `manager` may be left out."""
    file = Path(path)
    if not file.is_file():
        what = "is a folder; give the file" if file.is_dir() else "no such file"
        raise InputError([Problem(str(path), None, None, what)])
    problems: list[Problem] = []
    result = load_manager(file, str(path), problems, require_manager=False)
    if problems or result is None:
        raise InputError(problems)
    return result[0]


def load_manager(
    file: Path, label: str, problems: list[Problem], *, require_manager: bool = True
) -> tuple[Manager, int] | None:
    """One answer file; appends its problems and returns None when it cannot be used."""
    text = read_text(file, label, problems)
    if text is None:
        return None
    root = compose(text, label, problems)
    if root is None:
        return None
    before = len(problems)
    fields_ = fields(root, label, problems, ALLOWED_KEYS)
    if not fields_ and len(problems) > before:
        return None  # nothing of an answer file in it: its own problem says so
    name_node = fields_.get("manager")
    if name_node is None and require_manager:
        problems.append(
            Problem(
                label, 1, 1, "missing 'manager:'; add the manager's name, e.g. manager: Dana Ortiz"
            )
        )
    name = scalar(name_node, "manager", label, problems) if name_node is not None else None
    role = scalar(fields_["role"], "role", label, problems) if "role" in fields_ else None
    unit = scalar(fields_["unit"], "unit", label, problems) if "unit" in fields_ else None
    answers: dict[Foundation, Answer] = {}
    for foundation in Foundation:
        node = fields_.get(foundation.value)
        if node is not None:
            answer = _answer(node, foundation, label, problems)
            if answer is not None:
                answers[foundation] = answer
    ratings = read_ratings(fields_["tradeoffs"], label, problems) if "tradeoffs" in fields_ else ()
    if len(problems) == before and not answers:
        problems.append(
            Problem(
                label,
                root.start_mark.line + 1,
                None,
                "no answers: add at least one of vision, mission, values, positioning",
            )
        )
    if not require_manager and name_node is None:
        name, name_node = "official statement", root
    if len(problems) > before or name is None or name_node is None:
        return None
    manager = Manager(name=name, file=label, role=role, unit=unit, answers=answers, ratings=ratings)
    return manager, name_node.start_mark.line + 1


def read_ratings(node: yaml.Node, label: str, problems: list[Problem]) -> tuple[Rating, ...]:
    """The `tradeoffs:` mapping of an answer file: each id with a whole number (a trade-off)
    or a list of the options in order (a ranking). Whether the ids and values fit the team's
    trade-offs is checked against its config (inputs/tradeoffs.check_ratings)."""
    if not (isinstance(node, yaml.MappingNode) and node.tag == MAP):
        problems.append(
            Problem(
                label,
                *line_of(node),
                "'tradeoffs' must be a mapping of choices to ratings, e.g. "
                "tradeoffs: {cost-vs-differentiation: 5}",
            )
        )
        return ()
    out: list[Rating] = []
    seen: set[str] = set()
    for key, value in node.value:
        line, column = line_of(value)
        if not (isinstance(key, yaml.ScalarNode) and key.tag == STR) or not key.value.strip():
            problems.append(Problem(label, *line_of(key), "a trade-off needs its id as a word"))
            continue
        id_ = key.value.strip()
        if id_ in seen:
            problems.append(Problem(label, *line_of(key), f"'{id_}' is rated twice; keep one"))
            continue
        seen.add(id_)
        if isinstance(value, yaml.ScalarNode) and value.tag == NULL:
            continue  # left blank, as in a template: not rated
        if isinstance(value, yaml.ScalarNode) and value.tag == INT:
            try:
                out.append(Rating(id_, int(value.value), line, column))
            except ValueError:  # YAML ints such as 0x1 or 1_000 are not a point on a scale
                problems.append(Problem(label, line, column, f"'{id_}' must be a whole number"))
        elif isinstance(value, yaml.SequenceNode) and all(
            isinstance(i, yaml.ScalarNode) and i.tag == STR for i in value.value
        ):
            out.append(Rating(id_, tuple(clean(i.value) for i in value.value), line, column))
        else:
            problems.append(
                Problem(
                    label,
                    line,
                    column,
                    f"'{id_}' must be a whole number (a point of its scale) or a list of the "
                    f"options in order (a ranking), found {describe(value)}",
                )
            )
    return tuple(out)


def _answer(
    node: yaml.Node, foundation: Foundation, label: str, problems: list[Problem]
) -> Answer | None:
    key = foundation.value

    def bad(at: yaml.Node, message: str) -> None:
        problems.append(Problem(label, *line_of(at), message))

    if isinstance(node, yaml.ScalarNode) and node.tag == STR:
        listed = split_list(node.value) if foundation in LIST_FOUNDATIONS else None
        statements = listed or split_sentences(node.value)
        longest = max(statements, key=len, default="")
        if not statements:
            bad(node, f"'{key}' is empty; write an answer or remove the key")
        elif len(statements) > MAX_STATEMENTS:
            bad(
                node,
                f"'{key}' has {len(statements):,} sentences, over the {MAX_STATEMENTS} an "
                "answer may have; keep it to a few paragraphs",
            )
        elif len(longest) > MAX_STATEMENT_CHARS:
            bad(
                node,
                f"sentence {statements.index(longest) + 1} of '{key}' is {len(longest):,} "
                f"characters long, over the {MAX_STATEMENT_CHARS:,} a statement may have; "
                "split it into sentences",
            )
        else:
            return Answer(tuple(statements), line_of(node)[0], one_line=listed is not None)
        return None
    if isinstance(node, yaml.SequenceNode) and node.tag == SEQ:
        if not node.value:
            bad(node, f"'{key}' is an empty list; add items or remove the key")
            return None
        if len(node.value) > MAX_STATEMENTS:
            bad(
                node.value[MAX_STATEMENTS],
                f"'{key}' has {len(node.value):,} items, over the {MAX_STATEMENTS} an answer "
                "may have; keep the ones that matter most",
            )
            return None
        items: list[str] = []
        for item in node.value:
            text = clean(item.value) if isinstance(item, yaml.ScalarNode) else ""
            if not (isinstance(item, yaml.ScalarNode) and item.tag == STR):
                bad(
                    item,
                    f"each item of '{key}' must be text, found {describe(item)}; "
                    "quote it if it is meant as text",
                )
            elif not text:
                bad(item, f"empty item in '{key}'; remove it or fill it in")
            elif len(text) > MAX_STATEMENT_CHARS:
                bad(
                    item,
                    f"an item of '{key}' is {len(text):,} characters long, over the "
                    f"{MAX_STATEMENT_CHARS:,} a statement may have; shorten it",
                )
            else:
                items.append(text)
        return Answer(tuple(items), line_of(node)[0]) if items else None
    if isinstance(node, yaml.ScalarNode) and node.tag == NULL:
        bad(node, f"'{key}' is empty; write an answer or remove the key")
    else:
        bad(node, f"'{key}' must be text or a list of texts, found {describe(node)}")
    return None

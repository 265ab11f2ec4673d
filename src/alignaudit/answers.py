"""Reading a team folder of YAML answer files into a Team, with file:line errors.

The YAML is composed into nodes with PyYAML's safe loader and never constructed into Python
objects: tags cannot run code, aliases are never expanded, and every value keeps the line it
came from so a problem can be reported where the person has to fix it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import yaml

from .errors import InputError, Problem
from .model import Answer, Foundation, Manager, Team
from .text import clean, split_sentences

MAX_FILE_BYTES = 1_000_000  # answer files are a few KB; anything near this is not an answer
RESERVED = {"alignaudit.yaml", "alignaudit.yml"}
MANAGER_KEYS = ("manager", "role", "unit")
ALLOWED_KEYS = (*MANAGER_KEYS, *(f.value for f in Foundation))

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_TYPE_NAMES = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:null": "nothing (null)",
    "tag:yaml.org,2002:timestamp": "a date",
}


def answer_files(folder: Path) -> list[Path]:
    """The manager files of a team folder: *.yaml and *.yml, minus reserved names."""
    files = [
        p
        for p in folder.iterdir()
        if p.suffix.lower() in (".yaml", ".yml")
        and p.name.lower() not in RESERVED
        and not p.name.startswith((".", "_"))
        and p.is_file()
    ]
    return sorted(files, key=lambda p: p.name)


def load_team(folder: str | os.PathLike[str]) -> Team:
    """Load and validate every answer file of a team, reporting all problems at once."""
    path = Path(folder)
    shown = str(folder)
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
        label = str(Path(shown) / file.name)
        result = load_manager(file, label, problems)
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
    return Team(name=path.resolve().name, path=shown, managers=tuple(managers))


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
    text = _read_text(file, label, problems)
    if text is None:
        return None
    root = _compose(text, label, problems)
    if root is None:
        return None
    before = len(problems)
    fields = _fields(root, label, problems)
    name_node = fields.get("manager")
    if name_node is None and require_manager:
        problems.append(
            Problem(
                label, 1, 1, "missing 'manager:'; add the manager's name, e.g. manager: Dana Ortiz"
            )
        )
    name = _scalar(name_node, "manager", label, problems) if name_node is not None else None
    role = _scalar(fields["role"], "role", label, problems) if "role" in fields else None
    unit = _scalar(fields["unit"], "unit", label, problems) if "unit" in fields else None
    answers: dict[Foundation, Answer] = {}
    for foundation in Foundation:
        node = fields.get(foundation.value)
        if node is not None:
            answer = _answer(node, foundation, label, problems)
            if answer is not None:
                answers[foundation] = answer
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
    manager = Manager(name=name, file=label, role=role, unit=unit, answers=answers)
    return manager, name_node.start_mark.line + 1


def _read_text(file: Path, label: str, problems: list[Problem]) -> str | None:
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(
                Problem(
                    label,
                    None,
                    None,
                    f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit for an "
                    "answer file; keep answers to a few paragraphs",
                )
            )
            return None
        data = file.read_bytes()
    except OSError as exc:
        problems.append(Problem(label, None, None, f"cannot read file: {exc.strerror}"))
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(label, 1, 1, "file is UTF-16; save it as UTF-8"))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem(label, line, column, "not valid UTF-8 text; save the file as UTF-8")
        )
        return None


def _compose(text: str, label: str, problems: list[Problem]) -> yaml.Node | None:
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "invalid YAML"
        if "expected a single document" in str(exc.context):
            message = "several YAML documents (---) in one file; keep one manager per file"
        elif "'\\t'" in message:
            message = "a tab character where YAML expects spaces; indent with spaces"
        else:
            message = f"invalid YAML: {message}"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problems.append(Problem(label, line, column, message))
        return None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        problems.append(
            Problem(
                label,
                line,
                None,
                f"character {exc.character!r} is not allowed in YAML; remove it",
            )
        )
        return None
    except yaml.YAMLError as exc:  # any other parser complaint
        problems.append(Problem(label, None, None, f"invalid YAML: {exc}"))
        return None
    if root is None:
        problems.append(
            Problem(
                label,
                1,
                1,
                "file is empty; it needs at least 'manager:' and one foundation such as 'vision:'",
            )
        )
        return None
    if not (isinstance(root, yaml.MappingNode) and root.tag == _MAP):
        found = _describe(root)
        problems.append(
            Problem(
                label,
                root.start_mark.line + 1,
                root.start_mark.column + 1,
                f"expected a mapping of keys (manager:, vision:, ...), found {found}",
            )
        )
        return None
    return root


def _fields(root: yaml.MappingNode, label: str, problems: list[Problem]) -> dict[str, yaml.Node]:
    fields: dict[str, yaml.Node] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in root.value:
        line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR):
            problems.append(Problem(label, line, column, "keys must be plain words like 'vision'"))
            continue
        key = key_node.value
        if key not in ALLOWED_KEYS:
            close = difflib.get_close_matches(key.lower(), ALLOWED_KEYS, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(ALLOWED_KEYS)
            problems.append(Problem(label, line, column, f"unknown key '{key}'; {hint}"))
            continue
        if key in fields:
            problems.append(
                Problem(
                    label,
                    line,
                    column,
                    f"duplicate key '{key}' (first at line {first_line[key]}); keep one",
                )
            )
            continue
        fields[key] = value_node
        first_line[key] = line
    return fields


def _describe(node: yaml.Node) -> str:
    if node.tag not in (_STR, _SEQ, _MAP, *_TYPE_NAMES):
        return f"a value tagged {node.tag}; tags are not allowed"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return _TYPE_NAMES.get(node.tag, "text")


def _scalar(node: yaml.Node, key: str, label: str, problems: list[Problem]) -> str | None:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if not (isinstance(node, yaml.ScalarNode) and node.tag == _STR):
        problems.append(
            Problem(label, line, column, f"'{key}' must be text, found {_describe(node)}")
        )
        return None
    value = clean(node.value)
    if not value:
        problems.append(Problem(label, line, column, f"'{key}' is empty; fill it in"))
        return None
    return value


def _answer(
    node: yaml.Node, foundation: Foundation, label: str, problems: list[Problem]
) -> Answer | None:
    key = foundation.value
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
        statements = split_sentences(node.value)
        if not statements:
            problems.append(
                Problem(label, line, column, f"'{key}' is empty; write an answer or remove the key")
            )
            return None
        return Answer(tuple(statements), line)
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        items: list[str] = []
        for item in node.value:
            if not (isinstance(item, yaml.ScalarNode) and item.tag == _STR):
                problems.append(
                    Problem(
                        label,
                        item.start_mark.line + 1,
                        item.start_mark.column + 1,
                        f"each item of '{key}' must be text, found {_describe(item)}; "
                        "quote it if it is meant as text",
                    )
                )
                continue
            text = clean(item.value)
            if not text:
                problems.append(
                    Problem(
                        label,
                        item.start_mark.line + 1,
                        item.start_mark.column + 1,
                        f"empty item in '{key}'; remove it or fill it in",
                    )
                )
                continue
            items.append(text)
        if not node.value:
            problems.append(
                Problem(
                    label, line, column, f"'{key}' is an empty list; add items or remove the key"
                )
            )
            return None
        return Answer(tuple(items), line) if items else None
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        problems.append(
            Problem(label, line, column, f"'{key}' is empty; write an answer or remove the key")
        )
        return None
    problems.append(
        Problem(
            label,
            line,
            column,
            f"'{key}' must be text or a list of texts, found {_describe(node)}",
        )
    )
    return None

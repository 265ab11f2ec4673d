"""Reading small YAML files as nodes, so every value keeps its line for error messages.

PyYAML's safe loader composes the document into nodes that are never constructed into Python
objects: tags cannot run code and aliases are never expanded.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from .errors import Problem
from .text import clean

MAX_FILE_BYTES = 1_000_000  # answer and config files are a few KB; anything near this is not one

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
NULL = "tag:yaml.org,2002:null"
_TYPE_NAMES = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true/false",
    NULL: "nothing (null)",
    "tag:yaml.org,2002:timestamp": "a date",
}


EXPECTED = {"answers": "manager:, vision:, ...", "config": "model:, thresholds:, ..."}


def line_of(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def read_text(file: Path, label: str, problems: list[Problem]) -> str | None:
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


def compose(
    text: str, label: str, problems: list[Problem], what: str = "answers"
) -> yaml.Node | None:
    """The document's root mapping node; None with a problem recorded, or None alone for an
    empty config file (`what="config"`), which simply sets nothing."""
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
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        problems.append(
            Problem(
                label,
                line,
                column,
                f"control character U+{code:04X} is not allowed in YAML; remove it",
            )
        )
        return None
    except yaml.YAMLError as exc:  # any other parser complaint
        problems.append(Problem(label, None, None, f"invalid YAML: {exc}"))
        return None
    if root is None:
        if what == "config":
            return None
        problems.append(
            Problem(
                label,
                1,
                1,
                "file is empty; it needs at least 'manager:' and one foundation such as 'vision:'",
            )
        )
        return None
    if not (isinstance(root, yaml.MappingNode) and root.tag == MAP):
        found = describe(root)
        problems.append(
            Problem(
                label,
                root.start_mark.line + 1,
                root.start_mark.column + 1,
                f"expected a mapping of keys ({EXPECTED[what]}), found {found}",
            )
        )
        return None
    return root


def fields(
    root: yaml.MappingNode, label: str, problems: list[Problem], allowed: tuple[str, ...]
) -> dict[str, yaml.Node]:
    fields: dict[str, yaml.Node] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in root.value:
        line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == STR):
            problems.append(Problem(label, line, column, "keys must be plain words like 'vision'"))
            continue
        key = key_node.value
        if key not in allowed:
            close = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
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


def describe(node: yaml.Node) -> str:
    if node.tag not in (STR, SEQ, MAP, *_TYPE_NAMES):
        return f"a value tagged {node.tag}; tags are not allowed"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return _TYPE_NAMES.get(node.tag, "text")


def scalar(node: yaml.Node, key: str, label: str, problems: list[Problem]) -> str | None:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if not (isinstance(node, yaml.ScalarNode) and node.tag == STR):
        problems.append(
            Problem(label, line, column, f"'{key}' must be text, found {describe(node)}")
        )
        return None
    value = clean(node.value)
    if not value:
        problems.append(Problem(label, line, column, f"'{key}' is empty; fill it in"))
        return None
    return value

"""Reading small YAML files as nodes, so every value keeps its line for error messages.

PyYAML's safe loader composes the document into nodes that are never constructed into Python
objects: tags cannot run code and aliases are never expanded.
"""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

import yaml

from ..core.errors import Problem
from ..core.text import clean

MAX_FILE_BYTES = 1_000_000  # answer and config files are a few KB; anything near this is not one
MAX_DEPTH = 20  # answer files nest three levels (key, list, item); deeper is not an answer file
MAX_KEY_PROBLEMS = 20  # unknown or duplicate keys listed per file; the rest are counted

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
NULL = "tag:yaml.org,2002:null"
INT = "tag:yaml.org,2002:int"
_TYPE_NAMES = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true/false",
    NULL: "nothing (null)",
    "tag:yaml.org,2002:timestamp": "a date",
}


EXPECTED = {
    "answers": "manager:, vision:, ...",
    "draft": "manager:, vision:, ...",
    "config": "model:, thresholds:, ...",
}


def line_of(node: yaml.Node) -> tuple[int, int]:
    """A node's line and column, counted from 1 as editors count them, for problem messages."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def kind_of(mode: int) -> str:
    """What a path is, in words, when it is not a regular file."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _too_big(size: int) -> str:
    said = f"file is {size:,} bytes, over" if size > MAX_FILE_BYTES + 1 else "file is over"
    return f"{said} the {MAX_FILE_BYTES:,}-byte limit for an answer file; keep answers short"


def read_text(file: Path, label: str, problems: list[Problem]) -> str | None:
    """The file's text, or None with its problem recorded: a regular file of at most
    MAX_FILE_BYTES bytes of UTF-8. The limit is enforced on the bytes read, not on what the
    file system says (a /proc file says 0), and a pipe, socket or device is refused before it
    is opened, so nothing can block or feed the reader forever."""
    try:
        info = os.stat(file)
        mode = info.st_mode
        if info.st_size > MAX_FILE_BYTES and stat.S_ISREG(mode):  # refused before a byte is read
            problems.append(Problem(label, None, None, _too_big(info.st_size)))
            return None
        if not stat.S_ISREG(mode):
            problems.append(
                Problem(label, None, None, f"is {kind_of(mode)}, not an answer file; remove it")
            )
            return None
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            mode = os.fstat(fd).st_mode  # it may have been swapped since the stat
            if not stat.S_ISREG(mode):
                problems.append(Problem(label, None, None, f"is {kind_of(mode)}; remove it"))
                return None
            chunks, size = [], 0
            while size <= MAX_FILE_BYTES and (chunk := os.read(fd, 1 << 16)):
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        problems.append(Problem(label, None, None, f"cannot read file: {exc.strerror}"))
        return None
    if size > MAX_FILE_BYTES:
        problems.append(Problem(label, None, None, _too_big(size)))
        return None
    data = b"".join(chunks)
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


class _Loader(yaml.SafeLoader):  # type: ignore[misc]
    """The safe loader with a bound on nesting: PyYAML composes recursively, so 500 levels
    of `[[[...` would end in a RecursionError instead of a located problem."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _surrogate(root: yaml.Node, label: str, problems: list[Problem]) -> bool:
    """Report a scalar whose escapes (\\ud800) make a lone surrogate: not a character, so
    no model, cache or file can take it."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # aliases share nodes: each is looked at once ("billion laughs")
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            bad = next((c for c in node.value if "\ud800" <= c <= "\udfff"), None)
            if bad is not None:
                line, column = line_of(node)
                problems.append(
                    Problem(
                        label,
                        line,
                        column,
                        f"the escape for U+{ord(bad):04X} is half of a surrogate pair, not a "
                        "character; write the character itself",
                    )
                )
                return True
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
    return False


def compose(
    text: str, label: str, problems: list[Problem], what: str = "answers"
) -> yaml.Node | None:
    """The document's root mapping node; None with a problem recorded, or None alone for an
    empty config file or draft (`what="config"`, `"draft"`), which simply sets nothing."""
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # checks every character as it is made
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except ValueError:  # an escape past U+10FFFF ("\\U00110000") fails in chr()
        mark = loader.get_mark() if loader is not None else None
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        problems.append(
            Problem(
                label,
                line,
                column,
                "invalid YAML: an escape names a code point past U+10FFFF, which is no "
                "character; write the character itself",
            )
        )
        return None
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
        if what != "answers":
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
    if _surrogate(root, label, problems):
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
    root: yaml.MappingNode,
    label: str,
    problems: list[Problem],
    allowed: tuple[str, ...],
    *,
    whole_file: bool = True,
) -> dict[str, yaml.Node]:
    """The allowed keys of a mapping with their values; unknown and duplicate keys are
    problems (at most MAX_KEY_PROBLEMS listed). A file with keys but none of them allowed is
    not one of ours (a password file behind a link, a stray YAML file): it is named as such,
    and none of its content is quoted (`whole_file`: the mapping is the file's root)."""
    keys = [k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode) and k.tag == STR]
    ours = any(k in allowed or _close(k, allowed) for k in keys[:MAX_KEY_PROBLEMS])
    if whole_file and keys and not ours:
        line, column = line_of(root)
        problems.append(
            Problem(
                label,
                line,
                column,
                f"none of its {len(keys):,} keys is one this file takes "
                f"({', '.join(allowed)}); is it the right file?",
            )
        )
        return {}
    fields: dict[str, yaml.Node] = {}
    first_line: dict[str, int] = {}
    found: list[Problem] = []
    for key_node, value_node in root.value:
        line, column = line_of(key_node)
        if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == STR):
            found.append(Problem(label, line, column, "keys must be plain words like 'vision'"))
            continue
        key = key_node.value
        if key not in allowed:
            close = _close(key, allowed)
            hint = f"did you mean '{close}'?" if close else "allowed: " + ", ".join(allowed)
            found.append(Problem(label, line, column, f"unknown key '{key[:80]}'; {hint}"))
            continue
        if key in fields:
            found.append(
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
    problems.extend(found[:MAX_KEY_PROBLEMS])
    if len(found) > MAX_KEY_PROBLEMS:
        problems.append(
            Problem(label, None, None, f"... and {len(found) - MAX_KEY_PROBLEMS:,} more bad keys")
        )
    return fields


def _close(key: str, allowed: tuple[str, ...]) -> str | None:
    """The allowed key `key` is probably a typo of."""
    close = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def describe(node: yaml.Node) -> str:
    """What a node holds, in words, for messages such as "'vision' must be text, found a list"."""
    if node.tag not in (STR, SEQ, MAP, *_TYPE_NAMES):
        return f"a value tagged {node.tag}; tags are not allowed"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return _TYPE_NAMES.get(node.tag, "text")


def scalar(node: yaml.Node, key: str, label: str, problems: list[Problem]) -> str | None:
    """A node's text, cleaned; a value that is not text, or is empty, is recorded as a problem and
    gives None."""
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

"""The shape of the code, checked: no import circle among alignaudit's modules, and every
import between layers points down (docs/architecture.md draws the layers). Imports inside
functions count too; only `if TYPE_CHECKING:` blocks are left out, as they never run."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "alignaudit"
# Bottom to top: a module may import its own layer's modules and those of layers below.
LAYERS = (
    "core",
    "inputs",
    "collection",
    "embedding",
    "scoring",
    "analysis",
    "features",
    "formats",
    "api",  # alignaudit/api.py: the Python API, which the commands use too
    "cli",
)
TOP = ("alignaudit", "alignaudit.__main__")  # above every layer
GROUND = ("alignaudit._version",)  # below every layer: the version string alone


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in (SRC / PACKAGE).rglob("*.py")}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        found.extend(_imports(node))
    return found


def _target(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _known(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    """The alignaudit modules `module` imports (a name imported from a package counts as
    its submodule when there is one)."""
    path = MODULES[module]
    found: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif node.module == "__future__":
            continue
        else:
            base = _target(module, path.name == "__init__.py", node)
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        for t in targets:
            if t.split(".")[0] == PACKAGE and (known := _known(t)) and known != module:
                found.add(known)
    # `from .x import y` names both alignaudit.pkg.x and alignaudit.pkg: keep the deepest
    return {m for m in found if not any(o.startswith(m + ".") for o in found)}


GRAPH = {m: imports_of(m) for m in MODULES}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def layer_of(module: str) -> int:
    if module in TOP:
        return len(LAYERS)
    if module in GROUND:
        return -1
    return LAYERS.index(module.split(".")[1])


def test_no_import_circle():
    assert circles(GRAPH) == []


def test_every_import_points_down_the_layers():
    upward = [
        f"{m} -> {d}"
        for m, deps in sorted(GRAPH.items())
        for d in sorted(deps)
        if layer_of(d) > layer_of(m)
    ]
    assert upward == []


def test_every_module_is_in_a_layer():
    stray = [m for m in MODULES if m not in TOP + GROUND and m.split(".")[1] not in LAYERS]
    assert stray == []


def test_the_core_imports_nothing_else_of_alignaudit():
    leaks = {m: d for m, d in GRAPH.items() if m.startswith("alignaudit.core.")}
    assert all(dep.startswith("alignaudit.core.") for deps in leaks.values() for dep in deps)


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_the_circle_finder_finds_circles(graph: dict[str, set[str]], expected: list[list[str]]):
    assert circles(graph) == expected


def test_the_import_reader_sees_lazy_imports_and_skips_type_checking():
    deps = GRAPH["alignaudit.cli"]
    assert "alignaudit.cli.audit" in deps  # imported inside _register()
    assert "alignaudit._version" in deps
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import os\n")
    assert [type(n).__name__ for n in _imports(tree)] == ["ImportFrom"]


def test_every_format_has_a_renderer_module():
    from alignaudit.core.types import Format
    from alignaudit.formats import DOCUMENTS, RENDERERS

    assert set(RENDERERS) == {f for f in Format if not f.binary}
    assert set(DOCUMENTS) == {f for f in Format if f.binary} == {Format.PDF, Format.PPTX}
    for fmt in Format:
        assert (SRC / PACKAGE / "formats" / f"{fmt.value}.py").is_file(), fmt


def test_the_tests_mirror_the_layers():
    """tests/<layer>/ for each layer's tests; cross-cutting tests (API, security, faults,
    fuzzing, this file) stay at the top of tests/."""
    tests = Path(__file__).resolve().parent
    folders = {p.name for p in tests.iterdir() if p.is_dir() and any(p.glob("test_*.py"))}
    assert folders <= set(LAYERS), folders - set(LAYERS)


def test_docs_architecture_lists_every_module_once():
    """docs/architecture.md has one line for each module: a module added, moved or removed
    without the page changing fails here."""
    page = (SRC.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z_/0-9]+\.py)` \|", page, flags=re.MULTILINE)
    modules = sorted(str(p.relative_to(SRC / PACKAGE)) for p in (SRC / PACKAGE).rglob("*.py"))
    layer_inits = [m for m in modules if m.endswith("/__init__.py") and m not in listed]
    assert sorted(listed) == sorted(m for m in modules if m not in layer_inits)
    assert len(listed) == len(set(listed))
    assert all(m.split("/")[0] in LAYERS for m in layer_inits)  # docstring-only packages

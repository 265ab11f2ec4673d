"""Every module in alignaudit says what it is for, and so does every public module-level
function and class: a reader of the code meets the reason before the details. Checked with ast,
so nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "alignaudit"


def missing_docstrings(root: Path) -> list[str]:
    """`path: name` for each module without a docstring (name `<module>`) and each public
    module-level function or class without one."""
    missing = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(root.parent).as_posix()
        if not ast.get_docstring(tree):
            missing.append(f"{where}: <module>")
        for node in tree.body:
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and not node.name.startswith("_")
                and not ast.get_docstring(node)
            ):
                missing.append(f"{where}:{node.lineno}: {node.name}")
    return missing


def test_every_module_and_public_definition_has_a_docstring() -> None:
    missing = missing_docstrings(PACKAGE)
    if missing:
        pytest.fail(
            f"{len(missing)} modules or public functions and classes have no docstring saying "
            "what they are for:\n" + "\n".join(missing),
            pytrace=False,
        )


def test_the_check_sees_what_is_missing(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "bare.py").write_text(
        "def public():\n    pass\n\n\ndef _private():\n    pass\n\n\nclass Thing:\n    pass\n"
    )
    (package / "told.py").write_text('"""Why."""\n\n\ndef public():\n    """Why."""\n')
    assert missing_docstrings(package) == [
        "pkg/bare.py: <module>",
        "pkg/bare.py:1: public",
        "pkg/bare.py:9: Thing",
    ]

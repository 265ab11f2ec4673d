"""alignaudit: measure whether a management team agrees on its foundations.

The Python API::

    from alignaudit import audit, load_team, score

    score("Customers first.", "We put the customer first.")  # StatementScore(score, band, raw)
    report = audit("examples/harbor-health")                   # TeamReport

is imported on first use (module __getattr__), so `import alignaudit` and `alignaudit --help`
load neither numpy nor the model. The names live in alignaudit.api.

`alignaudit.features.auditor` is the function, also after the submodule of the same name has been
imported (the package keeps its attribute); reach the module with `from alignaudit.features.auditor
import ...` or `importlib.import_module("alignaudit.features.auditor")`.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from ._version import __version__

__all__ = ["StatementScore", "__version__", "audit", "load_team", "score"]
_API = frozenset({"StatementScore", "audit", "load_team", "score"})

if TYPE_CHECKING:
    from .api import StatementScore, audit, load_team, score


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(importlib.import_module(".api", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """Importing a submodule sets it as an attribute of the package; for the API names that
    would replace `alignaudit.features.auditor` (the function) by the module alignaudit/audit.py."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

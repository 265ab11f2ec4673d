"""alignaudit: measure whether a management team agrees on its foundations.

The Python API::

    from alignaudit import audit, audit_folder, load_team, score

    score("Customers first.", "We put the customer first.")  # StatementScore(score, band, raw)
    report = audit("examples/harbor-health")                   # TeamReport
    run = audit_folder("examples/harbor-health")  # as `alignaudit audit`: config, gate, ...

is imported on first use (module __getattr__), so `import alignaudit` and `alignaudit --help`
load neither numpy nor the model. The names live in alignaudit.api.

"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

__all__ = [
    "AuditRequest",
    "StatementScore",
    "__version__",
    "audit",
    "audit_folder",
    "load_team",
    "score",
]
_API = frozenset(__all__) - {"__version__"}

if TYPE_CHECKING:
    from .api import AuditRequest, StatementScore, audit, audit_folder, load_team, score


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(importlib.import_module(".api", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

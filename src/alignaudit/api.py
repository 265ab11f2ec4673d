"""The Python API: what `from alignaudit import audit, load_team, score` gives.

The CLI is built on these functions. Every function takes an optional embedder (anything with
`name`, `sha256` and `encode(texts) -> unit vectors`); the default is the bundled
all-MiniLM-L6-v2, loaded once per process and only when a statement is first embedded.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import cache

from .core.results import TeamReport
from .core.types import AuditOptions, Foundation, Team
from .embedding.interface import Embedder
from .features.auditor import audit as _audit
from .features.pairs import StatementScore, score_texts, statement
from .inputs.answers import load_team
from .scoring.calibration import Calibration

__all__ = ["StatementScore", "audit", "default_embedder", "load_team", "score"]


@cache
def default_embedder() -> Embedder:
    """The default model of the catalogue (weights checked once; torch, where the model needs
    it, is imported on the first encode)."""
    from .scoring.catalogue import build

    return build(None)


def score(
    a: str,
    b: str,
    embedder: Embedder | None = None,
    *,
    calibration: Calibration | None = None,
) -> StatementScore:
    """How alike two statements are: `StatementScore(score, band, raw)`, where score is the
    calibrated STS score 0-5, band its words ("mostly equivalent", ...) and raw the cosine.

    Raises alignaudit.core.errors.UsageError when a statement is empty.
    """
    pair = (statement(a, "A"), statement(b, "B"))
    return score_texts([pair], embedder or default_embedder(), calibration)[0]


def audit(
    team: Team | str | os.PathLike[str],
    embedder: Embedder | None = None,
    options: AuditOptions | None = None,
    *,
    foundations: tuple[Foundation | str, ...] | None = None,
) -> TeamReport:
    """Audit a team (a loaded Team or its folder): a TeamReport with every figure and finding.

    `foundations` limits the report, like `--foundation`; `options` carries the rest (reference
    statement, themes). Raises alignaudit.core.errors.InputError for bad answer files.
    """
    if not isinstance(team, Team):
        team = load_team(team)
    if foundations is not None:
        wanted = {Foundation(f) for f in foundations}
        chosen = tuple(f for f in Foundation if f in wanted)
        options = replace(options or AuditOptions(), foundations=chosen)
    return _audit(team, embedder or default_embedder(), options)

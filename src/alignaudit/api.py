"""The Python API: what `from alignaudit import audit, audit_folder, load_team, score` gives.

The CLI is built on these functions. Every function takes an optional embedder (an
embedding.interface.Embedder: `name`, `sha256`, `encode(texts) -> unit vectors` and the
optional abilities EmbedderBase declares); the default is the catalogue's default model,
loaded once per process and only when a statement is first embedded.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import cache

from .core.results import TeamReport
from .core.types import AuditOptions, Foundation, Team
from .embedding.interface import Embedder
from .features.audit_run import AuditRequest, AuditRun, run_audit
from .features.auditor import audit as _audit
from .features.pairs import StatementScore, score_texts, statement
from .inputs.answers import load_team
from .scoring.calibration import Calibration

__all__ = [
    "AuditRequest",
    "StatementScore",
    "audit",
    "audit_folder",
    "default_embedder",
    "load_team",
    "score",
]


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
    return score_texts(
        [pair], embedder if embedder is not None else default_embedder(), calibration
    )[0]


def audit(
    team: Team | str | os.PathLike[str],
    embedder: Embedder | None = None,
    options: AuditOptions | None = None,
    *,
    foundations: tuple[Foundation | str, ...] | None = None,
    previous: TeamReport | None = None,
) -> TeamReport:
    """Audit a team (a loaded Team or its folder): a TeamReport with every figure and finding.

    `foundations` limits the report, like `--foundation`; `options` carries the rest (reference
    statement, themes); `previous`, an earlier round of the same team, keeps the figures of
    every foundation whose answers did not change. Raises alignaudit.core.errors.InputError
    for bad answer files.
    """
    if not isinstance(team, Team):
        team = load_team(team)
    if foundations is not None:
        wanted = {Foundation(f) for f in foundations}
        chosen = tuple(f for f in Foundation if f in wanted)
        options = replace(options or AuditOptions(), foundations=chosen)
    model = embedder if embedder is not None else default_embedder()
    return _audit(team, model, options, previous=previous)


def audit_folder(
    team_dir: str | os.PathLike[str],
    request: AuditRequest | None = None,
    embedder: Embedder | None = None,
) -> AuditRun:
    """Audit a team folder exactly as `alignaudit audit` does: its alignaudit.yaml under the
    request's settings, the official statement and themes, anonymity, the embedding cache and
    the CI gate. `run.report` is the gated report, `run.passed` whether every threshold was
    met, `run.aliases` the key of an anonymised run.

    With `embedder`, that model is used whatever the config names; else the catalogue's.
    """
    from .scoring.catalogue import build

    def factory(model: str | None) -> Embedder:
        if embedder is not None:
            return embedder
        return default_embedder() if model is None else build(model)

    return run_audit(team_dir, request or AuditRequest(), factory)

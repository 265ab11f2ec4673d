"""One audit as the command line runs it, as a library call: the team's config under the
caller's flags, the official statement and themes, anonymity, the model under the cache, and
the CI gate. A Python user gets the same gated report as `alignaudit audit`."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core.errors import InputError
from ..core.results import TeamReport
from ..core.types import AuditOptions, Format, Foundation
from ..embedding.interface import Embedder
from ..embedding.store import run_embedder
from ..inputs.answers import load_reference, load_team
from ..inputs.config import Settings, settings_for
from ..inputs.tradeoffs import check_ratings
from .anonymity import anonymize as make_anonymous
from .auditor import audit
from .gate import evaluate


@dataclass(frozen=True)
class AuditRequest:
    """What the caller asks for on top of the team's alignaudit.yaml; every field left at its
    default leaves the config's value (inputs.config.resolve merges them key by key)."""

    config: str | os.PathLike[str] | None = None  # default: TEAM_DIR/alignaudit.yaml if any
    model: str | None = None
    foundations: tuple[Foundation, ...] = ()
    thresholds: dict[str, float] = field(default_factory=dict)  # overall / foundation -> index
    fail_on_missing: bool = False
    reference: str | None = None
    themes: tuple[str, ...] = ()
    format: Format | None = None
    anonymize: bool = False
    min_group: int = 3  # with anonymize: the fewest managers a unit, camp or idea shows
    cache_dir: Path | None = None
    no_cache: bool = False
    backend: str = "torch"


@dataclass(frozen=True)
class AuditRun:
    """The gated report (gate None when no check was set), the alias -> name key of an
    anonymised run (empty otherwise), and the settings the run used."""

    report: TeamReport
    aliases: dict[str, str]
    settings: Settings

    @property
    def passed(self) -> bool:
        return self.report.gate is None or self.report.gate.passed


def run_audit(
    team_dir: str | os.PathLike[str],
    request: AuditRequest,
    embedder_factory: Callable[[str | None], Embedder],
) -> AuditRun:
    """Audit the team folder as `alignaudit audit` does. Raises the project's errors
    (InputError, UsageError, ModelError) for the caller to report."""
    settings = settings_for(
        team_dir,
        request.config,
        model=request.model,
        foundations=request.foundations,
        thresholds=request.thresholds,
        fail_on_missing=request.fail_on_missing,
        reference=request.reference,
        themes=request.themes,
        fmt=request.format,
    )
    team = load_team(team_dir)
    problems = check_ratings(team.managers, settings.tradeoffs, settings.rankings)
    if problems:
        raise InputError(problems)
    options = AuditOptions(
        foundations=settings.foundations,
        tradeoffs=settings.tradeoffs,
        rankings=settings.rankings,
        reference=load_reference(settings.reference) if settings.reference else None,
        themes=settings.themes,
        min_group=request.min_group if request.anonymize else 1,
    )
    aliases: dict[str, str] = {}
    if request.anonymize:  # before anything is computed: no name reaches the figures
        team, aliases = make_anonymous(team, request.min_group)
    embedder = embedder_factory(settings.model)
    with run_embedder(
        embedder, cache_dir=request.cache_dir, no_cache=request.no_cache, backend=request.backend
    ) as cached:
        report = audit(team, cached, options)
    gate = None
    if settings.thresholds or settings.required or settings.fail_on_missing:
        gate = evaluate(report, settings.thresholds, settings.required, settings.fail_on_missing)
    report = replace(report, gate=gate, anonymized=request.anonymize)
    return AuditRun(report, aliases, settings)

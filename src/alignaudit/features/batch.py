"""Auditing many teams in one run.

Every distinct statement of every team is embedded in ONE call to the model (a MemoEmbedder in
front of it; with a model pooled token by token here, one call per team, since its index vectors
depend on the team), then each team is audited from that memo exactly as `audit` would audit it
alone:
a team's figures never depend on the other teams of the batch. A team whose files are broken is
a TeamFailure with its file:line problems; the others are still audited.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputError, Problem, UsageError
from ..core.results import TeamReport
from ..core.text import inert
from ..core.types import AuditOptions, Team
from ..embedding.interface import Embedder
from ..embedding.memo import MemoEmbedder
from ..inputs.answers import answer_files, load_team, over_limits
from .auditor import audit


@dataclass(frozen=True)
class TeamFailure:
    """A team (or a path given as one) that could not be audited, and why."""

    path: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class BatchResult:
    """What a batch run gives: the reports of the teams audited, and the teams that could not be."""

    reports: tuple[TeamReport, ...]  # in the order the teams were found
    failures: tuple[TeamFailure, ...]

    def ranked(self) -> list[TeamReport]:
        """Best agreement first: overall index, then overall score; unscored teams last."""
        return rank(self.reports)


def rank(reports: Iterable[TeamReport]) -> list[TeamReport]:
    """The reports best agreement first (overall index, then overall score, then path), teams
    without a figure last: the order of `batch`'s table."""

    def key(r: TeamReport) -> tuple[bool, float, float, str]:
        return (
            r.overall_index is None,
            -(r.overall_index or 0.0),
            -(r.overall or 0.0),
            r.team.path,
        )

    return sorted(reports, key=key)


def _has_answer_files(folder: Path) -> bool:
    try:
        return bool(answer_files(folder))
    except OSError:
        return False


def discover(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[str], list[TeamFailure]]:
    """Team folders among `paths`: a folder with answer files is a team; a folder without any
    is a folder of teams, and each sub-folder with answer files is one (in name order)."""
    teams: list[str] = []
    failures: list[TeamFailure] = []
    seen: set[Path] = set()

    def add(folder: Path, shown: str) -> None:
        resolved = folder.resolve()
        if resolved not in seen:
            seen.add(resolved)
            teams.append(shown)

    for given in paths:
        shown = inert(str(given))
        path = Path(given)
        if not path.exists():
            failures.append(_failure(shown, "no such folder; give a team folder"))
        elif not path.is_dir():
            failures.append(
                _failure(shown, "is a file; give a team folder or a folder of team folders")
            )
        elif _has_answer_files(path):
            add(path, shown)
        else:
            try:
                children = sorted(p for p in path.iterdir() if p.is_dir())
            except OSError as exc:
                failures.append(_failure(shown, f"cannot list folder: {exc.strerror}"))
                continue
            found = [c for c in children if not c.name.startswith((".", "_"))]
            found = [c for c in found if _has_answer_files(c)]
            if not found:
                failures.append(
                    _failure(
                        shown,
                        "no answer files (*.yaml) in this folder or its sub-folders; "
                        "give team folders or a folder of team folders",
                    )
                )
            for child in found:
                add(child, str(Path(shown) / inert(child.name)))
    return teams, failures


def _failure(path: str, message: str) -> TeamFailure:
    return TeamFailure(path, (Problem(path, None, None, message),))


def load_teams(paths: Sequence[str]) -> tuple[list[Team], list[TeamFailure]]:
    """Load every team; a broken one becomes a TeamFailure with all its problems. A run holds
    at most what one audit holds (answers.over_limits), so its memory has the same bound: a
    team past it is skipped with that reason (run it in another batch)."""
    teams: list[Team] = []
    failures: list[TeamFailure] = []
    statements = characters = 0
    for path in paths:
        try:
            team = load_team(path)
        except InputError as exc:
            failures.append(TeamFailure(path, tuple(exc.problems)))
            continue
        over = over_limits(statements + team.statement_count, characters + team.character_count)
        if over is not None:
            message = f"the teams so far and this one hold {over}; audit it in another batch"
            failures.append(_failure(path, message))
            continue
        statements += team.statement_count
        characters += team.character_count
        teams.append(team)
    return teams, failures


def statements(teams: Iterable[Team], options: AuditOptions | None = None) -> list[str]:
    """Every distinct text the audits of `teams` will embed, in first-seen order."""
    options = options or AuditOptions()
    texts: list[str] = []
    for team in teams:
        texts += [s for m in team.managers for a in m.answers.values() for s in a.statements]
    if options.reference is not None:
        texts += [
            s
            for f, a in options.reference.answers.items()
            if f in options.foundations
            for s in a.statements
        ]
    texts += list(options.themes)
    return list(dict.fromkeys(texts))


def audit_teams(
    teams: Sequence[Team],
    embedder: Embedder,
    options: AuditOptions | None = None,
    *,
    on_team: Callable[[Team], None] | None = None,
) -> BatchResult:
    """Audit each team, embedding every distinct statement of all of them in one call."""
    memo = embedder if isinstance(embedder, MemoEmbedder) else MemoEmbedder(embedder)
    memo.prefetch(statements(teams, options))
    reports: list[TeamReport] = []
    failures: list[TeamFailure] = []
    for team in teams:
        try:
            reports.append(audit(team, memo, options))
        except InputError as exc:
            failures.append(TeamFailure(team.path, tuple(exc.problems)))
        except UsageError as exc:
            failures.append(_failure(team.path, str(exc)))
        if on_team is not None:
            on_team(team)
    return BatchResult(tuple(reports), tuple(failures))


def audit_folders(
    paths: Sequence[str | os.PathLike[str]],
    embedder: Embedder,
    options: AuditOptions | None = None,
) -> BatchResult:
    """Discover, load and audit: the library form of `alignaudit batch`."""
    found, missing = discover(paths)
    teams, broken = load_teams(found)
    result = audit_teams(teams, embedder, options)
    return BatchResult(result.reports, (*missing, *broken, *result.failures))

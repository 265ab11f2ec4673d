"""All findings for one foundation, and the team-level ones, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from ..core.results import Contrast, Findings, FoundationResult
from ..core.types import Foundation, Manager
from ..scoring.answer_vectors import Answers, AnswerVectors
from ..scoring.calibration import Calibration
from . import confidence
from .guards import length_warnings, one_line_warnings, truncation_warnings
from .ideas import SameIdea, consensus, held_by, ideas, unique
from .outliers import outliers, standings
from .reference import against_reference
from .silos import by_unit, groups
from .themes import theme_presence


@dataclass(frozen=True)
class Context:
    """What the analyses need besides the scores."""

    managers: tuple[Manager, ...]
    answers: Answers
    calibration: Calibration
    reference: dict[Foundation, AnswerVectors]
    reference_index: dict[Foundation, np.ndarray]  # the official statements' index vectors
    themes: dict[str, np.ndarray]
    token_counts: dict[str, int]
    token_limit: int | None
    same: SameIdea  # the test of "the same idea" (ideas.py)
    min_group: int = 1  # the fewest managers a camp or idea is broken out with (anonymity)
    official: Manager | None = None  # the official statement (--reference), as read


def _matrix(result: FoundationResult, field: str, names: tuple[str, ...]) -> np.ndarray:
    values = {frozenset((p.a, p.b)): getattr(p, field) for p in result.pairs}
    return confidence.pair_matrix(names, values)


def analyse(result: FoundationResult, ctx: Context) -> Findings:
    """Every finding on one foundation beyond its scores. A large team, or one with fewer than two
    answers, gets only the findings that need no pair: warnings, reference and themes."""
    f, names = result.foundation, result.answered
    large = not result.every_pair
    units = {m.name: m.unit for m in ctx.managers}
    # Pairwise findings cost O(N^2); a large team (large_team.LARGE_TEAM) gets the linear ones only.
    warnings = one_line_warnings(ctx.managers, f, ctx.official)
    warnings += [] if large else length_warnings(ctx.managers, f)
    if ctx.token_limit:
        warnings += truncation_warnings(ctx.managers, f, ctx.token_counts, ctx.token_limit)
    reference = (
        against_reference(names, f, ctx.reference[f], ctx.reference_index[f], ctx.same)
        if f in ctx.reference and names
        else None
    )
    themes = tuple(
        theme_presence(t, v, names, f, ctx.answers, ctx.calibration) for t, v in ctx.themes.items()
    )
    if len(names) < 2 or large:
        return Findings((), (), None, (), reference, themes, (), (), None, None, tuple(warnings))
    all_standings = standings(names, result.pairs)
    found = ideas(names, f, ctx.same)
    return Findings(
        standings=all_standings,
        outliers=outliers(all_standings, result.pairs),
        units=by_unit(units, result.pairs),
        groups=groups(names, result.pairs, f, ctx.answers, ctx.min_group, held_by(found)),
        reference=reference,
        themes=themes,
        consensus=consensus(found, names, ctx.min_group),
        unique=unique(found, names, ctx.min_group),
        interval=confidence.interval(_matrix(result, "score", names)),
        index_interval=confidence.interval(_matrix(result, "index", names)),
        warnings=tuple(warnings),
        ideas=tuple(i for i in found if len(i.authors) >= ctx.min_group),
        same_idea=ctx.same.test,
    )


def contrasts(results: dict[Foundation, FoundationResult]) -> tuple[Contrast, ...]:
    """For each two foundations scored on every pair, whether the team agrees on one more than on
    the other beyond noise (a paired bootstrap over the managers who answered both)."""
    out = []
    scored = [r for r in results.values() if r.index is not None and r.every_pair]
    for a, b in combinations(scored, 2):
        both = tuple(n for n in a.answered if n in b.answered)
        bounds = None
        if len(both) >= 3:
            bounds = confidence.difference_interval(
                _matrix(a, "index", both), _matrix(b, "index", both)
            )
        assert a.index is not None and b.index is not None
        out.append(
            Contrast(
                a.foundation,
                b.foundation,
                a.index - b.index,
                bounds,
                confidence.within_noise(bounds),
            )
        )
    return tuple(out)

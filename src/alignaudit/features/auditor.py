"""The auditor: a loaded team and an embedder in, a TeamReport out. Prints nothing."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations
from typing import Literal

import numpy as np

from .._version import __version__
from ..analysis import confidence
from ..analysis.findings import Context, analyse, contrasts
from ..analysis.ideas import SameIdea
from ..analysis.tradeoffs import ranking_result, tradeoff_result, two_signals
from ..core.results import FoundationResult, RankingResult, Signature, TeamReport, TradeOffResult
from ..core.types import AuditOptions, Foundation, Manager, Team
from ..core.verdict import Bands, verdict
from ..embedding.interface import Embedder, embed_unique
from ..embedding.languages import identify_each, language_report
from ..embedding.pooling import TEAM_POWER, answers_discount
from ..scoring import large_team
from ..scoring.answer_vectors import AnswerVectors
from ..scoring.baseline import Baseline
from ..scoring.calibration import Calibration, band
from ..scoring.catalogue import tables_for
from ..scoring.exact import exact_foundation
from ..scoring.team_vectors import TeamVectors


def audit(
    team: Team,
    embedder: Embedder,
    options: AuditOptions | None = None,
    *,
    calibration: Calibration | None = None,
    baseline: Baseline | None = None,
    bands: Bands | Literal["model"] | None = "model",
    previous: TeamReport | None = None,
) -> TeamReport:
    """Score every pair of managers on every foundation and gather the findings, embedding
    each distinct statement once.

    All foundations are embedded even when only some are reported: the team context of the
    agreement index is everything the team wrote, so a filtered report shows the same figures.

    `previous` is an earlier round of the team (`compare`): a foundation whose answers did not
    change keeps that round's figures and findings, since otherwise the team context (the
    other foundations' answers, which did change) would move figures nobody's answer moved.
    """
    options = options or AuditOptions()
    tables = tables_for(embedder.name)  # the model's own tables; benchmarks pass others
    calibration = calibration or tables.calibration
    baseline = baseline or tables.baseline
    chosen_bands = tables.bands if bands == "model" else bands
    chosen = options.foundations
    reference = options.reference.answers if options.reference else {}
    texts = [s for m in team.managers for a in m.answers.values() for s in a.statements]
    texts += [s for f, a in reference.items() if f in chosen for s in a.statements]
    texts += list(options.themes)
    rated = _rated(team, options)
    vectors, index_vectors, discounted = _embed(embedder, team.managers, texts)
    team_vectors = TeamVectors(team.managers, vectors, index_vectors)
    if len(team.managers) > large_team.LARGE_TEAM:  # linear-cost statistics, K worst pairs only
        results = large_team.foundations_large(
            team.managers, team_vectors, chosen, calibration, baseline
        )
    else:
        results = {
            f: exact_foundation(team.managers, f, team_vectors, calibration, baseline)
            for f in chosen
        }
    answers = team_vectors.statement_vectors
    analysis_context = Context(
        managers=team.managers,
        answers=answers,
        calibration=calibration,
        reference={
            f: AnswerVectors(a.statements, np.stack([vectors[s] for s in a.statements]))
            for f, a in reference.items()
            if f in chosen
        },
        reference_index={
            f: np.stack([index_vectors[s] for s in a.statements]).astype(np.float64)
            for f, a in reference.items()
            if f in chosen
        },
        themes={t: vectors[t] for t in options.themes},
        token_counts=_token_counts(embedder, texts),
        token_limit=embedder.max_tokens,
        same=SameIdea(
            team_vectors,
            baseline,
            calibration,
            chosen_bands.aligned if chosen_bands is not None else None,
            chosen_bands.same_idea_checked if chosen_bands is not None else "",
        ),
        min_group=options.min_group,
        official=options.reference,
    )
    findings = {f: analyse(r, analysis_context) for f, r in results.items()}
    if previous is not None:
        for f in unchanged(previous, team, chosen):
            results[f], findings[f] = previous.foundations[f], previous.findings[f]
    results = {
        f: replace(
            r,
            verdict=verdict(
                r.index,
                findings[f].index_interval,
                chosen_bands,
                r.lowest_index(),
                [p.index for p in r.pairs]
                if len(r.pairs) == len(r.answered) * (len(r.answered) - 1) // 2
                else (),
            ),
            index_interval=findings[f].index_interval,
        )
        for f, r in results.items()
    }
    scored = [r.score for r in results.values() if r.score is not None]
    indexed = [r.index for r in results.values() if r.index is not None]
    overall = float(np.mean(scored)) if scored else None
    overall_index = float(np.mean(indexed)) if indexed else None
    overall_interval = _overall_interval(team.managers, results)
    # Identified after the scoring: the identifier (about 90 MB, loaded only for answers that
    # are not plainly English) and a large team's scoring then never hold memory at once.
    codes = identify_each(
        [s for a in m.answers.values() for s in a.statements] for m in team.managers
    )
    languages, warning = language_report(codes, multilingual=embedder.multilingual)

    def quote(manager: str, foundation: Foundation, others: tuple[str, ...]) -> str | None:
        """The manager's statement on the foundation that the others' statements match least."""
        by_name = {m.name: m for m in team.managers}
        if foundation not in by_name[manager].answers:
            return None
        said = by_name[manager].answers[foundation].statements
        theirs = [
            s
            for o in others
            if foundation in by_name[o].answers
            for s in by_name[o].answers[foundation].statements
        ]
        if not theirs:
            return said[0]
        mine = np.stack([vectors[s] for s in said]).astype(np.float64)
        other = np.stack([vectors[s] for s in theirs]).astype(np.float64)
        mine /= np.linalg.norm(mine, axis=1, keepdims=True) + 1e-12
        other /= np.linalg.norm(other, axis=1, keepdims=True) + 1e-12
        return said[int(np.argmin((mine @ other.T).max(axis=1)))]

    signals = tuple(
        s
        for f in chosen
        for s in two_signals(
            f,
            results[f].verdict,
            findings[f].groups,
            rated[0],
            rated[1],
            quote,
        )
    )
    return TeamReport(
        team=team,
        foundations=results,
        overall=overall,
        overall_band=band(overall) if overall is not None else None,
        overall_index=overall_index,
        overall_verdict=verdict(overall_index, overall_interval, chosen_bands),
        overall_interval=overall_interval,
        bands=chosen_bands,
        languages=languages,
        language_warning=warning,
        signature=Signature(
            package=__version__,
            model=embedder.name,
            model_sha256=embedder.sha256,
            calibration=calibration.version,
            baseline=baseline.version,
            pooling=embedder.pooling
            + (f"; team discount (power {TEAM_POWER:g})" if discounted else ""),
            bands=chosen_bands.version if chosen_bands else "none",
        ),
        findings=findings,
        contrasts=contrasts(results),
        themes=options.themes,
        reference=options.reference.file if options.reference else None,
        tradeoffs=rated[0],
        rankings=rated[1],
        signals=signals,
        min_group=options.min_group,
    )


def _rated(
    team: Team, options: AuditOptions
) -> tuple[tuple[TradeOffResult, ...], tuple[RankingResult, ...]]:
    """The figures of every trade-off and ranking of an audited foundation that at least one
    manager rated; none where nobody rated any, so such a team audits as it always did."""
    rated = {r.id for m in team.managers for r in m.ratings}
    tradeoffs = tuple(
        tradeoff_result(t, team.managers, options.min_group)
        for t in options.tradeoffs
        if t.id in rated and t.foundation in options.foundations
    )
    rankings = tuple(
        ranking_result(r, team.managers)
        for r in options.rankings
        if r.id in rated and r.foundation in options.foundations
    )
    return tradeoffs, rankings


def unchanged(
    previous: TeamReport, team: Team, foundations: tuple[Foundation, ...]
) -> list[Foundation]:
    """The foundations on which every manager of `team` wrote what they wrote in `previous`,
    the same managers answering, and `previous` has figures and findings for."""

    def answers(t: Team, f: Foundation) -> dict[str, tuple[str, ...]]:
        return {m.name: m.answers[f].statements for m in t.managers if f in m.answers}

    return [
        f
        for f in foundations
        if f in previous.foundations
        and f in previous.findings
        and answers(previous.team, f) == answers(team, f)
    ]


def _overall_interval(
    managers: tuple[Manager, ...], results: dict[Foundation, FoundationResult]
) -> tuple[float, float] | None:
    """Bootstrap interval of the overall index: managers who answered every foundation
    reported, each pair's mean index over those foundations, resampled as one team."""
    names = tuple(m.name for m in managers if all(m.name in r.answered for r in results.values()))
    if not results or not 3 <= len(names) <= confidence.MAX_MANAGERS:
        return None  # nothing to resample, or a team too large to resample
    if not all(r.every_pair for r in results.values()):
        return None  # the large-team path keeps a few pairs only
    values = {}
    for a, b in combinations(names, 2):
        pairs = [r.pair(a, b) for r in results.values()]
        if all(p is not None for p in pairs):
            values[frozenset((a, b))] = float(np.mean([p.index for p in pairs if p is not None]))
    if len(values) < len(names) * (len(names) - 1) // 2:
        return None  # the large-team path keeps a few pairs only
    return confidence.interval(confidence.pair_matrix(names, values))


def _token_counts(embedder: Embedder, texts: list[str]) -> dict[str, int]:
    """Token lengths where the model can tell them and cuts statements off (for truncation
    warnings); none asked of a model that reads everything."""
    if embedder.max_tokens is None:
        return {}
    unique = list(dict.fromkeys(texts))
    counts = embedder.count_tokens(unique)
    return {t: c for t, c in zip(unique, counts, strict=True) if c}


def _embed(
    embedder: Embedder, managers: tuple[Manager, ...], texts: list[str]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], bool]:
    """Each statement's vector, and the vector the index compares: pooled with the team's
    discount (pooling.team_discount) where the model is pooled token by token here, else the
    same vector. The third value says whether the discount applied."""
    if not embedder.pools_by_token:
        vectors = embed_unique(embedder, texts)
        return vectors, vectors, False
    unique = list(dict.fromkeys(texts))
    ids = dict(zip(unique, embedder.token_ids(unique), strict=True))
    factors = answers_discount((a.statements for m in managers for a in m.answers.values()), ids)
    plain, discounted = embedder.encode_discounted(unique, factors)
    return dict(zip(unique, plain, strict=True)), dict(zip(unique, discounted, strict=True)), True

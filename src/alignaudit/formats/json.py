"""The JSON report: the stable contract for scripts and CI (schema in data/report.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from ..core.results import (
    CHOICE_MEANINGS,
    UNMATCHED_BELOW,
    Camp,
    Echo,
    Findings,
    FoundationResult,
    LargeTeamFigures,
    Match,
    PairScore,
    RankingResult,
    Signature,
    Standing,
    TeamReport,
    TradeOffResult,
    TwoSignals,
)
from ..core.verdict import MEANINGS, Bands, word
from ..scoring.calibration import BAND_HELP
from .summary import CHOICES_TEXT, RANKINGS_TEXT, verdict_of

# 2: one verdict per foundation and overall (verdict, index_interval / interval), the STS team
# figures moved under statement_similarity, index_band and scale.index_bands gone; bands,
# languages and language_warning added (docs/formats.md).
SCHEMA = "alignaudit.report/3"
BASELINE_TEXT = (
    "index 0 = no more alike than a typical pair of unrelated organisations' statements "
    "(published missions and values), 1 = more alike than every such pair"
)
NO_BASELINE_TEXT = "no baseline for this model: index is the team-centred cosine, floored at 0"


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _match(m: Match) -> dict[str, Any]:
    return {"statement": m.statement, "closest": m.best, "score": _r(m.score), "raw": _r(m.raw)}


def _pair(p: PairScore, bands: Bands | None) -> dict[str, Any]:
    ua, ub = p.unmatched(UNMATCHED_BELOW)
    return {
        "a": p.a,
        "b": p.b,
        "score": _r(p.score),
        "band": p.band,
        "raw": _r(p.raw),
        "index": _r(p.index),
        "verdict": word(p.index, bands),
        "unmatched": {"a": [_match(m) for m in ua], "b": [_match(m) for m in ub]},
    }


def _pair2(x: tuple[float, float] | None) -> list[float] | None:
    return None if x is None else [round(x[0], 4), round(x[1], 4)]


def _standing(s: Standing) -> dict[str, Any]:
    return {
        "manager": s.manager,
        "own_index": _r(s.own_index),
        "rest_index": _r(s.rest_index),
        "gap": _r(s.gap),
        "own_score": _r(s.own_score),
        "rest_score": _r(s.rest_score),
    }


def _echo(e: Echo) -> dict[str, Any]:
    return {
        "statement": e.statement,
        "author": e.author,
        "echoed_by": list(e.echoed_by),
    }


def _findings(fi: Findings) -> dict[str, Any]:
    units = fi.units
    ref = fi.reference
    return {
        "standings": [_standing(s) for s in fi.standings],
        "outliers": [_standing(s) for s in fi.outliers],
        "units": None
        if units is None
        else {
            "units": {u: list(m) for u, m in units.units.items()},
            "within_index": _r(units.within_index),
            "between_index": _r(units.between_index),
            "within_score": _r(units.within_score),
            "between_score": _r(units.between_score),
        },
        "groups": [
            {
                "members": list(g.members),
                "index": _r(g.index),
                "typical": [
                    {
                        "statement": t.statement,
                        "author": t.author,
                        "inside": _r(t.inside),
                        "outside": _r(t.outside),
                    }
                    for t in g.typical
                ],
            }
            for g in fi.groups
        ],
        "reference": None
        if ref is None
        else {
            "scores": [
                {
                    "manager": r.manager,
                    "index": _r(r.index),
                    "score": _r(r.score),
                    "band": r.band,
                    "raw": _r(r.raw),
                }
                for r in ref.scores
            ],
            "drifts": ref.drifts,
            "gap": _r(ref.gap),
            "unechoed": list(ref.unechoed),
        },
        "themes": {t.theme: {m: _r(v) for m, v in t.scores.items()} for t in fi.themes},
        "consensus": [_echo(e) for e in fi.consensus],
        "unique": [_echo(e) for e in fi.unique],
        "ideas": [
            {
                "statements": [{"author": a, "statement": t} for a, t in i.statements],
                "authors": list(i.authors),
                "share": _r(i.share),
                "kind": i.kind,
            }
            for i in fi.ideas
        ],
        "same_idea": fi.same_idea,
        "warnings": list(fi.warnings),
    }


def _foundation(r: FoundationResult, fi: Findings | None, bands: Bands | None) -> dict[str, Any]:
    out = {
        "index": _r(r.index),
        "verdict": verdict_of(r.verdict),
        "index_interval": _pair2(r.index_interval),
        "statement_similarity": {
            "score": _r(r.score),
            "band": r.band,
            "raw": _r(r.raw),
            "interval": _pair2(fi.interval if fi is not None else None),
        },
        "answered": list(r.answered),
        "missing": list(r.missing),
        "pairs": [_pair(p, bands) for p in r.pairs],
        **(_findings(fi) if fi is not None else {}),
    }
    if r.large is not None:
        out["large_team"] = _large(r.large, r.answered)
    return out


def _large(large: LargeTeamFigures, answered: tuple[str, ...]) -> dict[str, Any]:
    return {
        "method": large.method,
        "pair_count": large.pair_count,
        "managers": [
            {
                "name": m,
                "score": _r(large.agreement_score[m]),
                "index": _r(large.agreement_index[m]),
                "raw": _r(large.agreement_raw[m]),
                "centroid_distance": _r(large.centroid_distance[m]),
            }
            for m in answered
        ],
    }


def signature(sig: Signature) -> dict[str, Any]:
    """What every figure depends on: the same block in every JSON document alignaudit writes."""
    return {
        "package": sig.package,
        "model": sig.model,
        "model_sha256": sig.model_sha256,
        "calibration": sig.calibration,
        "baseline": sig.baseline,
        "pooling": sig.pooling,
        "bands": sig.bands,
    }


def bands_block(b: Bands | None) -> dict[str, Any] | None:
    """The verdict bands a report used; None when the model has none (every verdict can't tell)."""
    if b is None:
        return None
    return {"aligned": b.aligned, "partly": b.partly, "margin": b.margin, "version": b.version}


def to_dict(report: TeamReport) -> dict[str, Any]:
    """The report as the JSON contract (SCHEMA, data/report.schema.json), before it becomes text."""
    sig = report.signature
    return {
        "schema": SCHEMA,
        "team": report.team.name,
        "signature": signature(sig),
        "model": {"name": sig.model, "sha256": sig.model_sha256},
        "scale": {
            "min": 0,
            "max": 5,
            "bands": BAND_HELP,
            "unmatched_below": UNMATCHED_BELOW,
            "baseline": BASELINE_TEXT if sig.baseline != "none" else NO_BASELINE_TEXT,
            "verdicts": dict(MEANINGS),
        },
        "bands": bands_block(report.bands),
        "languages": list(report.languages),
        "language_warning": report.language_warning,
        "managers": [
            {"name": m.name, "role": m.role, "unit": m.unit, "file": m.file}
            for m in report.team.managers
        ],
        "foundations": {
            f.value: _foundation(r, report.findings.get(f), report.bands)
            for f, r in report.foundations.items()
        },
        "reference": report.reference,
        "themes": list(report.themes),
        "anonymized": report.anonymized,
        "gate": None
        if report.gate is None
        else {
            "passed": report.gate.passed,
            "checks": [
                {
                    "name": c.name,
                    "foundation": c.foundation.value if c.foundation else None,
                    "threshold": c.threshold,
                    "value": _r(c.value),
                    "passed": c.passed,
                    "message": c.message,
                }
                for c in report.gate.checks
            ],
        },
        "contrasts": [
            {
                "first": c.first.value,
                "second": c.second.value,
                "difference": _r(c.difference),
                "interval": _pair2(c.interval),
                "within_noise": c.within_noise,
            }
            for c in report.contrasts
        ],
        "overall": {
            "index": _r(report.overall_index),
            "verdict": verdict_of(report.overall_verdict),
            "interval": _pair2(report.overall_interval),
            "statement_similarity": {"score": _r(report.overall), "band": report.overall_band},
        },
        **choices(report),
    }


def _camp(c: Camp | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {"pole": c.pole, "members": list(c.members), "ratings": list(c.ratings)}


def _tradeoff(t: TradeOffResult) -> dict[str, Any]:
    return {
        "id": t.tradeoff.id,
        "foundation": t.tradeoff.foundation.value,
        "left": t.tradeoff.left,
        "right": t.tradeoff.right,
        "scale": [t.tradeoff.low, t.tradeoff.high],
        "ratings": [{"manager": m, "rating": v} for m, v in t.ratings],
        "missing": list(t.missing),
        "mean": _r(t.mean),
        "sd": _r(t.sd),
        "rwg": _r(t.rwg),
        "rwg_p": None if t.rwg_p is None else float(f"{t.rwg_p:.4g}"),
        "rwg_reading": t.reading or None,
        "ad": _r(t.ad),
        "ad_cutoff": _r(t.ad_cutoff),
        "word": t.word,
        "camps": None if t.camps is None else [_camp(c) for c in t.camps],
        "camps_hidden": t.hidden,
        "apart": _camp(t.apart),
    }


def _ranking(r: RankingResult) -> dict[str, Any]:
    return {
        "id": r.ranking.id,
        "foundation": r.ranking.foundation.value,
        "items": list(r.ranking.items),
        "orders": [{"manager": m, "order": list(o)} for m, o in r.orders],
        "missing": list(r.missing),
        "kendall_w": _r(r.w),
        "p": None if r.p is None else float(f"{r.p:.4g}"),
        "p_method": "exact" if r.exact else "chi-square",
        "mean_spearman": _r(r.mean_rho),
        "mean_ranks": [{"option": o, "mean_rank": _r(v)} for o, v in r.mean_ranks],
        "leads": [{"option": o, "managers": list(who)} for o, who in r.leads],
        "reading": r.reading or None,
        "word": r.word,
    }


def _signal(s: TwoSignals) -> dict[str, Any]:
    return {
        "foundation": s.foundation.value,
        "kind": s.kind,
        "choice": s.choice,
        "message": s.message,
        "quotes": [{"manager": m, "rating": v, "statement": q} for m, v, q in s.quotes],
        "same_camps": s.same_camps,
    }


def choices(report: TeamReport) -> dict[str, Any]:
    """The trade-offs, rankings and two-signal findings; no key at all for a team that rated
    nothing, whose report stays exactly as it was before trade-offs existed."""
    if not report.tradeoffs and not report.rankings:
        return {}
    return {
        "choices_help": {
            "tradeoffs": CHOICES_TEXT,
            "rankings": RANKINGS_TEXT,
            "words": dict(CHOICE_MEANINGS),
        },
        "tradeoffs": [_tradeoff(t) for t in report.tradeoffs],
        "rankings": [_ranking(r) for r in report.rankings],
        "signals": [_signal(s) for s in report.signals],
    }


def render(report: TeamReport) -> str:
    """The JSON report as text."""
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"

"""The JSON report: the stable contract for scripts and CI (schema in data/report.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from ..audit import UNMATCHED_BELOW
from ..baseline import INDEX_BANDS
from ..calibration import BAND_HELP
from ..model import FoundationResult, Match, PairScore, TeamReport
from ..scale import LargeFoundationResult

SCHEMA = "alignaudit.report/1"
BASELINE_TEXT = (
    "index 0 = no more alike than a typical pair of unrelated organisations' statements "
    "(published missions and values), 1 = more alike than every such pair"
)
NO_BASELINE_TEXT = "no baseline for this model: index is the team-centred cosine, floored at 0"


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _match(m: Match) -> dict[str, Any]:
    return {"statement": m.statement, "closest": m.best, "score": _r(m.score), "raw": _r(m.raw)}


def _pair(p: PairScore) -> dict[str, Any]:
    ua, ub = p.unmatched(UNMATCHED_BELOW)
    return {
        "a": p.a,
        "b": p.b,
        "score": _r(p.score),
        "band": p.band,
        "raw": _r(p.raw),
        "index": _r(p.index),
        "unmatched": {"a": [_match(m) for m in ua], "b": [_match(m) for m in ub]},
    }


def _foundation(r: FoundationResult) -> dict[str, Any]:
    out = {
        "index": _r(r.index),
        "index_band": r.index_band,
        "score": _r(r.score),
        "band": r.band,
        "raw": _r(r.raw),
        "answered": list(r.answered),
        "missing": list(r.missing),
        "pairs": [_pair(p) for p in r.pairs],
    }
    if isinstance(r, LargeFoundationResult):
        out["large_team"] = _large(r)
    return out


def _large(r: LargeFoundationResult) -> dict[str, Any]:
    return {
        "method": r.method,
        "pair_count": r.pair_count,
        "managers": [
            {
                "name": m,
                "score": _r(r.agreement_score[m]),
                "index": _r(r.agreement_index[m]),
                "raw": _r(r.agreement_raw[m]),
                "centroid_distance": _r(r.centroid_distance[m]),
            }
            for m in r.answered
        ],
    }


def to_dict(report: TeamReport) -> dict[str, Any]:
    sig = report.signature
    return {
        "schema": SCHEMA,
        "team": report.team.name,
        "signature": {
            "package": sig.package,
            "model": sig.model,
            "model_sha256": sig.model_sha256,
            "calibration": sig.calibration,
            "baseline": sig.baseline,
        },
        "model": {"name": sig.model, "sha256": sig.model_sha256},
        "scale": {
            "min": 0,
            "max": 5,
            "bands": BAND_HELP,
            "unmatched_below": UNMATCHED_BELOW,
            "index_bands": {words: lower for lower, words in INDEX_BANDS[:-1]},
            "baseline": BASELINE_TEXT if sig.baseline != "none" else NO_BASELINE_TEXT,
        },
        "managers": [
            {"name": m.name, "role": m.role, "unit": m.unit, "file": m.file}
            for m in report.team.managers
        ],
        "foundations": {f.value: _foundation(r) for f, r in report.foundations.items()},
        "overall": {
            "index": _r(report.overall_index),
            "index_band": report.overall_index_band,
            "score": _r(report.overall),
            "band": report.overall_band,
        },
    }


def render(report: TeamReport) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"

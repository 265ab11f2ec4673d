"""From cosine similarity to the human STS scale (0-5) and its band words.

The mapping is a monotone piecewise-linear table fitted by isotonic regression on the STS
Benchmark training split (scripts/fit_calibration.py). One formula applies it: np.interp over
the table's knots, so a score can be recomputed by hand from
data/models/<model>/calibration.json (each model has its own: catalogue.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Lower bounds of each band on the STS scale, best first; the words follow the STS guidelines.
BANDS: tuple[tuple[float, str], ...] = (
    (4.5, "same meaning"),
    (3.5, "mostly equivalent"),
    (2.5, "roughly equivalent"),
    (1.5, "share some details"),
    (0.5, "same topic only"),
    (float("-inf"), "unrelated"),
)
BAND_HELP = {
    "same meaning": "completely equivalent",
    "mostly equivalent": "unimportant details differ",
    "roughly equivalent": "some important information differs or is missing",
    "share some details": "not equivalent, but share some details",
    "same topic only": "not equivalent, but on the same topic",
    "unrelated": "on different topics",
}


def band_of(value: float, bands: tuple[tuple[float, str], ...]) -> str:
    """The words of the first band (best first) whose lower bound `value` reaches."""
    for lower, words in bands:
        if value >= lower:
            return words
    return bands[-1][1]


def band(score: float) -> str:
    return band_of(score, BANDS)


@dataclass(frozen=True)
class Calibration:
    version: str
    model: str
    cosine: tuple[float, ...]
    score: tuple[float, ...]

    def __post_init__(self) -> None:
        xs, ys = np.asarray(self.cosine), np.asarray(self.score)
        if len(xs) < 2 or len(xs) != len(ys):
            raise ValueError("a calibration table needs two or more (cosine, score) knots")
        if np.any(np.diff(xs) <= 0) or np.any(np.diff(ys) < 0):
            raise ValueError("a calibration table must increase in cosine and never fall in score")

    def to_score(self, cosine: float | np.ndarray) -> np.ndarray:
        """Calibrated STS score(s), clipped to 0-5."""
        return np.clip(np.interp(cosine, self.cosine, self.score), 0.0, 5.0)

    def score_of(self, cosine: float) -> float:
        return float(self.to_score(cosine))


def fit_isotonic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pool-adjacent-violators: the least-squares non-decreasing fit of y ordered by x.

    Returns the fitted value for each input point, in input order.
    """
    order = np.argsort(x, kind="mergesort")
    ys = np.asarray(y, dtype=float)[order]
    means: list[float] = []
    weights: list[float] = []
    for value in ys:
        means.append(float(value))
        weights.append(1.0)
        while len(means) > 1 and means[-2] > means[-1]:
            w = weights[-2] + weights[-1]
            m = (means[-2] * weights[-2] + means[-1] * weights[-1]) / w
            means[-2:] = [m]
            weights[-2:] = [w]
    fitted_sorted = np.repeat(means, np.asarray(weights, dtype=int))
    fitted = np.empty_like(fitted_sorted)
    fitted[order] = fitted_sorted
    return fitted


def table_from_fit(
    x: np.ndarray, fitted: np.ndarray, knots: int = 40
) -> tuple[list[float], list[float]]:
    """Compress an isotonic fit to a strictly increasing table of knots.

    Knots sit at quantiles of x so each carries as much data; the score rises strictly so the
    mapping never ties two different cosines (it keeps the raw ranking, hence its Spearman).
    """
    order = np.argsort(x)
    xs, fs = np.asarray(x)[order], np.asarray(fitted)[order]
    bins = np.array_split(np.arange(len(xs)), knots)
    cos = [float(np.mean(xs[b])) for b in bins if len(b)]
    sco = [float(np.mean(fs[b])) for b in bins if len(b)]
    step = 1e-3
    for i in range(1, len(sco)):
        sco[i] = max(sco[i], sco[i - 1] + step)
    # Anchor the ends so every cosine in [-1, 1] maps inside 0-5.
    if cos[0] > -1.0:
        cos.insert(0, -1.0)
        sco.insert(0, min(0.0, sco[0] - step))
    if cos[-1] < 1.0:
        cos.append(1.0)
        sco.append(max(5.0, sco[-1] + step))
    return [round(c, 6) for c in cos], [round(s, 6) for s in sco]

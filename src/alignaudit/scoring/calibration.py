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
    """The STS band words of a calibrated score, as reports show them."""
    return band_of(score, BANDS)


@dataclass(frozen=True)
class Calibration:
    """One model's calibration table: the (cosine, score) knots that put its cosine similarity on
    the human STS scale."""

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

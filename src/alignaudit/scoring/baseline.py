"""Agreement measured against a domain baseline: the agreement index.

Raw cosine misleads on foundations: any two firms' mission statements share the genre's
vocabulary, and a team shares its industry's words whether or not it agrees. The index compares
statements after removing both (benchmarks/judgement.py chose this by its figures):

    x = P (v - team_context - domain_mean)

with v the statement vectors pooled with the team's discount (pooling.team_discount: words
the team writes in many answers weigh less), team_context the mean vector of everything else
the team wrote (all foundations, the pair's own answers on this foundation left out),
domain_mean the mean vector of unrelated organisations' statements, and P projects out the
top domain principal components (the directions in which organisations' statements differ
by genre, not by idea). The pair's
best-match agreement on x is then put on the scale of the null distribution of unrelated
organisations, as agreement indices such as r_wg judge agreement against a null:

    index = max(0, 2 F(agreement) - 1)

with F the share of unrelated-organisation pairs that agree less. 0 means no more alike than a
typical pair of unrelated organisations (the null median); 1 means more alike than every such
pair: the same idea, for all this model can tell.
The vectors and null quantiles are derived by scripts/fit_baseline.py from real organisations'
missions and values (a corpus kept outside the repository, read by scripts/orgs.py); no corpus
sentence is shipped.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import overload

import numpy as np

from ..core.types import Foundation
from .similarity import best_match, normalise


@dataclass(frozen=True)
class Baseline:
    """One model's domain baseline: what to remove from statement vectors (the domain mean and
    components), and the null distribution that turns agreement into the index."""

    version: str
    model: str
    mean: np.ndarray  # (d,) mean of unrelated organisations' statement vectors
    components: np.ndarray  # (k, d) orthonormal top principal components to remove
    null_quantiles: dict[Foundation, np.ndarray]  # null agreement of unrelated organisations
    null_probabilities: np.ndarray  # the probability each null quantile stands for
    null_source: dict[Foundation, str]  # which corpus each foundation's null comes from
    # An ensemble's vectors are its models' unit vectors side by side, each scaled by
    # 1/sqrt(k): the sizes of those blocks, () for one model. The components are then block
    # diagonal and each block is normalised on its own, so a cosine in baseline space is the
    # mean of the models' cosines.
    segments: tuple[int, ...] = ()

    def transform(self, vectors: np.ndarray, context: np.ndarray) -> np.ndarray:
        """Statement vectors relative to the team context (one row for all, or one per
        statement) and the domain, as unit rows."""
        x = vectors - (context[None, :] if context.ndim == 1 else context)
        if self.mean.size:
            x = x - self.mean[None, :]
        if self.components.size:
            x = x - (x @ self.components.T) @ self.components
        return normalise_blocks(x, self.segments)

    @overload
    def null_cdf(self, agreement: float, foundation: Foundation) -> float: ...
    @overload
    def null_cdf(self, agreement: np.ndarray, foundation: Foundation) -> np.ndarray: ...

    def null_cdf(self, agreement: float | np.ndarray, foundation: Foundation) -> float | np.ndarray:
        """Share of unrelated-organisation pairs that agree less than `agreement` (a figure,
        or an array of them: the exact path asks for one pair, the large-team path for the
        quadrature nodes of every manager)."""
        q = self.null_quantiles[foundation]
        if not q.size:
            cdf = (np.asarray(agreement) + 1.0) / 2.0  # no baseline: the centred cosine itself
        else:
            cdf = np.interp(agreement, q, self.null_probabilities, left=0.0, right=1.0)
        return float(cdf) if np.ndim(agreement) == 0 else np.asarray(cdf)

    @overload
    def index(self, agreement: float, foundation: Foundation) -> float: ...
    @overload
    def index(self, agreement: np.ndarray, foundation: Foundation) -> np.ndarray: ...

    def index(self, agreement: float | np.ndarray, foundation: Foundation) -> float | np.ndarray:
        """The agreement index, max(0, 2 F(agreement) - 1), of a figure or an array."""
        value = np.maximum(0.0, 2.0 * np.asarray(self.null_cdf(agreement, foundation)) - 1.0)
        return float(value) if np.ndim(agreement) == 0 else value

    def pair_agreement(self, a: np.ndarray, b: np.ndarray, context: np.ndarray) -> float:
        """Best-match agreement of two answers in baseline space."""
        return best_match(self.transform(a, context), self.transform(b, context)).agreement


def normalise_blocks(x: np.ndarray, segments: tuple[int, ...]) -> np.ndarray:
    """Unit rows, or, for an ensemble's blocks, each block a unit row scaled by 1/sqrt(k)."""
    if len(segments) <= 1:
        return normalise(x)
    bounds = np.cumsum((0, *segments))
    scale = 1.0 / np.sqrt(len(segments))
    return np.concatenate(
        [normalise(x[..., lo:hi]) * scale for lo, hi in itertools.pairwise(bounds)], axis=-1
    )


def team_context(
    total: np.ndarray, count: int, removed: np.ndarray, removed_count: int | np.ndarray
) -> np.ndarray:
    """Mean of the team's other statements: everything it wrote (`total`, `count` statements)
    minus the answers left out (`removed`, the sum of their `removed_count` vectors). A pair
    leaves out its two answers (exact path); a manager their own answer, one row per manager
    (large-team path). With nothing else written, the context is zero and only the domain is
    removed."""
    rest = count - np.asarray(removed_count, dtype=np.float64)
    mean = (total - removed) / np.expand_dims(np.maximum(rest, 1.0), -1)
    return np.asarray(np.where(np.expand_dims(rest > 0, -1), mean, 0.0))


def from_dict(data: dict) -> Baseline:  # type: ignore[type-arg]
    """A Baseline from its shipped JSON table."""
    return Baseline(
        version=data["version"],
        model=data["model"],
        mean=np.asarray(data["mean"], dtype=np.float64),
        components=np.asarray(data["components"], dtype=np.float64).reshape(-1, len(data["mean"])),
        null_quantiles={
            Foundation(f): np.asarray(v["quantiles"], dtype=np.float64)
            for f, v in data["null"].items()
        },
        null_probabilities=np.asarray(
            next(iter(data["null"].values()))["probabilities"], dtype=np.float64
        ),
        null_source={Foundation(f): str(v["source"]) for f, v in data["null"].items()},
        segments=tuple(int(n) for n in data.get("segments", ())),
    )


NEUTRAL = Baseline(
    version="none",
    model="any",
    mean=np.zeros(0),
    components=np.zeros((0, 0)),
    null_quantiles=dict.fromkeys(Foundation, np.zeros(0)),
    null_probabilities=np.zeros(0),
    null_source=dict.fromkeys(Foundation, "none: no baseline for this model"),
)

"""The agreement maths, pure numpy: no I/O, no model, so it is tested on hand-made vectors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BLOCK_CELLS = 1 << 20  # float64 similarities computed at once in best_match: bounds its memory


@dataclass(frozen=True)
class BestMatch:
    """Symmetric best match of two answers (sets of unit vectors)."""

    agreement: float  # harmonic mean of the two directions
    a_to_b: float  # mean over a's statements of their best similarity in b
    b_to_a: float
    a_best: np.ndarray  # for each statement of a, the index of its best match in b
    a_sim: np.ndarray  # ... and that similarity
    b_best: np.ndarray
    b_sim: np.ndarray


def harmonic(x: float, y: float) -> float:
    """Harmonic mean, falling back to the smaller value where either is not positive.

    The fallback keeps it continuous at zero and equal to the cosine when both sides agree.
    """
    if x <= 0.0 or y <= 0.0:
        return min(x, y)
    return 2.0 * x * y / (x + y)


def best_match(a: np.ndarray, b: np.ndarray) -> BestMatch:
    """Match each statement of a to its most similar statement of b, and the reverse.

    The harmonic mean punishes one-sided agreement: a manager who says everything another
    said plus three unrelated things does not agree with them.
    """
    if a.ndim != 2 or b.ndim != 2 or len(a) == 0 or len(b) == 0:
        raise ValueError("best_match needs two non-empty 2-D arrays of vectors")
    # Rows of a in blocks, so the similarity matrix held at once is at most BLOCK_CELLS cells
    # whatever the two answers' sizes (the answer reader bounds them too).
    rows = max(1, BLOCK_CELLS // len(b))
    dtype = np.result_type(a, b)  # as the whole product would be: the same means, to the bit
    a_best = np.empty(len(a), dtype=np.intp)
    a_sim = np.empty(len(a), dtype=dtype)
    b_best = np.zeros(len(b), dtype=np.intp)
    b_sim = np.full(len(b), -np.inf, dtype=dtype)
    for start in range(0, len(a), rows):
        sim = np.clip(a[start : start + rows] @ b.T, -1.0, 1.0)
        a_best[start : start + len(sim)] = sim.argmax(axis=1)
        a_sim[start : start + len(sim)] = sim.max(axis=1)
        col_best = sim.argmax(axis=0)
        col_sim = sim[col_best, np.arange(len(b))]
        better = col_sim > b_sim  # strictly: the first row wins ties, as argmax over all does
        b_best[better] = start + col_best[better]
        b_sim[better] = col_sim[better]
    ab, ba = float(a_sim.mean()), float(b_sim.mean())
    return BestMatch(harmonic(ab, ba), ab, ba, a_best, a_sim, b_best, b_sim)


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Unit rows; a zero row stays zero rather than becoming NaN."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    out = np.zeros_like(vectors, dtype=float)
    return np.asarray(np.divide(vectors, norms, out=out, where=norms > 0))

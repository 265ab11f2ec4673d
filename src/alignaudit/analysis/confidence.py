"""How sure a team figure is: a bootstrap over managers.

Teams are small, so a team's score depends on who happened to answer. Resampling managers with
replacement (pairs of a manager with itself are skipped) gives a percentile interval; a
difference is within noise when its paired bootstrap interval contains 0.

For a team of up to EXACT_UP_TO managers every one of the n**n resamples is taken: the exact
bootstrap, with no Monte Carlo noise and the same interval whatever the managers' order or
names. Larger teams draw RESAMPLES resamples, the managers first put in an order that depends
on the figures alone (canonical), so renaming them (--anonymize) changes nothing either.
"""

from __future__ import annotations

import numpy as np

RESAMPLES = 1000
EXACT_UP_TO = 6  # 6**6 = 46,656 resamples: every one is taken up to this team size
LEVEL = 0.90
SEED = 20261130  # fixed: the same team gives the same interval every run
MAX_MANAGERS = 100  # resampling n x n matrices; larger teams get no interval


def pair_matrix(names: tuple[str, ...], values: dict[frozenset[str], float]) -> np.ndarray:
    """The pair figures as a square matrix in the order of `names` (NaN on the diagonal): the shape
    the bootstrap resamples managers from."""
    n = len(names)
    m = np.full((n, n), np.nan)
    for i in range(n):
        for j in range(n):
            if i != j:
                m[i, j] = values[frozenset((names[i], names[j]))]
    return m


def _resampled_means(matrix: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Mean off-diagonal value of each resampled team (NaN where it has one manager only).

    A resample that draws manager i c_i times holds c_i c_j copies of pair (i, j), and none of
    a manager with itself (the diagonal is NaN), so its sum is c' M c over the finite cells:
    one matrix product for all resamples instead of an n x n gather each."""
    n = len(matrix)
    copies = (draws[:, :, None] == np.arange(n)[None, None, :]).sum(axis=1).astype(float)
    finite = np.isfinite(matrix)
    values = np.where(finite, matrix, 0.0)
    sums = ((copies @ values) * copies).sum(axis=1)
    counts = ((copies @ finite.astype(float)) * copies).sum(axis=1)
    return np.asarray(np.divide(sums, counts, out=np.full(len(draws), np.nan), where=counts > 0))


def canonical(*matrices: np.ndarray) -> list[np.ndarray]:
    """The matrices with their managers in an order that depends on the figures alone (each
    row's sorted values, of all matrices together), not on names or file order: renaming or
    reordering managers (--anonymize) then draws the same resamples and gives the same
    interval."""
    rows = np.concatenate(
        [np.sort(np.where(np.isfinite(m), m, -np.inf), axis=1) for m in matrices], axis=1
    )
    order = np.lexsort(rows.T[::-1])
    return [m[np.ix_(order, order)] for m in matrices]


def _draws(n: int, rng: np.random.Generator) -> np.ndarray:
    """The resamples: all n**n of them for a small team, else RESAMPLES drawn at random."""
    if n <= EXACT_UP_TO:
        return np.indices((n,) * n).reshape(n, -1).T
    return rng.integers(0, n, size=(RESAMPLES, n))


def interval(matrix: np.ndarray) -> tuple[float, float] | None:
    """Percentile interval of the mean off-diagonal value under resampling of managers."""
    n = len(matrix)
    if n < 3 or n > MAX_MANAGERS:
        return None  # two managers: one pair, nothing to resample
    (matrix,) = canonical(matrix)
    means = _resampled_means(matrix, _draws(n, np.random.default_rng(SEED)))
    means = means[np.isfinite(means)]
    tail = (1 - LEVEL) / 2
    return float(np.quantile(means, tail)), float(np.quantile(means, 1 - tail))


def difference_interval(first: np.ndarray, second: np.ndarray) -> tuple[float, float] | None:
    """Paired bootstrap interval of mean(first) - mean(second) over the same managers."""
    n = len(first)
    if n < 3 or n > MAX_MANAGERS or len(second) != n:
        return None
    first, second = canonical(first, second)
    draws = _draws(n, np.random.default_rng(SEED))
    diff = _resampled_means(first, draws) - _resampled_means(second, draws)
    diff = diff[np.isfinite(diff)]
    tail = (1 - LEVEL) / 2
    return float(np.quantile(diff, tail)), float(np.quantile(diff, 1 - tail))


def within_noise(bounds: tuple[float, float] | None) -> bool:
    """Whether a difference may be no difference at all: its interval contains 0, or there is no
    interval to tell."""
    return bounds is None or bounds[0] <= 0.0 <= bounds[1]

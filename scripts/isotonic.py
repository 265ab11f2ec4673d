"""Fitting a calibration table: isotonic regression (pool-adjacent-violators) of human scores
on cosine, compressed to a strictly increasing table of knots. Used when a table is made
(scripts/fit_calibration.py, benchmarks/judgement.py), never at run time: the package only
applies the table (alignaudit.scoring.calibration)."""

from __future__ import annotations

import numpy as np


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

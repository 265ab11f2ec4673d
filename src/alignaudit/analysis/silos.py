"""Silos: agreement inside groups against agreement between them.

Two views. By unit: where managers give a `unit`, the mean pair index within units against
between units. From the answers alone: average-linkage clustering of the pair indices
(distance 1 - index), keeping the number of groups (2 to 4) with the best silhouette, and
reporting groups only when they are clear: silhouette >= MIN_SILHOUETTE, every group has two or
more members, and agreement inside beats agreement across by MIN_GAP.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from ..core.results import Group, PairScore, Typical, UnitSilos
from ..core.types import Foundation
from ..scoring.answer_vectors import Answers, best_similarity
from .linkage import Merges, cut_into, upgma

MIN_SILHOUETTE = 0.2
MIN_GAP = 0.6  # fitted on the development teams (benchmarks/findings.py): fewer false camps
MAX_CLUSTERED = 60  # beyond this, clustering pairs is left to the large-team statistics
TYPICAL = 2


def by_unit(units: dict[str, str | None], pairs: tuple[PairScore, ...]) -> UnitSilos | None:
    """Agreement within the units the managers gave against agreement between units, or None unless
    there are pairs of both kinds."""
    within = [p for p in pairs if units.get(p.a) and units.get(p.a) == units.get(p.b)]
    between = [p for p in pairs if units.get(p.a) and units.get(p.b) and p not in within]
    if not within or not between:
        return None
    grouped: dict[str, list[str]] = {}
    for name in sorted({p.a for p in pairs} | {p.b for p in pairs}, key=list(units).index):
        if units.get(name):
            grouped.setdefault(str(units[name]), []).append(name)
    return UnitSilos(
        units={u: tuple(m) for u, m in grouped.items()},
        within_index=float(np.mean([p.index for p in within])),
        between_index=float(np.mean([p.index for p in between])),
        within_score=float(np.mean([p.score for p in within])),
        between_score=float(np.mean([p.score for p in between])),
    )


def _distance(names: tuple[str, ...], pairs: tuple[PairScore, ...]) -> np.ndarray:
    pos = {n: i for i, n in enumerate(names)}
    d = np.zeros((len(names), len(names)))
    for p in pairs:
        d[pos[p.a], pos[p.b]] = d[pos[p.b], pos[p.a]] = 1.0 - p.index
    return d


def linkage_tree(d: np.ndarray) -> Merges:
    """The average-linkage (UPGMA) merges of a distance matrix (analysis/linkage.py): cut them
    with average_linkage for any number of clusters."""
    return upgma(d)


def average_linkage(d: np.ndarray, k: int, tree: Merges | None = None) -> list[list[int]]:
    """Agglomerative clustering (UPGMA) of a distance matrix down to k clusters, each a sorted
    list of indices, ordered by their first member."""
    labels = cut_into(len(d), linkage_tree(d) if tree is None else tree, k)
    clusters: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        clusters.setdefault(int(label), []).append(i)
    return sorted(clusters.values())


def silhouette(d: np.ndarray, clusters: list[list[int]]) -> float:
    """Mean silhouette of the clustering on a precomputed distance matrix (0 for a member
    alone in its cluster), as scikit-learn's silhouette_score computes it (a test checks
    they agree); written here with numpy because importing sklearn.metrics slows start-up."""
    label = np.empty(len(d), dtype=int)
    for c, members in enumerate(clusters):
        label[members] = c
    sizes = np.bincount(label, minlength=len(clusters)).astype(float)
    sums = np.stack([d[:, c].sum(axis=1) for c in clusters], axis=1)  # (n, k)
    own = sizes[label] - 1
    a = np.divide(sums[np.arange(len(d)), label], own, out=np.zeros(len(d)), where=own > 0)
    other = sums / sizes[None, :]
    other[np.arange(len(d)), label] = np.inf
    b = other.min(axis=1)
    scores = np.where(own > 0, (b - a) / np.maximum(np.maximum(a, b), 1e-300), 0.0)
    return float(np.mean(scores))


def groups(
    names: tuple[str, ...],
    pairs: tuple[PairScore, ...],
    foundation: Foundation,
    answers: Answers,
    min_group: int = 1,
    held: dict[tuple[str, str], tuple[str, ...]] | None = None,
) -> tuple[Group, ...]:
    """Camps found from the answers alone, or () when the team is not clearly split, or when a
    camp would have fewer than `min_group` managers (an anonymised report breaks out no group
    small enough to name someone). `held` (ideas.held_by) says who holds each statement's
    idea: a camp's typical statements are ones at least two of its members hold."""
    if len(names) < 4 or len(names) > MAX_CLUSTERED:
        return ()
    d = _distance(names, pairs)
    tree = linkage_tree(d)
    best: tuple[float, list[list[int]]] | None = None
    for k in range(2, min(4, len(names) // 2) + 1):
        clusters = average_linkage(d, k, tree)
        if len(clusters) != k or min(len(c) for c in clusters) < 2:
            continue  # tied merge heights can leave fewer groups than asked
        s = silhouette(d, clusters)
        if best is None or s > best[0]:
            best = (s, clusters)
    if best is None or best[0] < MIN_SILHOUETTE:
        return ()
    clusters = best[1]
    if min(len(c) for c in clusters) < min_group:
        return ()
    inside = [1 - d[i, j] for c in clusters for i, j in combinations(c, 2)]
    across = [1 - d[i, j] for a, b in combinations(clusters, 2) for i in a for j in b]
    if np.mean(inside) - np.mean(across) < MIN_GAP:
        return ()
    members = [tuple(names[i] for i in c) for c in clusters]
    return tuple(
        Group(
            members=m,
            index=float(np.mean([1 - d[i, j] for i, j in combinations(c, 2)])),
            typical=_typical(
                m, [x for o in members if o != m for x in o], foundation, answers, held
            ),
        )
        for m, c in zip(members, clusters, strict=True)
    )


def _typical(
    members: tuple[str, ...],
    others: list[str],
    foundation: Foundation,
    answers: Answers,
    held: dict[tuple[str, str], tuple[str, ...]] | None = None,
) -> tuple[Typical, ...]:
    """The group's statements most echoed inside it and least outside it, among those whose
    idea two or more of its members hold (so no typical statement is one nobody else holds)."""
    found = []
    for author in members:
        own = answers[author, foundation]
        for text, vec in zip(own.statements, own.vectors, strict=True):
            if held is not None and len(set(held.get((author, text), ())) & set(members)) < 2:
                continue
            inside = [best_similarity(vec, answers[m, foundation]) for m in members if m != author]
            outside = [best_similarity(vec, answers[m, foundation]) for m in others]
            found.append(Typical(text, author, float(np.mean(inside)), float(np.mean(outside))))
    found.sort(key=lambda t: t.inside - t.outside, reverse=True)
    chosen: list[Typical] = []
    for t in found:  # prefer different authors, so one voice does not speak for the group
        if len(chosen) < TYPICAL and all(c.author != t.author for c in chosen):
            chosen.append(t)
    return tuple(chosen)

"""The nearest-neighbour-chain average linkage against scipy's, which it replaced so that an
audit need not import scipy.cluster: the same merge heights and the same flat clusters."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from alignaudit.analysis.linkage import cut_at, cut_into, upgma


def partition(labels: np.ndarray) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), set()).add(i)
    return {frozenset(g) for g in groups.values()}


def random_distances(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    points = rng.normal(size=(n, 4)) + rng.integers(0, 4, size=(n, 1)) * 2.5
    return np.linalg.norm(points[:, None] - points[None, :], axis=-1)


@pytest.mark.parametrize("seed", range(30))
def test_the_same_merges_and_clusters_as_scipy(seed: int):
    d = random_distances(seed)
    n = len(d)
    tree = linkage(squareform(d, checks=False), method="average")
    merges = upgma(d)
    assert [m[0] for m in merges] == pytest.approx(list(tree[:, 2]), abs=1e-12)
    for k in range(1, min(n, 6) + 1):
        assert partition(cut_into(n, merges, k)) == partition(
            fcluster(tree, k, criterion="maxclust")
        )
    for height in np.quantile(tree[:, 2], [0.1, 0.5, 0.9]):
        assert partition(cut_at(n, merges, float(height))) == partition(
            fcluster(tree, height, criterion="distance")
        )


def test_by_hand_on_three_points():
    # a and b 1 apart; c 4 from a and 6 from b: a+b merge at 1, then c at (4 + 6) / 2 = 5.
    d = np.array([[0.0, 1.0, 4.0], [1.0, 0.0, 6.0], [4.0, 6.0, 0.0]])
    assert [(h, {a, b}) for h, a, b in upgma(d)] == [(1.0, {0, 1}), (5.0, {0, 2})]
    assert list(cut_at(3, upgma(d), 4.9)) == [1, 1, 2]
    assert list(cut_into(3, upgma(d), 1)) == [1, 1, 1]


def test_tied_distances_merge_every_tie_at_the_cut():
    # Four identical statements and one far away: every tie merges at 0, the outsider stays.
    d = np.ones((5, 5))
    d[:4, :4] = 0.0
    np.fill_diagonal(d, 0.0)
    assert partition(cut_at(5, upgma(d), 0.0)) == {frozenset({0, 1, 2, 3}), frozenset({4})}
    assert partition(cut_into(5, upgma(d), 3)) == {frozenset({0, 1, 2, 3}), frozenset({4})}


def test_one_point_is_one_cluster():
    assert upgma(np.zeros((1, 1))) == []
    assert list(cut_into(1, [], 2)) == [1]

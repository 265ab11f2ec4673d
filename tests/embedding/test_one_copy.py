"""A team's vectors are held once: read from the cache into one array, handed on as views of
it (interface.rows_of) by the cache, the memo and the team's answers, copied only where the
rows are not consecutive. What a 5,000-manager audit's memory rests on
(benchmarks/memory_bounds.py measures it)."""

from __future__ import annotations

import numpy as np

from alignaudit.embedding.interface import rows_of
from alignaudit.embedding.memo import MemoEmbedder
from alignaudit.embedding.store import CachingEmbedder, VectorCache
from alignaudit.scoring.team_vectors import TeamVectors
from tests.conftest import FakeEmbedder

TEXTS = [f"statement number {i} about freight" for i in range(12)]


def test_consecutive_rows_are_a_view_others_a_copy():
    block = np.arange(24, dtype=np.float32).reshape(6, 4).copy()  # a 2-D array of its own
    view = rows_of([block[2], block[3], block[4]])
    assert np.shares_memory(view, block) and np.array_equal(view, block[2:5])
    for rows in ([block[3], block[2]], [block[1], block[3]], [block[1].copy(), block[2]]):
        out = rows_of(rows)
        assert not np.shares_memory(out, block) and np.array_equal(out, np.stack(rows))


def test_the_cache_returns_a_team_as_one_block(tmp_path):
    with VectorCache(tmp_path) as cache:
        CachingEmbedder(FakeEmbedder(), cache).encode(TEXTS)
    with VectorCache(tmp_path) as cache:
        found = cache.get_many(CachingEmbedder(FakeEmbedder(), cache).fingerprint, TEXTS)
        out = CachingEmbedder(FakeEmbedder(), cache).encode(TEXTS)
    rows = [found[t] for t in TEXTS]
    assert all(r.base is rows[0].base for r in rows)  # one array, read in the order asked
    assert np.allclose(out, FakeEmbedder().encode(TEXTS))


def test_memo_and_cache_hand_on_views_not_copies(tmp_path):
    with VectorCache(tmp_path) as cache:
        CachingEmbedder(FakeEmbedder(), cache).encode(TEXTS)
    with VectorCache(tmp_path) as cache:
        caching = CachingEmbedder(FakeEmbedder(), cache)
        memo = MemoEmbedder(caching)
        first = memo.encode(TEXTS)
        assert caching.from_cache == len(TEXTS)
        again = memo.encode(TEXTS[3:7])  # consecutive rows of what the memo holds: no copy
        assert np.shares_memory(again, first)
        shuffled = memo.encode(TEXTS[::-1])  # another order: a copy, the same vectors
        assert not np.shares_memory(shuffled, first)
        assert np.array_equal(shuffled, first[::-1])


def test_team_answers_are_views_of_the_embedded_block():
    from alignaudit.core.types import Answer, Foundation, Manager

    managers = tuple(
        Manager(n, f"{n}.yaml", answers={Foundation.VALUES: Answer(tuple(TEXTS[i : i + 4]), 1)})
        for n, i in (("ana", 0), ("ben", 4), ("cy", 8))
    )
    block = FakeEmbedder().encode(TEXTS)
    vectors = dict(zip(TEXTS, block, strict=True))
    team = TeamVectors(managers, vectors, vectors)
    for m, i in (("ana", 0), ("ben", 4), ("cy", 8)):
        answer = team.answers[m, Foundation.VALUES]
        assert np.shares_memory(answer, block) and np.array_equal(answer, block[i : i + 4])

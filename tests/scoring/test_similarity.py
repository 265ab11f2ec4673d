import numpy as np
import pytest

from alignaudit.scoring.similarity import best_match, harmonic, normalise


def unit(*v: float) -> np.ndarray:
    a = np.asarray(v, dtype=float)
    return a / np.linalg.norm(a)


def test_one_statement_each_equals_the_cosine():
    a = np.stack([unit(1, 0, 0)])
    b = np.stack([unit(1, 1, 0)])
    bm = best_match(a, b)
    assert bm.agreement == pytest.approx(np.sqrt(0.5))
    assert bm.a_to_b == bm.b_to_a == pytest.approx(np.sqrt(0.5))


def test_negative_cosine_is_kept_for_single_statements():
    bm = best_match(np.stack([unit(1, 0)]), np.stack([unit(-1, 0.2)]))
    assert bm.agreement == pytest.approx(float(unit(1, 0) @ unit(-1, 0.2)))
    assert bm.agreement < 0


def test_best_match_indices_and_directions():
    x, y, z = unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1)
    a = np.stack([x, y])  # a says x and y
    b = np.stack([y, x, z])  # b says y, x and an unrelated z
    bm = best_match(a, b)
    assert list(bm.a_best) == [1, 0]
    assert list(bm.b_best) == [1, 0, 0] or list(bm.b_best)[:2] == [1, 0]
    assert bm.a_to_b == pytest.approx(1.0)  # everything a says, b says too
    assert bm.b_to_a == pytest.approx(2 / 3)  # z finds nothing in a
    assert bm.agreement == pytest.approx(2 * 1.0 * (2 / 3) / (1.0 + 2 / 3))


def test_agreement_is_symmetric():
    rng = np.random.default_rng(7)
    a = normalise(rng.normal(size=(3, 8)))
    b = normalise(rng.normal(size=(5, 8)))
    assert best_match(a, b).agreement == pytest.approx(best_match(b, a).agreement)


def test_harmonic_mean():
    assert harmonic(0.5, 0.5) == pytest.approx(0.5)
    assert harmonic(1.0, 0.5) == pytest.approx(2 / 3)
    assert harmonic(0.4, -0.1) == pytest.approx(-0.1)
    assert harmonic(0.0, 0.9) == 0.0


def test_empty_answers_are_refused():
    with pytest.raises(ValueError):
        best_match(np.zeros((0, 3)), np.ones((1, 3)))


def test_normalise_keeps_zero_rows():
    out = normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert out[0] == pytest.approx([0.6, 0.8])
    assert list(out[1]) == [0.0, 0.0]

import itertools
import sys

import numpy as np
import pytest

from alignaudit.scoring.calibration import BANDS, Calibration, band
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from isotonic import fit_isotonic, table_from_fit

from alignaudit.scoring.catalogue import KEYS, names, tables_of


@pytest.mark.parametrize("key", KEYS)
def test_shipped_table_is_monotone_and_covers_the_scale(key):
    cal = tables_of(key).calibration
    xs = np.asarray(cal.cosine)
    ys = np.asarray(cal.score)
    assert np.all(np.diff(xs) > 0)
    assert np.all(np.diff(ys) > 0)  # strictly: the raw ranking is kept
    assert xs[0] == -1.0 and xs[-1] == 1.0
    assert cal.score_of(-1.0) == pytest.approx(0.0)
    assert cal.score_of(1.0) == pytest.approx(5.0)
    grid = np.linspace(-1, 1, 2001)
    scores = cal.to_score(grid)
    assert np.all(np.diff(scores) >= 0)
    assert scores.min() >= 0 and scores.max() <= 5
    assert names()[cal.model] == key, "each model's table was fitted on its own vectors"


def test_table_is_plausible_for_the_model():
    cal = tables_of("minilm").calibration
    # Unrelated sentences (cosine ~0.1) are near 0; near-paraphrases (~0.95) are near 4+.
    assert cal.score_of(0.1) < 0.5
    assert 3.8 < cal.score_of(0.95) < 5.0


def test_pav_matches_a_hand_worked_example():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    y = np.array([1.0, 3.0, 2.0, 4.0, 3.5])
    assert fit_isotonic(x, y) == pytest.approx([1.0, 2.5, 2.5, 3.75, 3.75])


def test_pav_respects_input_order():
    x = np.array([5.0, 1.0, 3.0])
    y = np.array([3.0, 0.0, 4.0])
    assert fit_isotonic(x, y) == pytest.approx([3.5, 0.0, 3.5])


def test_table_from_fit_is_strictly_increasing_with_anchored_ends():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, 500)
    y = np.clip(5 * x + rng.normal(0, 0.5, 500), 0, 5)
    cos, score = table_from_fit(x, fit_isotonic(x, y), knots=10)
    assert cos[0] == -1.0 and cos[-1] == 1.0
    assert all(b > a for a, b in itertools.pairwise(cos))
    assert all(b > a for a, b in itertools.pairwise(score))
    Calibration("t", "m", tuple(cos), tuple(score))  # accepted by the validator


def test_calibration_refuses_a_falling_table():
    with pytest.raises(ValueError):
        Calibration("t", "m", (0.0, 0.5, 1.0), (0.0, 3.0, 2.0))


@pytest.mark.parametrize(
    ("score", "words"),
    [
        (5.0, "same meaning"),
        (4.5, "same meaning"),
        (4.49, "mostly equivalent"),
        (3.0, "roughly equivalent"),
        (2.0, "share some details"),
        (1.0, "same topic only"),
        (0.2, "unrelated"),
    ],
)
def test_bands(score, words):
    assert band(score) == words


def test_every_band_is_reachable():
    assert {band(lower + 0.01) for lower, _ in BANDS[:-1]} | {band(0.0)} == {w for _, w in BANDS}

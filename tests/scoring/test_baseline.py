import json
from importlib import resources

import numpy as np
import pytest

from alignaudit.core.types import Foundation
from alignaudit.features.auditor import audit
from alignaudit.inputs.answers import load_team
from alignaudit.scoring.baseline import NEUTRAL, Baseline, normalise_blocks, team_context
from alignaudit.scoring.catalogue import KEYS, names, tables_for, tables_of
from tests.conftest import FakeEmbedder

PROBS = np.array([0.0, 0.5, 1.0])


def hand_baseline(mean=(0.0, 0.0, 0.0), components=()) -> Baseline:
    q = np.array([0.0, 0.2, 0.4])  # null: half of unrelated pairs agree below 0.2
    return Baseline(
        "hand",
        "m",
        np.asarray(mean, dtype=float),
        np.asarray(components, dtype=float).reshape(-1, 3),
        dict.fromkeys(Foundation, q),
        PROBS,
        dict.fromkeys(Foundation, "hand"),
    )


def test_index_is_zero_at_the_null_median_and_one_beyond_every_null_pair():
    b = hand_baseline()
    assert b.index(0.2, Foundation.VISION) == pytest.approx(0.0)
    assert b.index(0.1, Foundation.VISION) == 0.0  # below the median: floored
    assert b.index(0.3, Foundation.VISION) == pytest.approx(0.5)  # F = 0.75
    assert b.index(0.4, Foundation.VISION) == pytest.approx(1.0)
    assert b.index(0.9, Foundation.VISION) == pytest.approx(1.0)


def test_transform_removes_context_mean_and_components():
    b = hand_baseline(mean=(0.0, 0.0, 0.5), components=[(1.0, 0.0, 0.0)])
    v = np.array([[1.0, 1.0, 1.0]])
    out = b.transform(v, context=np.array([0.0, 0.5, 0.0]))
    # (1, 1, 1) - (0, .5, 0) - (0, 0, .5) = (1, .5, .5); first axis projected out -> (0, .5, .5)
    assert out[0] == pytest.approx(np.array([0.0, 1.0, 1.0]) / np.sqrt(2))


def test_team_context_leaves_the_pair_or_each_manager_out():
    a = np.array([[1.0, 0.0]])
    b = np.array([[0.0, 1.0], [0.0, 1.0]])
    other = np.array([[3.0, 3.0]])
    total = np.concatenate([a, b, other]).sum(axis=0)
    pair = a.sum(0) + b.sum(0)
    assert team_context(total, 4, pair, 3) == pytest.approx([3.0, 3.0])
    assert team_context(pair, 3, pair, 3) == pytest.approx([0.0, 0.0])  # nothing else written
    # one row per manager (the large-team path): each leaves their own answer out
    own = np.stack([a.sum(0), b.sum(0), other.sum(0)])
    rows = team_context(total, 4, own, np.array([1, 2, 1]))
    assert rows == pytest.approx(np.array([[1.0, 5 / 3], [2.0, 1.5], [1 / 3, 2 / 3]]))


def test_the_index_of_an_array_is_the_index_of_each_figure():
    b = hand_baseline(mean=(0.0, 0.0, 0.0), components=[])
    figures = np.array([-0.5, 0.0, 0.3, 0.9, 2.0])
    together = b.index(figures, Foundation.VISION)
    assert together.shape == figures.shape
    assert together == pytest.approx([b.index(float(x), Foundation.VISION) for x in figures])
    assert isinstance(b.index(0.3, Foundation.VISION), float)


def test_identical_answers_reach_index_one(team_dir):
    report = audit(load_team(team_dir), FakeEmbedder())
    mission = report.foundations[Foundation.MISSION]
    assert mission.pair("Ana", "Ben").index == pytest.approx(1.0)
    assert mission.pair("Ana", "Cy").index < 0.5
    assert 0.0 <= mission.index <= 1.0
    assert report.signature.baseline == "none"  # the fake model has no baseline


@pytest.mark.parametrize("key", KEYS)
def test_each_model_has_its_own_shipped_baseline(key):
    name = {v: k for k, v in names().items()}[key]
    b = tables_for(name).baseline
    assert b is tables_of(key).baseline and b is not NEUTRAL
    assert b.model == name, "a model never borrows another's baseline"
    assert tables_for("someone/else").baseline is NEUTRAL
    assert b.mean.shape == (768 if key == "ensemble" else 384,)
    k = len(b.components)
    assert 1 <= k <= 20
    assert b.components @ b.components.T == pytest.approx(np.eye(k), abs=1e-5)
    for f in Foundation:
        q = b.null_quantiles[f]
        assert np.all(np.diff(q) >= 0) and len(q) == len(b.null_probabilities)
        assert 0.0 < b.null_cdf(float(np.median(q)), f) < 1.0


@pytest.mark.parametrize("key", KEYS)
def test_shipped_baseline_holds_figures_only(key):
    raw = resources.files("alignaudit").joinpath(f"data/models/{key}/baseline.json")
    data = json.loads(raw.read_text("utf-8"))
    assert set(data) == {
        "version", "model", "model_sha256", "source", "mean", "components", "null", "segments",
        "mean_weights",
    }  # fmt: skip
    strings = [data["version"], data["model"], data["model_sha256"], data["source"]]
    strings += [v["source"] for v in data["null"].values()]
    assert all(len(s) < 300 for s in strings)  # no corpus text hides in the figures


def test_ensemble_blocks_are_normalised_apart():
    """Each model's block a unit vector over sqrt(k): the cosine is the mean of the blocks'."""
    x = np.array([[3.0, 4.0, 0.0, 2.0]])
    y = np.array([[4.0, 3.0, 1.0, 0.0]])
    bx, by = normalise_blocks(x, (2, 2)), normalise_blocks(y, (2, 2))
    assert np.linalg.norm(bx) == pytest.approx(1.0)
    first = (3 * 4 + 4 * 3) / 25  # 0.96
    second = 0.0
    assert float((bx @ by.T)[0, 0]) == pytest.approx((first + second) / 2)
    assert normalise_blocks(x, ()) == pytest.approx(x / np.linalg.norm(x))

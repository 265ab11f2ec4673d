from pathlib import Path

import numpy as np
import pytest

from alignaudit.core.types import Answer, AuditOptions, Foundation, Manager, Team
from alignaudit.embedding.interface import EmbedderBase
from alignaudit.features.auditor import audit
from alignaudit.inputs.answers import load_team
from alignaudit.scoring.calibration import Calibration
from alignaudit.scoring.catalogue import tables_for
from tests.conftest import FakeEmbedder

# A linear calibration makes expected scores easy to compute by hand: score = 5 * cosine.
LINEAR = Calibration("linear-test", "any", (-1.0, 0.0, 1.0), (0.0, 0.0, 5.0))


class TableEmbedder(EmbedderBase):
    """Hand-made vectors for known statements."""

    name = "table"
    sha256 = None

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = {k: np.asarray(v) / np.linalg.norm(v) for k, v in table.items()}

    def encode(self, texts):
        return np.stack([self.table[t] for t in texts])


def manager(name: str, **answers: tuple[str, ...]) -> Manager:
    return Manager(
        name=name,
        file=f"{name}.yaml",
        answers={Foundation(k): Answer(v, 1) for k, v in answers.items()},
    )


def test_scores_follow_the_vectors():
    emb = TableEmbedder({"x": [1, 0], "y": [0.6, 0.8], "z": [0, 1]})
    team = Team(
        "t",
        "t",
        (manager("A", vision=("x",)), manager("B", vision=("y",)), manager("C", vision=("z",))),
    )
    report = audit(team, emb, AuditOptions((Foundation.VISION,)), calibration=LINEAR)
    r = report.foundations[Foundation.VISION]
    scores = {(p.a, p.b): p.score for p in r.pairs}
    assert scores == pytest.approx({("A", "B"): 3.0, ("A", "C"): 0.0, ("B", "C"): 4.0})
    assert r.score == pytest.approx(7 / 3)
    assert r.raw == pytest.approx((0.6 + 0.0 + 0.8) / 3)
    assert report.overall == pytest.approx(7 / 3)
    assert r.manager_means() == pytest.approx({"A": 1.5, "B": 3.5, "C": 2.0})


def test_missing_answers_are_findings_not_zeros():
    emb = TableEmbedder({"x": [1, 0], "y": [1, 0.0001]})
    team = Team(
        "t",
        "t",
        (
            manager("A", vision=("x",), mission=("x",)),
            manager("B", vision=("y",)),
            manager("C", mission=("y",)),
        ),
    )
    report = audit(
        team, emb, AuditOptions((Foundation.VISION, Foundation.MISSION)), calibration=LINEAR
    )
    vision = report.foundations[Foundation.VISION]
    assert vision.missing == ("C",)
    assert [(p.a, p.b) for p in vision.pairs] == [("A", "B")]
    assert vision.score == pytest.approx(5.0, abs=1e-3)


def test_a_foundation_with_one_answer_has_no_score():
    emb = TableEmbedder({"x": [1, 0]})
    team = Team("t", "t", (manager("A", vision=("x",)), manager("B", mission=("x",))))
    report = audit(
        team, emb, AuditOptions((Foundation.VISION, Foundation.VALUES)), calibration=LINEAR
    )
    assert report.foundations[Foundation.VISION].score is None
    assert report.foundations[Foundation.VALUES].missing == ("A", "B")
    assert report.overall is None


def test_unmatched_statements_are_the_evidence():
    emb = TableEmbedder({"shared": [1, 0, 0], "also shared": [0.99, 0.1, 0], "odd": [0, 0, 1]})
    team = Team(
        "t",
        "t",
        (manager("A", values=("shared", "odd")), manager("B", values=("also shared",))),
    )
    (pair,) = (
        audit(team, emb, AuditOptions((Foundation.VALUES,)), calibration=LINEAR)
        .foundations[Foundation.VALUES]
        .pairs
    )
    ua, ub = pair.unmatched(2.5)
    assert [m.statement for m in ua] == ["odd"]
    assert ua[0].best == "also shared"
    assert ub == ()


def test_each_statement_is_embedded_once(team_dir: Path):
    fake = FakeEmbedder()
    team = load_team(team_dir)
    audit(team, fake)
    assert len(fake.calls) == 1
    texts = fake.calls[0]
    assert len(texts) == len(set(texts))
    assert "Safety" in texts


def test_identical_answers_score_five(team_dir: Path):
    report = audit(load_team(team_dir), FakeEmbedder())
    mission = report.foundations[Foundation.MISSION]
    assert mission.pair("Ana", "Ben").score == pytest.approx(5.0)
    assert mission.pair("Ana", "Cy").score < 1.0
    assert report.signature.model == "fake/bag-of-words"
    assert report.signature.calibration == tables_for(report.signature.model).calibration.version
    assert report.signature.pooling == "model's own"  # a fake model has no domain weights

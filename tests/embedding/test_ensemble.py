"""An ensemble's vectors: its members side by side, and every ability passed on."""

import numpy as np
import pytest

from alignaudit.core.types import Foundation, Team
from alignaudit.embedding.ensemble import Ensemble
from alignaudit.embedding.memo import MemoEmbedder
from alignaudit.features.auditor import audit
from tests.conftest import FakeEmbedder, TokenPooled
from tests.features.test_auditor import manager


class Multilingual(FakeEmbedder):
    name = "fake/multilingual"

    @property
    def multilingual(self) -> bool:
        return True


def test_vectors_are_the_members_side_by_side():
    a, b = FakeEmbedder(), Multilingual()
    ens = Ensemble("ens", [a, b])
    texts = ["Move freight on time", "Honesty first"]
    v = ens.encode(texts)
    assert v.shape == (2, 512)
    assert np.linalg.norm(v, axis=1) == pytest.approx([1.0, 1.0], abs=1e-6)
    cos = float(v[0] @ v[1])
    each = [float(x[0] @ x[1]) for x in (a.encode(texts), b.encode(texts))]
    assert cos == pytest.approx(np.mean(each), abs=1e-6)


def test_abilities_come_from_the_members():
    tok, plain = TokenPooled(), Multilingual()
    ens = Ensemble("ens", [tok, plain])
    assert ens.pools_by_token and not ens.multilingual
    assert ens.max_tokens == 128
    assert ens.count_tokens(["a b c"]) == [5]
    assert ens.token_ids(["ab cde"]) == [[2, 3]]
    p, i = ens.encode_discounted(["ab cde"], {2: 0.5})
    assert tok.calls_discounted == [{2: 0.5}]
    assert not np.allclose(p, i)
    # the plain member's half is the same in both; the token member's half differs
    assert np.allclose(p[:, 256:], i[:, 256:]) and not np.allclose(p[:, :256], i[:, :256])
    memo = MemoEmbedder(ens)
    assert memo.pools_by_token and memo.max_tokens == 128 and memo.pooling == ens.pooling


def test_an_ensemble_takes_one_token_pooled_member_at_most():
    with pytest.raises(ValueError, match="at most one"):
        Ensemble("two", [TokenPooled(), TokenPooled()])
    with pytest.raises(ValueError, match="two or more"):
        Ensemble("one", [FakeEmbedder()])


def test_an_audit_through_an_ensemble_uses_the_index_vectors():
    team = Team(
        "t",
        "t",
        tuple(
            manager(n, mission=(f"Move freight on time {n}",), values=("Honesty",))
            for n in ("Ana", "Ben", "Cy")
        ),
    )
    tok = TokenPooled()
    report = audit(team, Ensemble("ens", [tok, Multilingual()]))
    assert tok.calls_discounted, "the team discount reached the token-pooled member"
    assert report.foundations[Foundation.MISSION].index is not None
    assert "team discount" in report.signature.pooling


def test_the_cli_keeps_every_ability_of_the_model(team_dir, monkeypatch, use_model):
    """Through the CLI's caching wrapper the audit still sees the model's token limit and
    counts (truncation warnings) and its pooling (the signature)."""
    import json

    from typer.testing import CliRunner

    from alignaudit.cli import app

    class Short(TokenPooled):
        @property
        def max_tokens(self) -> int | None:
            return 4

        @property
        def pooling(self) -> str:
            return "hand-made pooling"

    use_model(lambda model: Short())
    result = CliRunner().invoke(app, ["audit", str(team_dir), "-f", "json", "--no-cache"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["signature"]["pooling"].startswith("hand-made pooling")
    warned = json.dumps([f.get("warnings") for f in report["foundations"].values()])
    assert "token" in warned, "a statement longer than 4 tokens is warned about"

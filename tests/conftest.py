"""Shared fixtures: a deterministic fake embedder so most tests need no model."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

from alignaudit.cli.common import EmbedderFactory, embedder_factory
from alignaudit.core.types import Format
from alignaudit.embedding.interface import EmbedderBase

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
# The formats that are text; PDF and slides are bytes, tested in tests/formats/test_pdf.py and
# test_pptx.py.
TEXT_FORMATS = tuple(f for f in Format if not f.binary)

_STOP = {
    "the",
    "a",
    "an",
    "and",
    "or",
    "of",
    "to",
    "in",
    "for",
    "we",
    "our",
    "is",
    "be",
    "on",
    "with",
}


class FakeEmbedder(EmbedderBase):
    """Bag of hashed words: texts sharing words are similar, others are near-orthogonal.

    Deterministic across processes (hashlib, not hash()), so reports are reproducible. Its
    optional abilities are EmbedderBase's: English only, no token pooling.
    """

    name = "fake/bag-of-words"
    sha256 = "0" * 64
    dim = 256

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP]
            for w in words or ["<empty>"]:
                h = int.from_bytes(hashlib.sha256(w.encode()).digest()[:4], "little")
                out[i, h % self.dim] += 1.0
            out[i] /= np.linalg.norm(out[i])
        return out


class TokenPooled(FakeEmbedder):
    """The fake with the other capability set: it pools token by token (as MiniLM does
    here), so an audit asks it for team-discounted index vectors that differ from its plain
    ones, and it cuts statements at 128 tokens."""

    name = "fake/token-pooled"
    calls_discounted: list[dict[int, float]]

    def __init__(self) -> None:
        super().__init__()
        self.calls_discounted = []

    @property
    def pools_by_token(self) -> bool:
        return True

    @property
    def max_tokens(self) -> int | None:
        return 128

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t.split()) + 2 for t in texts]

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [[len(w) for w in t.split()] for t in texts]

    def encode_discounted(
        self, texts: Sequence[str], factors: Mapping[int, float]
    ) -> tuple[np.ndarray, np.ndarray]:
        self.calls_discounted.append(dict(factors))
        plain = self.encode(texts)
        index = np.roll(plain, 1, axis=1)  # another vector, still unit
        return plain, index


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test touches the real user cache: each gets an empty XDG_CACHE_HOME of its own
    (subprocesses inherit it)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.delenv("ALIGNAUDIT_CACHE_DIR", raising=False)


@pytest.fixture(autouse=True)
def _plain_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text renders at the width files and pipes get (80 columns) unless a test sets COLUMNS:
    a COLUMNS exported by the shell that runs the suite must not change what it sees."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(autouse=True)
def _no_real_model_unless_marked(request: pytest.FixtureRequest) -> Iterator[None]:
    """A command that builds a model in a test not marked `model` gets an error instead of the
    real one, so a fake that was meant to be injected cannot be bypassed silently."""
    if request.node.get_closest_marker("model"):
        yield
        return

    def refuse(model: str | None) -> EmbedderBase:
        raise AssertionError(
            f"this test builds the real model ({model or 'default'}): inject a fake "
            "(fake_embedder, use_model) or mark it @pytest.mark.model"
        )

    token = embedder_factory.set(refuse)
    yield
    embedder_factory.reset(token)


@pytest.fixture
def use_model() -> Iterator[Callable[[EmbedderFactory], None]]:
    """Inject the factory every command builds its model with (cli.common.embedder_factory),
    for the rest of the test."""
    tokens = []

    def use(factory: EmbedderFactory) -> None:
        tokens.append(embedder_factory.set(factory))

    yield use
    for token in reversed(tokens):
        embedder_factory.reset(token)


@pytest.fixture
def fake_embedder(use_model: Callable[[EmbedderFactory], None]) -> FakeEmbedder:
    """Make the CLI use the fake embedder; returns it so tests can inspect its calls."""
    fake = FakeEmbedder()
    use_model(lambda model: fake)
    return fake


def write_manager(folder: Path, filename: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def team_dir(tmp_path: Path) -> Path:
    """A small valid team: two managers agree, the third differs, one answer is missing."""
    team = tmp_path / "acme"
    write_manager(
        team,
        "ana.yaml",
        "manager: Ana\nrole: CEO\nunit: Ops\n"
        "vision: Be the greenest freight network in Europe.\n"
        "mission: Keep supply chains running for communities.\n"
        "values: [Safety, Honesty, Teamwork]\n"
        "positioning: Reliable green freight, not the cheapest.\n",
    )
    write_manager(
        team,
        "ben.yaml",
        "manager: Ben\nunit: Ops\n"
        "vision: Be the greenest freight network in Europe. Grow steadily.\n"
        "mission: Keep supply chains running for communities.\n"
        "values:\n  - Safety\n  - Honesty\n  - Teamwork\n",
    )
    write_manager(
        team,
        "cy.yml",
        "manager: Cy\nunit: Finance\n"
        "vision: Become the lowest cost carrier by acquisitions.\n"
        "mission: Deliver shareholder returns.\n"
        "values: [Cost discipline, Efficiency]\n"
        "positioning: Price leader with the lowest rates.\n",
    )
    return team


@pytest.fixture
def example(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Copy a bundled example team into tmp so a test may change it."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(EXAMPLES / name, dest)
        return dest

    return copy


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    """The real bundled model, loaded once for the whole session."""
    from alignaudit.embedding.transformers import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()

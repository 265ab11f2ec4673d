"""The embedding cache: correctness, isolation between models, damage, concurrency."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.errors import ModelError
from alignaudit.embedding import transformers as embedding
from alignaudit.embedding.store import (
    DB_NAME,
    CachingEmbedder,
    VectorCache,
    default_cache_dir,
    fingerprint,
    terminal_progress,
    text_key,
)
from alignaudit.embedding.transformers import SentenceTransformerEmbedder
from alignaudit.inputs.answers import load_team
from tests.conftest import EXAMPLES, ROOT, FakeEmbedder, TokenPooled

runner = CliRunner()
TEXTS = ["Be the greenest carrier.", "Safety first", "Honesty", "Keep supply chains running."]


class Named(FakeEmbedder):
    """The fake embedder under another identity (a different model)."""

    def __init__(self, name: str = "fake/bag-of-words", sha256: str = "0" * 64, variant=None):
        super().__init__()
        self.name = name
        self.sha256 = sha256
        self._variant = variant

    @property
    def variant(self):
        return self._variant


def encoded(calls: list[list[str]]) -> list[str]:
    return [t for call in calls for t in call]


def test_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "alignaudit"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # invalid per the XDG spec: ignored
    assert default_cache_dir() == Path.home() / ".cache" / "alignaudit"
    monkeypatch.setenv("ALIGNAUDIT_CACHE_DIR", str(tmp_path / "ci"))
    assert default_cache_dir() == tmp_path / "ci"


def test_vectors_round_trip_bit_for_bit(tmp_path):
    fake = FakeEmbedder()
    vectors = fake.encode(TEXTS)
    fp = fingerprint(fake)
    with VectorCache(tmp_path) as cache:
        cache.put_many(fake, fp, zip(TEXTS, vectors, strict=True))
    with VectorCache(tmp_path) as cache:  # a new process would see the same
        found = cache.get_many(fp, [*TEXTS, "never stored"])
    assert set(found) == set(TEXTS)
    for t, v in zip(TEXTS, vectors, strict=True):
        assert found[t].dtype == np.float32
        assert found[t].tobytes() == v.tobytes()


def test_statement_text_is_not_stored(tmp_path):
    fake = FakeEmbedder()
    with VectorCache(tmp_path) as cache:
        cache.put_many(fake, fingerprint(fake), zip(TEXTS, fake.encode(TEXTS), strict=True))
    raw = b"".join(p.read_bytes() for p in tmp_path.glob(f"{DB_NAME}*"))
    assert len(raw) > 4096 and b"greenest" not in raw


def test_each_distinct_statement_is_embedded_once_per_run(tmp_path):
    fake = FakeEmbedder()
    with VectorCache(tmp_path) as cache:
        emb = CachingEmbedder(fake, cache)
        first = emb.encode([*TEXTS, TEXTS[0]])
        again = emb.encode(list(reversed(TEXTS)))  # another foundation, team or round
    assert sorted(encoded(fake.calls)) == sorted(TEXTS)
    assert first[0].tobytes() == first[-1].tobytes() == again[-1].tobytes()
    # longest first: batches hold statements of similar length and pad little
    assert fake.calls[0] == sorted(TEXTS, key=len, reverse=True)


def test_second_run_reads_everything_from_the_cache(tmp_path):
    with VectorCache(tmp_path) as cache:
        first = CachingEmbedder(FakeEmbedder(), cache).encode(TEXTS)
    fake = FakeEmbedder()
    with VectorCache(tmp_path) as cache:
        emb = CachingEmbedder(fake, cache)
        second = emb.encode(TEXTS)
    assert fake.calls == []
    assert emb.from_cache == len(TEXTS)
    assert second.tobytes() == first.tobytes()


def test_large_batches_are_chunked_and_stored_as_they_go(tmp_path):
    texts = [f"statement number {i} " + "x" * (i % 17) for i in range(600)]
    fake = FakeEmbedder()
    seen: list[int] = []

    def progress(total):
        from contextlib import nullcontext

        assert total == 600
        return nullcontext(seen.append)

    with VectorCache(tmp_path) as cache:
        CachingEmbedder(fake, cache, progress=progress).encode(texts)
    assert [len(c) for c in fake.calls] == [256, 256, 88]
    assert seen == [256, 256, 88]
    lengths = [len(t) for t in encoded(fake.calls)]
    assert lengths == sorted(lengths, reverse=True)


@pytest.mark.parametrize(
    "other",
    [
        Named(sha256="1" * 64),  # other weights under the same name
        Named(name="other/model"),  # another name, same weights
        Named(variant="onnx"),  # another backend
    ],
)
def test_another_model_never_gets_these_vectors(tmp_path, other):
    with VectorCache(tmp_path) as cache:
        CachingEmbedder(Named(), cache).encode(TEXTS)
        emb = CachingEmbedder(other, cache)
        emb.encode(TEXTS)
    assert emb.from_cache == 0
    assert sorted(encoded(other.calls)) == sorted(TEXTS)


def test_changed_weights_change_the_fingerprint(tmp_path):
    """Two model folders differing only in their weights: different fingerprints."""
    bundled = embedding.bundled_model_dir()
    copies = []
    for i, content in enumerate((b"weights one", b"weights two")):
        folder = tmp_path / f"m{i}"
        folder.mkdir()
        for name in ("modules.json", "config.json", "tokenizer.json"):
            (folder / name).write_bytes((bundled / name).read_bytes())
        (folder / "model.safetensors").write_bytes(content)
        copies.append(SentenceTransformerEmbedder(str(folder)))
    a, b = (fingerprint(e) for e in copies)
    assert a and b and a != b
    assert copies[0].sha256 != copies[1].sha256


def test_a_model_without_weights_hash_is_never_cached(tmp_path):
    fake = Named(sha256=None)
    with VectorCache(tmp_path) as cache:
        CachingEmbedder(fake, cache).encode(TEXTS)
        assert cache.info().models == ()


def test_garbage_file_is_set_aside_and_rebuilt(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 100)
    warnings: list[str] = []
    fake = FakeEmbedder()
    with VectorCache(tmp_path, warn=warnings.append) as cache:
        out = CachingEmbedder(fake, cache).encode(TEXTS)
    assert len(warnings) == 1 and "damaged" in warnings[0] and "rebuilt" in warnings[0]
    assert list(tmp_path.glob(f"{DB_NAME}.damaged-*"))
    assert out.shape == (len(TEXTS), FakeEmbedder.dim)
    fresh = FakeEmbedder()
    with VectorCache(tmp_path, warn=warnings.append) as cache:
        CachingEmbedder(fresh, cache).encode(TEXTS)
        assert cache.info().integrity == "ok"
    assert fresh.calls == [] and len(warnings) == 1


def test_truncated_database_is_set_aside_and_rebuilt(tmp_path):
    texts = [f"statement {i}" for i in range(3000)]
    with VectorCache(tmp_path) as cache:
        CachingEmbedder(FakeEmbedder(), cache).encode(texts)
    db = tmp_path / DB_NAME
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    warnings: list[str] = []
    fake = FakeEmbedder()
    with VectorCache(tmp_path, warn=warnings.append) as cache:
        out = CachingEmbedder(fake, cache).encode(texts)
    assert any("damaged" in w for w in warnings)
    assert out.shape == (3000, FakeEmbedder.dim)
    assert np.allclose(out, FakeEmbedder().encode(texts))


def test_a_damaged_vector_is_re_embedded_not_used(tmp_path):
    fake = FakeEmbedder()
    with VectorCache(tmp_path) as cache:
        CachingEmbedder(fake, cache).encode(TEXTS)
    con = sqlite3.connect(tmp_path / DB_NAME)
    con.execute("UPDATE vectors SET vector = zeroblob(length(vector))")
    con.commit()
    con.close()
    again = FakeEmbedder()
    with VectorCache(tmp_path) as cache:
        out = CachingEmbedder(again, cache).encode(TEXTS)
    assert sorted(encoded(again.calls)) == sorted(TEXTS)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0)


def test_an_unusable_cache_folder_never_fails_the_run(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    warnings: list[str] = []
    fake = FakeEmbedder()
    with VectorCache(blocker / "cache", warn=warnings.append) as cache:
        emb = CachingEmbedder(fake, cache)
        out = emb.encode(TEXTS)
        emb.encode(TEXTS)
    assert out.shape[0] == len(TEXTS)
    assert len(warnings) == 1 and "continuing without it" in warnings[0]


def test_a_writer_held_too_long_costs_the_cache_not_the_run(tmp_path):
    with VectorCache(tmp_path) as cache:
        CachingEmbedder(FakeEmbedder(), cache).encode(TEXTS[:1])
    holder = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    try:
        warnings: list[str] = []
        fake = FakeEmbedder()
        with VectorCache(tmp_path, warn=warnings.append, timeout=0.2) as cache:
            out = CachingEmbedder(fake, cache).encode(TEXTS)
        assert out.shape[0] == len(TEXTS)
        assert encoded(fake.calls) and sorted(encoded(fake.calls)) == sorted(TEXTS[1:])
        assert len(warnings) == 1 and "locked" in warnings[0]
    finally:
        holder.execute("ROLLBACK")
        holder.close()


WORKER = """
import sys, numpy as np
sys.path[:0] = [{root!r}, {src!r}]
from alignaudit.embedding.store import VectorCache, CachingEmbedder
from tests.conftest import FakeEmbedder
worker, folder = int(sys.argv[1]), sys.argv[2]
texts = [f"statement {{i}}" for i in range(worker * 300, worker * 300 + 1500)]
for round in range(3):
    with VectorCache(folder) as cache:
        emb = CachingEmbedder(FakeEmbedder(), cache)
        out = emb.encode(texts[round * 200 :])
        assert np.allclose(out, FakeEmbedder().encode(texts[round * 200 :]))
        assert cache.disabled is None, cache.disabled
print("ok")
"""


def test_concurrent_processes_share_one_cache_safely(tmp_path):
    """Four processes writing overlapping statements at once: none fails, nothing is lost or
    corrupted, and every vector read back is the one its statement should have."""
    script = tmp_path / "worker.py"
    script.write_text(WORKER.format(root=str(ROOT), src=str(ROOT / "src")))
    folder = tmp_path / "shared-cache"
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(w), str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and out.strip() == "ok", err
        assert "warning" not in err, err
    texts = [f"statement {i}" for i in range(0, 3 * 300 + 1500)]
    with VectorCache(folder) as cache:
        info = cache.info()
        found = cache.get_many(fingerprint(FakeEmbedder()), texts)
    assert info.integrity == "ok"
    assert len(found) == len(texts)
    expected = FakeEmbedder().encode(texts)
    assert np.allclose(np.stack([found[t] for t in texts]), expected)


def test_weights_hash_is_remembered_until_the_file_changes(tmp_path, monkeypatch):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"a" * 1000)
    hashed: list[Path] = []
    real = embedding.file_sha256
    monkeypatch.setattr(
        "alignaudit.embedding.store.file_sha256", lambda p: hashed.append(p) or real(p)
    )
    with VectorCache(tmp_path / "c") as cache:
        first = cache.file_sha256(weights)
    with VectorCache(tmp_path / "c") as cache:
        assert cache.file_sha256(weights) == first
    assert len(hashed) == 1
    weights.write_bytes(b"b" * 1000)  # same size, new content
    with VectorCache(tmp_path / "c") as cache:
        assert cache.file_sha256(weights) != first
    assert len(hashed) == 2


@pytest.fixture
def small_bundled(tmp_path, monkeypatch):
    """A stand-in for the bundled model whose expected size and hash we control."""
    folder = tmp_path / "model"
    folder.mkdir()
    content = b"pretend weights " * 64
    (folder / "model.safetensors").write_bytes(content)
    import hashlib

    monkeypatch.setattr("alignaudit.embedding.transformers.bundled_model_dir", lambda: folder)
    monkeypatch.setattr("alignaudit.embedding.transformers.BUNDLED_SIZE", len(content))
    monkeypatch.setattr(
        "alignaudit.embedding.transformers.BUNDLED_SHA256", hashlib.sha256(content).hexdigest()
    )
    return folder


def test_warm_start_does_not_hash_the_weights_again(small_bundled, tmp_path, monkeypatch):
    hashed: list[Path] = []
    real = embedding.file_sha256
    monkeypatch.setattr(
        "alignaudit.embedding.store.file_sha256", lambda p: hashed.append(p) or real(p)
    )
    monkeypatch.setattr(
        "alignaudit.embedding.interface.file_sha256", lambda p: hashed.append(p) or real(p)
    )
    for _ in range(3):
        with VectorCache(tmp_path / "c") as cache:
            emb = SentenceTransformerEmbedder()
            emb.configure(digests=cache)
            assert emb.sha256 == embedding.BUNDLED_SHA256
    assert len(hashed) == 1


def test_tampered_weights_of_the_right_size_are_still_refused(small_bundled, tmp_path):
    with VectorCache(tmp_path / "c") as cache:
        emb = SentenceTransformerEmbedder()
        emb.configure(digests=cache)
        assert emb.sha256  # verified and remembered
    weights = small_bundled / "model.safetensors"
    weights.write_bytes(b"X" + weights.read_bytes()[1:])
    with VectorCache(tmp_path / "c") as cache:
        emb = SentenceTransformerEmbedder()
        emb.configure(digests=cache)
        with pytest.raises(ModelError, match="damaged"):
            CachingEmbedder(emb, cache).encode(TEXTS)


# -- through the command line ------------------------------------------------------------


def test_cached_and_uncached_runs_give_identical_reports(team_dir, fake_embedder, tmp_path):
    cache = tmp_path / "cache"
    reports = {}
    for label, args in (
        ("uncached", ["--no-cache"]),
        ("cold", ["--cache-dir", str(cache)]),
        ("warm", ["--cache-dir", str(cache)]),
    ):
        fake_embedder.calls.clear()
        for fmt in ("json", "terminal"):
            result = runner.invoke(
                app, ["audit", str(team_dir), "-f", fmt, *args], env={"NO_COLOR": "1"}
            )
            assert result.exit_code == 0, result.output
            reports[label, fmt] = result.stdout
        reports[label, "embedded"] = len(encoded(fake_embedder.calls))
    for fmt in ("json", "terminal"):
        assert reports["uncached", fmt] == reports["cold", fmt] == reports["warm", fmt]
    assert reports["warm", "embedded"] == 0
    assert reports["cold", "embedded"] == reports["uncached", "embedded"] // 2  # 2nd format warm
    assert json.loads(reports["warm", "json"])["team"] == "acme"


def test_no_cache_writes_nothing(team_dir, fake_embedder, tmp_path):
    cache = tmp_path / "cache"
    result = runner.invoke(app, ["audit", str(team_dir), "--no-cache", "--cache-dir", str(cache)])
    assert result.exit_code == 0
    assert not cache.exists()


def test_default_cache_is_under_xdg_cache_home(team_dir, fake_embedder, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert runner.invoke(app, ["audit", str(team_dir)]).exit_code == 0
    assert (tmp_path / "xdg" / "alignaudit" / DB_NAME).is_file()


def test_damaged_cache_warns_and_the_audit_still_succeeds(team_dir, fake_embedder, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / DB_NAME).write_bytes(os.urandom(4096))
    result = runner.invoke(app, ["audit", str(team_dir), "-f", "json", "--cache-dir", str(cache)])
    assert result.exit_code == 0, result.output
    assert "warning: embedding cache" in result.stderr and "set aside" in result.stderr
    assert json.loads(result.stdout)["team"] == "acme"


def test_cache_info_and_clear(team_dir, fake_embedder, tmp_path):
    cache = tmp_path / "cache"
    info = runner.invoke(app, ["cache", "info", "--cache-dir", str(cache)])
    assert info.exit_code == 0 and "none yet" in info.stdout
    runner.invoke(app, ["audit", str(team_dir), "--cache-dir", str(cache)])
    info = runner.invoke(app, ["cache", "info", "--cache-dir", str(cache)])
    assert info.exit_code == 0, info.output
    assert "integrity: ok" in info.stdout
    assert "from fake/bag-of-words" in info.stdout
    n = len({s for m in fake_embedder.calls for s in m})
    assert f"vectors: {n} from" in info.stdout
    cleared = runner.invoke(app, ["cache", "clear", "--cache-dir", str(cache)])
    assert cleared.exit_code == 0 and "removed" in cleared.stdout
    assert not (cache / DB_NAME).exists()
    info = runner.invoke(app, ["cache", "info", "--cache-dir", str(cache)])
    assert "none yet" in info.stdout


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("tty", [True, False])
def test_progress_bar_only_on_a_terminal_and_for_long_work(tmp_path, monkeypatch, tty):
    err = Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.delenv("TERM", raising=False)
    texts = [f"statement {i}" for i in range(300)]
    CachingEmbedder(FakeEmbedder(), None, progress=terminal_progress(threshold=200)).encode(texts)
    assert ("embedding statements" in err.getvalue()) is tty
    short = Terminal()
    monkeypatch.setattr(sys, "stderr", short)
    CachingEmbedder(FakeEmbedder(), None, progress=terminal_progress(threshold=200)).encode(
        texts[:10]
    )
    assert short.getvalue() == ""


def test_a_new_cache_folder_is_private(tmp_path):
    """Anyone who can write the cache sets every figure, so the tool creates it 0700."""
    import stat

    folder = tmp_path / "fresh" / "alignaudit"
    with VectorCache(folder) as cache:
        cache.put_many(Named(), "fp", [("Honesty", np.ones(4, dtype=np.float32) / 2)])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_clear_removes_only_what_the_tool_wrote(tmp_path):
    """A user's own onnx/ folder, or files beside an export, are never deleted."""
    folder = tmp_path / "cache"
    with VectorCache(folder) as cache:
        cache.put_many(Named(), "fp", [("Honesty", np.ones(4, dtype=np.float32) / 2)])
    export = folder / "onnx" / ("a" * 64 + "-" + "b" * 16)
    export.mkdir(parents=True)
    (export / "model.onnx").write_bytes(b"graph")
    mine = folder / "onnx" / "my-notes"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine", encoding="utf-8")
    odd = folder / "onnx" / ("c" * 64 + "-" + "d" * 16)
    odd.mkdir()
    (odd / "model.onnx").write_bytes(b"graph")
    (odd / "thesis.docx").write_bytes(b"not the tool's")
    removed = VectorCache(folder).clear()
    assert export / "model.onnx" in removed and export in removed
    assert not export.exists()
    assert (mine / "keep.txt").is_file() and (odd / "thesis.docx").is_file()
    assert (folder / "onnx").is_dir() and folder / "onnx" not in removed
    # with only the tool's exports left, onnx/ itself goes too
    (mine / "keep.txt").unlink()
    mine.rmdir()
    (odd / "thesis.docx").unlink()
    assert folder / "onnx" in VectorCache(folder).clear()


# -- a cache this process may read but not write ------------------------------------------


def _vector_count(folder: Path) -> int:
    con = sqlite3.connect(f"{(folder / DB_NAME).absolute().as_uri()}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
    finally:
        con.close()


def refuse_writes(monkeypatch, *, read_only_open_fails: bool = False) -> list[str]:
    """SQLite as it answers a process that may not write the cache (root may write anything,
    so the refusal is simulated): opening read-write fails; opening with `mode=ro` works, or
    fails too where the -shm index cannot be created (a read-only folder). Returns what was
    opened."""
    real = sqlite3.connect
    opened: list[str] = []

    def connect(database, *args, **kwargs):
        opened.append(str(database))
        uri = kwargs.get("uri", False)
        if not uri or (read_only_open_fails and str(database).endswith("?mode=ro")):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    return opened


def test_a_read_only_warm_cache_is_read_and_never_written(
    team_dir, fake_embedder, tmp_path, monkeypatch
):
    cache = tmp_path / "cache"
    args = ["audit", str(team_dir), "-f", "json", "--cache-dir", str(cache)]
    cold = runner.invoke(app, args)
    assert cold.exit_code == 0, cold.output
    stored = _vector_count(cache)
    opened = refuse_writes(monkeypatch)
    fake_embedder.calls.clear()
    warm = runner.invoke(app, args)
    assert warm.exit_code == 0, warm.output
    assert fake_embedder.calls == []  # every vector read from the read-only cache
    assert opened[-1].startswith("file:") and opened[-1].endswith("?mode=ro")
    assert warm.stdout == cold.stdout
    assert "warning" not in warm.stderr  # nothing to store, nothing to say
    # a new statement: embedded, not stored, and one short note
    (team_dir / "dee.yaml").write_text(
        "manager: Dee\nvision: Run the quietest trucks on every road.\n", encoding="utf-8"
    )
    fake_embedder.calls.clear()
    new = runner.invoke(app, args)
    assert new.exit_code == 0, new.output
    assert encoded(fake_embedder.calls) == ["Run the quietest trucks on every road."]
    notes = [line for line in new.stderr.splitlines() if line.strip()]
    assert len(notes) == 1 and "read-only" in notes[0], new.stderr
    monkeypatch.undo()
    assert _vector_count(cache) == stored


def test_a_write_the_database_refuses_keeps_it_readable(tmp_path):
    """SQLite's own refusal (query_only answers SQLITE_READONLY, as a read-only file does):
    the statements already cached are still read after a write failed."""
    with VectorCache(tmp_path) as cache:
        CachingEmbedder(FakeEmbedder(), cache).encode(TEXTS[:2])
    warnings: list[str] = []
    fake = FakeEmbedder()
    with VectorCache(tmp_path, warn=warnings.append) as cache:
        cache._connect().execute("PRAGMA query_only = ON")
        emb = CachingEmbedder(fake, cache)
        emb.encode(TEXTS[2:])  # not cached: embedded, and storing them is refused
        emb.encode(TEXTS[:2])  # cached: read all the same
        assert sorted(encoded(fake.calls)) == sorted(TEXTS[2:])
        assert cache.disabled is None and cache.read_only
    assert len(warnings) == 1 and "read-only" in warnings[0]
    assert _vector_count(tmp_path) == 2


def test_a_read_only_folder_without_an_index_is_read_immutable(tmp_path, monkeypatch):
    """A cache baked into a read-only image: closed cleanly (no -wal, no -shm), in a folder
    where SQLite cannot create the -shm, so `mode=ro` fails; it is read with `immutable=1`."""
    with VectorCache(tmp_path) as cache:
        CachingEmbedder(FakeEmbedder(), cache).encode(TEXTS)
    assert not Path(f"{tmp_path / DB_NAME}-wal").exists()
    opened = refuse_writes(monkeypatch, read_only_open_fails=True)
    fake = FakeEmbedder()
    with VectorCache(tmp_path, warn=pytest.fail) as cache:
        emb = CachingEmbedder(fake, cache)
        emb.encode(TEXTS)
    assert fake.calls == [] and emb.from_cache == len(TEXTS)
    assert opened[-1].endswith("?immutable=1")


def test_unmerged_writes_are_never_read_immutable(tmp_path, monkeypatch):
    """immutable=1 ignores the -wal: with writes still in it the cache is not used at all,
    rather than read stale or torn."""
    with VectorCache(tmp_path) as cache:
        CachingEmbedder(FakeEmbedder(), cache).encode(TEXTS[:1])
    holder = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("INSERT INTO digests VALUES ('x', 1, 1, 1, 1, 'y')")  # stays in the -wal
    try:
        assert Path(f"{tmp_path / DB_NAME}-wal").stat().st_size > 0
        opened = refuse_writes(monkeypatch, read_only_open_fails=True)
        warnings: list[str] = []
        fake = FakeEmbedder()
        with VectorCache(tmp_path, warn=warnings.append) as cache:
            out = CachingEmbedder(fake, cache).encode(TEXTS)
        assert out.shape[0] == len(TEXTS)
        assert sorted(encoded(fake.calls)) == sorted(TEXTS)
        assert opened[-1].endswith("?mode=ro")  # tried read-only, and no further
        assert not any("immutable" in u for u in opened)
        assert len(warnings) == 1 and "continuing without it" in warnings[0]
    finally:
        monkeypatch.undo()
        holder.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes a read-only folder all the same")
def test_a_chmod_read_only_cache_is_read(team_dir, fake_embedder, tmp_path):
    """The real thing, for a user the permissions bind: folder 0555, database 0444."""
    cache = tmp_path / "cache"
    args = ["audit", str(team_dir), "-f", "json", "--cache-dir", str(cache)]
    assert runner.invoke(app, args).exit_code == 0
    (cache / DB_NAME).chmod(0o444)
    cache.chmod(0o555)
    try:
        fake_embedder.calls.clear()
        warm = runner.invoke(app, args)
        assert warm.exit_code == 0, warm.output
        assert fake_embedder.calls == []
        assert "warning" not in warm.stderr
        info = runner.invoke(app, ["cache", "info", "--cache-dir", str(cache)])
        assert "read-only" in info.stdout and "integrity: ok" in info.stdout
    finally:
        cache.chmod(0o700)


READ_ONLY_WORKER = """
import json, sys
sys.path[:0] = [{root!r}, {src!r}]
from alignaudit.embedding.store import VectorCache, CachingEmbedder
from tests.conftest import FakeEmbedder
warnings, fake = [], FakeEmbedder()
with VectorCache(sys.argv[1], warn=warnings.append) as cache:
    emb = CachingEmbedder(fake, cache)
    emb.encode(json.loads(sys.argv[2]))
    print(json.dumps({{"embedded": [t for c in fake.calls for t in c], "warnings": warnings,
                      "read_only": cache.read_only, "from_cache": emb.from_cache}}))
"""


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare (util-linux)")
def test_a_cache_on_a_read_only_mount_is_read(tmp_path):
    """A real read-only file system (a bind mount in a private mount namespace: root cannot
    write it either): closed cleanly, no -shm, and the vectors are still read."""
    mount = tmp_path / "image"
    folder = mount / "cache"
    with VectorCache(folder) as cache:
        CachingEmbedder(FakeEmbedder(), cache).encode(TEXTS[:3])
    script = tmp_path / "worker.py"
    script.write_text(READ_ONLY_WORKER.format(root=str(ROOT), src=str(ROOT / "src")))
    user = [] if os.geteuid() == 0 else ["--map-root-user"]
    setup = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 97; shift; exec "$@"'
    worker = [sys.executable, "-B", str(script), str(folder), json.dumps(TEXTS)]
    result = subprocess.run(
        ["unshare", "--mount", *user, "sh", "-c", setup, "sh", str(mount), *worker],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode == 97 or result.stderr.startswith("unshare:"):
        pytest.skip(f"no private read-only mount here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["read_only"] and out["from_cache"] == 3
    assert out["embedded"] == TEXTS[3:]
    assert len(out["warnings"]) == 1 and "read-only" in out["warnings"][0]


# -- cache verify ----------------------------------------------------------------------------

NORTHWIND = EXAMPLES / "northwind-logistics"


def statements_of(team: Path) -> set[str]:
    return {s for m in load_team(team).managers for a in m.answers.values() for s in a.statements}


def fill(cache: Path, *teams: Path, model: list[str] | None = None) -> None:
    for team in teams:
        args = ["audit", str(team), "-f", "json", "--cache-dir", str(cache), *(model or [])]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output


def verify(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["cache", "verify", *args], env={"NO_COLOR": "1"})


def tamper(cache: Path, key: bytes) -> None:
    """Put another unit vector where the vector of `key` was: every other check passes it."""
    other = FakeEmbedder().encode(["Lowest price wins every tender, whatever it takes."])[0]
    con = sqlite3.connect(cache / DB_NAME)
    with con:
        changed = con.execute(
            "UPDATE vectors SET vector = ? WHERE text_sha256 = ?", (other.tobytes(), key)
        ).rowcount
    con.close()
    assert changed == 1


def test_verify_passes_the_vectors_the_model_wrote(fake_embedder, tmp_path):
    cache = tmp_path / "cache"
    fill(cache, NORTHWIND)
    n = len(statements_of(NORTHWIND))
    fake_embedder.calls.clear()
    result = verify(str(NORTHWIND), "--cache-dir", str(cache))
    assert result.exit_code == 0, result.output
    assert f"checked: {n} of {n} (statement: {n}); mismatched: 0" in result.stdout
    assert "not checkable: 0" in result.stdout
    assert sorted(encoded(fake_embedder.calls)) == sorted(statements_of(NORTHWIND))  # re-embedded


def test_verify_reports_a_tampered_vector_by_key_never_by_text(fake_embedder, tmp_path):
    cache = tmp_path / "cache"
    fill(cache, NORTHWIND)
    text = sorted(statements_of(NORTHWIND))[0]
    tamper(cache, text_key(text))
    result = verify(str(NORTHWIND), "--cache-dir", str(cache), "--all")
    assert result.exit_code == 1, result.output
    assert "mismatched: 1" in result.stdout
    assert f"mismatch: statement vector {text_key(text).hex()} ({NORTHWIND})" in result.stdout
    assert "differs from a fresh embedding" in result.stdout
    assert text not in result.output
    fake_embedder.calls.clear()  # an audit takes it as it is: only the check tells
    assert runner.invoke(app, ["audit", str(NORTHWIND), "--cache-dir", str(cache)]).exit_code == 0
    assert fake_embedder.calls == []


def test_verify_draws_a_sample(fake_embedder, tmp_path):
    cache = tmp_path / "cache"
    fill(cache, NORTHWIND)
    n = len(statements_of(NORTHWIND))
    fake_embedder.calls.clear()
    result = verify(str(NORTHWIND), "--cache-dir", str(cache), "--sample", "5")
    assert result.exit_code == 0, result.output
    assert f"checked: 5 of {n}, drawn at random" in result.stdout
    assert len(encoded(fake_embedder.calls)) == 5


def test_verify_rebuilds_team_discounted_index_vectors(monkeypatch, tmp_path, use_model):
    pooled = TokenPooled()
    use_model(lambda model: pooled)
    cache = tmp_path / "cache"
    fill(cache, NORTHWIND)
    n = len(statements_of(NORTHWIND))
    result = verify(str(NORTHWIND), "--cache-dir", str(cache), "--all")
    assert result.exit_code == 0, result.output
    assert f"checked: {2 * n} of {2 * n} (statement: {n}, index: {n})" in result.stdout
    plain = {text_key(t) for t in statements_of(NORTHWIND)}
    con = sqlite3.connect(cache / DB_NAME)
    keys = [bytes(k) for (k,) in con.execute("SELECT text_sha256 FROM vectors")]
    con.close()
    index_key = next(k for k in keys if k not in plain)
    tamper(cache, index_key)
    result = verify(str(NORTHWIND), "--cache-dir", str(cache), "--all")
    assert result.exit_code == 1, result.output
    assert f"mismatch: index vector {index_key.hex()}" in result.stdout


def test_verify_counts_what_it_cannot_check(team_dir, fake_embedder, tmp_path):
    """Vectors of statements not in the teams given, and another model's: counted, not
    checked, and no reason to fail."""
    cache = tmp_path / "cache"
    fill(cache, NORTHWIND, team_dir)
    with VectorCache(cache) as vc:
        CachingEmbedder(Named(name="other/model"), vc).encode(TEXTS)
    elsewhere = len(statements_of(team_dir) - statements_of(NORTHWIND))
    result = verify(str(NORTHWIND), "--cache-dir", str(cache), "--all")
    assert result.exit_code == 0, result.output
    assert f"not checkable: {elsewhere} " in result.stdout
    assert f"not checked: {len(TEXTS)} vector(s) of another model, other/model" in result.stdout


def test_verify_reads_the_themes_and_reference_of_a_team_config(team_dir, fake_embedder, tmp_path):
    (team_dir / "_official.yaml").write_text(
        "vision: Europe's most reliable green freight network.\n", encoding="utf-8"
    )
    (team_dir / "alignaudit.yaml").write_text(
        "reference: _official.yaml\nthemes: [Electric trucks]\n", encoding="utf-8"
    )
    cache = tmp_path / "cache"
    fill(cache, team_dir)
    result = verify(str(team_dir), "--cache-dir", str(cache), "--all")
    assert result.exit_code == 0, result.output
    assert "not checkable: 0 " in result.stdout
    n = len(statements_of(team_dir)) + 2
    assert f"checked: {n} of {n}" in result.stdout


def test_verify_of_an_empty_cache_says_so_and_creates_nothing(
    team_dir, monkeypatch, tmp_path, use_model
):
    use_model(lambda model: pytest.fail("no model"))
    missing = tmp_path / "missing"
    result = verify(str(team_dir), "--cache-dir", str(missing))
    assert result.exit_code == 0, result.output
    assert "no vectors in the cache: nothing to verify" in result.stdout
    assert not missing.exists()
    empty = tmp_path / "empty"
    with VectorCache(empty) as vc:  # a database, no vectors yet
        vc.put_many(Named(), "fp", [])
        vc.file_sha256(team_dir / "ana.yaml")
    result = verify(str(team_dir), "--cache-dir", str(empty))
    assert result.exit_code == 0, result.output
    assert "nothing to verify" in result.stdout


def test_verify_exit_codes_for_bad_input_a_damaged_cache_and_a_broken_model(
    team_dir, monkeypatch, tmp_path, use_model
):
    cache = tmp_path / "cache"
    bad = verify(str(team_dir), "--cache-dir", str(cache), "--sample", "0")
    assert bad.exit_code == 2 and "--sample" in bad.output
    missing = verify(str(tmp_path / "no-team"), "--cache-dir", str(cache))
    assert missing.exit_code == 2 and "no such folder" in missing.output
    use_model(lambda model: FakeEmbedder())
    fill(cache, team_dir)

    def broken(model):
        raise ModelError("the model is missing")

    use_model(broken)
    result = verify(str(team_dir), "--cache-dir", str(cache))
    assert result.exit_code == 3 and "the model is missing" in result.stderr
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    (garbage / DB_NAME).write_bytes(b"this is not a database" * 100)
    result = verify(str(team_dir), "--cache-dir", str(garbage))
    assert result.exit_code == 1 and "cannot read" in result.stderr
    assert [p.name for p in garbage.iterdir()] == [DB_NAME]  # read-only: not set aside


@pytest.mark.model
def test_verify_with_the_real_model_passes_what_it_wrote(tmp_path):
    """MiniLM under torch: a sample re-embedded in other batches than the audit's differs by
    float noise (about 1e-6), far inside the tolerance."""
    cache = tmp_path / "cache"
    fill(cache, NORTHWIND, model=["--model", "minilm"])
    result = verify(str(NORTHWIND), "--cache-dir", str(cache), "--model", "minilm")
    assert result.exit_code == 0, result.output
    n = len(statements_of(NORTHWIND))
    assert f"keyed by the teams' statements: {2 * n} (statement: {n}, index: {n})" in result.stdout
    assert "mismatched: 0" in result.stdout

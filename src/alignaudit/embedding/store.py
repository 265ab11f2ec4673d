"""A persistent, content-addressed cache of statement vectors, and the embedder that uses it.

    key   = model fingerprint (name, weights sha256, backend and model files) + sha256 of the
            exact statement text
    value = the float32 unit vector

It is one SQLite file in WAL mode in the user cache folder ($XDG_CACHE_HOME/alignaudit, else
~/.cache/alignaudit; --cache-dir or ALIGNAUDIT_CACHE_DIR override it). Statement texts are not
stored, only their sha256. Many processes may use it at once (parallel CI jobs): readers never
block, writers queue behind SQLite's lock, and every write is one transaction, so a killed
process leaves the file consistent. The cache never fails a run: when it is busy past the
timeout or full, the run goes on without it and says so; when the file is damaged it is set
aside (renamed *.damaged-...) and rebuilt, with a warning. A cache this process may not write
(baked into a read-only image, shared read-only) is opened read-only: its vectors are read,
new ones are not stored, and one note says so when something could not be stored.

The same database remembers the verified sha256 of model weights by (path, size, mtime, ctime,
inode), so a warm run does not read the weights again to check them (see transformers.py and e5.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .interface import Embedder, Wrapper, file_sha256, rows_of
from .pooling import answers_discount, discount_key

if TYPE_CHECKING:
    from ..core.types import Manager, Team

SCHEMA_VERSION = 1
DB_NAME = f"vectors-v{SCHEMA_VERSION}.sqlite3"  # another schema version gets its own file
ONNX_DIR = "onnx"  # exported ONNX models (onnx.py), kept beside the database
BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another process's write to finish
_IN_LIMIT = 500  # statement keys per SELECT ... IN (...)
# SQLite result codes (primary) that mean the file itself is damaged, not merely busy.
_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_READONLY, _CANTOPEN = 8, 14  # SQLITE_READONLY (and its extended codes), SQLITE_CANTOPEN

Warn = Callable[[str], None]


def _stderr_warning(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


def default_cache_dir() -> Path:
    """ALIGNAUDIT_CACHE_DIR, else $XDG_CACHE_HOME/alignaudit (absolute paths only, as the XDG
    spec says), else ~/.cache/alignaudit."""
    explicit = os.environ.get("ALIGNAUDIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "alignaudit"


def text_key(text: str) -> bytes:
    """The content address of a statement: sha256 of its exact UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def fingerprint(embedder: Embedder) -> str | None:
    """What a vector depends on. None when the weights have no sha256 (a model known only by a
    name): such vectors are never cached, because another model could answer to that name."""
    sha = embedder.sha256
    if not sha:
        return None
    identity = {
        "name": embedder.name,
        "sha256": sha,
        "variant": embedder.variant,  # backend and model files, if any
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class ModelEntry:
    """One model's vectors in the cache, as `cache info` lists them and `cache verify` finds
    them."""

    name: str
    sha256: str
    variant: str | None
    dim: int
    vectors: int


@dataclass(frozen=True)
class CacheInfo:
    """What `cache info` reports: where the cache is, its size, the models in it and its health."""

    folder: Path
    database: Path
    exists: bool
    bytes: int  # database and its WAL
    models: tuple[ModelEntry, ...]
    digests: int  # remembered weight hashes
    integrity: str  # "ok", or what SQLite's quick_check found
    onnx_bytes: int
    set_aside: tuple[Path, ...]  # damaged files kept for inspection
    read_only: bool = False  # opened read-only: this process may not write it


class _Unusable(Exception):
    """The cache cannot be used for the rest of this run (busy, full, ...)."""


def _refused(exc: sqlite3.Error, *codes: int) -> bool:
    """Whether SQLite refused with one of these primary result codes (by message when the
    error carries no code)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in codes
    text = str(exc)
    return (_READONLY in codes and "readonly database" in text) or (
        _CANTOPEN in codes and "unable to open database file" in text
    )


_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS models (
        id INTEGER PRIMARY KEY,
        fingerprint TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        variant TEXT,
        dim INTEGER NOT NULL,
        created REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS vectors (
        model INTEGER NOT NULL REFERENCES models(id),
        text_sha256 BLOB NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, text_sha256)
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS digests (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        ctime_ns INTEGER NOT NULL,
        inode INTEGER NOT NULL,
        sha256 TEXT NOT NULL
    )""",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)


class VectorCache:
    """Statement vectors per model fingerprint, in one SQLite file shared by all processes."""

    def __init__(
        self,
        folder: str | os.PathLike[str] | None = None,
        *,
        warn: Warn = _stderr_warning,
        timeout: float = BUSY_TIMEOUT_S,
        read_only: bool = False,
    ) -> None:
        self.folder = Path(folder) if folder is not None else default_cache_dir()
        self.path = self.folder / DB_NAME
        self._warn = warn
        self._timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._inode: int | None = None
        self._models: dict[str, tuple[int, int]] = {}  # fingerprint -> (id, dim)
        self.disabled: str | None = None  # why the cache is off for the rest of the run
        # Read the vectors, write nothing: asked for, or found when the file or its folder
        # refuses this process's writes.
        self.read_only = read_only
        self._skipped = False  # whether a write was skipped (and the note given)

    # -- connection ----------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        if not self.read_only:
            if self._may_write():
                try:
                    self._conn = self._open_read_write()
                    return self._conn
                except sqlite3.OperationalError as exc:
                    # a file it may read but not write (a read-only mount, another owner)
                    if not (_refused(exc, _READONLY, _CANTOPEN) and self.path.is_file()):
                        raise
            self.read_only = True
        self._conn = self._open_read_only()
        return self._conn

    def _may_write(self) -> bool:
        """Whether to open the database read-write: False when it exists and this process may
        not write it or its folder (the kernel's answer: a read-only mount refuses root too)."""
        try:
            # private: whoever can write the cache sets every figure (SECURITY.md); a folder
            # that exists already keeps the mode its owner gave it
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise _Unusable(f"cannot create {self.folder}: {exc.strerror}") from None
        if not self.path.is_file():
            return True  # a new file: SQLite says whether the folder takes it
        return os.access(self.folder, os.W_OK) and os.access(self.path, os.W_OK)

    def _open(self, database: str, *, uri: bool = False) -> sqlite3.Connection:
        return sqlite3.connect(
            database,
            timeout=self._timeout,
            isolation_level=None,
            check_same_thread=False,
            uri=uri,
        )

    def _open_read_write(self) -> sqlite3.Connection:
        conn = self._open(str(self.path))
        try:
            self._inode = os.stat(self.path).st_ino if self.path.exists() else None
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # with WAL: never corrupt on a crash
            self._inode = os.stat(self.path).st_ino
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                conn.execute("BEGIN IMMEDIATE")  # one process creates the tables, others wait
                try:
                    for statement in _SCHEMA:
                        conn.execute(statement)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except BaseException:
            conn.close()
            raise
        return conn

    def _open_read_only(self) -> sqlite3.Connection:
        """The existing database, opened so that SQLite never writes it (`mode=ro`).

        SQLite reads a WAL database read-only only where it can open the -shm index or create
        it. A cache closed cleanly has none, so in a folder this process cannot write (a cache
        baked into a read-only image) `mode=ro` fails, and only `immutable=1` reads it: SQLite
        then takes no locks and ignores any -wal. That is safe only while nobody writes the
        file, so it is used only then: no -wal holds unmerged writes, and the -shm a writer
        would need cannot be created here. A writer starting in the middle of this run could
        still be missed or seen torn; a torn page reads as damage (the cache is then off for
        the run), and a vector is used only when it is a finite unit vector.
        """
        if not self.path.is_file():
            raise _Unusable("read-only, and no database yet")
        uri = self.path.absolute().as_uri()
        conn: sqlite3.Connection | None = None
        try:
            conn = self._open(f"{uri}?mode=ro", uri=True)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if conn is not None:
                conn.close()
            wal = Path(f"{self.path}-wal")
            pending = wal.exists() and wal.stat().st_size > 0
            if pending or not _refused(exc, _READONLY, _CANTOPEN):
                raise
            conn = self._open(f"{uri}?immutable=1", uri=True)
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
            except BaseException:
                conn.close()
                raise
        if version != SCHEMA_VERSION:
            conn.close()
            raise _Unusable("read-only, and it holds no vectors")
        self._inode = os.stat(self.path).st_ino
        return conn

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def __enter__(self) -> VectorCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(
        self,
        operation: Callable[[sqlite3.Connection], object],
        default: object,
        *,
        write: bool = False,
    ) -> object:
        """Run one operation; on damage set the file aside and retry once on a fresh file; a
        write the file refuses (read-only) is skipped and the cache stays open for reading; on
        any other database or file-system trouble, warn once and go on without the cache."""
        if self.disabled:
            return default
        for attempt in (1, 2):
            try:
                conn = self._connect()
                if write and self.read_only:
                    self._skip_write()
                    return default
                return operation(conn)
            except _Unusable as exc:
                self._disable(str(exc))
                return default
            except sqlite3.DatabaseError as exc:
                if write and _refused(exc, _READONLY):
                    self.read_only = True
                    self._skip_write()
                    return default
                code = getattr(exc, "sqlite_errorcode", None)
                damaged = code is not None and code & 0xFF in _DAMAGED
                if damaged and attempt == 1 and not self.read_only:
                    self._set_aside(str(exc))
                    continue
                self._disable(f"{exc}; read-only, left as it is" if damaged else f"{exc}")
                return default
            except OSError as exc:
                self._disable(exc.strerror or str(exc))
                return default
        return default

    def _skip_write(self) -> None:
        if not self._skipped:
            self._skipped = True
            self._warn(f"embedding cache {self.path} is read-only: using its vectors, storing none")

    def _disable(self, why: str) -> None:
        self.close()
        if not self.disabled:
            self.disabled = why
            self._warn(f"embedding cache {self.path} unusable ({why}); continuing without it")

    def _set_aside(self, why: str) -> None:
        """Move a damaged database (and its WAL) out of the way so the next open starts anew.

        Only the file this process found damaged is moved: if another process already replaced
        it with a fresh one (another inode), that one is kept.
        """
        self.close()
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        suffix = f".damaged-{stamp}-{os.getpid()}"
        try:
            same = self._inode is not None and os.stat(self.path).st_ino == self._inode
        except FileNotFoundError:
            same = False
        if same:
            for extra in ("-wal", "-shm", ""):  # the main file last: it is what others open
                src = Path(f"{self.path}{extra}")
                try:
                    os.replace(src, Path(f"{self.path}{extra}{suffix}"))
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    self._disable(f"damaged and cannot be moved aside: {exc.strerror}")
                    return
        self._models.clear()
        self._warn(
            f"embedding cache {self.path} was damaged ({why}); set aside as *{suffix} and rebuilt"
        )

    # -- vectors -------------------------------------------------------------------------

    def _model(self, conn: sqlite3.Connection, fp: str, create: Embedder | None, dim: int) -> int:
        """The id of a model fingerprint (created on first write), or -1 when unknown."""
        if fp in self._models:
            return self._models[fp][0]
        row = conn.execute("SELECT id, dim FROM models WHERE fingerprint = ?", (fp,)).fetchone()
        if row is None and create is not None:
            conn.execute(
                "INSERT OR IGNORE INTO models (fingerprint, name, sha256, variant, dim, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    fp,
                    create.name,
                    create.sha256,
                    create.variant,
                    dim,
                    time.time(),
                ),
            )
            row = conn.execute("SELECT id, dim FROM models WHERE fingerprint = ?", (fp,)).fetchone()
        if row is None:
            return -1
        self._models[fp] = (int(row[0]), int(row[1]))
        return int(row[0])

    def get_many(self, fp: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors of those texts that are cached (others are simply absent).

        A stored vector of the wrong length, not finite or not of unit length is ignored (and
        overwritten by the next put): a flipped bit costs a re-embedding, never a wrong score.
        """

        def op(conn: sqlite3.Connection) -> dict[str, np.ndarray]:
            model = self._model(conn, fp, None, 0)
            if model < 0 or not texts:
                return {}
            dim = self._models[fp][1]
            # Read into one array in the order asked, so the vectors are held once and a
            # whole team's come back as consecutive rows (interface.rows_of: no copy).
            block = np.zeros((len(texts), dim), dtype=np.float32)
            slot = {t: i for i, t in enumerate(dict.fromkeys(texts))}
            hit = np.zeros(len(texts), dtype=bool)
            for text, blob in _rows(conn, model, texts):
                if len(blob) == 4 * dim:
                    block[slot[text]] = np.frombuffer(blob, dtype=np.float32)
                    hit[slot[text]] = True
            norms = np.sqrt(np.einsum("ij,ij->i", block, block))  # no copy of the block
            hit &= np.isfinite(norms) & (np.abs(norms - 1.0) < 1e-3)
            return {t: block[i] for t, i in slot.items() if hit[i]}

        return self._run(op, {})  # type: ignore[return-value]

    def put_many(
        self, embedder: Embedder, fp: str, items: Iterable[tuple[str, np.ndarray]]
    ) -> None:
        """Store vectors in one transaction: all of them or, if the process dies, none."""
        rows = [(text_key(t), np.ascontiguousarray(v, dtype=np.float32)) for t, v in items]
        if not rows:
            return
        dim = int(rows[0][1].shape[-1])

        def op(conn: sqlite3.Connection) -> None:
            conn.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock
            try:
                model = self._model(conn, fp, embedder, dim)
                if self._models[fp][1] != dim:
                    raise sqlite3.IntegrityError("vector length differs from the model's")
                conn.executemany(
                    "INSERT OR REPLACE INTO vectors (model, text_sha256, vector) VALUES (?, ?, ?)",
                    [(model, key, vec.tobytes()) for key, vec in rows],
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                self._models.pop(fp, None)
                raise

        self._run(op, None, write=True)

    def stored(self, fp: str, texts: Sequence[str]) -> dict[str, bytes]:
        """The stored bytes of those texts that are cached, unchecked (cache verify judges
        them; get_many drops what is not a unit vector of the model's length)."""

        def op(conn: sqlite3.Connection) -> dict[str, bytes]:
            model = self._model(conn, fp, None, 0)
            return dict(_rows(conn, model, texts)) if model >= 0 and texts else {}

        return self._run(op, {})  # type: ignore[return-value]

    def fingerprints(self) -> dict[str, ModelEntry]:
        """Each model fingerprint in the cache and what it names, with its vector count."""

        def op(conn: sqlite3.Connection) -> dict[str, ModelEntry]:
            rows = conn.execute(
                "SELECT m.fingerprint, m.name, m.sha256, m.variant, m.dim, "
                "(SELECT COUNT(*) FROM vectors v WHERE v.model = m.id) FROM models m "
                "ORDER BY m.created"
            ).fetchall()
            return {str(r[0]): ModelEntry(*r[1:]) for r in rows}

        return self._run(op, {})  # type: ignore[return-value]

    # -- weights digests -----------------------------------------------------------------

    def file_sha256(self, path: str | os.PathLike[str]) -> str:
        """sha256 of a file, remembered by (path, size, mtime, ctime, inode): any change to
        the file (a rewrite, a copy over it, a reinstall) changes one of those and the file
        is hashed again."""
        real = os.path.realpath(path)
        st = os.stat(real)
        key = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

        def get(conn: sqlite3.Connection) -> str | None:
            row = conn.execute(
                "SELECT size, mtime_ns, ctime_ns, inode, sha256 FROM digests WHERE path = ?",
                (real,),
            ).fetchone()
            return row[4] if row is not None and tuple(row[:4]) == key else None

        remembered = self._run(get, None)
        if isinstance(remembered, str):
            return remembered
        digest = file_sha256(Path(real))

        def put(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT OR REPLACE INTO digests VALUES (?, ?, ?, ?, ?, ?)", (real, *key, digest)
            )

        self._run(put, None, write=True)
        return digest

    # -- maintenance ---------------------------------------------------------------------

    def info(self) -> CacheInfo:
        exists = self.path.exists()
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        models: tuple[ModelEntry, ...] = ()
        digests = 0
        integrity = "no cache yet" if not exists else "ok"

        def op(conn: sqlite3.Connection) -> tuple[tuple[ModelEntry, ...], int, str]:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            rows = conn.execute(
                "SELECT m.name, m.sha256, m.variant, m.dim, "
                "(SELECT COUNT(*) FROM vectors v WHERE v.model = m.id) FROM models m "
                "ORDER BY m.created"
            ).fetchall()
            n = conn.execute("SELECT COUNT(*) FROM digests").fetchone()[0]
            return tuple(ModelEntry(*r) for r in rows), int(n), str(check)

        if exists:
            result = self._run(op, None)
            if isinstance(result, tuple):
                models, digests, integrity = result
            elif self.disabled:
                integrity = f"unusable: {self.disabled}"
        onnx = self.folder / ONNX_DIR
        onnx_bytes = (
            sum(p.stat().st_size for p in onnx.rglob("*") if p.is_file()) if onnx.is_dir() else 0
        )
        aside = (
            tuple(sorted(self.folder.glob(f"{DB_NAME}*.damaged-*"))) if self.folder.is_dir() else ()
        )
        return CacheInfo(
            self.folder,
            self.path,
            exists,
            size,
            models,
            digests,
            integrity,
            onnx_bytes,
            aside,
            exists and self.read_only and not self.disabled,
        )

    def clear(self) -> list[Path]:
        """Delete the database, its WAL, files set aside and ONNX exports; returns what went.

        Safe while other processes use the cache: they keep their open file and the next run
        starts a new one.
        """
        self.close()
        removed: list[Path] = []
        if not self.folder.is_dir():
            return removed
        for p in sorted(self.folder.glob(f"{DB_NAME}*")):
            p.unlink(missing_ok=True)
            removed.append(p)
        onnx = self.folder / ONNX_DIR
        if onnx.is_dir() and not onnx.is_symlink():
            removed += _clear_exports(onnx)
        return removed


def _rows(
    conn: sqlite3.Connection, model: int, texts: Sequence[str]
) -> Iterator[tuple[str, bytes]]:
    """Stored vector bytes of each text the model has a vector of, a chunk at a time."""
    by_key = {text_key(t): t for t in texts}
    keys = list(by_key)
    for start in range(0, len(keys), _IN_LIMIT):
        chunk = keys[start : start + _IN_LIMIT]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT text_sha256, vector FROM vectors WHERE model = ? AND text_sha256 IN ({marks})",
            (model, *chunk),
        ).fetchall()
        for key, blob in rows:
            yield by_key[key], bytes(blob)


def _clear_exports(onnx: Path) -> list[Path]:
    """Only what the ONNX backend wrote (onnx_backend.is_export); anything else under onnx/
    (and onnx/ then) is left where it is."""
    from .onnx import is_export

    removed: list[Path] = []
    for folder in sorted(onnx.iterdir()):
        if not is_export(folder):
            continue
        for f in list(folder.iterdir()):
            f.unlink(missing_ok=True)
            removed.append(f)
        folder.rmdir()
        removed.append(folder)
    if not any(onnx.iterdir()):
        onnx.rmdir()
        removed.append(onnx)
    return removed


# Progress: a factory called with the number of statements to embed, returning a context
# manager that yields a function to call with each chunk's size.
Progress = Callable[[int], AbstractContextManager[Callable[[int], None]]]


def no_progress(total: int) -> AbstractContextManager[Callable[[int], None]]:
    """A Progress that shows nothing, for runs where no bar is wanted."""
    return nullcontext(lambda n: None)


class CachingEmbedder(Wrapper):
    """An Embedder that embeds each distinct statement once per run and once per cache.

    Lookups go: this run's memory, then the persistent cache (if any, and if the model has a
    fingerprint), then the wrapped embedder, which gets the missing statements sorted by length
    (longest first, so each batch pads little) in chunks; each chunk is written to the cache as
    soon as it is embedded, so an interrupted run keeps what it paid for.
    """

    CHUNK = 256  # statements per call of the wrapped embedder (8 batches of 32)

    def __init__(
        self,
        inner: Embedder,
        cache: VectorCache | None = None,
        *,
        progress: Progress = no_progress,
    ) -> None:
        self._wrapped = inner
        self.cache = cache
        self.progress = progress
        self._memory: dict[str, np.ndarray] = {}
        self._fingerprint: str | bool | None = False  # False: not computed yet
        self.embedded = 0  # statements the wrapped embedder had to embed (for tests, stats)
        self.from_cache = 0

    @property
    def fingerprint(self) -> str | None:
        if self._fingerprint is False:
            self._fingerprint = fingerprint(self.inner)
        return self._fingerprint  # type: ignore[return-value]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        wanted = [t for t in dict.fromkeys(texts) if t not in self._memory]
        fp = self.fingerprint if self.cache is not None else None
        if wanted and fp is not None and self.cache is not None:
            found = self.cache.get_many(fp, wanted)
            self.from_cache += len(found)
            self._memory.update(found)
            wanted = [t for t in wanted if t not in found]
        if wanted:
            self._embed(wanted, fp)
        out = rows_of([self._memory[t] for t in texts])
        if not np.may_share_memory(out, self._memory[texts[0]]):  # a copy: keep only it
            self._memory.update(zip(texts, out, strict=True))
        return out

    def encode_discounted(
        self, texts: Sequence[str], factors: Mapping[int, float]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Plain and team-discounted vectors, each looked up and stored like encode()'s: the
        discounted one under a key naming the factors of the text's own tokens, so an edit
        elsewhere in the team re-embeds only the statements whose factors it moved."""
        texts = list(texts)
        unique = list(dict.fromkeys(texts))
        ids = dict(zip(unique, self.token_ids(unique), strict=True))
        keys = {t: discount_key(t, ids[t], factors) for t in unique}
        wanted = [k for t in unique for k in dict.fromkeys((t, keys[t])) if k not in self._memory]
        fp = self.fingerprint if self.cache is not None else None
        if wanted and fp is not None and self.cache is not None:
            found = self.cache.get_many(fp, wanted)
            self.from_cache += len(found)
            self._memory.update(found)
        missing = [t for t in unique if t not in self._memory or keys[t] not in self._memory]
        if missing:

            def both(chunk: list[str]) -> list[tuple[str, np.ndarray]]:
                plain, discounted = self.inner.encode_discounted(chunk, factors)
                return [
                    *zip(chunk, plain, strict=True),
                    *zip((keys[t] for t in chunk), discounted, strict=True),
                ]

            self._embed(missing, fp, both)
        return (
            np.stack([self._memory[t] for t in texts]),
            np.stack([self._memory[keys[t]] for t in texts]),
        )

    def _embed(
        self,
        texts: list[str],
        fp: str | None,
        compute: Callable[[list[str]], list[tuple[str, np.ndarray]]] | None = None,
    ) -> None:
        ordered = sorted(texts, key=len, reverse=True)
        with self.progress(len(ordered)) as advance:
            for chunk in _chunks(ordered, self.CHUNK):
                pairs = compute(chunk) if compute else self._plain(chunk)
                self._memory.update(pairs)
                self.embedded += len(chunk)
                if fp is not None and self.cache is not None:
                    self.cache.put_many(self.inner, fp, pairs)
                advance(len(chunk))

    def _plain(self, chunk: list[str]) -> list[tuple[str, np.ndarray]]:
        vectors = np.asarray(self.inner.encode(chunk), dtype=np.float32)
        if vectors.shape[0] != len(chunk):
            raise ValueError("the embedder returned a different number of vectors")
        return list(zip(chunk, vectors, strict=True))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def terminal_progress(threshold: int = 200) -> Progress:
    """A progress bar on stderr when it is a terminal and there is enough to embed to take a
    while (`threshold` statements or more)."""

    @contextmanager
    def progress(total: int) -> Iterator[Callable[[int], None]]:
        if total < threshold or not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
            yield lambda n: None
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        bar = Progress(
            "embedding statements",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        with bar:
            task = bar.add_task("embed", total=total)
            yield lambda n: bar.advance(task, n)

    return progress


@contextmanager
def run_embedder(
    embedder: Embedder,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    no_cache: bool = False,
    backend: str | None = None,
    progress: Progress | None = None,
) -> Iterator[CachingEmbedder]:
    """The embedder for one command run: the persistent cache unless `no_cache`, this run's
    memory always, the chosen backend, and a progress bar on a terminal."""
    from ..core.errors import UsageError
    from .transformers import BACKENDS

    if backend is not None and backend not in BACKENDS:
        raise UsageError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    cache = None if no_cache else VectorCache(cache_dir)
    try:
        embedder.configure(
            backend=backend,
            digests=cache,
            export_dir=(cache.folder / ONNX_DIR) if cache is not None else None,
        )
        yield CachingEmbedder(
            embedder, cache, progress=progress if progress is not None else terminal_progress()
        )
    finally:
        if cache is not None:
            cache.close()


# -- verification ----------------------------------------------------------------------------

# A cached vector passes when its distance (L2) to a fresh embedding of its text is at most
# this. For unit vectors |cos(a, x) - cos(b, x)| <= |a - b| for every unit x, so no cosine an
# audit computes with a passing vector moves by more than 0.001 (0.005 on the 0-5 score scale,
# below every figure a report shows); it is cosine >= 0.9999995 between the two. Honest
# vectors come far inside: on one machine the e5 engine gives the same bits run after run, and
# MiniLM under torch the same bits in the same batches and float rounding apart when a sample
# is re-embedded in other batches (padding); other CPUs and library versions move values by
# about as much. A test of cosine >= 0.999 instead would pass a vector turned by 2.6 degrees,
# which moves each similarity it takes part in by up to 0.045.
VERIFY_TOLERANCE = 1e-3
VERIFY_SAMPLE = 50  # cached vectors re-embedded per model unless told otherwise

STATEMENT, INDEX = "statement", "index"  # the kinds of cached vector (see Verification)


@dataclass(frozen=True)
class Source:
    """What one audit of a team embeds, which is what a cache check needs to rebuild its keys.

    `answers` holds each answer's statements (one answer per manager and foundation): the team
    discount counts tokens over these. `extra` holds what is embedded besides (the reference's
    statements, the themes), pooled with the same factors but not counted.
    """

    label: str  # the team folder, as given
    answers: tuple[tuple[str, ...], ...]
    extra: tuple[str, ...] = ()

    @classmethod
    def of_team(
        cls,
        label: str,
        team: Team,
        reference: Manager | None = None,
        themes: Sequence[str] = (),
    ) -> Source:
        answers = tuple(a.statements for m in team.managers for a in m.answers.values())
        quoted = reference.answers.values() if reference is not None else ()
        return cls(label, answers, (*(s for a in quoted for s in a.statements), *themes))

    @property
    def texts(self) -> list[str]:
        return list(dict.fromkeys([*(s for a in self.answers for s in a), *self.extra]))


@dataclass(frozen=True)
class Mismatch:
    """A cached vector that differs from a fresh embedding of its text, named by its key, never by
    the text."""

    key: str  # the stored key, hex: sha256 of the statement (and, for an index vector, factors)
    kind: str  # STATEMENT or INDEX
    source: str  # the team folder whose statement it is
    problem: str


@dataclass(frozen=True)
class Verification:
    """One model's cached vectors, checked against fresh embeddings of the teams' statements.

    Two kinds of vector are cached: each statement's own (STATEMENT: pair scores, evidence)
    and, for a model pooled token by token here, its index vector pooled with its team's
    discount factors (INDEX). Both are rebuilt from a team folder. A vector no statement of
    the given teams keys (another team, a --theme or --reference given on a command line, a
    statement since edited) is counted as not checkable: its text is not to be had.
    """

    fingerprint: str | None
    model: str
    sha256: str | None
    variant: str | None
    cached: int  # the model's vectors in the cache
    found: dict[str, int]  # kind -> how many of them the teams' statements key
    checked: dict[str, int]  # kind -> how many were re-embedded and compared
    mismatches: tuple[Mismatch, ...]

    @property
    def not_checkable(self) -> int:
        return self.cached - sum(self.found.values())


@dataclass(frozen=True)
class _Wanted:
    kind: str
    text: str
    source: int  # index into the sources


def verify(
    cache: VectorCache,
    embedder: Embedder,
    sources: Sequence[Source],
    *,
    sample: int | None = VERIFY_SAMPLE,
    rng: random.Random | None = None,
) -> Verification:
    """Re-embed cached vectors of the sources' statements with `embedder` and compare.

    The cache keeps no statement text, only the sha256 of each key, so a cached vector can be
    re-embedded only when its text comes from elsewhere: the team folders an audit read. From
    them this rebuilds every key an audit of those teams looks up, asks the cache which it
    holds, re-embeds `sample` of those (None: all) with the model itself and compares each
    with the stored one (VERIFY_TOLERANCE). A stored value of the wrong length, not finite or
    not of unit length is reported too, though audits ignore it and re-embed.

    The sample is drawn with the operating system's randomness (SystemRandom), so whoever
    writes the cache cannot know which vectors the next check will look at. The embedder
    should hash its weights itself, not take the hash the cache remembers
    (cache.run_embedder's digests): a cache that lies could otherwise name other weights.
    """
    fp = fingerprint(embedder)
    entry = cache.fingerprints().get(fp) if fp is not None else None
    wanted: dict[str, _Wanted] = {}
    factors: list[Mapping[int, float]] = []
    for i, source in enumerate(sources):
        texts = source.texts
        for t in texts:
            wanted.setdefault(t, _Wanted(STATEMENT, t, i))
        if embedder.pools_by_token and texts:
            ids = dict(zip(texts, embedder.token_ids(texts), strict=True))
            factors.append(answers_discount(source.answers, ids))
            for t in texts:
                wanted.setdefault(discount_key(t, ids[t], factors[i]), _Wanted(INDEX, t, i))
        else:
            factors.append({})
    stored = cache.stored(fp, list(wanted)) if fp is not None and entry is not None else {}
    keys = list(stored)
    if sample is not None and len(keys) > sample:
        keys = (rng or random.SystemRandom()).sample(keys, sample)
    fresh = _fresh(embedder, [(k, wanted[k]) for k in keys], factors)
    mismatches = []
    for k in keys:
        problem = _compare(stored[k], fresh[k])
        if problem:
            w = wanted[k]
            mismatches.append(Mismatch(text_key(k).hex(), w.kind, sources[w.source].label, problem))
    return Verification(
        fingerprint=fp,
        model=embedder.name,
        sha256=embedder.sha256,
        variant=embedder.variant,
        cached=entry.vectors if entry is not None else 0,
        found=_count(wanted[k].kind for k in stored),
        checked=_count(wanted[k].kind for k in keys),
        mismatches=tuple(mismatches),
    )


def _count(kinds: Iterable[str]) -> dict[str, int]:
    counts = dict.fromkeys((STATEMENT, INDEX), 0)
    for kind in kinds:
        counts[kind] += 1
    return counts


def _fresh(
    embedder: Embedder,
    items: Sequence[tuple[str, _Wanted]],
    factors: Sequence[Mapping[int, float]],
) -> dict[str, np.ndarray]:
    """Fresh vectors by cache key: statement vectors in one pass, index vectors team by team
    (each under its own team's factors), in chunks as an audit embeds them."""
    out: dict[str, np.ndarray] = {}
    plain = [(k, w.text) for k, w in items if w.kind == STATEMENT]
    for start in range(0, len(plain), CachingEmbedder.CHUNK):
        chunk = plain[start : start + CachingEmbedder.CHUNK]
        vectors = embedder.encode([t for _, t in chunk])
        out.update(zip((k for k, _ in chunk), vectors, strict=True))
    for i, team_factors in enumerate(factors):
        index = [(k, w.text) for k, w in items if w.kind == INDEX and w.source == i]
        for start in range(0, len(index), CachingEmbedder.CHUNK):
            chunk = index[start : start + CachingEmbedder.CHUNK]
            _, vectors = embedder.encode_discounted([t for _, t in chunk], team_factors)
            out.update(zip((k for k, _ in chunk), vectors, strict=True))
    return out


def _compare(blob: bytes, fresh: np.ndarray) -> str | None:
    """What is wrong with a stored vector, given a fresh one of its text; None if nothing."""
    expected = np.asarray(fresh, dtype=np.float64).ravel()
    if len(blob) != 4 * expected.size:
        return f"holds {len(blob) / 4:g} values, the model gives {expected.size} (audits ignore it)"
    stored = np.frombuffer(blob, dtype=np.float32).astype(np.float64)
    if not np.isfinite(stored).all():
        return "holds values that are not finite (audits ignore it)"
    norm = float(np.linalg.norm(stored))
    if abs(norm - 1.0) >= 1e-3:
        return f"is not of unit length ({norm:.4g}; audits ignore it)"
    distance = float(np.linalg.norm(stored - expected))
    if distance > VERIFY_TOLERANCE:
        cosine = float(stored @ expected / (norm * np.linalg.norm(expected)))
        return f"differs from a fresh embedding: distance {distance:.3g}, cosine {cosine:.4f}"
    return None

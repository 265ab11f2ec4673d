"""Writing reports so a reader never sees half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .errors import UsageError


def _mode_for(target: Path) -> int:
    """Keep an existing file's mode; a new file gets the umask's mode, not mkstemp's 0600."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write to a temporary file beside `path`, then rename over it: the old file or the new
    one, never a partial one, even if the process is killed mid-write."""
    with atomic_stream(path) as f:
        try:
            f.write(text)
        except OSError as exc:  # disk full, quota: the target keeps its old content
            raise UsageError(f"{path}: cannot write: {exc.strerror}") from None


@contextmanager
def atomic_stream(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A text file to stream into; it replaces `path` only when the block ends without an
    error (temporary file beside it, then a rename), so a failed run leaves the old file."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{path}: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write here: {exc.strerror}") from None
    try:
        os.chmod(tmp, _mode_for(target))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            yield f
            try:
                f.flush()
                os.fsync(f.fileno())
            except OSError as exc:
                raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise UsageError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

"""Writing reports so a reader never sees half a file, without clobbering what is not a file.

Every writer (reports, key files, answer files) comes here. A regular file, or the regular
file a symbolic link leads to, is replaced atomically; a device, a FIFO or one of the process's
own descriptors (/dev/stdout, /dev/fd/N) is written in place, since renaming over it would turn
it into a file; "-" is standard output.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TextIO

from ..core.errors import UsageError

STDOUT = "-"
_MAX_LINKS = 40  # as the kernel's ELOOP limit

# Magic links to a process's descriptors: whatever they point to (a pipe, a terminal, the file
# the shell redirected to), they are written through, never replaced.
_DESCRIPTOR_LINK = re.compile(
    r"/dev/(?P<std>stdin|stdout|stderr)|/dev/fd/(?P<fd>\d+)"
    r"|/proc/(?P<pid>self|thread-self|\d+)(?:/task/\d+)?/fd/(?P<pfd>\d+)"
)
_STANDARD = {"stdin": 0, "stdout": 1, "stderr": 2}


def is_stdout(path: str | os.PathLike[str] | None) -> bool:
    """`-o -`: standard output, as for most command-line tools."""
    return path is not None and os.fspath(path) == STDOUT


def is_descriptor_link(path: str) -> bool:
    """Whether the absolute `path` names a process's descriptor: /dev/stdin, /dev/stdout,
    /dev/stderr, /dev/fd/N, /proc/self/fd/N, /proc/<pid>/fd/N."""
    return _DESCRIPTOR_LINK.fullmatch(path) is not None


def _own_descriptor(path: str) -> int | None:
    """The descriptor number when `path` is a link to one of this process's own descriptors:
    writing through a duplicate keeps the shell's choices (append, the file's offset)."""
    match = _DESCRIPTOR_LINK.fullmatch(path)
    if match is None:
        return None
    if match["std"]:
        return _STANDARD[match["std"]]
    if match["fd"]:
        return int(match["fd"])
    if match["pid"] in ("self", "thread-self", str(os.getpid())):
        return int(match["pfd"])
    return None


def _locate(path: str | os.PathLike[str]) -> tuple[str, bool]:
    """Where the text goes: (a regular file to replace or create, False), or (what to open
    and write in place, True). Symbolic links are followed one at a time, so a link to
    /dev/stdout is recognised as such rather than resolved to whatever fd 1 is now."""
    p = os.fspath(path)
    for _ in range(_MAX_LINKS):
        if is_descriptor_link(os.path.abspath(p)):
            return os.path.abspath(p), True
        folder, name = os.path.split(p)
        p = os.path.join(os.path.realpath(folder or "."), name)
        if is_descriptor_link(p):  # /dev/fd/1 is /proc/<pid>/fd/1 once /dev/fd is resolved
            return p, True
        try:
            st = os.lstat(p)
        except OSError:  # nothing there yet; creating it will say what is wrong, if anything
            return p, False
        if stat.S_ISLNK(st.st_mode):  # replace the link's target; the link stays a link
            _check_may_follow(p, st, path)
            p = os.path.join(os.path.dirname(p), os.readlink(p))
            continue
        return p, not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode))
    raise UsageError(f"{path}: cannot write: too many levels of symbolic links")


def _check_may_follow(link: str, st: os.stat_result, shown: str | os.PathLike[str]) -> None:
    """The kernel's fs.protected_symlinks rule, which following links by hand bypasses: in a
    sticky world-writable folder such as /tmp, follow only our own links or the folder owner's,
    so nobody else can aim a write (as root, say) at a file of their choosing."""
    folder = os.stat(os.path.dirname(link))
    shared = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
    if shared and st.st_uid not in (os.geteuid(), folder.st_uid):
        raise UsageError(
            f"{shown}: a symbolic link someone else owns in a shared folder; not followed"
        )


def _cannot_write(path: str | os.PathLike[str], exc: OSError) -> UsageError:
    return UsageError(f"{path}: cannot write: {exc.strerror or exc}")


class _Sink(io.TextIOWrapper):
    """A text file whose write errors (disk or device full, a reader gone) are UsageErrors
    naming the path, not internal errors, wherever in a streaming command they happen."""

    shown: str | os.PathLike[str]

    def write(self, s: str) -> int:
        try:
            return super().write(s)
        except OSError as exc:
            raise _cannot_write(self.shown, exc) from None


def _sink(fd: int, shown: str | os.PathLike[str]) -> _Sink:
    stream = _Sink(io.BufferedWriter(io.FileIO(fd, "w")), encoding="utf-8", newline="")
    stream.shown = shown
    return stream


def _finish(stream: _Sink, shown: str | os.PathLike[str], sync: bool) -> None:
    """Flush and close, where buffered writes to a full device fail, and say so."""
    try:
        stream.flush()
        if sync:
            os.fsync(stream.fileno())
        stream.close()
    except OSError as exc:
        with contextlib.suppress(OSError):
            stream.close()  # closes the descriptor even when the flush fails again
        raise _cannot_write(shown, exc) from None


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # 143, as shells report a process ended by SIGTERM


@contextmanager
def sigterm_exits() -> Iterator[None]:
    """Within the block, SIGTERM unwinds the stack (SystemExit 143) instead of killing the
    process outright, so cleanup runs: a temporary file is removed, the old file stays. Only
    the main thread may set a handler, and a handler set by someone else is left alone."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return
    signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _mode_for(target: Path) -> int:
    """Keep an existing file's mode; a new file gets the umask's mode, not mkstemp's 0600."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write `content` to `path` (see atomic_stream): a file gets the old content or the new
    one, never a partial one, even if the process is killed mid-write. Bytes (a PDF, slides)
    are written as they are, and never to a terminal, where they would only garble it."""
    with atomic_stream(path) as f:
        if isinstance(content, str):
            f.write(content)
            return
        if f.isatty():
            raise UsageError(f"{path}: a terminal; binary output needs a file or a pipe")
        try:
            f.flush()
            f.buffer.write(content)
            f.buffer.flush()
        except OSError as exc:
            raise _cannot_write(path, exc) from None


@contextmanager
def atomic_stream(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A text file to stream into. A regular file (or a symbolic link's target) is replaced
    only when the block ends without an error (temporary file beside it, then a rename), so a
    failed or terminated run leaves the old file. A device, FIFO or /dev/stdout is written in
    place; "-" is standard output. Write errors are UsageErrors naming `path`."""
    if is_stdout(path):
        yield sys.stdout
        sys.stdout.flush()
        return
    where, in_place = _locate(path)
    with sigterm_exits():
        if in_place:
            with _in_place(where, path) as f:
                yield f
            return
        folder = os.path.dirname(where)
        if not os.path.isdir(folder):
            raise UsageError(f"{path}: folder {folder} does not exist")
        name = os.path.basename(where)
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        except OSError as exc:
            raise UsageError(f"{path}: cannot write here: {exc.strerror}") from None
        f = _sink(fd, path)
        try:
            os.chmod(tmp, _mode_for(Path(where)))
            yield f
            _finish(f, path, sync=True)
            try:
                os.replace(tmp, where)
            except OSError as exc:
                raise _cannot_write(path, exc) from None
        except BaseException:  # an error, Ctrl-C, SIGTERM: the old file stays as it was
            with contextlib.suppress(OSError):
                f.close()
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


@contextmanager
def _in_place(where: str, shown: str | os.PathLike[str]) -> Iterator[_Sink]:
    """Open a device, FIFO or descriptor link for writing as it is: no temporary file, no
    rename. This process's own descriptors are written through a duplicate."""
    own = _own_descriptor(where)
    try:
        if own is not None:
            with contextlib.suppress(Exception):  # what was printed before goes first
                sys.stdout.flush()
                sys.stderr.flush()
            fd = os.dup(own)
        else:
            append = os.O_APPEND if stat.S_ISREG(os.stat(where).st_mode) else 0
            fd = os.open(where, os.O_WRONLY | os.O_NOCTTY | append)
    except OSError as exc:
        raise _cannot_write(shown, exc) from None
    f = _sink(fd, shown)
    try:
        yield f
        _finish(f, shown, sync=False)
    finally:
        with contextlib.suppress(OSError):
            f.close()  # a no-op once _finish has closed it

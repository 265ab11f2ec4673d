"""Where -o writes: devices, FIFOs and /dev/stdout in place, symbolic links' targets atomically,
`-` to standard output, and no temporary file left behind by SIGTERM.

Every write stays inside tmp_path, even if the code under test were wrong: the device nodes are
private ones made with mknod (never the real /dev/null or /dev/full), and /dev/stdout is only
reached through a link in tmp_path from a subprocess whose standard output is a pipe or a file
in tmp_path.
"""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.errors import UsageError
from alignaudit.inputs.atomic import atomic_stream, write_atomic

try:
    from alignaudit.inputs.atomic import is_descriptor_link
except ImportError:
    is_descriptor_link = None
from tests.conftest import EXAMPLES, ROOT

runner = CliRunner()
TEAM = EXAMPLES / "northwind-logistics"
NULL, FULL = 3, 7  # minor numbers of the memory devices (major 1) on Linux


def device(tmp_path: Path, name: str, minor: int) -> Path:
    """A private character device in tmp_path: the null device or the full device."""
    node = tmp_path / name
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except (PermissionError, AttributeError, OSError) as exc:
        pytest.skip(f"cannot make a device node here (needs root or CAP_MKNOD): {exc}")
    try:
        os.close(os.open(node, os.O_WRONLY))  # opening writes nothing
    except OSError as exc:
        pytest.skip(f"device nodes do not work in {tmp_path} (mounted nodev?): {exc}")
    return node


def leftovers(folder: Path) -> list[Path]:
    return list(folder.rglob("*.tmp"))


def subprocess_env() -> dict[str, str]:
    """Subprocesses import the code under test, not another installed copy."""
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


# -- devices and FIFOs are written in place ---------------------------------------------------


def test_a_null_device_stays_a_device(tmp_path: Path, fake_embedder):
    node = device(tmp_path, "null", NULL)
    result = runner.invoke(app, ["audit", str(TEAM), "-f", "json", "-o", str(node)])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    assert os.lstat(node).st_rdev == os.makedev(1, NULL)
    assert leftovers(tmp_path) == []


def test_a_link_to_a_device_writes_the_device(tmp_path: Path):
    node = device(tmp_path, "null", NULL)
    link = tmp_path / "report.json"
    link.symlink_to(node.name)
    write_atomic(link, "report\n")
    assert link.is_symlink() and os.readlink(link) == node.name
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    assert leftovers(tmp_path) == []


def test_a_full_device_is_exit_2_naming_it(tmp_path: Path, fake_embedder):
    node = device(tmp_path, "full", FULL)
    result = runner.invoke(app, ["audit", str(TEAM), "-f", "json", "-o", str(node)])
    assert result.exit_code == 2, result.output
    assert f"{node}: cannot write: No space left on device" in result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_a_full_device_fails_a_streamed_write_too(tmp_path: Path):
    """Unbuffered-size writes fail in write(), small ones only at flush or close: both."""
    node = device(tmp_path, "full", FULL)
    for size in (10, 1_000_000):
        with (
            pytest.raises(UsageError, match=f"{node}: cannot write"),
            atomic_stream(node) as f,
        ):
            f.write("x" * size)
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_a_fifo_reader_gets_the_whole_report(tmp_path: Path, fake_embedder):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    reader_fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    os.set_blocking(reader_fd, True)
    holder = os.open(fifo, os.O_WRONLY)  # the reader sees the end only once this lets go
    received: list[bytes] = []

    def read_all() -> None:
        with os.fdopen(reader_fd, "rb") as f:
            received.append(f.read())

    reader = threading.Thread(target=read_all, daemon=True)
    reader.start()
    try:
        result = runner.invoke(app, ["audit", str(TEAM), "-f", "json", "-o", str(fifo)])
    finally:
        os.close(holder)
        reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert json.loads(b"".join(received))["team"] == "northwind-logistics"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(tmp_path) == []


# -- bytes (a PDF, slides) --------------------------------------------------------------------

BINARY = b"%PDF-1.7\n\x00\xff\xfe binary \r\n" * 1000


def test_bytes_replace_a_file_whole_and_keep_its_mode(tmp_path: Path):
    target = tmp_path / "report.pdf"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, BINARY)
    assert target.read_bytes() == BINARY  # as given: no newline or encoding translation
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_bytes_to_a_full_device_are_a_usage_error_naming_it(tmp_path: Path):
    node = device(tmp_path, "full", FULL)
    for size in (10, 1_000_000):
        with pytest.raises(UsageError, match=f"{node}: cannot write: No space left"):
            write_atomic(node, b"x" * size)
    assert stat.S_ISCHR(os.lstat(node).st_mode)


class _Stdout(io.TextIOWrapper):
    """A standard output whose bytes a test can read, a terminal or not."""

    terminal = False

    def isatty(self) -> bool:
        return self.terminal


def test_bytes_go_to_a_piped_stdout_but_never_to_a_terminal(monkeypatch):
    pipe = _Stdout(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", pipe)
    pipe.write("text first, ")
    write_atomic("-", BINARY)
    assert pipe.buffer.getvalue() == b"text first, " + BINARY  # in order, whole
    terminal = _Stdout(io.BytesIO(), encoding="utf-8")
    terminal.terminal = True
    monkeypatch.setattr(sys, "stdout", terminal)
    with pytest.raises(UsageError, match="-: a terminal; binary output needs a file or a pipe"):
        write_atomic("-", BINARY)
    assert terminal.buffer.getvalue() == b""
    write_atomic("-", "text is fine\n")
    terminal.flush()
    assert terminal.buffer.getvalue() == b"text is fine\n"


# -- symbolic links: the target is replaced, the link stays -----------------------------------


def test_a_link_to_a_report_stays_a_link(tmp_path: Path, fake_embedder):
    reports = tmp_path / "reports"
    reports.mkdir()
    target = reports / "latest.json"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "report.json"
    link.symlink_to(Path("reports") / "latest.json")
    result = runner.invoke(app, ["audit", str(TEAM), "-f", "json", "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(Path("reports") / "latest.json")
    assert json.loads(target.read_text())["team"] == "northwind-logistics"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the target's mode is kept
    assert leftovers(tmp_path) == []


def test_a_dangling_link_creates_its_target(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    link = tmp_path / "report.txt"
    link.symlink_to(Path("sub") / "new.txt")
    umask = os.umask(0o022)
    try:
        write_atomic(link, "new\n")
    finally:
        os.umask(umask)
    created = tmp_path / "sub" / "new.txt"
    assert link.is_symlink()
    assert created.read_text() == "new\n" and not created.is_symlink()
    assert stat.S_IMODE(created.stat().st_mode) == 0o644
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(
    getattr(os, "geteuid", lambda: -1)() != 0, reason="needs root to give a link to another user"
)
def test_someone_elses_link_in_a_sticky_folder_is_not_followed(tmp_path: Path):
    """As the kernel's fs.protected_symlinks: /tmp-like folders are where links are planted."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = shared / "report.txt"
    link.symlink_to(victim)
    os.lchown(link, 65534, 65534)
    with pytest.raises(UsageError, match="someone else owns in a shared folder"):
        write_atomic(link, "report\n")
    assert victim.read_text() == "precious" and link.is_symlink()
    os.lchown(link, 0, 0)  # our own link there is followed
    write_atomic(link, "report\n")
    assert victim.read_text() == "report\n" and link.is_symlink()


def test_a_link_loop_is_a_usage_error(tmp_path: Path):
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    with pytest.raises(UsageError, match="too many levels of symbolic links"):
        write_atomic(loop, "x")
    assert loop.is_symlink()


# -- /dev/stdout and the other descriptor links are written through ---------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/dev/stdin",
        "/dev/stdout",
        "/dev/stderr",
        "/dev/fd/1",
        "/dev/fd/17",
        "/proc/self/fd/1",
        "/proc/thread-self/fd/2",
        "/proc/4242/fd/1",
        "/proc/4242/task/4243/fd/1",
    ],
)
def test_descriptor_links_are_recognised(path: str):
    assert is_descriptor_link(path)


@pytest.mark.parametrize(
    "path",
    [
        "/dev/null",
        "/dev/fd",
        "/dev/stdout2",
        "/dev/fd/x",
        "/tmp/dev/stdout",
        "/proc/self/fdinfo/1",
        "/proc/self/fd",
        "dev/stdout",
    ],
)
def test_other_paths_are_not_descriptor_links(path: str):
    assert not is_descriptor_link(path)


WRITE = """
import sys
from alignaudit.inputs.atomic import write_atomic
write_atomic(sys.argv[1], "report\\n")
"""


@pytest.mark.parametrize("points_to", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_a_link_to_stdout_writes_through_the_pipe(tmp_path: Path, points_to: str):
    """The subprocess's standard output is a pipe; the link lives in tmp_path, so even a wrong
    implementation could only replace that link."""
    if not Path(points_to).parent.exists():
        pytest.skip(f"no {Path(points_to).parent} here")
    link = tmp_path / "out"
    link.symlink_to(points_to)
    proc = subprocess.run(
        [sys.executable, "-c", WRITE, str(link)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "report\n"
    assert link.is_symlink() and os.readlink(link) == points_to
    assert leftovers(tmp_path) == []


def test_a_link_to_stdout_appends_to_the_file_the_shell_opened(tmp_path: Path):
    """`>> log`: the report goes after what the log held, through the shell's descriptor."""
    link = tmp_path / "out"
    link.symlink_to("/dev/stdout")
    log = tmp_path / "log.txt"
    log.write_text("first\n")
    with log.open("a") as stdout:
        proc = subprocess.run(
            [sys.executable, "-c", WRITE, str(link)],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env(),
            timeout=60,
        )
    assert proc.returncode == 0, proc.stderr
    assert log.read_text() == "first\nreport\n"
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"
    assert leftovers(tmp_path) == []


# -- `-o -` is standard output ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["audit", str(TEAM), "-f", "json"],
        ["score", "Be the greenest carrier.", "Be the greenest network.", "-f", "jsonl"],
        ["compare", str(TEAM), str(TEAM), "-f", "json"],
        ["batch", str(TEAM), "-f", "jsonl"],
    ],
    ids=["audit", "score", "compare", "batch"],
)
def test_dash_is_standard_output(args: list[str], tmp_path: Path, monkeypatch, fake_embedder):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [*args, "-o", "-"], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    lines = args[-1] == "jsonl"
    assert (
        [json.loads(line) for line in result.stdout.splitlines()]
        if lines
        else json.loads(result.stdout)
    )
    assert "wrote" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no file called "-"


def test_score_pairs_dash_is_standard_output(tmp_path: Path, monkeypatch, fake_embedder):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pairs.csv").write_text("a,b\nBe green.,Be green.\nGrow.,Cut costs.\n")
    result = runner.invoke(app, ["score", "--pairs", "pairs.csv", "-q", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["band"] for line in result.stdout.splitlines()]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.csv"]


def test_the_anonymize_key_can_go_to_standard_output(tmp_path: Path, monkeypatch, fake_embedder):
    monkeypatch.chdir(tmp_path)  # a wrong implementation writes a file called "-" here
    report = tmp_path / "report.json"
    result = runner.invoke(
        app,
        [
            "audit",
            str(TEAM),
            "-f",
            "json",
            "--anonymize",
            "--anonymize-key",
            "-",
            "-o",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Manager A: ")
    assert json.loads(report.read_text())["managers"][0]["name"].startswith("Manager ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


@pytest.mark.parametrize("report", [[], ["-o", "-"]], ids=["no -o", "-o -"])
def test_the_key_and_the_report_cannot_both_go_to_standard_output(
    report: list[str], tmp_path: Path, monkeypatch, fake_embedder
):
    monkeypatch.chdir(tmp_path)
    args = ["audit", str(TEAM), "--anonymize", "--anonymize-key", "-", *report]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "--anonymize-key -: the report goes to standard output too" in result.stderr
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


def test_batch_jsonl_to_standard_output(tmp_path: Path, monkeypatch, fake_embedder):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["batch", str(TEAM), "--jsonl", "-", "-o", "table.txt", "-q"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["team"] == "northwind-logistics"
    assert "northwind-logistics" in (tmp_path / "table.txt").read_text()
    refused = runner.invoke(app, ["batch", str(TEAM), "--jsonl", "-"])
    assert refused.exit_code == 2
    assert "--jsonl -: the output goes to standard output too" in refused.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.txt"]


# -- SIGTERM removes the temporary file --------------------------------------------------------

SLOW_WRITER = """
import sys, time
from alignaudit.inputs.atomic import atomic_stream
with atomic_stream(sys.argv[1]) as f:
    f.write("new" * 100_000)
    print("ready", flush=True)
    while True:
        f.write("new" * 1000)
        time.sleep(0.01)
"""


def test_sigterm_mid_write_leaves_no_temporary_file(tmp_path: Path):
    target = tmp_path / "report.json"
    target.write_text("old")
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n", proc.stderr.read() if proc.stderr else ""
        assert leftovers(tmp_path)  # the write is under way
        time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 143
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


def catches(pid: int, signum: int) -> bool:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_sigterm_ends_the_command_with_143(tmp_path: Path):
    """The alignaudit command itself: SIGTERM while it waits for answers on stdin."""
    team = tmp_path / "team"
    assert runner.invoke(app, ["init", str(team), "-m", "Ana"]).exit_code == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "alignaudit", "collect", str(team), "-m", "Ana", "--from", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(),
    )
    try:
        deadline = time.monotonic() + 60
        while not catches(proc.pid, signal.SIGTERM):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stdin is not None
        proc.stdin.close()
    assert proc.returncode == 143
    assert not (team / "ana.yaml").exists()
    assert leftovers(tmp_path) == []

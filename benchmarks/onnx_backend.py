"""--backend onnx against torch: agreement of the reports, cold-start time and throughput.

Usage: python benchmarks/onnx_backend.py [--rounds 2] [--n 1000]
Needs the optional packages (pip install 'alignaudit[onnx]'); prints "skipped" without them.

- agreement: each example team audited with torch, with the ONNX export (float32, what
  --backend onnx runs) and with an int8 dynamic quantisation of that export (measured here,
  not offered): largest difference of foundation and pair figures, target 0.02 on scores.
- cold audit: a new process, no vector cached (the ONNX export already made): torch imports
  sentence-transformers; onnx imports only onnxruntime and tokenizers.
- throughput: N distinct STS-B sentences, in this process, torch encode vs ONNX Runtime.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, compile_sources, machine, median, table, timed, verdict

from alignaudit.embedding.transformers import SentenceTransformerEmbedder, bundled_model_dir
from alignaudit.features.auditor import audit
from alignaudit.inputs.answers import load_team

TEAMS = ("harbor-health", "brightline-software", "northwind-logistics")


class Graph:
    """An ONNX graph as an embedder under the bundled model's identity."""

    def __init__(self, model, like: SentenceTransformerEmbedder) -> None:  # type: ignore[no-untyped-def]
        self.model, self.name, self.sha256 = model, like.name, like.sha256

    def encode(self, texts):  # type: ignore[no-untyped-def]
        return self.model.encode(list(texts))


def differences(a, b) -> dict[str, float]:  # type: ignore[no-untyped-def]
    out = dict.fromkeys(("team score", "team index", "pair score", "pair index"), 0.0)
    for f, ra in a.foundations.items():
        rb = b.foundations[f]
        if ra.score is None:
            continue
        out["team score"] = max(out["team score"], abs(ra.score - rb.score))
        out["team index"] = max(out["team index"], abs(ra.index - rb.index))
        for pa, pb in zip(ra.pairs, rb.pairs, strict=True):
            out["pair score"] = max(out["pair score"], abs(pa.score - pb.score))
            out["pair index"] = max(out["pair index"], abs(pa.index - pb.index))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="ONNX backend vs torch")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        print(f"skipped: {exc.name} is not installed (pip install 'alignaudit[onnx]')")
        return
    from alignaudit.embedding.onnx import GRAPH, OnnxModel, check_pipeline

    compile_sources()
    work = Path(tempfile.mkdtemp(prefix="alignaudit-onnx-bench-"))
    torch_emb = SentenceTransformerEmbedder()
    onnx_emb = SentenceTransformerEmbedder(backend="onnx", export_dir=work / "onnx")
    onnx_emb.encode(["export the model once"])
    exported = next((work / "onnx").glob(f"*/{GRAPH}"))
    int8 = work / "model-int8.onnx"
    logging.disable(logging.WARNING)  # onnxruntime's advice to pre-process, on the root logger
    quantize_dynamic(exported, int8, weight_type=QuantType.QInt8, per_channel=True)
    logging.disable(logging.NOTSET)
    int8_emb = Graph(
        OnnxModel(int8, bundled_model_dir(), check_pipeline(bundled_model_dir())), torch_emb
    )

    rows = []
    worst = {"onnx": 0.0, "onnx int8": 0.0}
    for name in TEAMS:
        team = load_team(ROOT / "examples" / name)
        reference = audit(team, torch_emb)
        for label, emb in (("onnx", onnx_emb), ("onnx int8", int8_emb)):
            d = differences(reference, audit(team, emb))
            worst[label] = max(worst[label], d["team score"], d["pair score"])
            rows.append([name, label, *(f"{v:.4f}" for v in d.values())])
    print(f"machine: {machine()}")
    print()
    print("agreement with torch (largest absolute difference):")
    print(table(["team", "backend", "team score", "team index", "pair score", "pair index"], rows))
    print()

    # cold audits in new processes: the export is in place, no vector is cached
    team_dir = str(ROOT / "examples" / "northwind-logistics")
    times: dict[str, list[float]] = {"torch": [], "onnx": []}
    for r in range(args.rounds):
        for backend in times:
            cache = work / f"cold-{backend}-{r}"
            cache.mkdir()
            os.symlink(work / "onnx", cache / "onnx")
            times[backend].append(
                timed(
                    [
                        sys.executable,
                        "-m",
                        "alignaudit",
                        "audit",
                        team_dir,
                        "-f",
                        "json",
                        "--cache-dir",
                        str(cache),
                        "--backend",
                        backend,
                    ]
                )
            )

    from throughput import statements

    texts, source = statements(args.n)
    model = torch_emb._load()
    onnx_model = onnx_emb._load()
    enc: dict[str, list[float]] = {"torch encode": [], "onnx encode": []}
    for _ in range(args.rounds):
        for label, m in (("torch encode", model), ("onnx encode", onnx_model)):
            start = time.perf_counter()
            m.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
            enc[label].append(time.perf_counter() - start)
    m = {k: median(v) for k, v in {**times, **enc}.items()}
    print(f"speed ({args.rounds} rounds, medians; throughput on {source}):")
    print(
        table(
            ["figure", "torch s", "onnx s", "onnx / torch"],
            [
                [
                    "cold audit, new process",
                    f"{m['torch']:.2f}",
                    f"{m['onnx']:.2f}",
                    f"{m['onnx'] / m['torch']:.2f}",
                ],
                [
                    f"encode {len(texts)} statements",
                    f"{m['torch encode']:.2f}",
                    f"{m['onnx encode']:.2f}",
                    f"{m['onnx encode'] / m['torch encode']:.2f}",
                ],
            ],
        )
    )
    print()
    print(
        table(
            ["target", "measured", ""],
            [
                [
                    "onnx scores within 0.02 of torch",
                    f"{worst['onnx']:.4f}",
                    verdict(worst["onnx"] <= 0.02),
                ],
                [
                    "onnx int8 scores within 0.02 (not offered)",
                    f"{worst['onnx int8']:.4f}",
                    verdict(worst["onnx int8"] <= 0.02),
                ],
            ],
        )
    )


if __name__ == "__main__":
    main()

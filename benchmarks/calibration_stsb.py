"""Calibration on STS Benchmark dev: Spearman and mean absolute error, calibrated vs raw.

Usage: python benchmarks/calibration_stsb.py   (needs ../shared/data/stsb; skips without it)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from stsb import STSB, read_stsb

from alignaudit.embedding.transformers import SentenceTransformerEmbedder
from alignaudit.scoring.catalogue import MINILM, tables_of


def main() -> int:
    dev = STSB / "sts-dev.csv"
    if not dev.exists():
        print(f"skipped: {dev} not found")
        return 0
    left, right, gold_list = read_stsb(dev)
    gold = np.asarray(gold_list)
    embedder = SentenceTransformerEmbedder()
    cosine = np.sum(embedder.encode(left) * embedder.encode(right), axis=1)
    calibration = tables_of(MINILM).calibration
    rows = [
        ("raw cosine x 5", np.clip(cosine, 0, 1) * 5),
        (f"calibrated ({calibration.version})", calibration.to_score(cosine)),
    ]
    print(f"STS Benchmark dev, {len(gold)} pairs, model {embedder.name}")
    print(f"{'variant':<34}{'Spearman':>10}{'MAE':>8}")
    for name, pred in rows:
        rho = spearmanr(pred, gold).statistic
        mae = float(np.mean(np.abs(pred - gold)))
        print(f"{name:<34}{rho:>10.4f}{mae:>8.3f}")
    print("floors: Spearman >= 0.86, MAE <= 0.58")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

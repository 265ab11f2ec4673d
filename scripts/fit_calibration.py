"""Fit the cosine -> STS 0-5 table shipped in src/alignaudit/data/calibration.json.

Usage: python scripts/fit_calibration.py [--stsb DIR]
Reads sts-train.csv, embeds both sides with the bundled model (pooled with the domain token
weights: run scripts/fit_token_weights.py first), fits an isotonic regression of
human score on cosine and writes the compressed, strictly increasing table.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stsb import STSB, read_stsb

from alignaudit.calibration import fit_isotonic, table_from_fit
from alignaudit.embedding import SentenceTransformerEmbedder
from alignaudit.output import write_atomic

OUT = Path(__file__).resolve().parents[1] / "src" / "alignaudit" / "data" / "calibration.json"
VERSION = "stsb-isotonic-2"  # 2: vectors pooled with the domain token weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stsb", type=Path, default=STSB)
    parser.add_argument("--knots", type=int, default=40)
    args = parser.parse_args()
    left, right, gold = read_stsb(args.stsb / "sts-train.csv")
    embedder = SentenceTransformerEmbedder()
    a, b = embedder.encode(left), embedder.encode(right)
    cosine = np.sum(a * b, axis=1)
    fitted = fit_isotonic(cosine, np.asarray(gold))
    xs, ys = table_from_fit(cosine, fitted, knots=args.knots)
    data = {
        "version": VERSION,
        "model": embedder.name,
        "model_sha256": embedder.sha256,
        "source": "STS Benchmark train split (5,749 pairs), isotonic regression, "
        f"{args.knots} quantile knots; scripts/fit_calibration.py",
        "cosine": xs,
        "score": ys,
    }
    write_atomic(OUT, json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT} ({len(xs)} knots) from {len(gold)} pairs")


if __name__ == "__main__":
    main()

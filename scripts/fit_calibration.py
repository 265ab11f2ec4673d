"""Fit the cosine -> STS 0-5 table of a catalogue model.

Usage: python scripts/fit_calibration.py [--model KEY]
Reads sts-train.csv, embeds both sides with the model's statement-similarity vectors (its own
pooling), fits an isotonic regression of human score on cosine and writes the compressed,
strictly increasing table to src/alignaudit/data/models/KEY/calibration.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_baseline import memoised
from isotonic import fit_isotonic, table_from_fit
from stsb import STSB, read_stsb

from alignaudit.inputs.atomic import write_atomic
from alignaudit.scoring.catalogue import DEFAULT, KEYS, build

DATA = Path(__file__).resolve().parents[1] / "src" / "alignaudit" / "data" / "models"
# 2: vectors pooled with the domain token weights; 3: one per model, statement vectors
VERSION = "stsb-isotonic-3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stsb", type=Path, default=STSB)
    parser.add_argument("--knots", type=int, default=40)
    parser.add_argument("--model", choices=KEYS, default=DEFAULT)
    args = parser.parse_args()
    left, right, gold = read_stsb(args.stsb / "sts-train.csv")
    embedder = memoised(build(args.model))
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
    out = DATA / args.model / "calibration.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, json.dumps(data, indent=1) + "\n")
    print(f"wrote {out} ({len(xs)} knots) from {len(gold)} pairs")


if __name__ == "__main__":
    main()

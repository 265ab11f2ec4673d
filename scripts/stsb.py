"""Reading the STS Benchmark files in ../shared/data/stsb (tab-separated, no quoting)."""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
STSB = SHARED / "data" / "stsb"


def read_stsb(path: Path) -> tuple[list[str], list[str], list[float]]:
    """Sentence pairs and their 0-5 human scores; extra trailing columns are ignored."""
    left: list[str] = []
    right: list[str] = []
    gold: list[float] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 7:
                continue
            gold.append(float(cols[4]))
            left.append(cols[5])
            right.append(cols[6])
    return left, right, gold

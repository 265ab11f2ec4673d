"""Judgement quality of another local model, through the shipped pipeline.

Usage: python benchmarks/judgement_model.py MODEL_DIR [--power P ...] [--null-teams N]
For a sentence-transformers model folder on disk (nothing is downloaded), derives in this run
what the shipped model has in src/alignaudit/data: idf token weights from the model's own
tokenizer on ../shared/data/orgs, and a domain baseline; then prints the AUCs of
benchmarks/judgement.py (dev, each held-aside split, all held aside) for the model's own
pooling and for domain-weighted pooling with the team discount at each power. The question it
answers: would a different model judge the evaluation teams better?
Seen on 2026-11-30 with all-mpnet-base-v2 (5x the bundled model): no better.
Needs ../shared; prints "skipped" without it or without the model folder.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np
from judgement import HELD, CachedEmbedder, aucs, by_label, cells, load_cases, product

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts"))
from fit_baseline import derive
from fit_token_weights import document_frequencies
from orgs import ORGS, read_missions, read_values

from alignaudit.embedding.pooling import TokenWeights
from alignaudit.embedding.transformers import SentenceTransformerEmbedder


def idf_table(model_dir: Path, answers: list[list[str]]) -> np.ndarray:
    """idf = ln((N + 1) / (df + 1)) per token id of the model's vocabulary, as
    scripts/fit_token_weights.py makes the shipped table; special tokens 0."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    special = {i for i in tokenizer.get_added_tokens_decoder() if i < tokenizer.get_vocab_size()}
    df = document_frequencies(tokenizer, answers, special)
    n = len(answers)
    idf = np.full(tokenizer.get_vocab_size(), math.log(n + 1))
    for i, c in df.items():
        idf[i] = math.log((n + 1) / (c + 1))
    idf[sorted(special)] = 0.0  # [CLS], [SEP], padding and the like carry no idea
    return idf


class LocalModel(SentenceTransformerEmbedder):
    """A local model folder, pooled as its folder says (weights None) or with domain weights."""

    def __init__(self, model_dir: Path, weights: TokenWeights | None) -> None:
        super().__init__(str(model_dir), pooling="domain" if weights else "model")
        self._weights = weights

    @property
    def token_weights(self) -> TokenWeights | None:
        return self._weights


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("--power", type=float, nargs="*", default=[2.0])
    parser.add_argument(
        "--null-teams",
        type=int,
        default=100,
        help="synthetic teams for the null (the shipped baseline uses 400; each is embedded "
        "with its own discount, which a large model makes slow)",
    )
    args = parser.parse_args()
    if not ORGS.exists() or not (args.model_dir / "tokenizer.json").is_file():
        print(f"skipped: {ORGS} or {args.model_dir / 'tokenizer.json'} not found")
        return 0
    missions, values = read_missions(), read_values()
    idf = idf_table(args.model_dir, missions + values)
    cases = load_cases()
    splits = sorted({c.split for c in cases} - {"dev"})
    head = f"{'pooling':<34}" + "".join(f"{s + ' A-D A-P P-D':>26}" for s in ("dev", *splits, HELD))
    print(f"model folder: {args.model_dir}; {len(cases)} teams")
    print(head)
    print("-" * len(head))
    for power in (None, *args.power):
        weights = None if power is None else TokenWeights("in-run", "local", power, idf)
        emb = CachedEmbedder(LocalModel(args.model_dir, weights))
        baseline, _ = derive(emb, missions, values, teams=args.null_teams)
        c = cells(cases, product(emb, "index", baseline))
        name = "model's own" if power is None else f"idf^{power:g} + team discount"
        row = "".join(
            f"{' '.join(f'{x:.3f}' for x in aucs(by_label(c[s].values()))):>26}"
            for s in ("dev", *splits, HELD)
        )
        print(f"{name:<34}{row}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Derive the token weights shipped in src/alignaudit/data/token_weights.json.

Usage: python scripts/fit_token_weights.py [--orgs DIR] [--power P]
Counts, with the bundled model's own tokenizer, in how many of the unrelated organisations'
answers (../shared/data/orgs: each mission, each company's list of values) each token id
appears, and writes idf = ln((N + 1) / (df + 1)) per token id: derived figures only, never a
sentence of the corpus. Run it before scripts/fit_calibration.py and scripts/fit_baseline.py,
whose vectors depend on it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from orgs import ORGS, read_missions, read_values
from tokenizers import Tokenizer

from alignaudit.embedding.transformers import BUNDLED_NAME, BUNDLED_SHA256, bundled_model_dir
from alignaudit.inputs.atomic import write_atomic

OUT = Path(__file__).resolve().parents[1] / "src" / "alignaudit" / "data" / "token_weights.json"
VERSION = "orgs-idf2-1"
POWER = 2.0  # chosen on the development teams by benchmarks/judgement.py


def document_frequencies(
    tokenizer: Tokenizer, answers: list[list[str]], exclude: set[int]
) -> Counter[int]:
    """In how many answers each token id appears (ids in `exclude`, the special tokens, left
    out). benchmarks/judgement_model.py derives another model's table the same way."""
    df: Counter[int] = Counter()
    for answer in answers:
        ids: set[int] = set()
        for encoding in tokenizer.encode_batch(answer):
            ids.update(encoding.ids)
        df.update(ids - exclude)
    return df


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=Path, default=ORGS)
    parser.add_argument("--power", type=float, default=POWER)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    tokenizer = Tokenizer.from_file(str(bundled_model_dir() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    special = sorted(
        tokenizer.token_to_id(t)
        for t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
        if tokenizer.token_to_id(t) is not None
    )
    answers = read_missions(args.orgs) + read_values(args.orgs)
    df = document_frequencies(tokenizer, answers, set(special))
    n = len(answers)
    data = {
        "version": VERSION,
        "model": BUNDLED_NAME,
        "model_sha256": BUNDLED_SHA256,
        "source": f"../shared/data/orgs: {n} answers (missions, first sentences; each "
        "company's values), document frequency per token id; scripts/fit_token_weights.py",
        "power": args.power,
        "vocabulary": tokenizer.get_vocab_size(),
        "special": special,
        "unseen": round(math.log(n + 1), 5),
        "seen": [[i, round(math.log((n + 1) / (c + 1)), 5)] for i, c in sorted(df.items())],
    }
    write_atomic(args.out, json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {args.out}: {len(df)} of {data['vocabulary']} token ids seen in {n} answers")


if __name__ == "__main__":
    main()

"""Reading real organisations' statements in ../shared/data/orgs as answers."""

from __future__ import annotations

import csv
from pathlib import Path

from stsb import SHARED

from alignaudit.core.text import clean, split_sentences

ORGS = SHARED / "data" / "orgs"
MAX_SENTENCES = 4  # managers write a few sentences; some published missions run to pages


def read_missions(folder: Path = ORGS) -> list[list[str]]:
    """Each organisation's mission as statements (first sentences, repeats dropped)."""
    answers: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    with (folder / "mission_statements.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            sentences: list[str] = []
            for s in split_sentences(row["Mission Statement"]):
                if s not in sentences:
                    sentences.append(s)
            key = tuple(sentences[:MAX_SENTENCES])
            if key and key not in seen:
                seen.add(key)
                answers.append(list(key))
    return answers


def read_values(folder: Path = ORGS) -> list[list[str]]:
    """Each company's list of value names, as a manager would list them."""
    by_company: dict[str, list[str]] = {}
    with (folder / "company_core_values.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            name = clean(row["value_name"])
            if name:
                by_company.setdefault(row["company"], []).append(name)
    return [v for v in by_company.values() if v]

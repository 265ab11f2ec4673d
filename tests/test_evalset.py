"""The labelled evaluation set (benchmarks/evalset) is only worth its figures if it is well formed:
every team loads as alignaudit input, every label is one of the three, and the truth names
managers who exist. These checks need no model."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from alignaudit.core.types import Foundation
from alignaudit.inputs.answers import load_team

EVALSET = ROOT / "benchmarks" / "evalset"
TEAMS = sorted(p for p in EVALSET.iterdir() if p.is_dir())
LABELS = {"aligned", "partial", "divergent"}


def truth(folder: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((folder / "_truth.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("folder", TEAMS, ids=[p.name for p in TEAMS])
def test_team_is_valid_input_with_consistent_truth(folder: Path) -> None:
    team = load_team(folder)
    t = truth(folder)
    names = {m.name for m in team.managers}
    assert 4 <= len(team.managers) <= 7
    assert all(set(m.answers) == set(Foundation) for m in team.managers), "every answer given"
    assert set(t["labels"]) == {f.value for f in Foundation}
    assert set(t["labels"].values()) <= LABELS
    if t["outlier"] is not None:
        assert t["outlier"] in names
        assert t["outlier_on"], "an outlier stands apart on at least one foundation"
        # an outlier is written into an otherwise aligned foundation: its label is partial
        assert all(t["labels"][f] == "partial" for f in t["outlier_on"])
    for group in t["silos"] or []:
        assert set(group) <= names, f"silo members must be managers of {folder.name}"


def test_splits_are_balanced_and_dev_is_separate() -> None:
    by_split: dict[str, Counter[str]] = {}
    for folder in TEAMS:
        t = truth(folder)
        by_split.setdefault(t["split"], Counter()).update(t["labels"].values())
    assert "dev" in by_split and len(by_split) >= 2, "at least one held-aside split"
    for split, counts in by_split.items():
        assert set(counts) == LABELS, f"{split} has every label"
        # within one cell per 40 (the sealed set grew by teams written 5/6/5 and 5/5/6)
        slack = max(1, sum(counts.values()) // 40)
        assert max(counts.values()) - min(counts.values()) <= slack, f"{split} labels balanced"
    held = sum(sum(c.values()) for s, c in by_split.items() if s != "dev") // 4
    assert held * 3 >= len(TEAMS), "at least a third of the teams are held aside"

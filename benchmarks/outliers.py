"""Who stands apart: does the outlier rule find the outliers written into the evaluation set?

Usage: python benchmarks/outliers.py
For each (team, foundation) cell of benchmarks/evalset and examples/northwind-logistics with at
least four answers, it takes the manager furthest from the rest and checks the rule of
alignaudit.analysis.outliers at several thresholds: designed outliers found, and flags raised
where none was designed, per split (the sealed teams left out). The shipped thresholds are
marked. Needs no shared data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from judgement import CachedEmbedder, team_folders, truth

from alignaudit.analysis import outliers as rule
from alignaudit.analysis.outliers import standings
from alignaudit.core.results import Standing
from alignaudit.core.types import Foundation, Team
from alignaudit.features.auditor import audit
from alignaudit.inputs.answers import load_team

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "northwind-logistics"
EXAMPLE_OUTLIER = ("Marcus Holt", ("vision", "mission", "values"))  # examples/.../README.md


@dataclass
class Cell:
    split: str
    team: str
    foundation: str
    designed: str | None  # the outlier written into this cell, if any
    furthest: Standing  # furthest on the index
    agree: bool  # the same manager is furthest on the STS pair scores


def cells() -> list[Cell]:
    teams: list[tuple[str, Team, str | None, tuple[str, ...]]] = []
    for folder in team_folders():
        t = truth(folder)
        on = tuple(t.get("outlier_on") or ())
        teams.append((t["split"], load_team(folder), t.get("outlier"), on))
    teams.append(("example", load_team(EXAMPLE), *EXAMPLE_OUTLIER))
    emb = CachedEmbedder()
    out = []
    for split, team, outlier, on in teams:
        report = audit(team, emb)
        for f in Foundation:
            pairs = report.foundations[f].pairs
            answered = tuple(sorted({p.a for p in pairs} | {p.b for p in pairs}))
            st = standings(answered, pairs)
            if len(st) < rule.MIN_MANAGERS:
                continue
            furthest = max(st, key=lambda s: s.gap)
            agree = max(st, key=lambda s: s.score_gap) is furthest
            designed = outlier if f.value in on else None
            out.append(Cell(split, team.name, f.value, designed, furthest, agree))
    return out


def main() -> int:
    data = cells()
    held = sorted({c.split for c in data} - {"dev", "example"})
    splits = ("dev", *held, "example")
    print(f"{len(data)} cells with four or more answers; 'found' = designed outliers flagged,")
    print("'other' = flags where no outlier was designed (or on the wrong manager)\n")
    head = f"{'index gap':>10}{'STS gap':>9}" + "".join(f"{s + ' found/other':>22}" for s in splits)
    print(head)
    print("-" * len(head))
    for gap in (0.3, 0.4, 0.5):
        for score_gap in (0.0, 0.5, 0.7):

            def flagged(c: Cell, gap: float = gap, score_gap: float = score_gap) -> bool:
                s = c.furthest
                return (
                    c.agree
                    and s.gap >= gap
                    and s.score_gap >= score_gap
                    and s.rest_index >= rule.REST_AT_LEAST
                )

            row = f"{gap:>10.1f}{score_gap:>9.1f}"
            for split in splits:
                mine = [c for c in data if c.split == split]
                designed = [c for c in mine if c.designed]
                found = sum(flagged(c) and c.furthest.manager == c.designed for c in designed)
                other = sum(flagged(c) and c.furthest.manager != c.designed for c in mine)
                row += f"{f'{found}/{len(designed)}  +{other}':>22}"
            shipped = gap == rule.GAP and score_gap == rule.SCORE_GAP
            print(row + ("   <- shipped" if shipped else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

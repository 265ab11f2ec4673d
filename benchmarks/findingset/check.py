"""Check the shape of the findings set's teams (no model, no scoring): python check.py [FOLDER ...]

Every team folder holds one YAML answer file per manager (file name = the manager's name in
kebab case) and `_truth.yaml` with `split`, `labels` and `design` (see README.md). Prints each
problem and exits 1 if there is any.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
FOUNDATIONS = ("vision", "mission", "values", "positioning")
KINDS = {
    "aligned": "aligned",
    "divergent": "divergent",
    "outlier": "partial",
    "camps": "partial",
    "core": "partial",
}
SPLITS = {"dev-findings", "holdout-findings", "sealed-findings"}


def kebab(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def check(folder: Path) -> list[str]:
    problems: list[str] = []
    say = problems.append
    truth_file = folder / "_truth.yaml"
    if not truth_file.is_file():
        return [f"{folder.name}: no _truth.yaml"]
    truth = yaml.safe_load(truth_file.read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for f in sorted(folder.glob("*.yaml")):
        if f.name == "_truth.yaml":
            continue
        a = yaml.safe_load(f.read_text(encoding="utf-8"))
        name = a.get("manager", "")
        if kebab(name) != f.stem:
            say(f"{f}: file name should be {kebab(name)}.yaml")
        names[name] = f.name
        for key in ("role", "unit", *FOUNDATIONS):
            if not a.get(key):
                say(f"{f}: {key} missing or empty")
        v = a.get("values")
        if (
            not isinstance(v, list)
            or not 2 <= len(v) <= 6
            or not all(isinstance(x, str) for x in v)
        ):
            say(f"{f}: values should be a list of 2-6 strings")
        for key in ("vision", "mission", "positioning"):
            if key in a and not isinstance(a[key], str):
                say(f"{f}: {key} should be one string")
    if not 4 <= len(names) <= 8:
        say(f"{folder.name}: {len(names)} managers (4-8 expected)")
    if truth.get("split") not in SPLITS:
        say(f"{folder.name}: split should be one of {sorted(SPLITS)}")
    design = truth.get("design") or {}
    labels = truth.get("labels") or {}
    for fd in FOUNDATIONS:
        d = design.get(fd)
        if not isinstance(d, dict) or d.get("kind") not in KINDS:
            say(f"{folder.name}: design.{fd}.kind should be one of {sorted(KINDS)}")
            continue
        if labels.get(fd) != KINDS[d["kind"]]:
            say(f"{folder.name}: labels.{fd} should be {KINDS[d['kind']]} for a {d['kind']} design")
        if d["kind"] == "outlier" and d.get("outlier") not in names:
            say(f"{folder.name}: design.{fd}.outlier should name one of the managers")
        if d["kind"] == "camps":
            camps = d.get("camps")
            if not isinstance(camps, list) or len(camps) < 2:
                say(f"{folder.name}: design.{fd}.camps should list two or more groups")
                continue
            seen: list[str] = []
            for g in camps:
                if len(g) < 2:
                    say(f"{folder.name}: design.{fd}: every camp needs two or more managers")
                for n in g:
                    if n not in names:
                        say(f"{folder.name}: design.{fd}: {n!r} is not a manager of the team")
                    seen.append(n)
            if len(set(seen)) != len(seen):
                say(f"{folder.name}: design.{fd}: a manager is in two camps")
    if not truth.get("notes"):
        say(f"{folder.name}: notes missing")
    return problems


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or sorted(p for p in HERE.iterdir() if p.is_dir())
    problems = [p for f in folders for p in check(f)]
    for p in problems:
        print(p)
    print(f"{len(folders)} teams checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

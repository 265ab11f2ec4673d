"""--anonymize that holds: units aliased, small groups not broken out, the key holds both, and
every figure the same as without it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from alignaudit.analysis import confidence
from alignaudit.cli import app
from alignaudit.features.anonymity import anonymize
from alignaudit.inputs.answers import load_team
from tests.conftest import EXAMPLES, write_manager

runner = CliRunner()


def team_with_units(folder: Path) -> Path:
    """Three in Sales, one Executive (the CEO), one in Finance."""
    rows = [
        ("Ana", "Sales", "We grow by serving customers well."),
        ("Ben", "Sales", "We grow by serving our customers well."),
        ("Cy", "Sales", "Growth through well served customers."),
        ("Dee", "Executive", "Become the cheapest carrier in Europe."),
        ("Eli", "Finance", "Deliver returns to shareholders."),
    ]
    for name, unit, vision in rows:
        write_manager(
            folder, f"{name.lower()}.yaml", f"manager: {name}\nunit: {unit}\nvision: {vision}\n"
        )
    return folder


def test_units_are_aliased_and_a_unit_too_small_is_not_broken_out(tmp_path: Path):
    team, key = anonymize(load_team(team_with_units(tmp_path / "t")))
    units = {m.unit for m in team.managers}
    assert units == {"Unit 1", None}  # Sales kept under an alias; Executive and Finance dropped
    assert key["Unit 1"] == "Sales"
    assert sorted(v for k, v in key.items() if k.startswith("Manager")) == [
        "Ana",
        "Ben",
        "Cy",
        "Dee",
        "Eli",
    ]
    assert not any("Executive" in str(m) or "Finance" in str(m) for m in team.managers)
    team2, key2 = anonymize(load_team(tmp_path / "t"), min_group=1)
    assert {m.unit for m in team2.managers} == {"Unit 1", "Unit 2", "Unit 3"}
    assert {key2[u] for u in ("Unit 1", "Unit 2", "Unit 3")} == {"Sales", "Executive", "Finance"}


def test_the_key_file_holds_names_and_units(tmp_path: Path, fake_embedder):
    team = team_with_units(tmp_path / "t")
    key_file = tmp_path / "key.txt"
    result = runner.invoke(
        app, ["audit", str(team), "--anonymize", "--anonymize-key", str(key_file), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    lines = key_file.read_text().splitlines()
    assert "Unit 1: Sales" in lines and len(lines) == 6
    assert "Sales" not in result.stdout and "Executive" not in result.stdout


def test_a_camp_of_fewer_than_min_group_managers_is_not_broken_out(tmp_path: Path, fake_embedder):
    folder = tmp_path / "t"
    for name, vision in [
        ("Ana", "Green freight across Europe by rail."),
        ("Ben", "Green freight across Europe by rail and road."),
        ("Cy", "Green freight across Europe, rail first."),
        ("Dee", "Cheapest parcels with discount prices."),
        ("Eli", "Cheapest parcels, discount prices always."),
    ]:
        write_manager(folder, f"{name.lower()}.yaml", f"manager: {name}\nvision: {vision}\n")

    def camps(*flags: str) -> list:
        result = runner.invoke(app, ["audit", str(folder), "-f", "json", *flags])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["foundations"]["vision"]["groups"]

    assert sorted(len(g["members"]) for g in camps()) == [2, 3]  # named, without anonymity
    assert camps("--anonymize") == []  # a camp of two could name two people
    assert len(camps("--anonymize", "--min-group", "2")) == 2


@pytest.mark.parametrize("example", ["northwind-logistics", "harbor-health", "brightline-software"])
def test_every_figure_is_the_same_with_and_without_anonymize(example: str, fake_embedder):
    team = str(EXAMPLES / example)

    def report(*flags: str) -> dict:
        result = runner.invoke(app, ["audit", team, "-f", "json", *flags])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    plain, hidden = report(), report("--anonymize", "--min-group", "1")
    assert hidden["overall"] == plain["overall"]
    for f, figures in plain["foundations"].items():
        other = hidden["foundations"][f]
        for key in ("index", "index_interval", "verdict", "statement_similarity"):
            assert other[key] == figures[key], (f, key)
        assert sorted(p["index"] for p in other["pairs"]) == sorted(
            p["index"] for p in figures["pairs"]
        )


def test_the_interval_does_not_depend_on_the_managers_order():
    rng = np.random.default_rng(3)
    for n in (4, 6, 9):
        points = rng.normal(size=(n, 3))
        matrix = points @ points.T
        np.fill_diagonal(matrix, np.nan)
        order = rng.permutation(n)
        shuffled = matrix[np.ix_(order, order)]
        assert confidence.interval(shuffled) == confidence.interval(matrix)
        other = matrix + rng.normal(scale=0.1, size=(n, n))
        other = (other + other.T) / 2
        assert confidence.difference_interval(
            shuffled, other[np.ix_(order, order)]
        ) == confidence.difference_interval(matrix, other)


def test_small_teams_get_the_exact_bootstrap():
    """Four managers: all 4**4 resamples, so the interval is the exact percentile of them."""
    matrix = np.array(
        [
            [np.nan, 1.0, 0.0, 0.0],
            [1.0, np.nan, 0.0, 0.0],
            [0.0, 0.0, np.nan, 0.5],
            [0.0, 0.0, 0.5, np.nan],
        ]
    )
    draws = np.indices((4,) * 4).reshape(4, -1).T
    means = []
    for d in draws:
        vals = [matrix[i, j] for i in d for j in d if i != j]
        if vals:
            means.append(float(np.mean(vals)))
    expected = (float(np.quantile(means, 0.05)), float(np.quantile(means, 0.95)))
    assert confidence.interval(matrix) == pytest.approx(expected)


def test_the_report_carries_the_floor_it_was_made_with(tmp_path: Path, fake_embedder):
    """Formats that group managers themselves (the workshop plan) read the floor from the
    report: the --min-group of an anonymised run, 1 otherwise."""
    from alignaudit.features.audit_run import AuditRequest, run_audit
    from tests.conftest import FakeEmbedder

    team = team_with_units(tmp_path / "t")

    def floor(**request) -> int:  # type: ignore[no-untyped-def]
        run = run_audit(team, AuditRequest(**request), lambda _: FakeEmbedder())
        return run.report.min_group

    assert floor() == 1
    assert floor(anonymize=True) == 3
    assert floor(anonymize=True, min_group=4) == 4
    assert floor(min_group=4) == 1  # the floor holds under --anonymize only

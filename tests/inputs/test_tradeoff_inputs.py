"""Trade-offs and rankings as alignaudit.yaml defines them and answer files rate them: every
mistake reported at file:line:column with what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.errors import InputError
from alignaudit.core.types import Foundation
from alignaudit.inputs.answers import load_team
from alignaudit.inputs.config import Config, load_config, parse_threshold, resolve
from alignaudit.inputs.tradeoffs import DEFAULT_RANKINGS, DEFAULT_TRADEOFFS, check_ratings

runner = CliRunner()


def team(tmp_path: Path, files: dict[str, str], config: str | None = None) -> Path:
    folder = tmp_path / "team"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    if config is not None:
        (folder / "alignaudit.yaml").write_text(config, encoding="utf-8")
    return folder


ANA = (
    "manager: Ana\npositioning: We win on service.\ntradeoffs:\n"
    "  cost-vs-differentiation: 6\n"
    "  value-disciplines: [customer intimacy, Product leadership, operational excellence]\n"
)


def test_ratings_are_read_with_where_they_are(tmp_path: Path):
    loaded = load_team(team(tmp_path, {"ana": ANA, "ben": "manager: Ben\nvision: x\n"}))
    ana = loaded.managers[0]
    rating = ana.rating("cost-vs-differentiation")
    assert rating is not None and (rating.value, rating.line, rating.column) == (6, 4, 28)
    order = ana.rating("value-disciplines")
    assert order is not None and order.value[0] == "customer intimacy"
    assert loaded.managers[1].ratings == ()
    assert check_ratings(loaded.managers, DEFAULT_TRADEOFFS, DEFAULT_RANKINGS) == []


@pytest.mark.parametrize(
    ("rating", "message"),
    [
        ("cost-vs-differentiation: 9", "'cost-vs-differentiation' is 9, off its scale: give 1"),
        ("cost-vs-differentation: 3", "did you mean 'cost-vs-differentiation'?"),
        ("cost-vs-differentiation: [a, b]", "is a scale: give one whole number from 1 to 7"),
        ("value-disciplines: [customer intimacy]", "must list operational excellence"),
    ],
)
def test_a_bad_rating_is_pointed_at(tmp_path: Path, rating: str, message: str):
    folder = team(tmp_path, {"ana": f"manager: Ana\nvision: x\ntradeoffs:\n  {rating}\n"})
    problems = check_ratings(load_team(folder).managers, DEFAULT_TRADEOFFS, DEFAULT_RANKINGS)
    assert len(problems) == 1 and message in problems[0].message
    assert problems[0].line == 4 and problems[0].file.endswith("ana.yaml")


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("tradeoffs: 5", "'tradeoffs' must be a mapping"),
        ("tradeoffs: {x: 2.5}", "'x' must be a whole number"),
        ("tradeoffs: {x: 1, x: 2}", "'x' is rated twice"),
    ],
)
def test_a_malformed_tradeoffs_block_is_an_input_error(tmp_path: Path, block: str, message: str):
    folder = team(tmp_path, {"ana": f"manager: Ana\nvision: x\n{block}\n"})
    with pytest.raises(InputError) as caught:
        load_team(folder)
    assert any(message in p.message and p.line == 3 for p in caught.value.problems)


CUSTOM = """\
tradeoffs:
  - id: local-vs-global
    foundation: vision
    left: stay a local champion
    right: become a global player
    scale: [1, 5]
rankings:
  - id: customers
    foundation: positioning
    items: [hospitals, clinics, pharmacies]
thresholds: {tradeoff_rwg: 0.7}
"""


def test_a_config_defines_its_own_tradeoffs(tmp_path: Path):
    (tmp_path / "alignaudit.yaml").write_text(CUSTOM, encoding="utf-8")
    config = load_config(tmp_path / "alignaudit.yaml")
    assert config.tradeoffs is not None and config.rankings is not None
    (t,) = config.tradeoffs
    assert (t.id, t.foundation, t.low, t.high, t.midpoint) == (
        "local-vs-global",
        Foundation.VISION,
        1,
        5,
        3.0,
    )
    assert config.rankings[0].items == ("hospitals", "clinics", "pharmacies")
    settings = resolve(config)
    assert settings.tradeoffs == config.tradeoffs and settings.thresholds["tradeoff_rwg"] == 0.7
    # where the config names none, the defaults are accepted; an empty list switches them off
    assert resolve(Config()).tradeoffs == DEFAULT_TRADEOFFS
    (tmp_path / "alignaudit.yaml").write_text("tradeoffs: []\nrankings: []\n", encoding="utf-8")
    off = resolve(load_config(tmp_path / "alignaudit.yaml"))
    assert off.tradeoffs == () and off.rankings == ()
    assert parse_threshold("tradeoff_rwg=0.6") == ("tradeoff_rwg", 0.6)


@pytest.mark.parametrize(
    ("definition", "line", "message"),
    [
        ("tradeoffs: [{id: a, foundation: vison, left: x, right: y}]", 1, "unknown foundation"),
        ("tradeoffs:\n  - {id: a, foundation: vision, left: x}", 2, "missing 'right'"),
        (
            "tradeoffs:\n  - {id: a, foundation: vision, left: x, right: y, scale: [1, 1]}",
            2,
            "'scale'",
        ),
        (
            "tradeoffs:\n  - {id: a, foundation: vision, left: x, right: y}\n"
            "  - {id: a, foundation: vision, left: p, right: q}",
            3,
            "'a' is defined twice",
        ),
        ("rankings:\n  - {id: r, foundation: values, items: [x, X]}", 2, "two or more different"),
        ("tradeoffs: {a: 1}", 1, "'tradeoffs' must be a list"),
    ],
)
def test_a_bad_definition_is_pointed_at(tmp_path: Path, definition: str, line: int, message: str):
    (tmp_path / "alignaudit.yaml").write_text(definition + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(tmp_path / "alignaudit.yaml")
    assert any(message in p.message and p.line == line for p in caught.value.problems), [
        str(p) for p in caught.value.problems
    ]


def test_validate_status_and_audit_refuse_a_rating_off_its_scale(tmp_path: Path, fake_embedder):
    folder = team(
        tmp_path,
        {
            "ana": "manager: Ana\nvision: x\ntradeoffs: {local-vs-global: 7}\n",
            "ben": "manager: Ben\nvision: y\ntradeoffs: {local-vs-global: 2}\n",
        },
        CUSTOM.replace("thresholds: {tradeoff_rwg: 0.7}\n", ""),
    )
    for command in (["validate", str(folder)], ["status", str(folder)], ["audit", str(folder)]):
        result = runner.invoke(app, command)
        assert result.exit_code == (1 if command[0] == "status" else 2), command
        said = result.stderr if command[0] != "status" else result.stdout
        assert "ana.yaml:3:" in said and "'local-vs-global' is 7, off its scale" in said, command


def test_status_counts_the_choices_the_config_asks(tmp_path: Path):
    folder = team(
        tmp_path,
        {
            "ana": "manager: Ana\nvision: x\ntradeoffs: {local-vs-global: 2}\n",
            "ben": "manager: Ben\nvision: y\n",
        },
        "foundations: [vision]\n" + CUSTOM.split("rankings:")[0],
    )
    result = runner.invoke(app, ["status", str(folder)])
    assert result.exit_code == 1
    assert "rated 1 of 1 trade-offs" in result.stdout
    assert "rated 0 of 1 trade-offs" in result.stdout
    assert "incomplete answers from Ben" in result.stdout

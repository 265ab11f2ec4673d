"""Ideas, the idea x manager grid, and the findings built on them, on hand-built teams where the
answer is known (fake embedder: texts sharing words are similar)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.types import AuditOptions, Format, Foundation
from alignaudit.core.verdict import Bands
from alignaudit.features.auditor import audit
from alignaudit.formats import render
from alignaudit.inputs.answers import load_reference, load_team
from tests.analysis.test_analysis import make_team
from tests.cli.test_cli import schema
from tests.conftest import FakeEmbedder

SIX_WORDINGS = [
    "clinical standards before sales targets",
    "sales targets never before clinical standards",
    "clinical standards come first, sales targets second",
    "our clinical standards outrank sales targets",
    "sales targets follow clinical standards",
    "clinical standards above any sales targets",
]
NAMES = ["Ana", "Ben", "Cy", "Dee", "Eli", "Fay"]
ALONE = "weekend yoga retreats for the board"


def six(tmp_path: Path) -> Path:
    answers: dict[str, dict[str, object]] = {
        n: {"values": [SIX_WORDINGS[i], "patient safety always"]} for i, n in enumerate(NAMES)
    }
    answers["Fay"]["values"] = [SIX_WORDINGS[5], "patient safety always", ALONE]
    return make_team(tmp_path / "six", answers)


def test_a_shared_value_in_six_wordings_is_one_idea_everyone_holds(tmp_path: Path):
    fi = audit(load_team(six(tmp_path)), FakeEmbedder()).findings[Foundation.VALUES]
    held = {i.statements[0][1]: i for i in fi.ideas}
    shared = next(i for i in fi.ideas if any(t == SIX_WORDINGS[0] for _, t in i.statements))
    assert shared.authors == tuple(NAMES) and shared.kind == "core" and shared.share == 1.0
    assert {t for _, t in shared.statements} == set(SIX_WORDINGS)  # six wordings, one idea
    assert any(e.statement in SIX_WORDINGS for e in fi.consensus)
    assert all(e.statement not in SIX_WORDINGS for e in fi.unique)  # not "unique to" anyone
    assert held[ALONE].kind == "unique" and held[ALONE].authors == ("Fay",)


def test_a_unique_statement_is_unique_to_its_author(tmp_path: Path):
    fi = audit(load_team(six(tmp_path)), FakeEmbedder()).findings[Foundation.VALUES]
    assert [(e.author, e.statement) for e in fi.unique] == [("Fay", ALONE)]
    assert fi.unique[0].echoed_by == ()


def test_camps_echoes_and_ideas_never_contradict(tmp_path: Path):
    """No statement typical of a camp is held by nobody else in it, or listed as unique."""
    team = make_team(
        tmp_path / "camps",
        {
            "Ann": {"positioning": "premium quality worth paying more"},
            "Bob": {"positioning": "premium quality, worth paying more for"},
            "Cat": {"positioning": "worth paying more, premium quality. Also free parking"},
            "Dan": {"positioning": "cheapest prices two for one deals"},
            "Eli": {"positioning": "cheapest prices and two for one deals"},
            "Fay": {"positioning": "two for one deals, cheapest prices in town"},
        },
    )
    fi = audit(load_team(team), FakeEmbedder()).findings[Foundation.POSITIONING]
    assert len(fi.groups) == 2
    unique = {e.statement for e in fi.unique}
    holders = {row: i.authors for i in fi.ideas for row in i.statements}
    for g in fi.groups:
        for t in g.typical:
            assert t.statement not in unique
            assert len(set(holders[t.author, t.statement]) & set(g.members)) >= 2


def test_an_official_statement_echoed_in_other_words_is_echoed(tmp_path: Path):
    ref = tmp_path / "official.yaml"
    ref.write_text(f"values:\n  - {SIX_WORDINGS[3]}\n  - interplanetary mining of asteroids\n")
    options = AuditOptions(reference=load_reference(ref))
    fi = audit(load_team(six(tmp_path)), FakeEmbedder(), options).findings[Foundation.VALUES]
    assert fi.reference is not None
    assert fi.reference.unechoed == ("interplanetary mining of asteroids",)


def test_with_bands_the_test_is_the_models_aligned_band(tmp_path: Path):
    bands = Bands("hand", aligned=0.6, partly=0.4, margin=0.1, same_idea_checked="measured")
    fi = audit(load_team(six(tmp_path)), FakeEmbedder(), bands=bands).findings[Foundation.VALUES]
    assert fi.same_idea == "agreement index >= 0.60, the model's aligned band; measured"
    assert any(i.kind == "core" for i in fi.ideas)
    plain = audit(load_team(six(tmp_path)), FakeEmbedder(), bands=None).findings[Foundation.VALUES]
    assert "statement similarity >= 2.0" in plain.same_idea


def test_the_grid_is_in_every_human_format_and_in_json(tmp_path: Path):
    report = audit(load_team(six(tmp_path)), FakeEmbedder())
    for fmt in (Format.TERMINAL, Format.MARKDOWN, Format.HTML):
        text = render(report, fmt, color=False, width=120)
        assert "Ideas" in text and "everyone" in text and "in other words" in text, fmt
    data = json.loads(render(report, Format.JSON))
    jsonschema.validate(data, schema())
    ideas = data["foundations"]["values"]["ideas"]
    assert ideas[0]["kind"] == "core" and ideas[0]["share"] == 1.0
    assert len(ideas[0]["statements"]) >= 6


def test_under_anonymity_an_idea_of_too_few_managers_is_not_broken_out(
    tmp_path: Path, fake_embedder
):
    team = six(tmp_path)
    result = CliRunner().invoke(app, ["audit", str(team), "-f", "json", "--anonymize"])
    values = json.loads(result.stdout)["foundations"]["values"]
    assert all(len(i["authors"]) >= 3 for i in values["ideas"])
    assert values["unique"] == []
    grouped = [s["statement"] for i in values["ideas"] for s in i["statements"]]
    assert ALONE not in grouped  # quoted as pair evidence still: answers are not rewritten


def test_two_camps_across_units_are_found_and_units_show_no_silo(tmp_path: Path):
    rows = [
        ("Ann", "Sales", "premium quality worth paying more"),
        ("Bob", "Ops", "premium quality, worth paying more for"),
        ("Cat", "Sales", "worth paying more for premium quality"),
        ("Dan", "Ops", "cheapest prices two for one deals"),
        ("Eli", "Sales", "cheapest prices and two for one deals"),
        ("Fay", "Ops", "two for one deals, cheapest prices"),
    ]
    for name, unit, text in rows:
        (tmp_path / "t").mkdir(exist_ok=True)
        (tmp_path / "t" / f"{name.lower()}.yaml").write_text(
            f"manager: {name}\nunit: {unit}\npositioning: {text}\n"
        )
    fi = audit(load_team(tmp_path / "t"), FakeEmbedder()).findings[Foundation.POSITIONING]
    assert sorted(g.members for g in fi.groups) == [("Ann", "Bob", "Cat"), ("Dan", "Eli", "Fay")]
    assert fi.units is not None and fi.units.gap < 0.3  # the units do not split
    assert [i.kind for i in fi.ideas] == ["addition", "addition"]  # two ideas, three each

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignaudit.collection.interview import scrub
from alignaudit.collection.status import read_config
from alignaudit.collection.templates import (
    FOUNDATIONS,
    RULE,
    answer_template,
    config_text,
    draft_filename,
    final_header,
    render_answers,
    team_readme,
    template_filename,
)
from alignaudit.core.errors import InputError
from alignaudit.core.text import clean, file_stem, split_sentences
from alignaudit.core.types import Foundation
from alignaudit.inputs.answers import load_team
from tests.conftest import write_manager


def fill(template: str, answers: dict[str, str | list[str]]) -> str:
    """Fill an answer template as a person would: write under each question."""
    for key, value in answers.items():
        if isinstance(value, list):
            items = "".join(f'  - "{v}"\n' for v in value)
            template = template.replace(f"\n{key}:\n", f"\n{key}:\n{items}", 1)
        else:
            template = template.replace(f"\n{key}: >\n  \n", f"\n{key}: >\n  {value}\n", 1)
    return template


def test_every_foundation_is_defined_in_plain_words():
    assert list(FOUNDATIONS) == list(Foundation)
    for d in FOUNDATIONS.values():
        assert d.question.endswith("?") or d.question.endswith(".")
        assert d.meaning and d.not_.startswith("Not")
    assert FOUNDATIONS[Foundation.VALUES].is_list
    assert "tagline" in FOUNDATIONS[Foundation.POSITIONING].not_
    assert "beyond profit" in FOUNDATIONS[Foundation.MISSION].meaning
    assert "own words" in RULE and "website" in RULE


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Dana Ortiz", "dana-ortiz"),
        ("  Zoë  O'Neill ", "zoe-o-neill"),
        ("Ça_va", "ca-va"),
        ("李雷", "李雷"),
        ("!!!", ""),
    ],
)
def test_file_stem(name: str, stem: str):
    assert file_stem(name) == stem


def test_reserved_file_names_start_with_underscore():
    assert template_filename("Dana Ortiz") == "_template-dana-ortiz.yaml"
    assert draft_filename("Dana Ortiz") == "_draft-dana-ortiz.yaml"


def test_template_explains_each_foundation_and_the_rule():
    text = answer_template("Dana Ortiz", "acme", tuple(Foundation))
    assert "manager: Dana Ortiz\n" in text
    assert "website" in text and "own words" in text
    for d in FOUNDATIONS.values():
        assert f"# {d.title.upper()}: " in text
    assert "tagline" in text
    assert all(len(line) <= 92 for line in text.splitlines())


def test_unfilled_template_is_refused_question_by_question(tmp_path: Path):
    team = tmp_path / "t"
    write_manager(team, "dana.yaml", answer_template("Dana Ortiz", "t", tuple(Foundation)))
    with pytest.raises(InputError) as info:
        load_team(team)
    messages = [p.message for p in info.value.problems]
    assert [m.split("'")[1] for m in messages] == [f.value for f in Foundation]
    assert all("is empty" in m for m in messages)


def test_filled_template_is_a_valid_answer_file(tmp_path: Path):
    team = tmp_path / "t"
    text = fill(
        answer_template("Dana Ortiz", "t", tuple(Foundation)),
        {
            "vision": "The greenest carrier. In Europe.",
            "mission": "Keep goods moving.",
            "values": ["Safety", "Honesty: we say what we see"],
            "positioning": "Reliable, not cheap.",
        },
    )
    text = text.replace("# role:", "role: COO")
    write_manager(team, "dana.yaml", text)
    (dana,) = load_team(team).managers
    assert dana.name == "Dana Ortiz" and dana.role == "COO" and dana.unit is None
    assert dana.answers[Foundation.VISION].statements == ("The greenest carrier.", "In Europe.")
    assert dana.answers[Foundation.VALUES].statements == ("Safety", "Honesty: we say what we see")


def test_partly_filled_template_with_questions_deleted_loads(tmp_path: Path):
    team = tmp_path / "t"
    text = fill(answer_template("Dana", "t", tuple(Foundation)), {"vision": "Be good."})
    for key in ("mission: >\n  \n", "values:\n", "positioning: >\n  \n"):
        text = text.replace(key, "")
    write_manager(team, "dana.yaml", text)
    (dana,) = load_team(team).managers
    assert set(dana.answers) == {Foundation.VISION}


def test_generic_template_asks_for_the_name(tmp_path: Path):
    text = answer_template(None, "t", tuple(Foundation))
    assert "\nmanager:\n" in text and "Write your name" in text


def test_template_quotes_names_yaml_would_misread(tmp_path: Path):
    team = tmp_path / "t"
    for i, name in enumerate(["Yes", "O'Brien: CEO", "123", "- Dash"]):
        text = fill(answer_template(name, "t", tuple(Foundation)), {"vision": "Be good."})
        for key in ("mission: >\n  \n", "values:\n", "positioning: >\n  \n"):
            text = text.replace(key, "")
        write_manager(team, f"m{i}.yaml", text)
    names = [m.name for m in load_team(team).managers]
    assert names == ["Yes", "O'Brien: CEO", "123", "- Dash"]


def test_config_text_is_read_back(tmp_path: Path):
    (tmp_path / "alignaudit.yaml").write_text(config_text(["Dana Ortiz", "Yes", "O'Brien"]))
    config = read_config(tmp_path)
    assert config.managers == ("Dana Ortiz", "Yes", "O'Brien")
    assert config.foundations == tuple(Foundation)
    (tmp_path / "alignaudit.yaml").write_text(config_text([]))
    assert read_config(tmp_path).managers == ()


def test_readme_walks_through_the_audit():
    text = team_readme("acme", "teams/acme", ["Dana Ortiz"])
    for command in ("collect teams/acme --manager 'Dana Ortiz'", "status teams/acme"):
        assert command in text
    assert "audit teams/acme" in text and "--from" in text and RULE in text


def test_rendered_answers_load_as_given(tmp_path: Path):
    answers = {
        Foundation.VISION: "Line one [bold]x[/bold].\nLine two: yes",
        Foundation.VALUES: ("yes", "123", "- dash", "Safety: always", "#hash"),
        Foundation.POSITIONING: "null",
    }
    text = render_answers("O'Brien: CEO", "No", None, answers, final_header("Dana", "t"))
    write_manager(tmp_path / "t", "a.yaml", text)
    (m,) = load_team(tmp_path / "t").managers
    assert m.name == "O'Brien: CEO" and m.role == "No" and m.unit is None
    assert m.answers[Foundation.VISION].statements == ("Line one [bold]x[/bold].", "Line two: yes")
    assert m.answers[Foundation.VALUES].statements == answers[Foundation.VALUES]
    assert m.answers[Foundation.POSITIONING].statements == ("null",)
    assert Foundation.MISSION not in m.answers


text_st = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200)


@settings(max_examples=150, deadline=None)
@given(vision=text_st, values=st.lists(text_st, min_size=1, max_size=4))
def test_any_typed_answer_round_trips_through_the_loader(
    tmp_path_factory: pytest.TempPathFactory, vision: str, values: list[str]
):
    vision = scrub(vision).strip()
    items = tuple(v for v in (scrub(v).strip() for v in values) if clean(v))
    answers = {Foundation.MISSION: "Keep going."}
    if clean(vision):
        answers[Foundation.VISION] = vision
    if items:
        answers[Foundation.VALUES] = items
    folder = tmp_path_factory.mktemp("t")
    write_manager(folder, "a.yaml", render_answers("Ana", None, None, answers, "header"))
    (m,) = load_team(folder).managers
    if clean(vision):
        assert m.answers[Foundation.VISION].statements == tuple(split_sentences(vision))
    if items:
        assert m.answers[Foundation.VALUES].statements == tuple(clean(v) for v in items)

from pathlib import Path

import pytest

from alignaudit.collection.status import State, on_roster, read_config, team_status
from alignaudit.collection.templates import answer_template, config_text, render_answers
from alignaudit.core.errors import InputError
from alignaudit.core.types import Foundation
from tests.conftest import write_manager

ALL = tuple(Foundation)
FULL = "vision: V.\nmission: M.\nvalues: [A]\npositioning: P.\n"


def config_problem(folder: Path, text: str) -> str:
    write_manager(folder, "alignaudit.yaml", text)
    with pytest.raises(InputError) as info:
        read_config(folder)
    (problem,) = info.value.problems
    return str(problem)


def test_no_config_means_no_roster_and_every_foundation(tmp_path: Path):
    config = read_config(tmp_path)
    assert config.managers is None and config.foundations == ALL and config.file is None


def test_config_is_read_as_the_audit_reads_it(tmp_path: Path):
    """status and collect read alignaudit.yaml with the audit's own reader: the roster and
    foundations come out, and a file the audit (and validate) would refuse is refused here
    too, so the commands never disagree on one file."""
    write_manager(
        tmp_path,
        "alignaudit.yaml",
        "model: default\nthresholds: {values: 0.6}\n"
        "foundations: [Values, vision]\nmanagers: [Ana Silva, Ben]\n",
    )
    config = read_config(tmp_path)
    assert config.managers == ("Ana Silva", "Ben")
    assert config.foundations == (Foundation.VALUES, Foundation.VISION)
    assert on_roster("ana  SILVA", config) == "Ana Silva"
    assert on_roster("Cy", config) is None
    (tmp_path / "alignaudit.yaml").write_text("managers: [Ana]\nforeign: 1\n")
    with pytest.raises(InputError, match=r"alignaudit\.yaml:2:1: unknown key 'foreign'"):
        read_config(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("managers: Ana\n", "alignaudit.yaml:1:11: 'managers' must be a list"),
        ("managers: [Ana, 3]\n", "alignaudit.yaml:1:17: 'each item of managers' must be text"),
        ("managers: [Ana, ana]\n", "'ana' is listed twice (also as 'Ana')"),
        ("managers: ['!!']\n", "a manager's name needs letters"),
        ("foundations: [vision, purpose]\n", "1:23: unknown foundation 'purpose'"),
        ("foundations: []\n", "'foundations' is empty"),
        ("foundations: [vision, vision]\n", "'vision' is listed twice"),
        ("managers: [Ana\n", "alignaudit.yaml:2:1: invalid YAML"),
        ("- a\n", "alignaudit.yaml:1:1: expected a mapping of keys"),
        ("foundations: [vision]\nfoundations: [values]\n", "2:1: duplicate key 'foundations'"),
        ("required: [vision, vision]\n", "'vision' is listed twice"),
    ],
)
def test_config_problems_say_where(tmp_path: Path, text: str, expected: str):
    assert expected in config_problem(tmp_path, text)


def test_status_of_a_team_in_every_state(tmp_path: Path):
    team = tmp_path / "acme"
    names = ["Ana", "Ben", "Cy", "Dee", "Eve"]
    write_manager(team, "alignaudit.yaml", config_text(names))
    write_manager(team, "ana.yaml", "manager: Ana\n" + FULL)
    write_manager(team, "ben.yaml", "manager: Ben\nvision: SECRET-BEN vision.\n")
    draft = render_answers("Cy", None, None, {Foundation.VISION: "x"}, "draft")
    write_manager(team, "_draft-cy.yaml", draft)
    write_manager(team, "_template-dee.yaml", answer_template("Dee", "acme", ALL))
    write_manager(team, "eve.yaml", "manager: Eve\nvison: typo\n")
    write_manager(team, "zed.yaml", "manager: Zed\n" + FULL)
    st = team_status(team)
    by = {m.name: m for m in st.managers}
    assert list(by) == [*names, "Zed"]
    assert by["Ana"].state is State.ANSWERED and by["Ana"].missing == ()
    assert by["Ben"].state is State.ANSWERED
    assert by["Ben"].missing == (Foundation.MISSION, Foundation.VALUES, Foundation.POSITIONING)
    assert by["Cy"].state is State.IN_PROGRESS and by["Cy"].answered == (Foundation.VISION,)
    assert by["Dee"].state is State.NOT_ANSWERED and by["Dee"].note == ""
    assert by["Eve"].state is State.PROBLEMS
    assert by["Zed"].state is State.ANSWERED and not by["Zed"].on_roster
    assert [p.message.split(";")[0] for p in st.problems] == ["unknown key 'vison'"]
    assert not st.complete
    assert "SECRET" not in repr(st)  # status carries names and foundations, never answers


def test_status_without_roster_uses_templates_and_drafts(tmp_path: Path):
    team = tmp_path / "t"
    write_manager(team, "a.yaml", "manager: Ana Silva\n" + FULL)
    write_manager(team, "_template-ben-okafor.yaml", answer_template("Ben Okafor", "t", ALL))
    filled = answer_template("Cy", "t", ALL).replace("vision: >\n  \n", "vision: >\n  Be.\n")
    for key in ("mission: >\n  \n", "values:\n", "positioning: >\n  \n"):
        filled = filled.replace(key, "")
    write_manager(team, "_template-cy.yaml", filled)
    st = team_status(team)
    assert [(m.name, m.state) for m in st.managers] == [
        ("Ana Silva", State.ANSWERED),
        ("Ben Okafor", State.NOT_ANSWERED),
        ("Cy", State.NOT_ANSWERED),
    ]
    assert st.managers[2].note == "template filled in but not collected"
    assert st.config.managers is None and not st.complete


def test_complete_needs_everyone_and_every_foundation(tmp_path: Path):
    team = tmp_path / "t"
    write_manager(team, "alignaudit.yaml", "managers: [Ana, Ben]\nfoundations: [vision]\n")
    write_manager(team, "a.yaml", "manager: Ana\nvision: V.\n")
    assert not team_status(team).complete
    write_manager(team, "b.yaml", "manager: Ben\nvision: W.\n")
    assert team_status(team).complete
    write_manager(team, "b2.yaml", "manager: ben\nvision: W.\n")
    st = team_status(team)
    assert not st.complete and "duplicate manager 'ben'" in st.problems[0].message


def test_status_of_a_missing_folder(tmp_path: Path):
    with pytest.raises(InputError, match="no such folder; create it with alignaudit init"):
        team_status(tmp_path / "nope")

from pathlib import Path

import pytest

from alignaudit.core.errors import InputError
from alignaudit.core.types import Foundation
from alignaudit.inputs.answers import load_team
from alignaudit.inputs.yaml_nodes import MAX_FILE_BYTES
from tests.conftest import EXAMPLES, write_manager

GOOD = "manager: Ana\nvision: Be the best.\n"


def problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_team(folder)
    return [str(p) for p in info.value.problems]


def one_problem(tmp_path: Path, text: str | bytes, name: str = "x.yaml") -> str:
    team = tmp_path / "team"
    team.mkdir(exist_ok=True)
    path = team / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    found = problems(team)
    assert len(found) == 1, found
    return found[0]


def test_loads_a_valid_team(team_dir: Path):
    team = load_team(team_dir)
    assert team.name == "acme"
    assert [m.name for m in team.managers] == ["Ana", "Ben", "Cy"]
    ana, ben, _ = team.managers
    assert ana.role == "CEO" and ana.unit == "Ops"
    assert ana.answers[Foundation.VALUES].statements == ("Safety", "Honesty", "Teamwork")
    assert ben.answers[Foundation.VISION].statements == (
        "Be the greenest freight network in Europe.",
        "Grow steadily.",
    )
    assert ben.answers[Foundation.VISION].line == 3
    assert Foundation.POSITIONING not in ben.answers  # missing is allowed


def test_examples_load():
    teams = {p.parent for p in EXAMPLES.rglob("*.yaml") if not p.name.startswith((".", "_"))}
    teams -= {p.parent for p in EXAMPLES.rglob(".github/**/*.yaml")}
    assert len(teams) >= 4
    for folder in sorted(teams):
        team = load_team(folder)
        assert 4 <= len(team.managers) <= 7


def test_reserved_and_other_files_are_ignored(tmp_path: Path):
    team = tmp_path / "t"
    write_manager(team, "a.yaml", GOOD)
    write_manager(team, "alignaudit.yaml", "not: a manager")
    write_manager(team, "_truth.yaml", "labels: {}")
    write_manager(team, "README.md", "# hello")
    assert [m.name for m in load_team(team).managers] == ["Ana"]


def test_unknown_key_suggests_the_right_one(tmp_path: Path):
    msg = one_problem(tmp_path, "manager: Ana\nvison: Be the best.\n")
    assert msg.endswith("x.yaml:2:1: unknown key 'vison'; did you mean 'vision'?")


def test_wrong_types_are_named(tmp_path: Path):
    team = tmp_path / "team"
    write_manager(team, "a.yaml", "manager: Ana\nvision: 42\nvalues: [Honesty, {a: b}]\n")
    found = problems(team)
    assert any(":2:9: 'vision' must be text or a list of texts, found a number" in p for p in found)
    assert any(":3:19: each item of 'values' must be text, found a mapping" in p for p in found)


def test_nested_mapping_answer(tmp_path: Path):
    msg = one_problem(tmp_path, "manager: Ana\nmission:\n  what: x\n")
    assert ":3:3: 'mission' must be text or a list of texts, found a mapping" in msg


def test_empty_answer(tmp_path: Path):
    msg = one_problem(tmp_path, "manager: Ana\nvision: ''\nmission: ok\n")
    assert ":2:9: 'vision' is empty" in msg


def test_null_answer(tmp_path: Path):
    msg = one_problem(tmp_path, "manager: Ana\nvision:\nmission: ok\n")
    assert "'vision' is empty; write an answer or remove the key" in msg


def test_manager_without_answers(tmp_path: Path):
    msg = one_problem(tmp_path, "manager: Ana\nrole: CEO\n")
    assert "no answers: add at least one of vision, mission, values, positioning" in msg


def test_missing_manager_key(tmp_path: Path):
    msg = one_problem(tmp_path, "vision: x\n")
    assert "missing 'manager:'" in msg


def test_not_a_mapping(tmp_path: Path):
    msg = one_problem(tmp_path, "- manager: Ana\n- vision: x\n")
    assert msg.endswith(":1:1: expected a mapping of keys (manager:, vision:, ...), found a list")


def test_empty_and_comment_only_files(tmp_path: Path):
    assert "file is empty" in one_problem(tmp_path, "")
    assert "file is empty" in one_problem(tmp_path, "# just a comment\n")


def test_several_documents(tmp_path: Path):
    msg = one_problem(tmp_path, GOOD + "---\nmanager: Ben\nvision: x\n")
    assert "several YAML documents" in msg and ":3:" in msg


def test_tabs_for_indentation(tmp_path: Path):
    msg = one_problem(tmp_path, "manager: Ana\nvalues:\n\t- Honesty\n")
    assert "tab" in msg and "x.yaml:3:" in msg


def test_duplicate_key(tmp_path: Path):
    msg = one_problem(tmp_path, "manager: Ana\nvision: a\nvision: b\n")
    assert ":3:1: duplicate key 'vision' (first at line 2)" in msg


def test_duplicate_manager_across_files(tmp_path: Path):
    team = tmp_path / "team"
    write_manager(team, "a.yaml", GOOD)
    write_manager(team, "b.yaml", "role: CFO\nmanager: ana \nvision: y\n")
    (msg,) = problems(team)
    assert "b.yaml:2:" in msg and "duplicate manager 'ana'" in msg and "a.yaml:1" in msg


def test_no_manager_files(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    (msg,) = problems(tmp_path / "empty")
    assert "no manager answer files" in msg


def test_missing_folder_and_file_instead_of_folder(tmp_path: Path):
    (msg,) = problems(tmp_path / "nope")
    assert "no such folder" in msg
    f = tmp_path / "file.yaml"
    f.write_text(GOOD)
    (msg,) = problems(f)
    assert "is a file" in msg


def test_invalid_utf8_points_at_the_line(tmp_path: Path):
    msg = one_problem(tmp_path, b"manager: Ana\nvision: caf\xe9 au lait\n")
    assert ":2:12: not valid UTF-8" in msg


def test_utf16_is_refused_and_utf8_bom_accepted(tmp_path: Path):
    assert "UTF-16" in one_problem(tmp_path, GOOD.encode("utf-16"))
    team = tmp_path / "bom"
    team.mkdir()
    (team / "a.yaml").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    assert load_team(team).managers[0].answers[Foundation.VISION].statements == ("Be the best.",)


def test_python_tags_are_refused_not_run(tmp_path: Path):
    marker = tmp_path / "ran"
    text = f"manager: Ana\nvision: !!python/object/apply:os.system ['touch {marker}']\n"
    msg = one_problem(tmp_path, text)
    assert "'vision' must be text or a list of texts, found a value tagged" in msg
    assert not marker.exists()


def test_alias_bomb_is_not_expanded(tmp_path: Path):
    lines = ["manager: Ana", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]")
    lines.append("values: *a8")
    found = problems(_team_with(tmp_path, "\n".join(lines) + "\n"))
    # Each unknown key and the non-text list items are reported; nothing is expanded.
    assert any("unknown key 'a0'" in p for p in found)
    assert any("each item of 'values' must be text, found a list" in p for p in found)


def _team_with(tmp_path: Path, text: str) -> Path:
    team = tmp_path / "bomb"
    write_manager(team, "a.yaml", text)
    return team


def test_size_limit_is_checked_before_reading(tmp_path: Path):
    msg = one_problem(tmp_path, "manager: Ana\nvision: " + "x" * (MAX_FILE_BYTES + 10) + "\n")
    assert "over the 1,000,000-byte limit" in msg


def test_all_problems_of_the_team_are_reported_at_once(tmp_path: Path):
    team = tmp_path / "team"
    write_manager(team, "a.yaml", "manager: Ana\nvison: x\nvalues: 3\n")
    write_manager(team, "b.yaml", "[1, 2]\n")
    write_manager(team, "c.yaml", GOOD.replace("Ana", "Cy"))
    found = problems(team)
    assert len(found) == 3
    assert [p.split(":")[0].rsplit("/", 1)[1] for p in found] == ["a.yaml", "a.yaml", "b.yaml"]


def test_messages_name_the_file_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write_manager(tmp_path / "team", "a.yaml", "manager: Ana\nvison: x\n")
    monkeypatch.chdir(tmp_path)
    (msg,) = problems(Path("team"))
    assert msg.startswith("team/a.yaml:2:1: ")


def test_values_written_as_one_line_are_read_as_a_list(tmp_path: Path):
    team = tmp_path / "team"
    dana = "manager: Dana Ortiz\nvision: Grow, then profit, then more.\n"
    write_manager(team, "dana.yaml", dana + 'values: "Honesty, Care, Courage"\n')
    write_manager(team, "ben.yaml", 'manager: Ben\nvalues: "We value honesty, care and courage."\n')
    write_manager(team, "cy.yaml", "manager: Cy\nvalues: [Honesty, Care]\n")
    ben, cy, dana = load_team(team).managers  # in file name order
    values = dana.answers[Foundation.VALUES]
    assert values.statements == ("Honesty", "Care", "Courage") and values.one_line
    assert values.line == 3
    # a sentence stays one statement, and a list written as a list is no note
    assert ben.answers[Foundation.VALUES].statements == ("We value honesty, care and courage.",)
    assert not ben.answers[Foundation.VALUES].one_line
    assert cy.answers[Foundation.VALUES].statements == ("Honesty", "Care")
    assert not cy.answers[Foundation.VALUES].one_line
    # only list answers are read so: prose with commas in another foundation stays whole
    assert dana.answers[Foundation.VISION].statements == ("Grow, then profit, then more.",)
    assert not dana.answers[Foundation.VISION].one_line

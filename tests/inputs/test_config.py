from pathlib import Path

import pytest

from alignaudit.core.errors import InputError
from alignaudit.core.types import Format, Foundation
from alignaudit.inputs.config import Config, find_config, load_config, parse_threshold, resolve


def write(tmp_path: Path, text: str, name: str = "alignaudit.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_config(tmp_path: Path):
    write(tmp_path, "vision: x\n", "official.yaml")
    config = load_config(
        write(
            tmp_path,
            "model: default\n"
            "foundations: [vision, Mission]\n"
            "required: [vision]\n"
            "thresholds: {overall: 0.5, vision: 0.6}\n"
            "fail_on_missing: yes\n"
            "reference: official.yaml\n"
            "themes: [customer experience]\n"
            "format: markdown\n"
            "managers: [Ana, Ben]\n",
        )
    )
    assert config.model is None  # "default" means the bundled model
    assert config.foundations == (Foundation.VISION, Foundation.MISSION)
    assert config.required == (Foundation.VISION,)
    assert config.thresholds == {"overall": 0.5, "vision": 0.6}
    assert config.fail_on_missing is True
    assert config.reference == str(tmp_path / "official.yaml")
    assert config.themes == ("customer experience",)
    assert config.format is Format.MARKDOWN
    assert config.managers == ("Ana", "Ben")


def test_empty_config_sets_nothing(tmp_path: Path):
    assert load_config(write(tmp_path, "# nothing yet\n")) == Config(
        path=str(tmp_path / "alignaudit.yaml")
    )


def test_every_problem_is_reported_with_its_line(tmp_path: Path):
    path = write(
        tmp_path,
        "modle: x\n"
        "foundations: [vision, purpose]\n"
        "thresholds:\n"
        "  overall: 3.5\n"
        "  visoin: 0.5\n"
        "fail_on_missing: maybe\n"
        "reference: nowhere.yaml\n"
        "format: docx\n",
    )
    with pytest.raises(InputError) as info:
        load_config(path)
    found = [str(p) for p in info.value.problems]
    expected = [
        ":1:1: unknown key 'modle'; did you mean 'model'?",
        ":2:23: unknown foundation 'purpose'",
        ":4:12: threshold 'overall' is 3.5; thresholds are on the index, 0 to 1",
        ":5:3: unknown key 'visoin'; did you mean 'vision'?",
        ":6:18: 'fail_on_missing' must be true or false",
        ":7:12: reference file 'nowhere.yaml' not found",
        ":8:9: unknown format 'docx'",
    ]
    assert len(found) == len(expected), found
    for message, want in zip(found, expected, strict=True):
        assert want in message, (message, want)
        assert message.startswith(str(path))


def test_not_a_mapping_and_bad_yaml(tmp_path: Path):
    with pytest.raises(InputError, match="expected a mapping of keys \\(model:, thresholds:"):
        load_config(write(tmp_path, "- a\n"))
    with pytest.raises(InputError, match=":1:"):
        load_config(write(tmp_path, "model: [\n"))


def test_flags_override_the_config_key_by_key():
    config = Config(
        model="a-model",
        thresholds={"overall": 0.5, "vision": 0.6},
        fail_on_missing=False,
        themes=("x",),
        format=Format.JSON,
    )
    s = resolve(config, thresholds={"vision": 0.7}, fail_on_missing=True, fmt=Format.HTML)
    assert s.thresholds == {"overall": 0.5, "vision": 0.7}
    assert s.fail_on_missing is True
    assert s.format is Format.HTML
    assert s.model == "a-model" and s.themes == ("x",)
    assert resolve(Config()).format is Format.TERMINAL
    assert resolve(Config()).foundations == tuple(Foundation)


def test_find_config(tmp_path: Path):
    assert find_config(tmp_path) is None
    write(tmp_path, "model: default\n", "alignaudit.yml")
    assert find_config(tmp_path) == tmp_path / "alignaudit.yml"


def test_parse_threshold():
    assert parse_threshold("Vision=0.6") == ("vision", 0.6)
    for bad in ("vision", "purpose=0.5", "vision=2", "vision=x"):
        with pytest.raises(ValueError):
            parse_threshold(bad)


@pytest.mark.parametrize("written", [".nan", ".inf", "-.inf", "0x1", "1:30", "nan"])
def test_a_threshold_that_is_no_index_is_a_problem_with_its_line(tmp_path, written):
    from alignaudit.core.errors import InputError
    from alignaudit.inputs.config import load_config

    path = tmp_path / "alignaudit.yaml"
    path.write_text(f"thresholds:\n  overall: {written}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert problem.line == 2 and "0 to 1" in problem.message


@pytest.mark.parametrize("value", ["nan", "inf", "1.5", "-0.1"])
def test_fail_under_outside_the_index_is_a_usage_error(team_dir, value):
    """Typer's range check refuses them (NaN included) before any model is loaded."""
    from typer.testing import CliRunner

    from alignaudit.cli import app

    result = CliRunner().invoke(app, ["audit", str(team_dir), "--fail-under", value])
    assert result.exit_code == 2 and "--fail-under" in result.stderr

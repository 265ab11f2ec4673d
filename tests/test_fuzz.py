"""Fuzzing every command's input readers through the real CLI (issue 14): whatever the bytes or
the nesting of an answer file, a config, a draft, a pairs file or a `collect --from` file, a
command ends with exit 0, 1 or 2 and a message, never an internal error or a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from alignaudit.cli import app
from tests.conftest import write_manager

runner = CliRunner()
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Building blocks of hostile YAML: keys of every file kind, flow and block syntax, anchors,
# tags, escapes of every width (past U+10FFFF and lone surrogates too), controls, bidi.
PIECES = [
    *"ab :-[]{}\n\t'\"#&*!|>%@`,?\\",
    *("manager: ", "vision: ", "values:\n  - ", "mission: ", "positioning: ", "role: "),
    *("thresholds: {", "overall: ", "foundations: [", "required: [", "managers: [", "themes: ["),
    *("reference: ", "format: ", "model: ", "fail_on_missing: ", ".inf", ".nan", "0x1", "1:30"),
    *('"\\U00110000"', '"\\ud800"', '"\\x1b]52;c;eA==\\x07"', "\u202e", "\u200b", "\x85"),
    *("&a [x, *a]", "*a", "!!python/object:os.system", "!secret ", "---\n", "1e999", "~"),
    *("[" * 30, "]" * 30, "é", "🚚", "\ufeff"),
]
YAMLISH = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), st.dates()
)
NESTED = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)
KEYS = st.sampled_from(["manager", "vision", "mission", "values", "positioning", "thresholds"])
SHAPED = st.dictionaries(st.one_of(KEYS, st.text(max_size=6)), NESTED, max_size=6).map(
    lambda d: yaml.safe_dump(d, allow_unicode=True)
)
PAYLOAD = st.one_of(
    st.binary(max_size=400),
    YAMLISH.map(str.encode),
    SHAPED.map(str.encode),
    st.integers(1, 400).map(lambda n: ("vision: " + "[" * n + "]" * n).encode()),
)
JSONISH = st.lists(
    st.sampled_from(
        [*'{}[]",:', '"a": ', '"b": ', '"id": ', '"x"', "9" * 5000, '"\\ud800"', "\n", "null"]
    ),
    max_size=30,
).map(lambda parts: "".join(parts).encode())


def ended_well(result) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output[-2000:])
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


def team(root: Path) -> Path:
    folder = root / "team"
    write_manager(folder, "ana.yaml", "manager: Ana\nvision: Be the greenest carrier.\n")
    write_manager(folder, "ben.yaml", "manager: Ben\nvision: Be the cheapest carrier.\n")
    return folder


@FUZZ
@given(PAYLOAD, st.sampled_from(["cy.yaml", "alignaudit.yaml", "_draft-cy.yaml"]))
def test_any_team_file_ends_with_0_1_or_2(fake_embedder, payload: bytes, name: str):
    with tempfile.TemporaryDirectory() as tmp:
        folder = team(Path(tmp))
        (folder / name).write_bytes(payload)
        other = team(Path(tmp) / "round-1")
        for command in (
            ["audit", str(folder), "-f", "json"],
            ["validate", str(folder)],
            ["status", str(folder)],
            ["batch", str(folder), str(other)],
            ["compare", str(other), str(folder)],
        ):
            ended_well(runner.invoke(app, command))


@FUZZ
@given(PAYLOAD)
def test_any_collect_from_file_ends_with_0_1_or_2(payload: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        folder = team(Path(tmp))
        source = Path(tmp) / "answers.yaml"
        source.write_bytes(payload)
        command = ["collect", str(folder), "--manager", "Cy", "--from", str(source)]
        ended_well(runner.invoke(app, command))


@FUZZ
@given(
    st.one_of(st.binary(max_size=400), JSONISH, YAMLISH.map(str.encode)),
    st.sampled_from(["pairs.csv", "pairs.tsv", "pairs.jsonl", "pairs.txt"]),
)
def test_any_pairs_file_ends_with_0_1_or_2(fake_embedder, payload: bytes, name: str):
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / name
        source.write_bytes(payload)
        ended_well(runner.invoke(app, ["score", "--pairs", str(source), "-q"]))

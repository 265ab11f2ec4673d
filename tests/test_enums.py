"""Every choice, walked: each StrEnum of the package has a check here that uses every member
through the code that serves it, and a new enum without one fails the first test."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from enum import StrEnum
from pathlib import Path

from typer.testing import CliRunner

import alignaudit
from alignaudit.cli import app
from tests.conftest import EXAMPLES, write_manager

runner = CliRunner()


def package_enums() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(alignaudit.__path__, "alignaudit."):
        if info.name == "alignaudit.__main__":
            continue  # importing it runs the command line
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, StrEnum) and obj.__module__ == info.name:
                found.add(name)
    return found


CHECKED = {
    "Foundation",
    "Format",
    "BatchFormat",
    "CompareFormat",
    "PairFormat",
    "State",
    "ItemKind",
}


def test_every_enum_has_a_check_here():
    assert package_enums() == CHECKED


def test_every_foundation_is_explained_asked_and_reported(fake_embedder):
    from alignaudit.collection.templates import FOUNDATIONS
    from alignaudit.core.types import Foundation

    report = json.loads(
        runner.invoke(app, ["audit", str(EXAMPLES / "harbor-health"), "-f", "json"]).stdout
    )
    for f in Foundation:
        assert FOUNDATIONS[f].meaning
        assert f.value in report["foundations"]


def test_every_report_format_renders_through_the_cli(fake_embedder):
    """Text formats print text; a binary one prints its file's bytes to a pipe, or, where its
    library is missing, says what to install and exits 2."""
    from alignaudit.core.errors import UsageError
    from alignaudit.core.types import Format
    from alignaudit.formats import require

    magic = {Format.PDF: b"%PDF-", Format.PPTX: b"PK\x03\x04"}
    for fmt in Format:
        result = runner.invoke(app, ["audit", str(EXAMPLES / "harbor-health"), "-f", fmt.value])
        if not fmt.binary:
            assert result.exit_code == 0 and result.stdout.strip(), fmt
            continue
        try:
            require(fmt)
        except UsageError as exc:
            assert result.exit_code == 2 and "pip install" in str(exc), fmt
            assert result.stdout_bytes == b"", fmt
            continue
        assert result.exit_code == 0, (fmt, result.output)
        assert result.stdout_bytes.startswith(magic[fmt]), fmt


def test_every_batch_compare_and_pairs_format_renders(fake_embedder, tmp_path: Path):
    from alignaudit.cli.batch import BatchFormat
    from alignaudit.cli.compare import CompareFormat
    from alignaudit.formats.pairs_out import PairFormat

    team = str(EXAMPLES / "harbor-health")
    for fmt in BatchFormat:
        result = runner.invoke(app, ["batch", team, "-f", fmt.value])
        assert result.exit_code == 0 and result.stdout.strip(), fmt
    for fmt in CompareFormat:
        result = runner.invoke(app, ["compare", team, team, "-f", fmt.value])
        assert result.exit_code == 0 and result.stdout.strip(), fmt
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,b\nGrow fast,Grow quickly\n")
    for fmt in PairFormat:
        result = runner.invoke(app, ["score", "--pairs", str(pairs), "-f", fmt.value, "-q"])
        assert result.exit_code == 0 and result.stdout.strip(), fmt


def test_every_status_state_is_reached(tmp_path: Path):
    from alignaudit.collection.status import State, team_status

    team = tmp_path / "t"
    names = ["Ana", "Ben", "Cy", "Dee"]
    assert (
        runner.invoke(app, ["init", str(team), *(a for n in names for a in ("-m", n))]).exit_code
        == 0
    )
    write_manager(team, "ana.yaml", "manager: Ana\nvision: Grow.\n")  # answered
    write_manager(team, "ben.yaml", "manager: Ben\nvision: [unclosed\n")  # has problems
    write_manager(team, "_draft-cy.yaml", "manager: Cy\nvision: Half done.\n")  # in progress
    states = {m.name: m.state for m in team_status(team).managers}  # Dee: not answered
    assert set(states.values()) == set(State), states


def test_every_workshop_item_kind_is_reached(tmp_path: Path):
    """Each kind of agenda item comes out of the plan's rules for some report: the workshop
    tests' team, and the same with values partly and not aligned."""
    from alignaudit.features.workshop import ItemKind, workshop_plan
    from tests.features.test_workshop import reports_reaching_every_kind

    kinds = {
        i.kind
        for report in reports_reaching_every_kind(tmp_path / "team")
        for i in workshop_plan(report).items
    }
    assert kinds == set(ItemKind)

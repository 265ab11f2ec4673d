"""`alignaudit batch`: many teams in one run, one embedding call, broken teams skipped."""

import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.errors import ModelError
from alignaudit.features.batch import audit_folders, discover, rank
from alignaudit.formats.json import to_dict
from tests.cli.test_cli import schema
from tests.conftest import EXAMPLES, FakeEmbedder, write_manager

runner = CliRunner()

ALIGNED = {
    "vision": "Be the greenest freight network in Europe.",
    "mission": "Keep supply chains running for communities.",
    "values": "[Safety, Honesty]",
    "positioning": "Reliable green freight.",
}


def make_team(folder: Path, answers: dict[str, dict[str, str]]) -> Path:
    for name, fields in answers.items():
        body = f"manager: {name}\n" + "".join(f"{k}: {v}\n" for k, v in fields.items())
        write_manager(folder, f"{name.lower()}.yaml", body)
    return folder


@pytest.fixture
def teams(tmp_path: Path) -> Path:
    """A folder of three teams: one aligned, one split, one broken; plus folders to ignore."""
    root = tmp_path / "teams"
    make_team(root / "alpha", {n: ALIGNED for n in ("Ana", "Ben", "Cy")})
    make_team(
        root / "beta",
        {
            "Dee": ALIGNED,
            "Eli": {
                "vision": "Lowest cost carrier through acquisitions.",
                "mission": "Deliver shareholder returns every quarter.",
                "values": "[Cost discipline, Speed]",
                "positioning": "Price leader with the lowest rates.",
            },
            "Fay": {
                "vision": "A software company for shipping data.",
                "mission": "Make logistics data open to everyone.",
                "values": "[Curiosity, Openness]",
                "positioning": "The analytics layer of freight.",
            },
        },
    )
    write_manager(root / "gamma", "x.yaml", "manager: Gus\nvison: typo\n")
    (root / "_drafts").mkdir()
    write_manager(root / "_drafts", "a.yaml", "manager: Draft\n")
    (root / "notes").mkdir()
    (root / "notes" / "readme.txt").write_text("not a team")
    return root


def distinct_statements(*folders: Path) -> set[str]:
    from alignaudit.inputs.answers import load_team

    return {
        s
        for folder in folders
        for m in load_team(folder).managers
        for a in m.answers.values()
        for s in a.statements
    }


def test_discover_folders_of_teams_and_team_folders(teams: Path, tmp_path: Path):
    found, failures = discover([teams, teams / "alpha", tmp_path / "nope", teams / "notes"])
    assert found == [str(teams / n) for n in ("alpha", "beta", "gamma")]  # alpha only once
    assert [str(p) for f in failures for p in f.problems] == [
        f"{tmp_path / 'nope'}: no such folder; give a team folder",
        f"{teams / 'notes'}: no answer files (*.yaml) in this folder or its sub-folders; "
        "give team folders or a folder of team folders",
    ]
    found, failures = discover([teams / "alpha" / "ana.yaml"])
    assert found == [] and "is a file" in str(failures[0].problems[0])


def test_one_embedding_call_for_all_teams(teams: Path):
    fake = FakeEmbedder()
    result = audit_folders([teams], fake)
    assert [r.team.name for r in result.reports] == ["alpha", "beta"]
    assert [f.path for f in result.failures] == [str(teams / "gamma")]
    assert len(fake.calls) == 1
    (call,) = fake.calls
    assert len(call) == len(set(call))
    assert set(call) == distinct_statements(teams / "alpha", teams / "beta")
    assert [r.team.name for r in rank(result.reports)] == ["alpha", "beta"]


def test_each_team_gets_the_figures_it_gets_alone(teams: Path):
    from alignaudit.api import audit

    result = audit_folders([teams / "beta", teams / "alpha"], FakeEmbedder())
    for report in result.reports:
        alone = audit(report.team.path, FakeEmbedder())
        assert to_dict(report) == to_dict(alone)


def test_ranked_table(teams: Path, fake_embedder):
    result = runner.invoke(app, ["batch", str(teams)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "#",
        "team",
        "n",
        "vision",
        "mission",
        "values",
        "positioning",
        "overall",
        "verdict",
    ]
    assert lines[2].split()[:3] == ["1", "alpha", "3"]
    assert lines[3].split()[:3] == ["2", "beta", "3"]
    # identical answers; the fake model has no fitted bands, so its verdict is "can't tell"
    assert lines[2].split()[-3:] == ["1.00", "can't", "tell"]
    assert "no fitted bands" in " ".join(result.stdout.split())
    assert all(len(line) <= 80 for line in lines)
    assert result.stderr.splitlines() == [
        f"skipped {teams / 'gamma'}:",
        f"  {teams / 'gamma' / 'x.yaml'}:2:1: unknown key 'vison'; did you mean 'vision'?",
    ]
    assert len(fake_embedder.calls) == 1


def test_jsonl_is_one_valid_report_per_team(teams: Path, tmp_path: Path, fake_embedder):
    result = runner.invoke(app, ["batch", str(teams / "beta"), str(teams / "alpha"), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["team"] for r in reports] == ["beta", "alpha"]  # in the order given
    assert [r["path"] for r in reports] == [str(teams / "beta"), str(teams / "alpha")]
    for report in reports:
        jsonschema.validate(report, schema())


def test_table_on_stdout_and_jsonl_to_a_file(teams: Path, tmp_path: Path, fake_embedder):
    out = tmp_path / "reports.jsonl"
    result = runner.invoke(app, ["batch", str(teams), "--jsonl", str(out)])
    assert result.exit_code == 0
    assert "alpha" in result.stdout and "overall" in result.stdout
    assert [json.loads(x)["team"] for x in out.read_text().splitlines()] == ["alpha", "beta"]
    assert f"wrote {out} (2 reports)" in result.stderr
    table = tmp_path / "table.txt"
    result = runner.invoke(app, ["batch", str(teams), "-o", str(table), "--quiet"])
    assert result.exit_code == 0 and result.stdout == ""
    assert "skipped" in result.stderr and "wrote" not in result.stderr  # problems still shown
    assert table.read_text().splitlines()[2].split()[1] == "alpha"


def test_strict_stops_at_a_broken_team(teams: Path, fake_embedder):
    result = runner.invoke(app, ["batch", str(teams), "--strict"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {teams / 'gamma' / 'x.yaml'}:2:1: unknown key 'vison'; did you mean 'vision'?"
    ]
    assert fake_embedder.calls == []  # stopped before the model
    result = runner.invoke(app, ["batch", str(teams / "alpha"), "--strict"])
    assert result.exit_code == 0


def test_nothing_to_audit_exits_2(teams: Path, tmp_path: Path, fake_embedder):
    result = runner.invoke(app, ["batch", str(teams / "gamma"), str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "skipped" in result.stderr
    assert "error: no team to audit" in result.stderr
    assert runner.invoke(app, ["batch"]).exit_code == 2  # a folder is required


def test_foundation_filter(teams: Path, fake_embedder):
    result = runner.invoke(app, ["batch", str(teams / "alpha"), "--foundation", "values"])
    assert result.exit_code == 0
    header = result.stdout.splitlines()[0].split()
    assert header == ["#", "team", "n", "values", "overall", "verdict"]


def test_model_error_exits_3(teams: Path, monkeypatch, use_model):
    def missing(model):
        raise ModelError("cannot load model 'x'")

    use_model(missing)
    result = runner.invoke(app, ["batch", str(teams)])
    assert result.exit_code == 3
    assert "error: cannot load model 'x'" in result.stderr


@pytest.mark.model
def test_real_model_ranks_the_aligned_example_first(tmp_path: Path):
    result = runner.invoke(app, ["batch", str(EXAMPLES), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    reports = {r["team"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert set(reports) == {"harbor-health", "brightline-software", "northwind-logistics"}
    best = max(reports.values(), key=lambda r: r["overall"]["index"])
    assert best["team"] == "harbor-health"


def test_unknown_format_is_a_usage_error(teams: Path, fake_embedder):
    result = runner.invoke(app, ["batch", str(teams), "-f", "html"])
    assert result.exit_code == 2 and "Invalid value" in result.stderr


def test_progress_bar_path(teams: Path, fake_embedder, monkeypatch):
    import io
    from contextlib import contextmanager

    from rich.console import Console

    import alignaudit.cli.progress as progress_module
    from alignaudit.cli.progress import progress

    shown = io.StringIO()

    @contextmanager
    def forced(quiet):
        with progress(quiet, console=Console(file=shown, force_terminal=True, width=60)) as bar:
            yield bar

    monkeypatch.setattr(progress_module, "progress", forced)  # used by embedded()
    result = runner.invoke(app, ["batch", str(teams)])
    assert result.exit_code == 0, result.output
    assert "alpha" in result.stdout
    assert "auditing 2 teams" in shown.getvalue()


def test_a_token_pooled_model_runs_each_statement_once(tmp_path: Path):
    """With a model pooled token by token (MiniLM), an audit asks for both vectors of each
    statement; a plain prefetch first used to put every statement through the model twice."""
    from tests.conftest import TokenPooled

    root = tmp_path / "teams"
    for team, words in (("north", "green freight"), ("south", "cheap parcels")):
        make_team(
            root / team,
            {
                n: {"vision": f"{n} wants {words}.", "values": f"[{n} care, {words}]"}
                for n in ("Ana", "Ben", "Cy")
            },
        )
    model = TokenPooled()
    result = audit_folders([root], model)
    assert len(result.reports) == 2 and not result.failures
    ran = [t for call in model.calls for t in call]
    assert sorted(ran) == sorted(distinct_statements(root / "north", root / "south"))
    assert len(model.calls_discounted) == 2  # one run per team: its index vectors differ


def test_the_memo_remembers_both_vectors_of_a_discounted_run():
    from alignaudit.embedding.memo import MemoEmbedder
    from tests.conftest import TokenPooled

    model = TokenPooled()
    memo = MemoEmbedder(model)
    texts = ["Move freight on time", "Honesty first"]
    plain, index = memo.encode_discounted(texts, {4: 0.5})
    assert memo.prefetch(texts) == 0  # nothing fetched plain for a token-pooled model
    again_plain, again_index = memo.encode_discounted(texts[::-1], {4: 0.5})
    assert np.array_equal(again_plain, plain[::-1]) and np.array_equal(again_index, index[::-1])
    assert np.array_equal(memo.encode(texts), plain)
    assert len(model.calls_discounted) == 1 and len(model.calls) == 1
    memo.encode_discounted(texts, {4: 0.9})  # other factors for "Move ...": a new index vector
    assert len(model.calls_discounted) == 2

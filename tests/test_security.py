"""What a report may contain: no paths beyond those the user gave, no environment details."""

import getpass
import json
import os
import socket
from pathlib import Path

from typer.testing import CliRunner

from alignaudit.cli import app
from tests.conftest import TEXT_FORMATS

runner = CliRunner()


def test_reports_hold_only_the_paths_given(team_dir: Path, fake_embedder, monkeypatch):
    monkeypatch.chdir(team_dir.parent)
    secrets = {str(team_dir.parent), str(Path.home()), socket.gethostname(), getpass.getuser()}
    secrets |= {v for k, v in os.environ.items() if k in ("HOME", "USER", "PWD") and len(v) > 3}
    (team_dir.parent / "official.yaml").write_text("vision: Be the greenest freight network.\n")
    for fmt in TEXT_FORMATS:
        result = runner.invoke(
            app,
            ["audit", "acme", "-f", fmt.value, "--reference", "official.yaml"],
            env={"NO_COLOR": "1"},
        )
        assert result.exit_code == 0, result.output
        for secret in secrets:
            assert secret not in result.stdout, (fmt, secret)
    report = json.loads(runner.invoke(app, ["audit", "acme", "-f", "json"]).stdout)
    assert [m["file"] for m in report["managers"]] == [
        "acme/ana.yaml",
        "acme/ben.yaml",
        "acme/cy.yml",
    ]


def test_an_absolute_path_given_is_kept_as_given(team_dir: Path, fake_embedder):
    report = json.loads(runner.invoke(app, ["audit", str(team_dir), "-f", "json"]).stdout)
    assert report["managers"][0]["file"] == f"{team_dir}/ana.yaml"
    assert report["team"] == "acme"


def test_a_model_folder_is_named_not_located(team_dir: Path, fake_embedder, monkeypatch):
    from alignaudit.embedding.transformers import SentenceTransformerEmbedder

    folder = team_dir.parent / "private" / "my-model"
    folder.mkdir(parents=True)
    (folder / "modules.json").write_text("[]")
    assert SentenceTransformerEmbedder(str(folder)).name == "my-model"

"""Per-manager pages for one-to-one debriefs: one confidential page per manager with their own
answers, where they stand and who is closest and furthest; never under --anonymize; text
from the files stays inert."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.features.auditor import audit
from alignaudit.formats import manager_pages
from alignaudit.inputs.answers import load_team
from tests.conftest import EXAMPLES, FakeEmbedder
from tests.formats.test_golden import write_hostile

runner = CliRunner()


def test_one_confidential_page_per_manager(tmp_path: Path, fake_embedder):
    team = EXAMPLES / "northwind-logistics"
    out = tmp_path / "debriefs"
    result = runner.invoke(
        app, ["audit", str(team), "-f", "json", "-o", str(tmp_path / "r.json"),
              "--per-manager", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = audit(load_team(team), FakeEmbedder())
    names = [m.name for m in report.team.managers]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        manager_pages.file_name(n) for n in names
    )
    page = (out / "marcus-holt.html").read_text()
    assert "Confidential: for Marcus Holt only" in page and "<script" not in page.lower()
    marcus = next(m for m in report.team.managers if m.name == "Marcus Holt")
    for statement in marcus.answers[next(iter(marcus.answers))].statements:
        assert statement in page  # his own words (plain text here: nothing to escape)
    others = [n for n in names if n != "Marcus Holt"]
    assert not any(f"Confidential: for {n}" in page for n in others)


def test_where_a_manager_stands_is_their_pairs_mean(fake_embedder):
    report = audit(load_team(EXAMPLES / "brightline-software"), FakeEmbedder())
    for r in report.foundations.values():
        for name in r.answered:
            st = manager_pages.standing(r, name)
            mine = [p for p in r.pairs if name in (p.a, p.b)]
            assert st is not None
            assert abs(st.own - sum(p.index for p in mine) / len(mine)) < 1e-12
            assert st.closest.index == max(p.index for p in mine)
            assert st.furthest.index == min(p.index for p in mine)


def test_never_with_anonymize(tmp_path: Path, fake_embedder):
    out = tmp_path / "debriefs"
    result = runner.invoke(
        app, ["audit", str(EXAMPLES / "harbor-health"), "--anonymize", "--per-manager", str(out)]
    )
    assert result.exit_code == 2 and "cannot be made with --anonymize" in result.stderr
    assert not out.exists()
    report = audit(load_team(EXAMPLES / "harbor-health"), FakeEmbedder())
    from dataclasses import replace

    try:
        manager_pages.render(replace(report, anonymized=True), report.team.managers[0].name)
    except ValueError as exc:
        assert "anonymised" in str(exc)
    else:
        raise AssertionError("an anonymised report made a page")


def test_a_folder_that_cannot_be_made_is_exit_2(tmp_path: Path, fake_embedder):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = runner.invoke(
        app, ["audit", str(EXAMPLES / "harbor-health"), "-f", "json", "-o",
              str(tmp_path / "r.json"), "--per-manager", str(blocker / "pages")],
    )  # fmt: skip
    assert result.exit_code == 2 and "cannot make the folder" in result.stderr


def test_hostile_text_stays_inert_and_file_names_stay_plain(tmp_path: Path, fake_embedder):
    team = write_hostile(tmp_path / "hostile")
    out = tmp_path / "pages"
    result = runner.invoke(
        app, ["audit", str(team), "-f", "json", "-o", str(tmp_path / "r.json"),
              "--per-manager", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = audit(load_team(team), FakeEmbedder())
    assert len(list(out.iterdir())) == len(report.team.managers)
    for page in out.iterdir():
        assert re.fullmatch(r"[a-z0-9-]+\.html", page.name)
        html = page.read_text()
        assert "<script" not in html.lower() and "<b>" not in html
        assert "default-src 'none'" in html


def test_a_large_team_gives_each_manager_their_mean_not_pairs_it_does_not_have(
    fake_embedder, monkeypatch
):
    from alignaudit.scoring import large_team

    monkeypatch.setattr(large_team, "LARGE_TEAM", 3)  # the large-team path from 4 managers
    report = audit(load_team(EXAMPLES / "harbor-health"), FakeEmbedder())
    r = next(iter(report.foundations.values()))
    assert not r.every_pair
    name = r.answered[0]
    st = manager_pages.standing(r, name)
    assert st is not None and st.own == r.large.agreement_index[name]
    assert st.rest is None and st.closest is None and st.furthest is None
    page = manager_pages.render(report, name)
    assert "Closest to you" not in page and "You agree with the others at index" in page

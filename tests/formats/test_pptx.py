"""`--format pptx` as a person gets it: where LibreOffice is installed, each slide of an
example deck converted to PDF and to PNG and looked at; everywhere, the deck's structure read
back (slides, titles, the heatmap's cells and colours, the key quotes); the hostile team's
text inert in the slide XML; a clear exit 2 without python-pptx."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.results import UNMATCHED_BELOW
from alignaudit.core.types import AuditOptions, Foundation
from alignaudit.features.auditor import audit
from alignaudit.formats import pptx as slides
from alignaudit.formats.summary import VERDICT_COLOURS, pair_word
from alignaudit.inputs.answers import load_team
from tests.conftest import EXAMPLES, FakeEmbedder, write_manager
from tests.formats.test_golden import write_hostile
from tests.formats.test_pdf import PDFTOPPM, ink, png_pages

runner = CliRunner()
OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(autouse=True)
def _python_pptx() -> None:
    pytest.importorskip(
        "pptx", reason="python-pptx is not installed (pip install 'alignaudit[pptx]')"
    )


def deck_of(team: Path, tmp_path: Path, *extra: str) -> Path:
    target = tmp_path / f"{team.name}.pptx"
    result = runner.invoke(app, ["audit", str(team), "-f", "pptx", "-o", str(target), *extra])
    assert result.exit_code in (0, 1), result.output
    assert f"wrote {target}" in result.stderr
    return target


def titles(deck: Path) -> list[str]:
    from pptx import Presentation

    return [s.shapes.title.text_frame.text for s in Presentation(str(deck)).slides]


def tables(slide) -> list[list[list[str]]]:
    found = []
    for shape in slide.shapes:
        if shape.has_table:
            rows = shape.table.rows
            found.append([[cell.text_frame.text for cell in row.cells] for row in rows])
    return found


def fill_of(cell) -> str | None:
    fill = cell._tc.tcPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}solidFill")
    if fill is None:
        return None
    return fill[0].get("val").lower()


def test_the_deck_of_an_example_has_its_slides_tables_and_quotes(tmp_path: Path, fake_embedder):
    from pptx import Presentation

    team = EXAMPLES / "northwind-logistics"
    deck = deck_of(team, tmp_path)
    assert deck.read_bytes().startswith(b"PK\x03\x04")
    assert titles(deck) == [
        "Alignment audit: northwind-logistics",
        "Summary",
        "Vision",
        "Mission",
        "Values",
        "Positioning",
        "Workshop agenda",
    ]
    report = audit(load_team(team), FakeEmbedder())
    prs = Presentation(str(deck))
    assert prs.slide_width * 9 == prs.slide_height * 16
    assert prs.core_properties.title == "Alignment audit: northwind-logistics"
    first = prs.slides[0]
    words = " ".join(s.text_frame.text for s in first.shapes if s.has_text_frame)
    assert "5 managers · overall index" in words and "alignaudit" in words
    (summary,) = tables(prs.slides[1])
    assert summary[0] == ["", "index [90% interval]", "verdict", "stands apart", "no answer"]
    assert [row[0] for row in summary[1:]] == [
        "overall",
        "vision",
        "mission",
        "values",
        "positioning",
    ]
    assert summary[5][4] == "Ingrid Novak"  # no positioning answer
    findings = " ".join(s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame)
    assert "What matters most" in findings and "no answer from Ingrid Novak" in findings
    assert "Next: Talk one to one with Marcus Holt" in findings
    for slide, (foundation, result) in zip(
        list(prs.slides)[2:6], report.foundations.items(), strict=True
    ):
        (matrix,) = tables(slide)
        names = list(result.answered)
        assert matrix[0] == ["", *names] and [row[0] for row in matrix[1:]] == names
        table = next(s for s in slide.shapes if s.has_table).table
        for i, a in enumerate(names, start=1):
            for j, b in enumerate(names, start=1):
                pair = result.pair(a, b)
                if a == b:
                    assert matrix[i][j] == "·"
                    continue
                assert matrix[i][j] == f"{pair.index:.2f}"
                word = pair_word(pair.index, report.bands)
                assert fill_of(table.cell(i, j)) == VERDICT_COLOURS[word], (foundation, a, b)
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        worst = min(result.pairs, key=lambda p: (p.index, p.score))
        assert f"Key quotes: {worst.a} × {worst.b}, index {worst.index:.2f}" in text
        ua, ub = worst.unmatched(UNMATCHED_BELOW)
        for m in (*ua[:3], *ub[:3]):
            assert m.statement[:60] in text
        assert all(w in text for w in ("aligned", "partly aligned", "not aligned", "can't tell"))


@pytest.mark.skipif(
    OFFICE is None, reason="no LibreOffice here (apt-get install libreoffice-impress)"
)
@pytest.mark.skipif(PDFTOPPM is None, reason="no pdftoppm here (apt-get install poppler-utils)")
def test_libreoffice_shows_every_slide(tmp_path: Path, fake_embedder):
    deck = deck_of(EXAMPLES / "northwind-logistics", tmp_path)
    profile = (tmp_path / "office-profile").as_uri()
    subprocess.run(
        [
            OFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = png_pages(tmp_path / "out" / f"{deck.stem}.pdf", tmp_path / "png")
    assert len(pages) == 7  # title, summary, four foundations, the workshop agenda
    colours: set[str] = set()
    for page in pages:
        share, found = ink(page)
        assert 0.005 < share < 0.6, (page.name, share)
        colours |= found
    assert "can't tell" in colours  # the fake model has no bands: grey cells and pills
    for page in pages[2:6]:  # each foundation slide shows its legend in all four colours
        assert ink(page)[1] == set(VERDICT_COLOURS), page.name


XML_PARTS = re.compile(r"ppt/(slides/slide\d+|presentation)\.xml|docProps/core\.xml")


def test_the_hostile_team_stays_text_in_the_slide_xml(tmp_path: Path, fake_embedder):
    name = "Acme <b>x<i> & ]]> \u202eevil"
    deck = deck_of(write_hostile(tmp_path / name), tmp_path)
    with zipfile.ZipFile(deck) as z:
        parts = {n: z.read(n) for n in z.namelist() if XML_PARTS.fullmatch(n)}
        assert all(not n.startswith("/") and ".." not in n for n in z.namelist())
    assert len([n for n in parts if "slides/slide" in n]) == 7
    texts = []
    for part, data in parts.items():
        root = ET.fromstring(data)  # well-formed: nothing broke out of its element
        tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
        assert not tags & {"script", "b", "i", "img", "hlinkClick"}, part
        texts += [el.text or "" for el in root.iter()]
        assert b"<script" not in data and b"\x1b" not in data, part
        assert "\u202e".encode() not in data, part
    shown = " ".join(texts)
    # The markup, formulas and links of the answers are on the slides as text, escaped in
    # the XML; the team's name with its bidi control is shown inert.
    assert "Ana <b>Silva</b>" in shown and b"Ana &lt;b&gt;Silva&lt;/b&gt;" in b"".join(
        parts.values()
    )
    assert '=HYPERLINK("http://evil.example","x")' in shown
    assert "[bold red]forged[/bold red] ![img](http://evil.example/x.png)" in shown
    assert "🚚 最も安い運送会社。" in shown
    assert "Alignment audit: Acme <b>x<i> & ]]> \\u202eevil" in shown


def test_plain_keeps_one_line_of_xml_text():
    assert slides.plain("a\x00b\x1b[31mc\u202ed\ufffee\nf\vg\u200bh") == "ab[31mcde f gh"
    assert slides.plain("🚚 最も安い") == "🚚 最も安い"


def test_anonymized_deck_names_nobody(tmp_path: Path, fake_embedder):
    deck = deck_of(write_hostile(tmp_path / "hostile"), tmp_path, "--anonymize")
    with zipfile.ZipFile(deck) as z:
        parts = [z.read(n) for n in z.namelist() if XML_PARTS.fullmatch(n)]
    shown = " ".join(el.text or "" for data in parts for el in ET.fromstring(data).iter())
    assert "Manager A" in shown
    for name in ("Ana", "Ben", "Zoë", "Dee"):
        assert name not in shown, name


def test_a_large_team_lists_its_most_divergent_pairs(tmp_path: Path):
    team = tmp_path / "big"
    for i in range(14):
        text = "Grow the network." if i % 2 else f"Be the cheapest carrier number {i}."
        write_manager(team, f"m{i:02d}.yaml", f"manager: M{i:02d}\nvision: {text}\n")
    report = audit(load_team(team), FakeEmbedder(), AuditOptions(foundations=(Foundation.VISION,)))
    from pptx import Presentation

    prs = Presentation(BytesIO(slides.render(report)))
    (pairs,) = tables(prs.slides[2])
    assert pairs[0] == ["most divergent pairs", "index", "verdict"]
    assert len(pairs) == 1 + slides.MAX_PAIRS
    indices = [float(row[1]) for row in pairs[1:]]
    assert indices == sorted(indices)
    text = " ".join(s.text_frame.text for s in prs.slides[2].shapes if s.has_text_frame)
    assert "14 managers: the whole matrix is in the PDF or HTML report." in text


def test_a_foundation_with_one_answer_says_so(tmp_path: Path):
    team = tmp_path / "t"
    write_manager(team, "a.yaml", "manager: Ana\nvision: Grow.\nmission: Serve.\n")
    write_manager(team, "b.yaml", "manager: Ben\nvision: Grow fast.\n")
    report = audit(load_team(team), FakeEmbedder())
    from pptx import Presentation

    prs = Presentation(BytesIO(slides.render(report)))
    mission = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Mission")
    text = " ".join(s.text_frame.text for s in mission.shapes if s.has_text_frame)
    assert "Fewer than two answers." in text and "no answer: Ben" in text
    assert tables(mission) == []


def test_the_workshop_agenda_slide_joins_the_deck(tmp_path: Path):
    from pptx import Presentation

    report = audit(load_team(EXAMPLES / "harbor-health"), FakeEmbedder())
    agenda = [("09:00 Positioning", "Price leader or not: decide"), ("10:30 Values", "<b>x")]
    prs = Presentation(BytesIO(slides.render(report, agenda=agenda)))
    assert prs.slides[-1].shapes.title.text_frame.text == "Workshop agenda"
    assert tables(prs.slides[-1]) == [
        [
            ["when / what", "detail"],
            ["09:00 Positioning", "Price leader or not: decide"],
            ["10:30 Values", "<b>x"],
        ]
    ]
    plain = Presentation(BytesIO(slides.render(report, agenda=())))
    assert len(plain.slides) == len(prs.slides) - 1


def test_by_default_the_deck_ends_with_the_reports_own_workshop_plan(tmp_path: Path):
    from pptx import Presentation

    from alignaudit.features.workshop import workshop_plan

    report = audit(load_team(EXAMPLES / "brightline-software"), FakeEmbedder())
    plan = workshop_plan(report)
    prs = Presentation(BytesIO(slides.render(report)))
    assert prs.slides[-1].shapes.title.text_frame.text == "Workshop agenda"
    (rows,) = tables(prs.slides[-1])
    first = plan.items[0]
    assert rows[1] == [f"1. {first.topic} ({first.minutes} min)", first.question]
    shown = min(len(plan.items), slides.AGENDA_ROWS)
    assert len(rows) == 1 + shown + (len(plan.items) > slides.AGENDA_ROWS)


def test_without_python_pptx_it_says_what_to_install(tmp_path: Path, fake_embedder, monkeypatch):
    monkeypatch.setitem(sys.modules, "pptx", None)  # import pptx now raises ImportError
    target = tmp_path / "deck.pptx"
    result = runner.invoke(
        app, ["audit", str(EXAMPLES / "harbor-health"), "-f", "pptx", "-o", str(target)]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --format pptx needs python-pptx: pip install 'alignaudit[pptx]'"
    )
    assert not target.exists() and list(tmp_path.iterdir()) == []
    assert fake_embedder.calls == []

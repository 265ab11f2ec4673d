"""`--format pdf` as a person gets it: a real PDF of an example team, each page turned into a
PNG by pdftoppm and looked at (not blank, the verdict colours printed, a sensible page
count); the metadata and text of the hostile team inert; each engine, and a clear exit 2
when there is none; nothing half-written; never bytes on a terminal."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alignaudit.cli import app
from alignaudit.core.errors import UsageError
from alignaudit.core.text import inert
from alignaudit.formats import pdf
from alignaudit.formats.summary import VERDICT_COLOURS
from tests.conftest import EXAMPLES, ROOT, write_manager
from tests.formats.test_golden import write_hostile

runner = CliRunner()
PDFTOPPM = shutil.which("pdftoppm")
needs_pdftoppm = pytest.mark.skipif(
    PDFTOPPM is None, reason="no pdftoppm on this machine (apt-get install poppler-utils)"
)


def engine_or_skip(name: str | None = None) -> str:
    """The engine that would print (or `name`, when it is available); skips when none is."""
    try:
        found = pdf.engine()
    except Exception as exc:
        pytest.skip(f"no PDF engine here: {exc}")
    if name == pdf.WEASYPRINT and pdf._weasyprint()[0] is None:
        pytest.skip("WeasyPrint is not installed or cannot load (pip install 'alignaudit[pdf]')")
    if name == pdf.CHROMIUM and pdf.browser() is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    return name or found


def pdf_text(document: Path) -> str:
    """The text of a PDF as pdftotext reads it, white space folded (pypdf misreads the
    two-byte font encodings WeasyPrint writes for large fonts)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("no pdftotext on this machine (apt-get install poppler-utils)")
    done = subprocess.run(
        [tool, "-enc", "UTF-8", str(document), "-"], check=True, capture_output=True, timeout=60
    )
    return " ".join(done.stdout.decode("utf-8").split())


def png_pages(document: Path, folder: Path, dpi: int = 40) -> list[Path]:
    """Each page of a PDF as a PNG, as pdftoppm makes them."""
    assert PDFTOPPM is not None
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [PDFTOPPM, "-png", "-r", str(dpi), str(document), str(folder / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(folder.glob("page-*.png"))


def ink(png: Path) -> tuple[float, set[str]]:
    """The share of a page's pixels that are not white, and which verdict colours it shows
    (within a small tolerance, as a renderer may blend edges)."""
    image_module = pytest.importorskip("PIL.Image", reason="Pillow reads the PNG pages")
    with image_module.open(png) as image:
        data = image.convert("RGB").tobytes()
    pixels = [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]
    inked = sum(1 for p in pixels if min(p) < 235) / len(pixels)
    found = set()
    for word, colour in VERDICT_COLOURS.items():
        rgb = tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))
        near = sum(1 for p in pixels if all(abs(a - b) <= 6 for a, b in zip(p, rgb, strict=True)))
        if near >= 20:
            found.add(word)
    return inked, found


def audit_pdf(team: Path, target: Path, *extra: str) -> None:
    result = runner.invoke(app, ["audit", str(team), "-f", "pdf", "-o", str(target), *extra])
    assert result.exit_code in (0, 1), result.output
    assert f"wrote {target}" in result.stderr


@needs_pdftoppm
@pytest.mark.parametrize("engine", [pdf.WEASYPRINT, pdf.CHROMIUM])
def test_an_example_team_prints_as_pages_a_person_can_read(
    engine: str, tmp_path: Path, fake_embedder, monkeypatch
):
    engine_or_skip(engine)
    monkeypatch.setenv(pdf.ENGINE_VARIABLE, engine)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # Chromium's folder goes here
    target = tmp_path / "northwind.pdf"
    audit_pdf(EXAMPLES / "northwind-logistics", target)
    assert target.read_bytes().startswith(b"%PDF-")
    pages = png_pages(target, tmp_path / "png")
    # The report of five managers, four foundations and seven trade-offs: a few pages of A4,
    # not one squashed page nor one page per line.
    assert 4 <= len(pages) <= 20, len(pages)
    colours: set[str] = set()
    for page in pages:
        share, found = ink(page)
        assert 0.005 < share < 0.6, (page.name, share)  # text on it, not a black page
        colours |= found
    # The verdict pills and heatmap cells keep their colour in print (the fake model has no
    # bands, so every verdict reads can't tell).
    assert "can't tell" in colours
    share, _ = ink(pages[0])
    assert share > 0.02  # the first page holds the summary table and the key findings
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("alignaudit-pdf-")] == []


def test_the_pdf_carries_the_report_and_its_metadata(tmp_path: Path, fake_embedder):
    engine_or_skip(pdf.WEASYPRINT)
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF back")
    target = tmp_path / "harbor.pdf"
    audit_pdf(EXAMPLES / "harbor-health", target)
    reader = pypdf.PdfReader(target)
    meta = reader.metadata
    assert meta.title == "Alignment audit: harbor-health"
    assert meta.subject.startswith("5 managers · overall index ")
    assert meta["/Keywords"] == "alignment audit, vision, mission, values, positioning"
    assert meta.creator.startswith("alignaudit ")
    assert "/CreationDate" not in meta  # the same report gives the same file
    text = pdf_text(target)
    assert "Alignment audit: harbor-health" in text and "Key findings" in text
    assert "page 1 of" in text  # the print stylesheet's page numbers
    again = tmp_path / "again.pdf"
    audit_pdf(EXAMPLES / "harbor-health", again)
    assert again.read_bytes() == target.read_bytes()


def test_the_hostile_team_stays_inert_in_text_and_metadata(tmp_path: Path, fake_embedder):
    """Team name, managers' names and statements try markup, PDF string syntax, line
    breaks and bidi controls: the PDF shows them as text and its information dictionary
    keeps only the fields alignaudit sets."""
    engine_or_skip(pdf.WEASYPRINT)
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF back")
    name = "Acme) >> endobj (PWNED\\ <b>x<i>\n\u202eevil"  # no "/": one folder
    team = write_hostile(tmp_path / name)
    target = tmp_path / "hostile.pdf"
    audit_pdf(team, target)
    reader = pypdf.PdfReader(target)
    meta = reader.metadata
    assert meta.title == f"Alignment audit: {inert(name)}"
    assert "\n" not in meta.title and "\u202e" not in meta.title
    assert "\\x0a" in meta.title and "\\u202e" in meta.title  # shown, not acted on
    assert set(meta) == {"/Title", "/Subject", "/Keywords", "/Creator", "/Producer"}
    text = pdf_text(target)
    assert "<script>alert(1)</script>" in text  # on the page as text: nothing ran or hid it
    assert "Ana <b>Silva</b>" in text
    assert "[bold red]forged[/bold red]" in text
    catalogue = reader.trailer["/Root"]
    assert "/OpenAction" not in catalogue and "/AA" not in catalogue and "/Names" not in catalogue
    for page in reader.pages:
        assert "/Annots" not in page  # no link: the URLs in answers stay text


def test_anonymized_pdf_names_nobody(tmp_path: Path, fake_embedder):
    engine_or_skip(pdf.WEASYPRINT)
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDF back")
    target = tmp_path / "anon.pdf"
    audit_pdf(write_hostile(tmp_path / "hostile"), target, "--anonymize")
    reader = pypdf.PdfReader(target)
    text = pdf_text(target) + str(reader.metadata)
    assert "Manager A" in text
    for name in ("Ana", "Ben", "Zoë", "Dee"):
        assert name not in text, name


def test_with_no_engine_it_says_what_to_install_and_writes_nothing(
    tmp_path: Path, fake_embedder, monkeypatch
):
    monkeypatch.setattr(pdf, "_weasyprint", lambda: (None, "WeasyPrint is not installed"))
    monkeypatch.setattr(pdf, "browser", lambda: None)
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the old report")
    result = runner.invoke(
        app, ["audit", str(EXAMPLES / "northwind-logistics"), "-f", "pdf", "-o", str(target)]
    )
    assert result.exit_code == 2
    assert "pip install 'alignaudit[pdf]'" in result.stderr
    assert "apt-get install chromium" in result.stderr
    assert "Traceback" not in result.output
    assert target.read_bytes() == b"the old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary file either
    assert fake_embedder.calls == []  # said before any work


class _BrokenLibraries(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """`import weasyprint` fails as it does where Pango is missing: with an OSError."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            return importlib.machinery.ModuleSpec(name, self)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        raise OSError("cannot load library 'libpango-1.0-0': error 0x7e")


def test_weasyprint_without_its_libraries_falls_back_or_says_why(monkeypatch):
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_BrokenLibraries(), *sys.meta_path])
    module, reason = pdf._weasyprint()
    assert module is None and "cannot load its system libraries" in reason
    assert "libpango" in reason
    monkeypatch.setattr(pdf, "browser", lambda: None)
    with pytest.raises(UsageError, match=r"alignaudit\[pdf\].*libpango"):
        pdf.engine()
    monkeypatch.setattr(pdf, "browser", lambda: "/usr/bin/chromium")
    assert pdf.engine() == pdf.CHROMIUM


def test_a_weasyprint_older_than_68_is_not_used(monkeypatch):
    old = types.ModuleType("weasyprint")
    old.__version__ = "57.2"
    monkeypatch.setitem(sys.modules, "weasyprint", old)
    assert pdf._weasyprint() == (None, "WeasyPrint 57.2 is older than 68")


def test_the_engine_variable_picks_one_or_is_a_usage_error(monkeypatch):
    monkeypatch.setattr(pdf, "_weasyprint", lambda: (object(), None))
    monkeypatch.setattr(pdf, "browser", lambda: "/usr/bin/chromium")
    assert pdf.engine() == pdf.WEASYPRINT
    monkeypatch.setenv(pdf.ENGINE_VARIABLE, "Chromium")
    assert pdf.engine() == pdf.CHROMIUM
    monkeypatch.setattr(pdf, "browser", lambda: None)
    with pytest.raises(UsageError, match="no Chromium browser on PATH"):
        pdf.engine()
    monkeypatch.setenv(pdf.ENGINE_VARIABLE, "wkhtmltopdf")
    with pytest.raises(UsageError, match="use weasyprint or chromium"):
        pdf.engine()


def test_a_browser_that_prints_nothing_is_exit_3_and_leaves_the_old_file(
    tmp_path: Path, fake_embedder, monkeypatch
):
    fake = tmp_path / "bin" / "chromium"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'it went wrong' >&2\nexit 4\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv(pdf.ENGINE_VARIABLE, pdf.CHROMIUM)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the old report")
    result = runner.invoke(
        app, ["audit", str(EXAMPLES / "harbor-health"), "-f", "pdf", "-o", str(target)]
    )
    assert result.exit_code == 3
    assert "Chromium printed no PDF (exit 4: it went wrong)" in result.stderr
    assert "Traceback" not in result.output
    assert target.read_bytes() == b"the old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "report.pdf"]


def test_the_chromium_command_reaches_no_network_and_keeps_to_its_folder(
    tmp_path: Path, monkeypatch
):
    """What the browser is started with, seen by a stand-in that records its arguments and
    environment and prints a minimal PDF."""
    fake = tmp_path / "chromium"
    log = tmp_path / "args.txt"
    fake.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > {log}\n'
        f'echo "HOME=$HOME" >> {log}\n'
        'for a in "$@"; do case "$a" in --print-to-pdf=*) '
        'printf "%%PDF-1.4 stand-in" > "${a#--print-to-pdf=}";; esac; done\n'
    )
    fake.chmod(0o755)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = pdf.with_chromium("<html><head><title>t</title></head><body>x</body></html>", str(fake))
    assert data == b"%PDF-1.4 stand-in"
    args = log.read_text().splitlines()
    assert "--headless" in args and "--host-resolver-rules=MAP * ~NOTFOUND" in args
    assert "--disable-background-networking" in args and "--no-proxy-server" in args
    folder = next(a for a in args if a.startswith("HOME=")).removeprefix("HOME=")
    assert folder.startswith(str(tmp_path / "alignaudit-pdf-"))
    assert any(a == f"--user-data-dir={folder}/profile" for a in args)
    assert args[-2] == f"file://{folder}/report.html"
    assert not Path(folder).exists()  # removed with everything the browser left in it


def test_a_pdf_goes_to_a_pipe_but_never_to_a_terminal(tmp_path: Path):
    """In a real pseudo-terminal the command refuses before it audits (so no model is
    loaded); through a pipe the bytes arrive whole."""
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1", "TERM": "dumb"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    for fmt in ("pdf", "pptx"):
        child = pexpect.spawn(
            sys.executable,
            ["-m", "alignaudit", "audit", str(EXAMPLES / "harbor-health"), "-f", fmt],
            env=env,
            encoding="utf-8",
            timeout=60,
        )
        child.expect(pexpect.EOF)
        child.close()
        screen = " ".join(child.before.split())
        assert child.exitstatus == 2, screen
        assert f"--format {fmt} writes a binary file: give it one with -o FILE" in screen
        assert "%PDF" not in screen and "Traceback" not in screen
    assert not (tmp_path / "cache").exists()  # nothing embedded, nothing cached


def test_a_team_folder_with_one_manager_prints(tmp_path: Path, fake_embedder):
    engine_or_skip()
    team = tmp_path / "solo"
    write_manager(team, "ana.yaml", "manager: Ana\nvision: Grow.\n")
    target = tmp_path / "solo.pdf"
    audit_pdf(team, target)
    assert target.read_bytes().startswith(b"%PDF-")


def test_the_config_file_may_choose_pdf(tmp_path: Path, fake_embedder, example):
    engine_or_skip()
    team = example("harbor-health")
    (team / "alignaudit.yaml").write_text("format: pdf\n")
    result = runner.invoke(app, ["audit", str(team)])  # to a pipe: the bytes, whole
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"%PDF-") and result.stdout_bytes.rstrip().endswith(
        b"%%EOF"
    )

"""Regenerate the pictures of docs/deliverables.md: audit an example team with the real model
as PDF and slides, turn the PDF's first pages and every slide into PNG (pdftoppm; the slides
through LibreOffice), and write them small (256 colours) to docs/images/.

    .venv/bin/python scripts/deliverable_images.py [examples/northwind-logistics]

Needs the extras pdf and pptx (`.[all]`), pdftoppm (poppler-utils) and LibreOffice
(libreoffice-impress-nogui). Look at every picture before committing it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
PDF_PAGES = (1, 2, 4)  # the summary, the trade-offs, the first foundation
DPI = 80


def run(*command: str) -> None:
    subprocess.run(command, check=True, cwd=ROOT)


def small(png: Path, target: Path) -> None:
    """The picture in 256 colours, without dithering: text stays crisp, the file half as big."""
    from PIL import Image

    with Image.open(png) as image:
        quantized = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    quantized.save(target, optimize=True)
    print(f"wrote {target.relative_to(ROOT)}")


def main() -> None:
    team = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/northwind-logistics")
    pdftoppm, office = shutil.which("pdftoppm"), shutil.which("soffice")
    if pdftoppm is None or office is None:
        sys.exit("needs pdftoppm (poppler-utils) and soffice (libreoffice-impress-nogui)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report, deck = folder / "report.pdf", folder / "deck.pptx"
        for fmt, path in (("pdf", report), ("pptx", deck)):
            run(sys.executable, "-m", "alignaudit", "audit", str(team), "-f", fmt, "-o", str(path))
        for page in PDF_PAGES:
            prefix = folder / f"page-{page}"
            run(pdftoppm, "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
                str(report), str(prefix))  # fmt: skip
            small(prefix.with_suffix(".png"), IMAGES / f"pdf-page-{page}.png")
        profile = (folder / "office").as_uri()
        run(office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
            "--outdir", str(folder / "slides"), str(deck))  # fmt: skip
        run(pdftoppm, "-png", "-r", str(DPI), str(folder / "slides" / "deck.pdf"),
            str(folder / "slide"))  # fmt: skip
        for old in IMAGES.glob("slide-*.png"):
            old.unlink()
        for i, png in enumerate(sorted(folder.glob("slide-*.png")), start=1):
            small(png, IMAGES / f"slide-{i}.png")


if __name__ == "__main__":
    main()

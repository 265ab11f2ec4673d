"""The HTML report (formats/html.py) as a PDF to hand to a client: the same page, with a print
stylesheet (A4, page numbers, no table or quote cut across pages).

Two engines, tried in order: WeasyPrint (`pip install 'alignaudit[pdf]'`; it needs the Pango
system libraries), then a headless Chromium, if one is installed, printing from a temporary
folder that is removed afterwards. ALIGNAUDIT_PDF_ENGINE=weasyprint or chromium picks one.
Neither engine fetches anything: the page has no external resource, WeasyPrint is given a
fetcher that allows no protocol, and Chromium runs with its network features off and every
host name unresolvable.

Text from the answer files reaches the PDF only as escaped HTML text and as metadata strings
(title, subject), which are made visible (core.text.inert) and written by the PDF library as
escaped strings, so nothing in them can become markup, a PDF operator or another field.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import ModuleType

from .._version import __version__
from ..core.errors import AlignAuditError, UsageError
from ..core.results import TeamReport
from ..core.text import inert
from . import html
from .summary import overview

ENGINE_VARIABLE = "ALIGNAUDIT_PDF_ENGINE"
WEASYPRINT, CHROMIUM = "weasyprint", "chromium"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WEASYPRINT_INSTALL = "WeasyPrint (pip install 'alignaudit[pdf]')"
INSTALL = (
    f"--format pdf needs {WEASYPRINT_INSTALL} or a Chromium browser (apt-get install chromium)"
)
CHROMIUM_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-proxy-server",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-pdf-header-footer",
    "--print-to-pdf-no-header",
)
CHROMIUM_TIMEOUT = 120  # seconds; a first start on a cold disk takes a few

# The print stylesheet, added after the page's own. Page numbers and the running title come
# from the document itself (the h1's text), never from CSS written with a team's name. A
# table's header row stays with its first row. The two sides of a quoted pair are table
# cells in print: WeasyPrint's grid sizing breaks their lines early.
PRINT_STYLE = """
@page{size:A4;margin:15mm 14mm 17mm 14mm;
@bottom-left{content:string(report);font:8pt sans-serif;color:#6b7580}
@bottom-right{content:"page " counter(page) " of " counter(pages);font:8pt sans-serif;
color:#6b7580}}
html{font-size:10pt}body{margin:0;max-width:none;padding:0}
h1{string-set:report content()}
h1,h2,h3,h4{break-after:avoid}h2{margin-top:1.6rem}
tr,blockquote,.pair,.finding,.strip,.heat,.warning,svg{break-inside:avoid}
tr:first-child{break-after:avoid}
.ideas td:first-child{width:45%}
.pair{display:table;width:100%;table-layout:fixed}
.pair>div{display:table-cell;vertical-align:top;padding-right:1rem}
"""
# Chromium leaves background colours out of print unless told; WeasyPrint prints them and
# does not know the property.
CHROMIUM_STYLE = "*{print-color-adjust:exact;-webkit-print-color-adjust:exact}"


def print_html(report: TeamReport, *, chromium: bool = False) -> str:
    """The HTML report with the print stylesheet: what the engine prints. The first
    `</head>` is the page's own (answer text is escaped, so it can hold none)."""
    style = PRINT_STYLE + (CHROMIUM_STYLE if chromium else "")
    return html.render(report).replace("</head>", f"<style>{style}</style></head>", 1)


def metadata(report: TeamReport) -> dict[str, str]:
    """The PDF's document information: title, subject, keywords and creator. Each value is
    made visible (core.text.inert), so a team name with a line break or a bidi control shows
    it as an escape in a PDF viewer's properties instead of acting on them."""
    foundations = ", ".join(f.value for f in report.foundations)
    return {
        "title": inert(f"Alignment audit: {report.team.name}"),
        "subject": inert(overview(report)),
        "keywords": inert(f"alignment audit, {foundations}"),
        "creator": f"alignaudit {__version__}",
    }


def _weasyprint() -> tuple[ModuleType | None, str | None]:
    """WeasyPrint, or None and why not: not installed, installed without the system
    libraries it loads (Pango), which it reports as an OSError, or older than 68."""
    try:
        import weasyprint
    except ImportError:
        return None, "WeasyPrint is not installed"
    except OSError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, f"WeasyPrint cannot load its system libraries ({inert(reason)})"
    if not hasattr(weasyprint, "URLFetcher"):  # before 68: no fetcher class to refuse with
        version = getattr(weasyprint, "__version__", "?")
        return None, f"WeasyPrint {inert(str(version))} is older than 68"
    return weasyprint, None


def browser() -> str | None:
    """The path of a Chromium (or Chrome) on PATH, if any."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def engine() -> str:
    """Which engine will print: WeasyPrint when it loads, else Chromium when one is
    installed (ALIGNAUDIT_PDF_ENGINE picks one). Raises UsageError (exit 2) naming what to
    install when there is none."""
    wanted = os.environ.get(ENGINE_VARIABLE, "").strip().lower()
    if wanted not in ("", WEASYPRINT, CHROMIUM):
        raise UsageError(f"{ENGINE_VARIABLE}={wanted}: use {WEASYPRINT} or {CHROMIUM}")
    why = []
    if wanted in ("", WEASYPRINT):
        module, reason = _weasyprint()
        if module is not None:
            return WEASYPRINT
        why.append(str(reason))
    if wanted in ("", CHROMIUM):
        if browser() is not None:
            return CHROMIUM
        why.append("no Chromium browser on PATH")
    raise UsageError(f"{INSTALL}; {'; '.join(why)}")


def require() -> None:
    """Raise UsageError naming what to install when no engine can print a PDF."""
    engine()


def render(report: TeamReport) -> bytes:
    """The report as a PDF, made whole in memory: a caller writes it or nothing."""
    if engine() == WEASYPRINT:
        return with_weasyprint(print_html(report), metadata(report))
    return with_chromium(print_html(report, chromium=True))


def with_weasyprint(page: str, info: dict[str, str]) -> bytes:
    """The page printed by WeasyPrint, fetching nothing, with the document information set.
    No creation date is written, so the same report gives the same file."""
    weasyprint, reason = _weasyprint()
    if weasyprint is None:
        raise UsageError(f"{INSTALL}; {reason}")
    fetcher = weasyprint.URLFetcher(allowed_protocols=())  # no protocol: nothing is fetched
    document = weasyprint.HTML(string=page, url_fetcher=fetcher).render()
    meta = document.metadata
    meta.title = info["title"]
    meta.description = info["subject"]
    meta.keywords = [info["keywords"]]
    meta.generator = info["creator"]
    meta.authors = []
    meta.created = meta.modified = None
    return bytes(document.write_pdf())


def with_chromium(page: str, path: str | None = None) -> bytes:
    """The page printed by a headless Chromium in a temporary folder (its profile too), which
    is removed afterwards; the PDF's title is the page's <title>. Raises AlignAuditError (exit
    3) when the browser prints nothing."""
    found = path or browser()
    if found is None:
        raise UsageError(f"{INSTALL}; no Chromium browser on PATH")
    with tempfile.TemporaryDirectory(prefix="alignaudit-pdf-") as tmp:
        folder = Path(tmp)
        source, target = folder / "report.html", folder / "report.pdf"
        source.write_text(page, encoding="utf-8")
        command = [
            found,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        if os.geteuid() == 0:  # Chromium refuses to start as root with its sandbox
            command.insert(1, "--no-sandbox")
        env = {**os.environ, "HOME": tmp, "XDG_CONFIG_HOME": tmp, "XDG_CACHE_HOME": tmp}
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=CHROMIUM_TIMEOUT,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise AlignAuditError(
                f"Chromium printed no PDF within {CHROMIUM_TIMEOUT} s; "
                f"{WEASYPRINT_INSTALL} prints without a browser"
            ) from None
        data = target.read_bytes() if target.is_file() else b""
        if not data.startswith(b"%PDF"):
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            last = inert(said[-1][:300]) if said else "nothing on stderr"
            raise AlignAuditError(
                f"Chromium printed no PDF (exit {done.returncode}: {last}); "
                f"{WEASYPRINT_INSTALL} prints without a browser"
            )
        return data

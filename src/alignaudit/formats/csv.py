"""CSV: one row per pair and foundation, for spreadsheets. Cells that a spreadsheet would run
as a formula (starting with = + - @, tab or carriage return) are neutralised with a quote."""

from __future__ import annotations

import csv
import io

from ..core.results import UNMATCHED_BELOW, TeamReport
from .summary import pair_word

COLUMNS = (
    "team",
    "foundation",
    "manager_a",
    "manager_b",
    "score",
    "band",
    "raw",
    "index",
    "verdict",
    "unmatched_a",
    "unmatched_b",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC = {COLUMNS.index(c) for c in ("score", "raw", "index")}  # our own numbers, not text


def neutralise(cell: str) -> str:
    """Make text inert in Excel, LibreOffice and Google Sheets (OWASP CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def render(report: TeamReport) -> str:
    """The report as CSV, one row per pair and foundation."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for f, r in report.foundations.items():
        for p in r.pairs:
            ua, ub = p.unmatched(UNMATCHED_BELOW)
            row = [
                report.team.name,
                f.value,
                p.a,
                p.b,
                f"{p.score:.4f}",
                p.band,
                f"{p.raw:.4f}",
                f"{p.index:.4f}",
                pair_word(p.index, report.bands),
                " | ".join(m.statement for m in ua),
                " | ".join(m.statement for m in ub),
            ]
            writer.writerow([c if i in _NUMERIC else neutralise(c) for i, c in enumerate(row)])
    return out.getvalue()

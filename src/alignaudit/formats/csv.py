"""CSV: one row per pair and foundation, for spreadsheets; where the managers rated trade-offs,
four more columns and one row per manager and trade-off (or ranking) after the pairs. Cells that
a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) are
neutralised with a quote."""

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
# Added only where the managers rated trade-offs, so a team without ratings gets the same file.
CHOICE_COLUMNS = ("choice", "rating", "choice_word", "agreement")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC = {COLUMNS.index(c) for c in ("score", "raw", "index")}  # our own numbers, not text


def neutralise(cell: str) -> str:
    """Make text inert in Excel, LibreOffice and Google Sheets (OWASP CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def render(report: TeamReport) -> str:
    """The report as CSV, one row per pair and foundation, then one per manager and rated
    choice (its rating, the choice's word, and r_wg or Kendall's W)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    rated = bool(report.tradeoffs or report.rankings)
    extra = [""] * len(CHOICE_COLUMNS) if rated else []
    writer.writerow((*COLUMNS, *CHOICE_COLUMNS) if rated else COLUMNS)
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
            cells = [c if i in _NUMERIC else neutralise(c) for i, c in enumerate(row)]
            writer.writerow(cells + extra)
    blank = [""] * (len(COLUMNS) - 3)
    for t in report.tradeoffs:
        for name, v in t.ratings:
            figure = "" if t.rwg is None else f"{t.rwg:.4f}"
            head = [neutralise(report.team.name), t.tradeoff.foundation.value, neutralise(name)]
            writer.writerow([*head, *blank, neutralise(t.tradeoff.id), str(v), t.word, figure])
    for rank in report.rankings:
        for name, order in rank.orders:
            figure = "" if rank.w is None else f"{rank.w:.4f}"
            head = [neutralise(report.team.name), rank.ranking.foundation.value, neutralise(name)]
            said = neutralise(" > ".join(order))
            writer.writerow([*head, *blank, neutralise(rank.ranking.id), said, rank.word, figure])
    return out.getvalue()

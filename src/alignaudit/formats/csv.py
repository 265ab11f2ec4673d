"""CSV, for spreadsheets: a row for the team, then per foundation a row with its figures
followed by one row per pair; where the managers rated trade-offs, four more columns and one row
per manager and trade-off (or ranking) after the pairs. The `kind` column says which row is
which. Cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage
return) are neutralised with a quote."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..core.results import UNMATCHED_BELOW, TeamReport
from .summary import pair_word, verdict_of

COLUMNS = (
    "kind",
    "team",
    "foundation",
    "manager_a",
    "manager_b",
    "score",
    "band",
    "raw",
    "index",
    "index_low",
    "index_high",
    "verdict",
    "answered",
    "unmatched_a",
    "unmatched_b",
)
# What the `kind` column says: the team's figures, a foundation's, a pair's, a manager's rating
# of a trade-off, or a manager's order of a ranking.
TEAM, FOUNDATION, PAIR, RATING, RANKING = "team", "foundation", "pair", "rating", "ranking"
# Added only where the managers rated trade-offs, so a team without ratings gets the same file.
CHOICE_COLUMNS = ("choice", "rating", "choice_word", "agreement")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Our own numbers, not text: never quoted, so a negative index stays a number.
_NUMERIC = {
    COLUMNS.index(c) for c in ("score", "raw", "index", "index_low", "index_high", "answered")
}


def neutralise(cell: str) -> str:
    """Make text inert in Excel, LibreOffice and Google Sheets (OWASP CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _figure(x: float | None) -> str:
    return "" if x is None else f"{x:.4f}"


def _interval(bounds: tuple[float, float] | None) -> list[str]:
    return ["", ""] if bounds is None else [f"{bounds[0]:.4f}", f"{bounds[1]:.4f}"]


def _safe(row: Sequence[str]) -> list[str]:
    """A row of COLUMNS with every text cell neutralised."""
    return [c if i in _NUMERIC else neutralise(c) for i, c in enumerate(row)]


def render(report: TeamReport) -> str:
    """The report as CSV: the team's row (overall index, its interval and verdict, how many
    managers), then per foundation its row (index, interval, verdict, how many answered) and one
    row per pair, then one per manager and rated choice (its rating, the choice's word, and r_wg
    or Kendall's W)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    rated = bool(report.tradeoffs or report.rankings)
    extra = [""] * len(CHOICE_COLUMNS) if rated else []
    writer.writerow((*COLUMNS, *CHOICE_COLUMNS) if rated else COLUMNS)
    team = report.team.name
    writer.writerow(
        _safe(
            [
                TEAM,
                team,
                *[""] * 6,
                _figure(report.overall_index),
                *_interval(report.overall_interval),
                verdict_of(report.overall_verdict),
                str(len(report.team.managers)),
                "",
                "",
            ]
        )
        + extra
    )
    for f, r in report.foundations.items():
        row = [
            FOUNDATION,
            team,
            f.value,
            *[""] * 5,
            _figure(r.index),
            *_interval(r.index_interval),
            verdict_of(r.verdict),
            str(len(r.answered)),
            "",
            "",
        ]
        writer.writerow(_safe(row) + extra)
        for p in r.pairs:
            ua, ub = p.unmatched(UNMATCHED_BELOW)
            row = [
                PAIR,
                team,
                f.value,
                p.a,
                p.b,
                f"{p.score:.4f}",
                p.band,
                f"{p.raw:.4f}",
                f"{p.index:.4f}",
                "",
                "",
                pair_word(p.index, report.bands),
                "",
                " | ".join(m.statement for m in ua),
                " | ".join(m.statement for m in ub),
            ]
            writer.writerow(_safe(row) + extra)
    blank = [""] * (len(COLUMNS) - 4)
    for t in report.tradeoffs:
        for name, v in t.ratings:
            figure = "" if t.rwg is None else f"{t.rwg:.4f}"
            head = _safe([RATING, team, t.tradeoff.foundation.value, name])
            writer.writerow([*head, *blank, neutralise(t.tradeoff.id), str(v), t.word, figure])
    for rank in report.rankings:
        for name, order in rank.orders:
            figure = "" if rank.w is None else f"{rank.w:.4f}"
            head = _safe([RANKING, team, rank.ranking.foundation.value, name])
            said = neutralise(" > ".join(order))
            writer.writerow([*head, *blank, neutralise(rank.ranking.id), said, rank.word, figure])
    return out.getvalue()

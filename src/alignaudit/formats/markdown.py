"""Markdown for a pull-request comment or a CI job summary. Answer text is escaped so it can
neither format the page nor inject HTML."""

from __future__ import annotations

import re

from ..analysis.findings import Findings
from ..audit import UNMATCHED_BELOW
from ..baseline import INDEX_BANDS
from ..model import FoundationResult, TeamReport
from .summary import BANDS_CAVEAT, key_findings, signature_line

# Backslash-escaping these keeps text literal in CommonMark and GitHub: no emphasis, code,
# links or images (brackets), raw HTML or entities (< > &), table cells (|), headings or strikes.
_SPECIAL = re.compile(r"([\\`*_\[\]#|<>&~])")


def escape(text: str) -> str:
    """Literal text in Markdown, safe inside a table cell."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _num(x: float | None, digits: int = 2) -> str:
    return "no answer" if x is None else f"{x:.{digits}f}"


def _interval(bounds: tuple[float, float] | None) -> str:
    return "" if bounds is None else f" ({bounds[0]:.2f}-{bounds[1]:.2f})"


def _summary(report: TeamReport) -> list[str]:
    lines = [
        "| foundation | index (90% interval) | band | STS 0-5 | stands apart | no answer |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for f, r in report.foundations.items():
        fi = report.findings.get(f)
        apart = ""
        if fi and fi.outliers:
            apart = ", ".join(escape(s.manager) for s in fi.outliers)
        elif fi and fi.groups:
            apart = f"{len(fi.groups)} camps"
        lines.append(
            f"| {f.value} | {_num(r.index)}{_interval(fi.index_interval if fi else None)} "
            f"| {r.index_band or ''} | {_num(r.score)} | {apart} "
            f"| {', '.join(escape(m) for m in r.missing)} |"
        )
    return lines


def _matrix(r: FoundationResult) -> list[str]:
    names = r.answered
    lines = ["| | " + " | ".join(escape(n) for n in names) + " |"]
    lines.append("| --- " * (len(names) + 1) + "|")
    for a in names:
        cells = []
        for b in names:
            p = r.pair(a, b)
            cells.append("·" if a == b else _num(p.score if p else None))
        lines.append(f"| **{escape(a)}** | " + " | ".join(cells) + " |")
    return lines


def _findings(fi: Findings) -> list[str]:
    lines: list[str] = []
    for s in fi.outliers:
        lines.append(
            f"- **Outlier: {escape(s.manager)}**: the others agree at index {s.rest_index:.2f} "
            f"among themselves, {s.own_index:.2f} with {escape(s.manager)} "
            f"(STS {s.rest_score:.2f} vs "
            f"{s.own_score:.2f})."
        )
    if fi.units:
        u = fi.units
        lines.append(
            f"- **Units**: index {u.within_index:.2f} within units, {u.between_index:.2f} "
            "between them."
        )
    for i, g in enumerate(fi.groups, 1):
        lines.append(f"- **Camp {i}** ({', '.join(escape(m) for m in g.members)}), typically:")
        lines.extend(f"  - “{escape(t.statement)}” ({escape(t.author)})" for t in g.typical)
    if fi.consensus:
        lines.append("- **Most echoed**:")
        lines.extend(
            f"  - “{escape(e.statement)}” ({escape(e.author)}; echoed by "
            f"{len(e.echoed_by)} of {e.others})"
            for e in fi.consensus
        )
    if fi.divisive:
        lines.append("- **Echoed by nobody**:")
        lines.extend(f"  - “{escape(e.statement)}” ({escape(e.author)})" for e in fi.divisive)
    if fi.reference:
        scores = ", ".join(f"{escape(r.manager)} {r.score:.2f}" for r in fi.reference.scores)
        lines.append(f"- **Against the official statement** (furthest first): {scores}")
        lines.extend(f"  - nobody echoes “{escape(t)}”" for t in fi.reference.unechoed)
    for t in fi.themes:
        scores = ", ".join(
            f"{escape(m)} {v:.2f}" for m, v in sorted(t.scores.items(), key=lambda kv: -kv[1])
        )
        lines.append(f"- **Theme “{escape(t.theme)}”**: {scores}")
    lines.extend(f"- ⚠ {escape(w)}" for w in fi.warnings)
    return lines


def render(report: TeamReport) -> str:
    sig = report.signature
    lines = [
        f"## Alignment audit: {escape(report.team.name)}",
        "",
        f"**Overall index {_num(report.overall_index)} ({report.overall_index_band or 'n/a'})**"
        f" · pairs on the STS scale 0-5: {_num(report.overall)} ({report.overall_band or 'n/a'})",
        "",
        *_summary(report),
        "",
    ]
    findings = key_findings(report)
    if findings:
        lines += ["### Key findings", "", *(f"- {escape(x)}" for x in findings), ""]
    bands = ", ".join(f"{w} from {lo:.2f}" for lo, w in INDEX_BANDS[:-1])
    lines += [
        f"Index 0-1: 0 = no more alike than unrelated organisations, 1 = the same idea ({bands}). "
        "Pair scores use the STS scale: 5 same meaning, 3 roughly equivalent, 1 same topic only. "
        + BANDS_CAVEAT,
        "",
    ]
    for f, r in report.foundations.items():
        fi = report.findings.get(f)
        lines += [
            f"### {f.value.capitalize()}: index {_num(r.index)} ({r.index_band or 'n/a'})",
            "",
        ]
        if len(r.answered) >= 2:
            lines += [*_matrix(r), ""]
        if fi:
            lines += [*_findings(fi), ""]
        worst = sorted(r.pairs, key=lambda p: p.score)[:3]
        if worst:
            lines += ["<details><summary>Most divergent pairs</summary>", ""]
            for p in worst:
                ua, ub = p.unmatched(UNMATCHED_BELOW)
                lines.append(f"- **{escape(p.a)} × {escape(p.b)}**: {p.score:.2f} ({p.band})")
                lines.extend(f"  - {escape(p.a)}: “{escape(m.statement)}”" for m in ua)
                lines.extend(f"  - {escape(p.b)}: “{escape(m.statement)}”" for m in ub)
            lines += ["", "</details>", ""]
    lines.append(f"<sub>{escape(signature_line(sig))}</sub>")
    return "\n".join(lines) + "\n"

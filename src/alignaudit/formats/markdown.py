"""Markdown for a pull-request comment or a CI job summary. Answer text is escaped so it can
neither format the page, inject HTML, nor link, mention or reference anything on GitHub."""

from __future__ import annotations

import re

from ..core.results import UNMATCHED_BELOW, Findings, FoundationResult, TeamReport
from ..core.verdict import Bands
from .executive import build as build_executive
from .summary import (
    CHOICES_TEXT,
    INDEX_TEXT,
    RANKINGS_TEXT,
    SIMILARITY_TEXT,
    apart_text,
    bands_caveat,
    bands_text,
    camps_text,
    figure,
    key_findings,
    language_warning_text,
    languages_text,
    leads,
    mean_ranks,
    meanings,
    p_text,
    pair_word,
    positions,
    ranking_head,
    signal_quotes,
    signature_line,
    strip,
    verdict_of,
)

# Backslash-escaping these keeps text literal in CommonMark and GitHub: no emphasis, code,
# links or images (brackets), raw HTML or entities (< > &), table cells (|), headings or strikes.
_SPECIAL = re.compile(r"([\\`*_\[\]#|<>&~])")
# Escapes do not stop GFM linking bare URLs (scheme://, www.) and e-mail addresses, nor GitHub
# turning @name into a mention and #1, GH-1 or owner/repo#1 into an issue reference. A zero-width
# space, written as an entity, after every @, before ://, inside www. and before the digits of a
# reference breaks each while the text reads the same.
_LINKY = re.compile(r"@|(?=://)|(?<=www)(?=\.)|(?:(?<=#)|(?<=gh-))(?=\d)", re.IGNORECASE)
_ZWSP = "&#8203;"


def escape(text: str) -> str:
    """Literal text in Markdown, safe inside a table cell, that links, mentions and references
    nothing on GitHub."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _LINKY.sub(lambda m: m.group() + _ZWSP, escaped)


def _num(x: float | None, digits: int = 2) -> str:
    return "no answer" if x is None else f"{x:.{digits}f}"


def _summary(report: TeamReport) -> list[str]:
    lines = [
        "| foundation | index [90% interval] | verdict | stands apart | camps | no answer |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for f, r in report.foundations.items():
        fi = report.findings.get(f)
        lines.append(
            f"| {f.value} | {figure(r.index, r.index_interval)} "
            f"| {verdict_of(r.verdict)} | {apart_text(fi, escape)} | {camps_text(fi, escape)} "
            f"| {', '.join(escape(m) for m in r.missing)} |"
        )
    return lines


def _matrix(r: FoundationResult, bands: Bands | None) -> list[str]:
    """Pair index and its word in each cell: the same scale and words as the verdicts."""
    names = r.answered
    lines = ["| | " + " | ".join(escape(n) for n in names) + " |"]
    lines.append("| --- " * (len(names) + 1) + "|")
    for a in names:
        cells = []
        for b in names:
            p = r.pair(a, b)
            if a == b:
                cells.append("·")
            elif p is None:
                cells.append(_num(None))
            else:
                cells.append(f"{p.index:.2f} {pair_word(p.index, bands)}")
        lines.append(f"| **{escape(a)}** | " + " | ".join(cells) + " |")
    return lines


def _findings(fi: Findings, names: tuple[str, ...]) -> list[str]:
    lines: list[str] = []
    for s in fi.outliers:
        lines.append(
            f"- **Outlier: {escape(s.manager)}**: the others agree at index {s.rest_index:.2f} "
            f"among themselves, {s.own_index:.2f} with {escape(s.manager)}."
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
    if fi.unique:
        lines.append("- **Held by one manager alone**:")
        lines.extend(
            f"  - “{escape(e.statement)}” (unique to {escape(e.author)})" for e in fi.unique
        )
    if fi.reference:
        ref = fi.reference
        scores = ", ".join(f"{escape(r.manager)} {r.index:.2f}" for r in ref.scores)
        lines.append(
            "- **Against the official statement** (agreement index, lowest first): " + scores
        )
        if ref.drifts is not None and ref.gap is not None:
            lines.append(
                f"  - {escape(ref.drifts)} drifts furthest, {ref.gap:.2f} below the others' mean"
            )
        lines.extend(f"  - nobody echoes “{escape(t)}”" for t in ref.unechoed)
    for t in fi.themes:
        scores = ", ".join(
            f"{escape(m)} {v:.2f}" for m, v in sorted(t.scores.items(), key=lambda kv: -kv[1])
        )
        lines.append(f"- **Theme “{escape(t.theme)}”** (statement similarity 0-5): {scores}")
    lines.extend(f"- ⚠ {escape(w)}" for w in fi.warnings)
    if fi.ideas:
        lines += ["", *_ideas(fi, names)]
    return lines


def _ideas(fi: Findings, names: tuple[str, ...]) -> list[str]:
    """The idea x manager grid as a table."""
    lines = [
        f"Ideas (statements count as one idea when {escape(fi.same_idea)}):",
        "",
        "| idea | " + " | ".join(escape(n) for n in names) + " | held by |",
        "| --- | " + " | ".join(":---:" for _ in names) + " | --- |",
    ]
    for idea in fi.ideas:
        text = escape(idea.statements[0][1])
        more = len(idea.statements) - 1
        cell = f"“{text}”" + (f" (+{more} in other words)" if more else "")
        marks = " | ".join("●" if n in idea.authors else "" for n in names)
        lines.append(f"| {cell} | {marks} | {_KIND[idea.kind]} |")
    return lines


_KIND = {"core": "everyone", "addition": "some", "unique": "one"}


def _legend(bands: Bands | None) -> list[str]:
    return [
        "### How to read",
        "",
        f"{INDEX_TEXT} {bands_text(bands)}",
        "",
        *(f"- **{w}**: {meaning}" for w, meaning in meanings()),
        "",
        f"{SIMILARITY_TEXT} {bands_caveat(bands)}",
        "",
    ]


def _quoted(who: str, statement: str, similarity: float) -> str:
    return f"  - {escape(who)}: “{escape(statement)}” (statement similarity {similarity:.2f})"


def _choices(report: TeamReport) -> list[str]:
    """The trade-offs as a table (a strip of how many chose each point), who sits where, and
    the quotes where ratings and words disagree; then the rankings."""
    lines = ["### Trade-offs", ""]
    said = signal_quotes(report)
    if report.tradeoffs:
        lines += [
            escape(CHOICES_TEXT),
            "",
            "| trade-off | left pole | how many chose each point | right pole | reads | r_wg | p "
            "| AD |",
            "|---|---|---|---|---|---|---|---|",
        ]
    for t in report.tradeoffs:
        cells = " ".join(str(c) if c else "·" for c in strip(t))
        scale = f"{t.tradeoff.low}–{t.tradeoff.high}"
        lines.append(
            f"| {escape(t.tradeoff.id)} ({t.tradeoff.foundation.value}) | "
            f"{escape(t.tradeoff.left)} | `{cells}` ({scale}) | {escape(t.tradeoff.right)} | "
            f"{t.word} | {_num(t.rwg)} | {p_text(t.rwg_p).removeprefix('p ')} | {_num(t.ad)} |"
        )
    lines.append("")
    for t in report.tradeoffs:
        detail = [f"- **{escape(t.tradeoff.id)}**: {escape(positions(t))}"] if t.ratings else []
        if t.hidden:
            detail = [f"- **{escape(t.tradeoff.id)}**: two camps, too small to show"]
        if t.missing:
            detail.append(f"  - not rated by {escape(', '.join(t.missing))}")
        if t.tradeoff.id in said:
            message, quotes = said[t.tradeoff.id]
            detail.append(f"  - {escape(message)}")
            detail += [f"    - “{escape(q)}” ({escape(str(who))}, {v})" for who, v, q in quotes]
        lines += detail
    if report.tradeoffs:
        lines.append("")
    if report.rankings:
        lines += [escape(RANKINGS_TEXT), ""]
    for r in report.rankings:
        lines.append(f"- {escape(ranking_head(r))}")
        if r.mean_ranks:
            lines.append(f"  - mean rank (1 = led with): {escape(mean_ranks(r))}")
            lines.append(f"  - leads with: {escape(leads(r))}")
        if r.missing:
            lines.append(f"  - not ranked by {escape(', '.join(r.missing))}")
        if r.ranking.id in said:
            lines.append(f"  - {escape(said[r.ranking.id][0])}")
    if report.rankings:
        lines.append("")
    return lines


def executive_lines(report: TeamReport) -> list[str]:
    """The one-page summary (formats/executive.py) as Markdown: a table of verdicts with their
    meaning, the findings that matter most, the shared core and the splits quoted, next steps."""
    ex = build_executive(report)
    lines = [
        "### Summary",
        "",
        f"{ex.managers} managers answered independently. Agreement index 0-1: 0 = no more "
        "alike than unrelated organisations, 1 = the same idea; [90% interval].",
        "",
        "| foundation | index [90% interval] | verdict | what it means |",
        "| --- | --- | --- | --- |",
    ]
    for r in (*ex.rows, *([ex.overall] if ex.overall else [])):
        name = r.name if r.foundation else f"**{r.name}**"
        lines.append(f"| {name} | {figure(r.index, r.interval)} | {r.verdict} | {r.meaning} |")
    lines.append("")
    if ex.points:
        lines += ["**What matters most**", ""]
        lines += [f"{k}. {escape(p.text)}" for k, p in enumerate(ex.points, 1)]
        lines.append("")
    if ex.core:
        lines += ["**What the team already shares, in its own words**", ""]
        lines += [
            f"> “{escape(text)}” ({escape(author)}; {f.value}; held by all {n})\n"
            for f, author, text, n in ex.core
        ]
    for sp in ex.splits:
        lines += [f"**Where it splits: {escape(sp.what)}**", ""]
        for side in sp.sides:
            said = f": “{escape(side.quote[1])}” ({escape(side.quote[0])})" if side.quote else ""
            lines.append(f"- {escape(', '.join(side.members))}, {escape(side.label)}{said}")
        lines.append("")
    lines += ["**What to do next**", ""]
    lines += [f"{k}. {escape(step)}" for k, step in enumerate(ex.next_steps, 1)]
    lines.append("")
    return lines


def render(report: TeamReport) -> str:
    """The report as Markdown."""
    sig = report.signature
    lines = [f"## Alignment audit: {escape(report.team.name)}", ""]
    warning = language_warning_text(report)
    if warning is not None:
        lines += [f"> [!WARNING]\n> **{escape(warning)}**", ""]
    lines += [
        f"**Overall index {figure(report.overall_index, report.overall_interval)}: "
        f"{verdict_of(report.overall_verdict)}**",
        "",
    ]
    languages = languages_text(report)
    if languages is not None:
        lines += [escape(languages), ""]
    lines += executive_lines(report)
    lines += [*_summary(report), ""]
    findings = key_findings(report)
    if findings:
        lines += ["### Key findings", "", *(f"- {escape(x)}" for x in findings), ""]
    lines += _legend(report.bands)
    if report.tradeoffs or report.rankings:
        lines += _choices(report)
    for f, r in report.foundations.items():
        fi = report.findings.get(f)
        lines += [
            f"### {f.value.capitalize()}: index {figure(r.index, r.index_interval)}, "
            f"{verdict_of(r.verdict)}",
            "",
        ]
        if len(r.answered) >= 2:
            lines += [*_matrix(r, report.bands), ""]
        if fi:
            lines += [*_findings(fi, r.answered), ""]
        worst = sorted(r.pairs, key=lambda p: (p.index, p.score))[:3]
        if worst:
            lines += ["<details><summary>Most divergent pairs</summary>", ""]
            for p in worst:
                ua, ub = p.unmatched(UNMATCHED_BELOW)
                lines.append(
                    f"- **{escape(p.a)} × {escape(p.b)}**: index {p.index:.2f}, "
                    f"{pair_word(p.index, report.bands)}"
                )
                lines.extend(_quoted(p.a, m.statement, m.score) for m in ua)
                lines.extend(_quoted(p.b, m.statement, m.score) for m in ub)
            lines += ["", "</details>", ""]
    lines.append(f"<sub>{escape(signature_line(sig))}</sub>")
    return "\n".join(lines) + "\n"

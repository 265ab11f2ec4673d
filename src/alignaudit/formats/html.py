"""One self-contained HTML file to hand to a client: heatmaps, findings and quoted evidence.

Every piece of answer text goes through html.escape, the page carries no script at all, and a
Content-Security-Policy forbids any, so text from an answer file can never run in a browser.
"""

from __future__ import annotations

from html import escape

from ..core.results import (
    AGREED,
    CHOICE_CANT_TELL,
    NOT_AGREED,
    PARTLY_AGREED,
    SPLIT,
    UNMATCHED_BELOW,
    Findings,
    FoundationResult,
    TeamReport,
    TradeOffResult,
)
from ..core.verdict import ALIGNED, CANT_TELL, NOT_ALIGNED, PARTLY, Bands
from .executive import Executive, Row, build, figure
from .summary import (
    CHOICES_TEXT,
    INDEX_TEXT,
    RANKINGS_TEXT,
    SIMILARITY_TEXT,
    VERDICT_COLOURS,
    apart_text,
    bands_caveat,
    bands_text,
    camps_text,
    interval_text,
    key_findings,
    language_warning_text,
    languages_text,
    leads,
    mean_ranks,
    meanings,
    pair_word,
    positions,
    ranking_head,
    signal_quotes,
    signature_line,
    tradeoff_head,
    verdict_of,
)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:62rem;color:#1d232b;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #e3e7ec}
table{border-collapse:collapse;margin:.6rem 0}td,th{padding:.3rem .55rem;text-align:left;
border-bottom:1px solid #e3e7ec;vertical-align:top}th{background:#f4f6f8}
.heat td.cell{text-align:center;font-variant-numeric:tabular-nums;min-width:3.2rem;
border:1px solid #fff}.muted{color:#6b7580;font-size:.9rem}
{verdicts}
.warning{background:#fff3cd;border:2px solid #e0a800;padding:.6rem .8rem;font-weight:600}
.pill{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-weight:600}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.7rem;border-left:3px solid #c7ced6}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.finding{margin:.2rem 0}
.strip td{border:none;vertical-align:middle}.pole{width:12rem;font-size:.9rem}
.pole.l{text-align:right}
.executive{border:2px solid #e3e7ec;padding:0 1rem 1rem;margin-top:1rem}
@media print{.executive{page-break-after:always}}
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


# The class (colour) of each verdict word: team, foundation and pair figures share them, and
# "can't tell" is a neutral grey. Statement similarity (STS) is never coloured.
VERDICT_CLASSES = {
    ALIGNED: "v-aligned",
    PARTLY: "v-partly",
    NOT_ALIGNED: "v-not",
    CANT_TELL: "v-cant",
}
_RULES = [f".{VERDICT_CLASSES[w]}{{background:#{c}}}" for w, c in VERDICT_COLOURS.items()]
STYLE = STYLE.replace("{verdicts}", "".join(_RULES[:3]) + "\n" + _RULES[3])


def _verdict_class(verdict: str | None) -> str:
    return VERDICT_CLASSES[verdict_of(verdict)]


def _pill(index: float | None, verdict: str | None) -> str:
    """The index and its verdict word, in the verdict's colour."""
    if index is None:
        return f'<span class="pill v-cant">no answer · {_e(verdict_of(verdict))}</span>'
    return (
        f'<span class="pill {_verdict_class(verdict)}">{index:.2f} {_e(verdict_of(verdict))}</span>'
    )


def _heatmap(r: FoundationResult, bands: Bands | None) -> str:
    names = r.answered
    head = "".join(f"<th>{_e(n)}</th>" for n in names)
    rows = []
    for a in names:
        cells = []
        for b in names:
            p = r.pair(a, b)
            if a == b or p is None:
                cells.append('<td class="cell muted">·</td>')
            else:
                w = pair_word(p.index, bands)
                cells.append(
                    f'<td class="cell {VERDICT_CLASSES[w]}" title="{_e(w)}">{p.index:.2f}</td>'
                )
        rows.append(f"<tr><th>{_e(a)}</th>{''.join(cells)}</tr>")
    return f'<table class="heat"><tr><th></th>{head}</tr>{"".join(rows)}</table>'


def _quote(text: str, who: str = "", similarity: float | None = None) -> str:
    cite = f' <span class="muted">({_e(who)})</span>' if who else ""
    if similarity is not None:
        cite += f' <span class="muted">(statement similarity {similarity:.2f})</span>'
    return f"<blockquote>“{_e(text)}”{cite}</blockquote>"


def _findings(fi: Findings, names: tuple[str, ...]) -> str:
    out = []
    for s in fi.outliers:
        out.append(
            f'<p class="finding"><strong>Outlier: {_e(s.manager)}.</strong> The others agree at '
            f"index {s.rest_index:.2f} among themselves, {s.own_index:.2f} with "
            f"{_e(s.manager)}.</p>"
        )
    if fi.units:
        u = fi.units
        units = "; ".join(f"{_e(k)}: {_e(', '.join(v))}" for k, v in u.units.items())
        out.append(
            f'<p class="finding"><strong>Units.</strong> Index {u.within_index:.2f} within '
            f"units, {u.between_index:.2f} between them ({units}).</p>"
        )
    for i, g in enumerate(fi.groups, 1):
        out.append(
            f'<p class="finding"><strong>Camp {i}</strong> ({_e(", ".join(g.members))}), '
            f"typically:</p>" + "".join(_quote(t.statement, t.author) for t in g.typical)
        )
    if fi.consensus:
        out.append("<p><strong>Most echoed</strong></p>")
        out += [
            _quote(e.statement, f"{e.author}; echoed by {len(e.echoed_by)} of {e.others}")
            for e in fi.consensus
        ]
    if fi.unique:
        out.append("<p><strong>Held by one manager alone</strong></p>")
        out += [_quote(e.statement, f"unique to {e.author}") for e in fi.unique]
    if fi.reference:
        ref = fi.reference
        rows = "".join(
            f"<tr><td>{_e(r.manager)}</td><td>{r.index:.2f}</td><td>{r.score:.2f}</td></tr>"
            for r in ref.scores
        )
        out.append(
            "<p><strong>Against the official statement</strong> (lowest index first)</p>"
            "<table><tr><th>manager</th><th>agreement index</th>"
            f"<th>statement similarity 0-5</th></tr>{rows}</table>"
        )
        if ref.drifts is not None and ref.gap is not None:
            out.append(
                f"<p>{_e(ref.drifts)} drifts furthest, {ref.gap:.2f} below the others' "
                "mean index.</p>"
            )
        if fi.reference.unechoed:
            out.append("<p>Official statements nobody echoes:</p>")
            out += [_quote(t) for t in fi.reference.unechoed]
    for t in fi.themes:
        rows = "".join(
            f"<tr><td>{_e(m)}</td><td>{v:.2f}</td></tr>"
            for m, v in sorted(t.scores.items(), key=lambda kv: -kv[1])
        )
        out.append(
            f"<p><strong>Theme “{_e(t.theme)}”</strong></p>"
            f"<table><tr><th>manager</th><th>statement similarity 0-5</th></tr>{rows}</table>"
        )
    out += [f'<p class="finding">⚠ {_e(w)}</p>' for w in fi.warnings]
    if fi.ideas:
        out.append(_ideas(fi, names))
    return "".join(out)


_KIND = {"core": "everyone", "addition": "some", "unique": "one"}


def _ideas(fi: Findings, names: tuple[str, ...]) -> str:
    """The idea x manager grid as a table."""
    head = "".join(f"<th>{_e(n)}</th>" for n in names)
    rows = []
    for idea in fi.ideas:
        more = len(idea.statements) - 1
        text = _e(idea.statements[0][1]) + (
            f' <span class="muted">(+{more} in other words)</span>' if more else ""
        )
        marks = "".join(f"<td>{'●' if n in idea.authors else ''}</td>" for n in names)
        rows.append(f"<tr><td>“{text}”</td>{marks}<td>{_KIND[idea.kind]}</td></tr>")
    return (
        f"<p><strong>Ideas</strong> (statements count as one idea when {_e(fi.same_idea)})</p>"
        f'<table class="ideas"><tr><th>idea</th>{head}<th>held by</th></tr>'
        f"{''.join(rows)}</table>"
    )


def _evidence(r: FoundationResult, bands: Bands | None) -> str:
    out = []
    for p in sorted(r.pairs, key=lambda p: (p.index, p.score))[:3]:
        ua, ub = p.unmatched(UNMATCHED_BELOW)
        none = '<p class="muted">all matched</p>'
        left = "".join(_quote(m.statement, similarity=m.score) for m in ua) or none
        right = "".join(_quote(m.statement, similarity=m.score) for m in ub) or none
        w = pair_word(p.index, bands)
        out.append(
            f"<h4>{_e(p.a)} × {_e(p.b)}: "
            f'<span class="pill {VERDICT_CLASSES[w]}">index {p.index:.2f} {_e(w)}</span></h4>'
            f'<div class="pair"><div><strong>{_e(p.a)}</strong>{left}</div>'
            f"<div><strong>{_e(p.b)}</strong>{right}</div></div>"
        )
    return "".join(out)


def _legend(bands: Bands | None) -> str:
    words = "".join(
        f'<li><span class="pill {VERDICT_CLASSES[w]}">{_e(w)}</span> {_e(meaning)}</li>'
        for w, meaning in meanings()
    )
    return (
        '<h2>How to read</h2><p class="legend">'
        f"{_e(INDEX_TEXT)} {_e(bands_text(bands))}</p><ul>{words}</ul>"
        f'<p class="muted">{_e(SIMILARITY_TEXT)} {_e(bands_caveat(bands))}</p>'
    )


CHOICE_CLASSES = {
    AGREED: "v-aligned",
    PARTLY_AGREED: "v-partly",
    NOT_AGREED: "v-not",
    SPLIT: "v-not",
    CHOICE_CANT_TELL: "v-cant",
}
# Dot colours: the left camp, the right camp, everyone else (a colour-blind-safe pair).
CAMP_COLOURS = ("#1f77b4", "#e07b00", "#6b7580")


def strip_svg(t: TradeOffResult) -> str:
    """Where each manager places the firm, as a small chart with no script: the scale's points
    on a line, one dot per manager stacked over their point (named in the dot's tooltip),
    coloured by camp where the ratings split."""
    step, top, radius = 36, 12, 6
    points = t.tradeoff.options
    stacks: dict[int, int] = {}
    camp_of: dict[str, int] = {}
    if t.camps is not None:
        camp_of = {m: i for i, c in enumerate(t.camps) for m in c.members}
    if t.apart is not None:
        camp_of[t.apart.members[0]] = 1
    height = top + max(_counts(t).values(), default=1) * (2 * radius + 2) + 26
    width = step * points
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{_e(t.tradeoff.id)}: {_e(positions(t))}">',
        f'<line x1="{step // 2}" y1="{height - 20}" x2="{width - step // 2}" '
        f'y2="{height - 20}" stroke="#c7ced6" stroke-width="2"/>',
    ]
    for i in range(points):
        x = step // 2 + i * step
        out.append(
            f'<text x="{x}" y="{height - 4}" font-size="11" text-anchor="middle" '
            f'fill="#6b7580">{t.tradeoff.low + i}</text>'
        )
    for name, v in t.ratings:
        level = stacks.get(v, 0)
        stacks[v] = level + 1
        x = step // 2 + (v - t.tradeoff.low) * step
        y = height - 20 - radius - 3 - level * (2 * radius + 2)
        colour = CAMP_COLOURS[camp_of.get(name, 2)] if not t.hidden else CAMP_COLOURS[2]
        out.append(
            f'<circle cx="{x}" cy="{y}" r="{radius}" fill="{colour}">'
            f"<title>{_e(name)}: {v}</title></circle>"
        )
    out.append("</svg>")
    return "".join(out)


def _counts(t: TradeOffResult) -> dict[int, int]:
    counts: dict[int, int] = {}
    for _, v in t.ratings:
        counts[v] = counts.get(v, 0) + 1
    return counts


def _choices(report: TeamReport) -> str:
    said = signal_quotes(report)
    out = ["<h2>Trade-offs</h2>"]
    if report.tradeoffs:
        out.append(f'<p class="muted">{_e(CHOICES_TEXT)}</p>')
    for t in report.tradeoffs:
        out.append(
            f'<h3>{_e(t.tradeoff.id)} <span class="pill {CHOICE_CLASSES[t.word]}">'
            f"{_e(t.word)}</span></h3>"
            f'<p class="muted">{_e(tradeoff_head(t))}</p>'
            f'<table class="strip"><tr><td class="pole l">{_e(t.tradeoff.left)}</td>'
            f'<td>{strip_svg(t)}</td><td class="pole">{_e(t.tradeoff.right)}</td></tr></table>'
        )
        if t.ratings and not t.hidden:
            out.append(f"<p>{_e(positions(t))}</p>")
        if t.missing:
            out.append(f'<p class="muted">not rated by {_e(", ".join(t.missing))}</p>')
        if t.tradeoff.id in said:
            message, quotes = said[t.tradeoff.id]
            out.append(f'<p class="finding"><strong>{_e(message)}</strong></p>')
            out += [_quote(q, f"{who}, {v}") for who, v, q in quotes]
    if report.rankings:
        out.append(f'<p class="muted">{_e(RANKINGS_TEXT)}</p>')
    for r in report.rankings:
        out.append(
            f'<h3>{_e(r.ranking.id)} <span class="pill {CHOICE_CLASSES[r.word]}">'
            f'{_e(r.word)}</span></h3><p class="muted">{_e(ranking_head(r))}</p>'
        )
        if r.mean_ranks:
            out.append(
                f"<p>mean rank (1 = led with): {_e(mean_ranks(r))}<br>"
                f"leads with: {_e(leads(r))}</p>"
            )
        if r.missing:
            out.append(f'<p class="muted">not ranked by {_e(", ".join(r.missing))}</p>')
        if r.ranking.id in said:
            out.append(f'<p class="finding"><strong>{_e(said[r.ranking.id][0])}</strong></p>')
    return "".join(out)


# Verdict colours as fills of SVG shapes: the CSS classes' colours (summary.VERDICT_COLOURS).
FILLS = {w: f"#{c}" for w, c in VERDICT_COLOURS.items()}


def verdict_bars(rows: list[Row], bands: Bands | None) -> str:
    """Each foundation's index as a bar in its verdict's colour on the 0-1 scale, its 90%
    interval as a whisker and the model's band boundaries as dashed lines: a chart with no
    script, every label escaped."""
    left, right, step = 120, 470, 26
    height = step * len(rows) + 30

    def x(v: float) -> float:
        return left + (right - left) * min(1.0, max(0.0, v))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{right + 150}" height="{height}" '
        f'role="img" aria-label="{_e("; ".join(f"{r.name}: {figure(r)}" for r in rows))}">'
    ]
    for k, r in enumerate(rows):
        y = 8 + k * step
        out.append(
            f'<text x="{left - 8}" y="{y + 14}" font-size="12" text-anchor="end">'
            f"{_e(r.name)}</text>"
        )
        out.append(
            f'<rect x="{left}" y="{y + 2}" width="{right - left}" height="16" fill="#f4f6f8"/>'
        )
        if r.index is not None:
            out.append(
                f'<rect x="{left}" y="{y + 2}" width="{x(r.index) - left:.1f}" height="16" '
                f'fill="{FILLS[r.verdict]}"><title>{_e(figure(r))}</title></rect>'
            )
        if r.interval is not None:
            lo, hi = x(r.interval[0]), x(r.interval[1])
            out.append(
                f'<line x1="{lo:.1f}" y1="{y + 10}" x2="{hi:.1f}" y2="{y + 10}" '
                'stroke="#1d232b" stroke-width="1.5"/>'
                f'<line x1="{lo:.1f}" y1="{y + 5}" x2="{lo:.1f}" y2="{y + 15}" stroke="#1d232b"/>'
                f'<line x1="{hi:.1f}" y1="{y + 5}" x2="{hi:.1f}" y2="{y + 15}" stroke="#1d232b"/>'
            )
        said = "no answer" if r.index is None else f"{r.index:.2f} {r.verdict}"
        out.append(f'<text x="{right + 8}" y="{y + 14}" font-size="12">{_e(said)}</text>')
    base = 8 + len(rows) * step
    for v in (0.0, 0.5, 1.0):
        out.append(
            f'<text x="{x(v):.1f}" y="{base + 14}" font-size="10" text-anchor="middle" '
            f'fill="#6b7580">{v:.1f}</text>'
        )
    if bands is not None:
        for v in (bands.partly, bands.aligned):
            out.append(
                f'<line x1="{x(v):.1f}" y1="4" x2="{x(v):.1f}" y2="{base}" stroke="#6b7580" '
                'stroke-dasharray="3,3"/>'
            )
    out.append("</svg>")
    return "".join(out)


def executive_html(report: TeamReport) -> str:
    """The one-page summary at the top of the report (formats/executive.py)."""
    ex: Executive = build(report)
    rows = [*ex.rows, *([ex.overall] if ex.overall else [])]
    parts = [
        '<section class="executive"><h2>Summary</h2>',
        f"<p>{ex.managers} managers answered independently. "
        "Each bar is a foundation's agreement index (0 = no more alike than unrelated "
        "organisations, 1 = the same idea), in its verdict's colour, with its 90% interval; "
        "dashed lines mark where the verdicts change.</p>",
        verdict_bars(rows, report.bands),
        "<ul>"
        + "".join(f"<li><strong>{_e(r.name)}</strong>: {_e(figure(r))}</li>" for r in rows)
        + "</ul>",
    ]
    if ex.points:
        parts.append("<h3>What matters most</h3><ol>")
        parts += [f"<li>{_e(p.text)}</li>" for p in ex.points]
        parts.append("</ol>")
    if ex.core:
        parts.append("<h3>What the team already shares, in its own words</h3>")
        parts += [
            _quote(text, f"{author}; {f.value}; held by all {n}") for f, author, text, n in ex.core
        ]
    for sp in ex.splits:
        parts.append(f'<h3>Where it splits: {_e(sp.what)}</h3><div class="pair">')
        for side in sp.sides:
            quote = _quote(side.quote[1], side.quote[0]) if side.quote else ""
            parts.append(
                f"<div><strong>{_e(', '.join(side.members))}</strong> "
                f'<span class="muted">{_e(side.label)}</span>{quote}</div>'
            )
        parts.append("</div>")
    parts.append("<h3>What to do next</h3><ol>")
    parts += [f"<li>{_e(step)}</li>" for step in ex.next_steps]
    parts.append("</ol></section>")
    return "".join(parts)


def _banner(report: TeamReport) -> str:
    out = ""
    warning = language_warning_text(report)
    if warning is not None:
        out += f'<p class="warning" role="alert">⚠ {_e(warning)}</p>'
    languages = languages_text(report)
    if languages is not None:
        out += f"<p>{_e(languages)}</p>"
    return out


def render(report: TeamReport) -> str:
    """The report as one self-contained HTML page."""
    sig = report.signature
    summary_rows = []
    for f, r in report.foundations.items():
        fi = report.findings.get(f)
        span = interval_text(r.index_interval)
        summary_rows.append(
            f"<tr><td>{f.value}</td>"
            f"<td>{'no answer' if r.index is None else f'{r.index:.2f}'}"
            f' <span class="muted">{span}</span></td>'
            f'<td><span class="pill {_verdict_class(r.verdict)}">'
            f"{_e(verdict_of(r.verdict))}</span></td><td>{apart_text(fi, _e)}</td>"
            f"<td>{camps_text(fi, _e)}</td>"
            f"<td>{_e(', '.join(r.missing))}</td></tr>"
        )
    findings = "".join(f"<li>{_e(x)}</li>" for x in key_findings(report))
    sections = []
    for f, r in report.foundations.items():
        fi = report.findings.get(f)
        sections.append(
            f"<h2>{f.value.capitalize()} {_pill(r.index, r.verdict)}"
            f' <span class="muted">{interval_text(r.index_interval)}</span></h2>'
            + (
                _heatmap(r, report.bands)
                if len(r.answered) >= 2
                else "<p class='muted'>fewer than two answers</p>"
            )
            + (_findings(fi, r.answered) if fi else "")
            + _evidence(r, report.bands)
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Alignment audit: {_e(report.team.name)}</title><style>{STYLE}</style></head>
<body>
<h1>Alignment audit: {_e(report.team.name)}</h1>
{_banner(report)}
{executive_html(report)}
<p>{len(report.team.managers)} managers · overall index
{_pill(report.overall_index, report.overall_verdict)}
<span class="muted">{interval_text(report.overall_interval)}</span></p>
<table><tr><th>foundation</th><th>index [90% interval]</th><th>verdict</th>
<th>stands apart</th><th>camps</th><th>no answer</th></tr>{"".join(summary_rows)}</table>
<h2>Key findings</h2><ul>{findings or "<li>none beyond the figures above</li>"}</ul>
{_legend(report.bands)}
{_choices(report) if report.tradeoffs or report.rankings else ""}
{"".join(sections)}
<p class="muted">{_e(signature_line(sig))}</p>
</body></html>
"""

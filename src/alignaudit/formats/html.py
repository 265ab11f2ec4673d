"""One self-contained HTML file to hand to a client: heatmaps, findings and quoted evidence.

Every piece of answer text goes through html.escape, the page carries no script at all, and a
Content-Security-Policy forbids any, so text from an answer file can never run in a browser.
"""

from __future__ import annotations

from html import escape

from ..analysis.findings import Findings
from ..audit import UNMATCHED_BELOW
from ..baseline import INDEX_BANDS
from ..model import FoundationResult, TeamReport
from .summary import BANDS_CAVEAT, key_findings, signature_line

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:62rem;color:#1d232b;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #e3e7ec}
table{border-collapse:collapse;margin:.6rem 0}td,th{padding:.3rem .55rem;text-align:left;
border-bottom:1px solid #e3e7ec;vertical-align:top}th{background:#f4f6f8}
.heat td.cell{text-align:center;font-variant-numeric:tabular-nums;min-width:3.2rem;
border:1px solid #fff}.muted{color:#6b7580;font-size:.9rem}
.b-aligned{background:#c9ecd3}.b-partly{background:#fbefc0}.b-not{background:#f6c9c4}
.s-agree{background:#8fd4a3}.s-roughly{background:#f3e08a}.s-partly{background:#f7c48f}
.s-diverge{background:#f1a79e}
.pill{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-weight:600}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.7rem;border-left:3px solid #c7ced6}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.finding{margin:.2rem 0}
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _index_class(index: float | None) -> str:
    if index is None:
        return ""
    return {"aligned": "b-aligned", "partly aligned": "b-partly"}.get(
        next(w for lo, w in INDEX_BANDS if index >= lo), "b-not"
    )


def _score_class(score: float) -> str:
    if score >= 3.5:
        return "s-agree"
    return "s-roughly" if score >= 2.5 else "s-partly" if score >= 1.5 else "s-diverge"


def _pill(index: float | None, words: str | None) -> str:
    if index is None:
        return '<span class="muted">no answer</span>'
    return f'<span class="pill {_index_class(index)}">{index:.2f} {_e(words or "")}</span>'


def _heatmap(r: FoundationResult) -> str:
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
                cells.append(
                    f'<td class="cell {_score_class(p.score)}" title="{_e(p.band)}">'
                    f"{p.score:.2f}</td>"
                )
        rows.append(f"<tr><th>{_e(a)}</th>{''.join(cells)}</tr>")
    return f'<table class="heat"><tr><th></th>{head}</tr>{"".join(rows)}</table>'


def _quote(text: str, who: str = "") -> str:
    cite = f' <span class="muted">({_e(who)})</span>' if who else ""
    return f"<blockquote>“{_e(text)}”{cite}</blockquote>"


def _findings(fi: Findings) -> str:
    out = []
    for s in fi.outliers:
        out.append(
            f'<p class="finding"><strong>Outlier: {_e(s.manager)}.</strong> The others agree at '
            f"index {s.rest_index:.2f} among themselves, {s.own_index:.2f} with "
            f"{_e(s.manager)} (STS {s.rest_score:.2f} vs {s.own_score:.2f}).</p>"
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
    if fi.divisive:
        out.append("<p><strong>Echoed by nobody</strong></p>")
        out += [_quote(e.statement, e.author) for e in fi.divisive]
    if fi.reference:
        rows = "".join(
            f"<tr><td>{_e(r.manager)}</td><td class='{_score_class(r.score)}'>{r.score:.2f}</td>"
            f"<td>{_e(r.band)}</td></tr>"
            for r in fi.reference.scores
        )
        out.append(
            "<p><strong>Against the official statement</strong> (furthest first)</p>"
            f"<table><tr><th>manager</th><th>STS</th><th>band</th></tr>{rows}</table>"
        )
        if fi.reference.unechoed:
            out.append("<p>Official statements nobody echoes:</p>")
            out += [_quote(t) for t in fi.reference.unechoed]
    for t in fi.themes:
        rows = "".join(
            f"<tr><td>{_e(m)}</td><td class='{_score_class(v)}'>{v:.2f}</td></tr>"
            for m, v in sorted(t.scores.items(), key=lambda kv: -kv[1])
        )
        out.append(
            f"<p><strong>Theme “{_e(t.theme)}”</strong></p>"
            f"<table><tr><th>manager</th><th>STS</th></tr>{rows}</table>"
        )
    out += [f'<p class="finding">⚠ {_e(w)}</p>' for w in fi.warnings]
    return "".join(out)


def _evidence(r: FoundationResult) -> str:
    out = []
    for p in sorted(r.pairs, key=lambda p: p.score)[:3]:
        ua, ub = p.unmatched(UNMATCHED_BELOW)
        left = "".join(_quote(m.statement) for m in ua) or '<p class="muted">all matched</p>'
        right = "".join(_quote(m.statement) for m in ub) or '<p class="muted">all matched</p>'
        out.append(
            f"<h4>{_e(p.a)} × {_e(p.b)}: {p.score:.2f} ({_e(p.band)})</h4>"
            f'<div class="pair"><div><strong>{_e(p.a)}</strong>{left}</div>'
            f"<div><strong>{_e(p.b)}</strong>{right}</div></div>"
        )
    return "".join(out)


def render(report: TeamReport) -> str:
    sig = report.signature
    summary_rows = []
    for f, r in report.foundations.items():
        fi = report.findings.get(f)
        interval = fi.index_interval if fi else None
        span = f" ({interval[0]:.2f}-{interval[1]:.2f})" if interval else ""
        apart = ", ".join(s.manager for s in fi.outliers) if fi else ""
        summary_rows.append(
            f"<tr><td>{f.value}</td><td>{_pill(r.index, r.index_band)}"
            f'<span class="muted">{span}</span></td>'
            f"<td>{'' if r.score is None else f'{r.score:.2f}'}</td><td>{_e(apart)}</td>"
            f"<td>{_e(', '.join(r.missing))}</td></tr>"
        )
    findings = "".join(f"<li>{_e(x)}</li>" for x in key_findings(report))
    sections = []
    for f, r in report.foundations.items():
        fi = report.findings.get(f)
        sections.append(
            f"<h2>{f.value.capitalize()} {_pill(r.index, r.index_band)}</h2>"
            + (
                _heatmap(r)
                if len(r.answered) >= 2
                else "<p class='muted'>fewer than two answers</p>"
            )
            + (_findings(fi) if fi else "")
            + _evidence(r)
        )
    bands = ", ".join(f"{w} from {lo:.2f}" for lo, w in INDEX_BANDS[:-1])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Alignment audit: {_e(report.team.name)}</title><style>{STYLE}</style></head>
<body>
<h1>Alignment audit: {_e(report.team.name)}</h1>
<p>{len(report.team.managers)} managers · overall index
{_pill(report.overall_index, report.overall_index_band)} · pairs on the STS scale 0-5:
{"" if report.overall is None else f"{report.overall:.2f}"}</p>
<table><tr><th>foundation</th><th>index (90% interval)</th><th>STS</th><th>stands apart</th>
<th>no answer</th></tr>{"".join(summary_rows)}</table>
<p class="muted">Index 0-1: 0 = no more alike than unrelated organisations, 1 = the same idea
({bands}). Cells of the heatmaps are pair scores on the human STS scale: 5 same meaning,
3 roughly equivalent, 1 same topic only. {_e(BANDS_CAVEAT)}</p>
<h2>Key findings</h2><ul>{findings or "<li>none beyond the figures above</li>"}</ul>
{"".join(sections)}
<p class="muted">{_e(signature_line(sig))}</p>
</body></html>
"""

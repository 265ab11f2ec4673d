"""`compare --format html`: two rounds of a team as one self-contained page for the client,
with before/after bars per foundation (inline SVG, no script) beside the table of changes.

Every text from the files is escaped (html.escape); the page carries the report's
Content-Security-Policy, so nothing in it can run.
"""

from __future__ import annotations

from ..core.verdict import word
from ..features.rounds import Change, Comparison
from .comparison import _interval, _num, _verdicts, choice_rows, summary_lines, verdict
from .html import CSP, FILLS, STYLE, _e
from .summary import verdict_of

NO_PAIRS = '<tr><td colspan="6">no pair of managers answered in both rounds</td></tr>'


def bars(c: Comparison) -> str:
    """Per foundation and overall, the index before (upper, lighter) and after (lower), each
    in its verdict's colour on the 0-1 scale, the change written beside them."""
    rows: list[tuple[str, Change, dict[str, str]]] = [
        (f.value, fc.index, _verdicts(c, f)) for f, fc in c.foundations.items()
    ]
    rows.append(("overall", c.overall_index, _verdicts(c, None)))
    left, right, step = 110, 430, 40
    height = step * len(rows) + 24

    def x(v: float) -> float:
        return left + (right - left) * min(1.0, max(0.0, v))

    label = "; ".join(f"{n}: {_num(ch.before)} → {_num(ch.after)}" for n, ch, _ in rows)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{right + 190}" height="{height}" '
        f'role="img" aria-label="{_e(label)}">'
    ]
    for k, (name, ch, words) in enumerate(rows):
        y = 6 + k * step
        out.append(
            f'<text x="{left - 8}" y="{y + 20}" font-size="12" text-anchor="end">{_e(name)}</text>'
        )
        for j, (value, when) in enumerate(((ch.before, "before"), (ch.after, "after"))):
            top = y + 3 + j * 16
            out.append(
                f'<rect x="{left}" y="{top}" width="{right - left}" height="13" fill="#f4f6f8"/>'
            )
            if value is not None:
                fill = FILLS[verdict_of(words[when])]
                opacity = ' fill-opacity="0.55"' if when == "before" else ""
                tip = _e(f"{name} {when}: {value:.2f} {words[when]}")
                out.append(
                    f'<rect x="{left}" y="{top}" width="{x(value) - left:.1f}" height="13" '
                    f'fill="{fill}"{opacity}><title>{tip}</title></rect>'
                )
            out.append(
                f'<text x="{right + 6}" y="{top + 11}" font-size="11" fill="#6b7580">'
                f"{when} {_e(_num(value))}</text>"
            )
        out.append(
            f'<text x="{right + 90}" y="{y + 20}" font-size="12">'
            f"{_e(_num(ch.change, signed=True))}</text>"
        )
    base = 6 + len(rows) * step
    for v in (0.0, 0.5, 1.0):
        out.append(
            f'<text x="{x(v):.1f}" y="{base + 12}" font-size="10" text-anchor="middle" '
            f'fill="#6b7580">{v:.1f}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _row(name: str, ch: Change, words: dict[str, str], noise: bool) -> str:
    judged = f"{verdict(ch.beyond_noise)} {_interval(ch)}" if noise else ""
    return (
        f"<tr><td>{_e(name)}</td><td>{_num(ch.before)}</td><td>{_num(ch.after)}</td>"
        f"<td>{_num(ch.change, signed=True)}</td><td>{_e(judged)}</td>"
        f"<td>{_e(words['before'])} → {_e(words['after'])}</td></tr>"
    )


def _choices_table(rows: str) -> str:
    if not rows:
        return ""
    head = "".join(
        f"<th>{h}</th>" for h in ("trade-off", "r_wg", "word", "shift", "noise", "moved")
    )
    return f"<h2>Trade-offs</h2><table><tr>{head}</tr>{rows}</table>"


def render_html(c: Comparison) -> str:
    """The comparison as one self-contained HTML page."""
    rows = [_row(f.value, fc.index, _verdicts(c, f), True) for f, fc in c.foundations.items()]
    rows.append(_row("overall", c.overall_index, _verdicts(c, None), False))
    pairs = []
    for f, fc in c.foundations.items():
        for p in fc.pairs[:5]:
            before, after = word(p.before_index, c.before.bands), word(p.after_index, c.after.bands)
            pairs.append(
                f"<tr><td>{f.value}</td><td>{_e(p.a)} × {_e(p.b)}</td>"
                f"<td>{p.before_index:.2f}</td><td>{p.after_index:.2f}</td>"
                f"<td>{p.index_change:+.2f}</td><td>{_e(before)} → {_e(after)}</td></tr>"
            )
    choices = "".join(
        "<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in choice_rows(c)
    )
    who = "".join(f"<li>{_e(line)}</li>" for line in summary_lines(c))
    title = f"Alignment: {c.before.team.name} → {c.after.team.name}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{_e(title)}</h1>
<ul>{who}</ul>
<p>The agreement index of each foundation before (upper, lighter bar) and after (lower), in
its verdict's colour (0 = no more alike than unrelated organisations, 1 = the same idea).
A change is beyond noise when its 90% interval, over the managers in both rounds, excludes 0.</p>
{bars(c)}
<table><tr><th>foundation</th><th>before</th><th>after</th><th>change</th><th>noise</th>
<th>verdict</th></tr>{"".join(rows)}</table>
<h2>Pairs that moved most</h2>
<p class="muted">One measurement per round: a pair's change is a figure, not judged.</p>
<table><tr><th>foundation</th><th>pair</th><th>before</th><th>after</th><th>change</th>
<th>words</th></tr>{"".join(pairs) or NO_PAIRS}</table>
{_choices_table(choices)}
</body></html>
"""

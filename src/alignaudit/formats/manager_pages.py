"""One confidential page per manager, for the one-to-one debrief: their own answers, where they
stand on each foundation, and the colleagues closest to and furthest from them with the
statements that differ. Never made from an anonymised report (the page names its reader).

Each page is a self-contained HTML file like the report (formats/html.py): every text from
the files is escaped, the page has no script, and a Content-Security-Policy forbids any.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..core.results import UNMATCHED_BELOW, FoundationResult, PairScore, TeamReport
from ..core.types import Foundation, Manager
from .html import CSP, STYLE, VERDICT_CLASSES, _e, _quote
from .summary import pair_word, verdict_of


@dataclass(frozen=True)
class Standing:
    """Where one manager stands on one foundation."""

    foundation: Foundation
    own: float  # the manager's mean index with the others (FoundationResult.manager_means)
    rest: float | None  # the others' mean index among themselves; None: no pair of others
    closest: PairScore | None  # None on the large-team path, which keeps a few pairs only
    furthest: PairScore | None


def _other(p: PairScore, name: str) -> str:
    return p.b if p.a == name else p.a


def standing(r: FoundationResult, name: str) -> Standing | None:
    """The manager's figures on a foundation, or None when they (or nobody else) answered.
    Their mean comes from the report's own per-manager figures, so it holds on both paths;
    the others' mean and the closest and furthest colleague need every pair."""
    own = r.manager_means("index").get(name) if name in r.answered else None
    if own is None:
        return None
    if not r.every_pair:
        return Standing(r.foundation, own, None, None, None)
    mine = [p for p in r.pairs if name in (p.a, p.b)]
    rest = [p.index for p in r.pairs if name not in (p.a, p.b)]
    return Standing(
        foundation=r.foundation,
        own=own,
        rest=sum(rest) / len(rest) if rest else None,
        closest=max(mine, key=lambda p: (p.index, p.score)),
        furthest=min(mine, key=lambda p: (p.index, p.score)),
    )


def file_name(name: str) -> str:
    """A safe file name for a manager's page: letters, digits and hyphens only."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return f"{slug or 'manager'}.html"


def _differ(p: PairScore, name: str) -> str:
    """The two sides' statements that find no counterpart on the other side, side by side."""
    mine, theirs = p.unmatched(UNMATCHED_BELOW)
    if p.b == name:
        mine, theirs = theirs, mine
    other = _other(p, name)
    none = '<p class="muted">all matched</p>'
    left = "".join(_quote(m.statement, similarity=m.score) for m in mine) or none
    right = "".join(_quote(m.statement, similarity=m.score) for m in theirs) or none
    return (
        f'<div class="pair"><div><strong>You</strong>{left}</div>'
        f"<div><strong>{_e(other)}</strong>{right}</div></div>"
    )


def _closest_and_furthest(report: TeamReport, name: str, st: Standing) -> list[str]:
    """Who is closest and furthest, and where the furthest differs; nothing on a large team,
    whose report keeps only its most divergent pairs."""
    c, far = st.closest, st.furthest
    if c is None or far is None:
        return []
    out = [
        f"<p>Closest to you: <strong>{_e(_other(c, name))}</strong> (index {c.index:.2f}, "
        f"{_e(pair_word(c.index, report.bands))}). Furthest: "
        f"<strong>{_e(_other(far, name))}</strong> (index {far.index:.2f}, "
        f"{_e(pair_word(far.index, report.bands))}).</p>"
    ]
    if far is not c:
        out.append(
            f"<h3>Where you and {_e(_other(far, name))} differ</h3>"
            '<p class="muted">Statements with no close counterpart on the other side '
            "(statement similarity 0-5 of the closest one).</p>" + _differ(far, name)
        )
    return out


def _section(report: TeamReport, m: Manager, f: Foundation, r: FoundationResult) -> str:
    answer = m.answers.get(f)
    said = (
        "".join(_quote(s) for s in answer.statements)
        if answer
        else '<p class="muted">You did not answer this foundation.</p>'
    )
    head = (
        f"<h2>{f.value.capitalize()} "
        f'<span class="pill {VERDICT_CLASSES[verdict_of(r.verdict)]}">team: '
        f"{'no figure' if r.index is None else f'{r.index:.2f}'} {_e(verdict_of(r.verdict))}"
        "</span></h2><h3>What you wrote</h3>" + said
    )
    st = standing(r, m.name)
    if st is None:
        return head
    rest = "" if st.rest is None else f", the others among themselves at {st.rest:.2f}"
    word = pair_word(st.own, report.bands)
    fi = report.findings.get(f)
    apart = fi is not None and any(s.manager == m.name for s in fi.outliers)
    out = [
        head,
        "<h3>Where you stand</h3>",
        f"<p>You agree with the others at index {st.own:.2f} on average ({_e(word)}){rest}."
        + (" The report names you as standing apart here." if apart else "")
        + "</p>",
    ]
    out += _closest_and_furthest(report, m.name, st)
    for t in report.tradeoffs:
        if t.tradeoff.foundation is not f:
            continue
        mine = dict(t.ratings).get(m.name)
        if mine is None:
            continue
        others = sorted(v for n, v in t.ratings if n != m.name)
        span = f"{others[0]}-{others[-1]}" if others else "none"
        to = t.tradeoff
        out.append(
            f"<p>On <strong>{_e(to.id)}</strong> you rated {mine} ({to.low} = {_e(to.left)}, "
            f"{to.high} = {_e(to.right)}); the others {span}.</p>"
        )
    return "".join(out)


def render(report: TeamReport, manager: str) -> str:
    """The confidential page of one manager of a report that is not anonymised."""
    if report.anonymized:
        raise ValueError("per-manager pages name their reader: never from an anonymised report")
    m = next(x for x in report.team.managers if x.name == manager)
    sections = "".join(_section(report, m, f, r) for f, r in report.foundations.items())
    role = ", ".join(x for x in (m.role, m.unit) if x)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Confidential: {_e(m.name)}, alignment audit of {_e(report.team.name)}</title>
<style>{STYLE}.confidential{{background:#fde2e1;border:2px solid #c0392b;padding:.5rem .8rem;
font-weight:600}}</style></head>
<body>
<p class="confidential">Confidential: for {_e(m.name)} only, for a one-to-one debrief. Do not
circulate.</p>
<h1>Your alignment audit: {_e(report.team.name)}</h1>
<p>{_e(m.name)}{f" · {_e(role)}" if role else ""} · {len(report.team.managers)} managers
answered independently. Agreement index 0-1: 0 = no more alike than unrelated organisations,
1 = the same idea.</p>
{sections}
</body></html>
"""

"""The key findings of a report as plain sentences: one wording shared by every format."""

from __future__ import annotations

from collections.abc import Callable

from ..analysis.tradeoffs import describe_split
from ..core.results import (
    CHOICE_MEANINGS,
    CHOICE_WORDS,
    NOT_AGREED,
    SPLIT,
    Findings,
    RankingResult,
    Signature,
    TeamReport,
    TradeOffResult,
)
from ..core.verdict import ALIGNED, CANT_TELL, MEANINGS, NOT_ALIGNED, PARTLY, VERDICTS, Bands, word

# The colour of each verdict word (RGB hex), in every format that colours: the HTML page (and
# so the PDF) and the slides. "can't tell" is a neutral grey; statement similarity is never
# coloured.
VERDICT_COLOURS = {
    ALIGNED: "8fd4a3",
    PARTLY: "f3e08a",
    NOT_ALIGNED: "f1a79e",
    CANT_TELL: "dde3ea",
}


def bands_caveat(bands: Bands | None) -> str:
    """What a verdict is worth, as measured for the model's bands on labelled teams written
    blind and never used to fit them (bands.checked, from benchmarks/verdict.py): said
    wherever the bands are explained."""
    if bands is None or not bands.checked:
        return (
            "This model has no verdict bands measured on labelled teams: every verdict reads "
            "can't tell; read the quoted statements."
        )
    said = f"What a verdict is worth: {bands.checked}."
    if bands.findings_checked:
        said += f" What the outlier and camp findings are worth: {bands.findings_checked}."
    return f"{said} Read them with the quoted statements."


# What the index is, said the same way by every format.
INDEX_TEXT = "Index 0-1: 0 = no more alike than unrelated organisations, 1 = the same idea."
# The STS figure that remains in a report: beside a quoted statement, how close its nearest
# counterpart on the other side is.
SIMILARITY_TEXT = (
    "Statement similarity, beside a quoted statement: how close its nearest counterpart is, "
    "on the STS scale 0-5 (5 same meaning, 3 roughly equivalent, 1 same topic only)."
)
NO_FIGURE = "no answer"


def signature_line(sig: Signature) -> str:
    """The footer every human-readable report ends with, so a figure can be reproduced."""
    return (
        f"model {sig.model} · pooling {sig.pooling} · calibration {sig.calibration} · "
        f"baseline {sig.baseline} · bands {sig.bands} · alignaudit {sig.package}"
    )


def interval_text(bounds: tuple[float, float] | None) -> str:
    """A 90% interval as the reports write it: "[0.61-0.80]", or "" when unknown."""
    return "" if bounds is None else f"[{bounds[0]:.2f}-{bounds[1]:.2f}]"


def figure(index: float | None, bounds: tuple[float, float] | None = None) -> str:
    """The one figure of a foundation or a team: "0.72 [0.61-0.80]" (or "no answer")."""
    if index is None:
        return NO_FIGURE
    return f"{index:.2f} {interval_text(bounds)}".rstrip()


def overview(report: TeamReport) -> str:
    """The report in a line: "5 managers · overall index 0.80 [0.48-0.94] aligned"."""
    overall = figure(report.overall_index, report.overall_interval)
    return (
        f"{len(report.team.managers)} managers · overall index {overall} "
        f"{verdict_of(report.overall_verdict)}"
    )


def verdict_of(verdict: str | None) -> str:
    """The verdict word as shown; a figure without a verdict (too few answers) can't tell."""
    return verdict if verdict in VERDICTS else CANT_TELL


def pair_word(index: float, bands: Bands | None) -> str:
    """The word of a pair of managers: the band of its index (a pair has no interval)."""
    return word(index, bands)


def bands_text(bands: Bands | None) -> str:
    """Where the index turns into verdict words, from the report's own bands."""
    if bands is None:
        return (
            "This model has no fitted bands, so every verdict reads can't tell: "
            "compare the index figures and read the quoted statements."
        )
    if bands.classifier is not None:
        c = bands.classifier
        return (
            f"Verdicts (bands {bands.version}): a foundation's verdict weighs its mean index, "
            f"the share of its pairs at {c.agree:.2f} or more and its lowest manager's mean "
            f"index; it reads can't tell when no verdict is at least {c.min_probability:.0%} "
            f"likely, and otherwise not aligned below {bands.partly:.2f}. A pair of managers, "
            f"and the overall figure, read aligned from {bands.aligned:.2f}, partly aligned "
            f"from {bands.partly:.2f}, not aligned below."
        )
    return (
        f"Verdicts (bands {bands.version}): aligned from {bands.aligned:.2f}, partly aligned "
        f"from {bands.partly:.2f}, not aligned below; a team figure reads can't tell when its "
        f"90% interval reaches more than {bands.margin:.2f} past a boundary on both sides. "
        "A pair of managers gets the word of its index."
    )


def meanings() -> list[tuple[str, str]]:
    """Each verdict word and what it means, in order."""
    return [(w, MEANINGS[w]) for w in VERDICTS]


def languages_text(report: TeamReport) -> str | None:
    """The languages the answers are written in, when there is more than one."""
    if len(report.languages) < 2:
        return None
    return f"Answers in {len(report.languages)} languages: {', '.join(report.languages)}."


def language_warning_text(report: TeamReport) -> str | None:
    """The language warning as the reports for people word it; None when the model reads every
    language of the answers."""
    return (
        None if report.language_warning is None else f"Language warning: {report.language_warning}"
    )


CAMP_SEPARATOR = " / "  # between two camps in a summary cell; names within one by ", "


def apart_text(fi: Findings | None, escape: Callable[[str], str] = str) -> str:
    """The summary table's "stands apart" cell: the managers flagged as outliers, people only
    (each name through the format's `escape`)."""
    return "" if fi is None else ", ".join(escape(s.manager) for s in fi.outliers)


def camps_text(
    fi: Findings | None, escape: Callable[[str], str] = str, separator: str = CAMP_SEPARATOR
) -> str:
    """The summary table's "camps" cell: the members of each camp the answers form, camps
    apart by `separator` (each name through the format's `escape`)."""
    if fi is None:
        return ""
    return separator.join(", ".join(escape(m) for m in g.members) for g in fi.groups)


def _names(names: tuple[str, ...] | list[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _interval(bounds: tuple[float, float] | None) -> str:
    return "" if bounds is None else f" (90% interval {bounds[0]:.2f} to {bounds[1]:.2f})"


def key_findings(report: TeamReport) -> list[str]:
    """Who stands apart, where camps form, what nobody echoes, what is missing: in the order
    a consultant would raise them. A finding that holds for several foundations is said once."""
    merged: dict[str, list[str]] = {}
    for line in _findings(report):
        where, _, what = line.partition(": ")
        merged.setdefault(what, []).append(where)
    return [f"{_names(where)}: {what}" if where[0] else what for what, where in merged.items()]


def _findings(report: TeamReport) -> list[str]:
    out: list[str] = []
    for f, r in report.foundations.items():
        fi = report.findings.get(f)
        if fi is None:
            continue
        for s in fi.outliers:
            out.append(
                f"{f.value}: {s.manager} stands apart (the others agree at index "
                f"{s.rest_index:.2f} among themselves, {s.own_index:.2f} with {s.manager})."
            )
        if fi.groups:
            camps = " | ".join(_names(g.members) for g in fi.groups)
            out.append(f"{f.value}: {len(fi.groups)} camps form from the answers: {camps}.")
        out.extend(_choice_findings(report, f.value))
        if fi.units is not None and fi.units.gap >= 0.3:
            out.append(f"{f.value}: managers agree within their units far more than across them.")
        if fi.reference is not None:
            ref = fi.reference
            if ref.drifts is not None and ref.gap is not None:
                own = next(r.index for r in ref.scores if r.manager == ref.drifts)
                out.append(
                    f"{f.value}: {ref.drifts} drifts furthest from the official statement "
                    f"(index {own:.2f}, {ref.gap:.2f} below the others' mean)."
                )
            for text in ref.unechoed:
                out.append(f'{f.value}: nobody echoes the official statement "{text}".')
        if r.missing:
            out.append(f"{f.value}: no answer from {_names(r.missing)}.")
        out.extend(f"{f.value}: {w}." for w in fi.warnings)
    for c in report.contrasts:
        if not c.within_noise and c.interval is not None:
            higher, lower = (c.first, c.second) if c.difference > 0 else (c.second, c.first)
            # the interval of the difference as stated: higher minus lower
            lo, hi = c.interval if c.difference > 0 else (-c.interval[1], -c.interval[0])
            out.append(
                f": The team agrees more on {higher.value} than on {lower.value} "
                f"(index difference {abs(c.difference):.2f}, beyond noise{_interval((lo, hi))})."
            )
    return out


# The trade-offs, said the same way by every format.
CHOICES_TEXT = (
    "Trade-offs: where each manager places the firm between two poles. r_wg: 1 = every rating "
    "on one point, 0 = spread as wide as ratings given at random (strong agreement from 0.70); "
    "p: the chance that ratings given at random agree this closely; AD: the mean distance from "
    "the mean rating (agreement at or under a sixth of the scale's points)."
)
RANKINGS_TEXT = (
    "Rankings: Kendall's W, 1 = every manager orders the options alike, 0 = no common order "
    "(strong agreement from 0.70); p: the chance that random orders concord this strongly."
)


def choice_meanings() -> list[tuple[str, str]]:
    """Each word a trade-off or ranking gets and what it means, in order."""
    return [(w, CHOICE_MEANINGS[w]) for w in CHOICE_WORDS]


def p_text(p: float | None) -> str:
    """A probability as the reports write it."""
    if p is None:
        return "p n/a"
    return "p < 0.001" if p < 0.001 else f"p {p:.3f}"


def tradeoff_head(t: TradeOffResult) -> str:
    """One trade-off's figures in a line: its word, r_wg with its reading and probability, AD."""
    head = f"{t.tradeoff.id} ({t.tradeoff.foundation.value}): {t.word}"
    if t.rwg is None or t.ad is None:
        return f"{head} ({len(t.ratings)} rating)"
    return (
        f"{head} · r_wg {t.rwg:.2f} ({t.reading}), {p_text(t.rwg_p)} · AD {t.ad:.2f} "
        f"(agreement at or under {t.ad_cutoff:.2f}) · mean {t.mean:.1f} of "
        f"{t.tradeoff.low}-{t.tradeoff.high} · {len(t.ratings)} ratings"
    )


def strip(t: TradeOffResult) -> list[int]:
    """How many managers chose each point of the scale, low to high."""
    counts = [0] * t.tradeoff.options
    for _, v in t.ratings:
        counts[v - t.tradeoff.low] += 1
    return counts


def positions(t: TradeOffResult) -> str:
    """Who chose which point: "1 Ana · 2 Ben, Cy · 6 Dee"."""
    at: dict[int, list[str]] = {}
    for name, v in t.ratings:
        at.setdefault(v, []).append(name)
    return " · ".join(f"{v}: {', '.join(names)}" for v, names in sorted(at.items()))


def ranking_head(r: RankingResult) -> str:
    """One ranking's figures in a line: its word, W with its reading and test, mean rho."""
    head = f"{r.ranking.id} ({r.ranking.foundation.value}): {r.word}"
    if r.w is None or r.mean_rho is None:
        return f"{head} ({len(r.orders)} ranking)"
    test = "exact" if r.exact else "chi-square"
    return (
        f"{head} · Kendall's W {r.w:.2f} ({r.reading}), {p_text(r.p)} ({test}) · mean "
        f"Spearman correlation {r.mean_rho:.2f} · {len(r.orders)} rankings"
    )


def mean_ranks(r: RankingResult) -> str:
    """Each option's mean rank, the one led with first."""
    return ", ".join(f"{o} {rank:.1f}" for o, rank in r.mean_ranks)


def leads(r: RankingResult) -> str:
    """Who leads with which option."""
    return "; ".join(f"{o}: {', '.join(who)}" for o, who in r.leads)


def _choice_findings(report: TeamReport, where: str) -> list[str]:
    """The key findings of one foundation's ratings: where ratings and words disagree first,
    then camps, a manager at the other pole, and spreads as wide as random, each once."""
    out = []
    said = set()
    for s in report.signals:
        if s.foundation.value == where:
            out.append(f"{where}: {s.message}.")
            said.add(s.choice)
    for t in report.tradeoffs:
        if t.tradeoff.foundation.value != where or t.tradeoff.id in said:
            continue
        if t.word == SPLIT:
            out.append(f"{where}: two camps on {t.tradeoff.id}: {describe_split(t)}.")
        elif t.word == NOT_AGREED:
            out.append(
                f"{where}: ratings on {t.tradeoff.id} spread as widely as random answers "
                f"(r_wg {t.rwg:.2f}): {describe_split(t)}."
            )
        elif t.apart is not None:
            out.append(f"{where}: on {t.tradeoff.id}, {describe_split(t)}.")
    for r in report.rankings:
        if r.ranking.foundation.value == where and r.ranking.id not in said and r.word == SPLIT:
            out.append(f"{where}: the team splits on {r.ranking.id}: {leads(r)}.")
    return out


def signal_quotes(report: TeamReport) -> dict[str, tuple[str, list[tuple[str, int | str, str]]]]:
    """Per trade-off or ranking id: the sentence where its ratings and the words disagree, and
    the statements to quote beside it, each statement quoted once in a report (a manager's one
    positioning statement would otherwise repeat under every positioning trade-off)."""
    seen: set[tuple[str, str]] = set()
    out: dict[str, tuple[str, list[tuple[str, int | str, str]]]] = {}
    for sig in report.signals:
        fresh = [q for q in sig.quotes if (q[0], q[2]) not in seen]
        seen.update((q[0], q[2]) for q in sig.quotes)
        message = sig.message[:1].upper() + sig.message[1:]
        if sig.quotes and not fresh:
            message += " (their statements are quoted above)"
        out[sig.choice] = (message, fresh)
    return out

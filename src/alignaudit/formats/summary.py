"""The key findings of a report as plain sentences: one wording shared by every format."""

from __future__ import annotations

from ..model import Signature, TeamReport

# What a band word is worth, measured by benchmarks/judgement.py on the labelled teams not used
# to fit the bands (README, Judgement quality): said wherever the bands are explained.
BANDS_CAVEAT = (
    "The band words are a guide, not a verdict: on teams not used to fit them they matched a "
    "person's reading in about half the foundations, so read the quoted statements."
)


def signature_line(sig: Signature) -> str:
    """The footer every human-readable report ends with, so a figure can be reproduced."""
    return (
        f"model {sig.model} · pooling {sig.pooling} · calibration {sig.calibration} · "
        f"baseline {sig.baseline} · alignaudit {sig.package}"
    )


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
        if fi.units is not None and fi.units.gap >= 0.3:
            out.append(f"{f.value}: managers agree within their units far more than across them.")
        if fi.reference is not None:
            if fi.reference.scores:
                far = fi.reference.scores[0]
                out.append(
                    f"{f.value}: {far.manager} drifts furthest from the official statement "
                    f"(STS {far.score:.2f}, {far.band})."
                )
            for text in fi.reference.unechoed:
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

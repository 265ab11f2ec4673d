"""GitHub Actions workflow commands: annotations on the answer file and line where a team
diverges, so a pull request on a strategy repository shows them next to the text."""

from __future__ import annotations

from ..analysis.tradeoffs import describe_split
from ..core.results import AGREED, CHOICE_CANT_TELL, PARTLY_AGREED, TeamReport
from ..core.types import Foundation
from .summary import figure, pair_word, verdict_of


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _where(report: TeamReport, manager: str, foundation: Foundation) -> str:
    if report.anonymized:
        return ""  # aliases are not files
    for m in report.team.managers:
        if m.name == manager:
            line = m.answers[foundation].line if foundation in m.answers else 1
            return f"file={_prop(m.file)},line={line},"
    return ""


def _rating_where(report: TeamReport, manager: str, choice: str) -> str:
    """The line of a manager's rating, so the annotation sits on it."""
    if report.anonymized:
        return ""
    for m in report.team.managers:
        rating = m.rating(choice) if m.name == manager else None
        if rating is not None:
            return f"file={_prop(m.file)},line={rating.line},"
    return ""


def _choices(report: TeamReport) -> list[str]:
    """A trade-off whose ratings do not agree, annotated on each rating at its pole's end
    (an error where its r_wg floor failed); a choice where words and ratings disagree."""
    failed = {c.name for c in report.gate.failures} if report.gate else set()
    lines = []
    for t in report.tradeoffs:
        if t.word in (AGREED, PARTLY_AGREED, CHOICE_CANT_TELL) and t.apart is None:
            continue
        kind = "error" if f"{t.tradeoff.id} r_wg" in failed else "warning"
        named = [m for c in (t.camps or ()) for m in c.members] or (
            list(t.apart.members) if t.apart else []
        )
        message = f"{t.tradeoff.id}: {t.word}; {describe_split(t)}."
        title = f"alignaudit: {t.tradeoff.id}"
        if not named:
            lines.append(_command(kind, "", title, message))
        for name in named:
            lines.append(_command(kind, _rating_where(report, name, t.tradeoff.id), title, message))
    for sig in report.signals:
        lines.append(
            _command("warning", "", f"alignaudit: {sig.foundation.value}", f"{sig.message}.")
        )
    return lines


def _command(kind: str, where: str, title: str, message: str) -> str:
    return f"::{kind} {where}title={_prop(title)}::{_data(message)}"


def render(report: TeamReport) -> str:
    """The report as GitHub Actions workflow commands: who stands apart, the weakest pair of a
    failed foundation and missing answers, at their answer files, then the overall figure."""
    lines = []
    if report.language_warning is not None:
        lines.append(_command("warning", "", "alignaudit: languages", report.language_warning))
    failed = {c.foundation for c in report.gate.failures} if report.gate else set()
    for f, r in report.foundations.items():
        fi = report.findings.get(f)
        kind = "error" if f in failed else "warning"
        for s in fi.outliers if fi else ():
            lines.append(
                _command(
                    kind,
                    _where(report, s.manager, f),
                    f"alignaudit: {f.value}",
                    f"{s.manager} stands apart on {f.value}: index {s.own_index:.2f} with the "
                    f"others, who agree at {s.rest_index:.2f} among themselves.",
                )
            )
        if f in failed and r.pairs:
            worst = min(r.pairs, key=lambda p: (p.index, p.score))
            for name, other in ((worst.a, worst.b), (worst.b, worst.a)):
                lines.append(
                    _command(
                        "error",
                        _where(report, name, f),
                        f"alignaudit: {f.value}",
                        f"{f.value}: weakest pair {worst.a} x {worst.b} (index "
                        f"{worst.index:.2f}, {pair_word(worst.index, report.bands)}); "
                        f"compare with {other}'s answer.",
                    )
                )
        for name in r.missing:
            lines.append(
                _command(
                    "error" if f in failed else "notice",
                    _where(report, name, f),
                    f"alignaudit: {f.value}",
                    f"{name} gave no answer for {f.value}.",
                )
            )
    lines += _choices(report)
    for c in report.gate.failures if report.gate else ():
        lines.append(_command("error", "", "alignaudit threshold", c.message))
    overall = figure(report.overall_index, report.overall_interval)
    verdicts = ", ".join(
        f"{f.value} {verdict_of(r.verdict)}" for f, r in report.foundations.items() if r.answered
    )
    lines.append(
        _command(
            "notice",
            "",
            "alignaudit",
            f"{report.team.name}: overall index {overall}, {verdict_of(report.overall_verdict)}"
            f" ({verdicts})",
        )
    )
    return "\n".join(lines) + "\n"

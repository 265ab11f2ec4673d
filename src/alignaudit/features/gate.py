"""The CI gate: thresholds on the agreement index and required answers, checked one by one so
a failure says exactly what failed and by how much."""

from __future__ import annotations

from ..core.results import Check, Gate, TeamReport
from ..core.types import Foundation
from ..inputs.config import OVERALL, TRADEOFF_RWG


def _index_check(name: str, foundation: Foundation | None, value: float | None, t: float) -> Check:
    if value is None:
        return Check(
            name, foundation, t, None, False, f"{name}: no figure (fewer than two answers)"
        )
    if value >= t:
        return Check(name, foundation, t, value, True, f"{name} {value:.2f} meets {t:.2f}")
    return Check(
        name,
        foundation,
        t,
        value,
        False,
        f"{name} {value:.2f} is under {t:.2f} by {t - value:.2f}",
    )


def evaluate(
    report: TeamReport,
    thresholds: dict[str, float],
    required: tuple[Foundation, ...] = (),
    fail_on_missing: bool = False,
) -> Gate:
    """Every threshold and required answer as a check (config.resolve refuses checks on a
    foundation that is not audited, so none is skipped silently)."""
    checks: list[Check] = []
    for f, result in report.foundations.items():
        if f.value in thresholds:
            checks.append(_index_check(f"{f.value} index", f, result.index, thresholds[f.value]))
    if OVERALL in thresholds:
        checks.append(
            _index_check("overall index", None, report.overall_index, thresholds[OVERALL])
        )
    if TRADEOFF_RWG in thresholds:
        checks += _rwg_checks(report, thresholds[TRADEOFF_RWG])
    for f, result in report.foundations.items():
        if fail_on_missing or f in required:  # required foundations are always checked
            missing = result.missing
            checks.append(
                Check(
                    f"{f.value} answers",
                    f,
                    None,
                    float(len(missing)),
                    not missing,
                    f"{f.value}: no answer from {', '.join(missing)}"
                    if missing
                    else f"{f.value}: every manager answered",
                )
            )
    return Gate(tuple(checks))


def _rwg_checks(report: TeamReport, floor: float) -> list[Check]:
    """One check per rated trade-off against the r_wg floor; a failing check when nothing was
    rated, since a floor with nothing under it would pass with no check at all."""
    if not report.tradeoffs:
        return [
            Check(
                "trade-off r_wg",
                None,
                floor,
                None,
                False,
                f"trade-off r_wg: no trade-off was rated (floor {floor:.2f})",
            )
        ]
    checks = []
    for t in report.tradeoffs:
        name = f"{t.tradeoff.id} r_wg"
        f = t.tradeoff.foundation
        if t.rwg is None:
            checks.append(Check(name, f, floor, None, False, f"{name}: fewer than two ratings"))
        elif t.rwg >= floor:
            checks.append(
                Check(name, f, floor, t.rwg, True, f"{name} {t.rwg:.2f} meets {floor:.2f}")
            )
        else:
            checks.append(
                Check(
                    name,
                    f,
                    floor,
                    t.rwg,
                    False,
                    f"{name} {t.rwg:.2f} is under {floor:.2f} by {floor - t.rwg:.2f} ({t.word})",
                )
            )
    return checks

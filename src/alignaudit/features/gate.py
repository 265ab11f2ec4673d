"""The CI gate: thresholds on the agreement index and required answers, checked one by one so
a failure says exactly what failed and by how much."""

from __future__ import annotations

from ..core.results import Check, Gate, TeamReport
from ..core.types import Foundation
from ..inputs.config import OVERALL


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

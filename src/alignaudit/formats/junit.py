"""JUnit XML for CI dashboards: one test case per threshold or required answer, failures with
the evidence (who stands apart, the most divergent pair and its unmatched statements)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..core.results import UNMATCHED_BELOW, TeamReport
from ..core.types import Foundation
from .summary import figure, pair_word, positions, tradeoff_head, verdict_of


def _evidence(report: TeamReport, foundation: Foundation | None) -> str:
    chosen = [foundation] if foundation else list(report.foundations)
    lines = []
    for f in chosen:
        result, findings = report.foundations[f], report.findings.get(f)
        if findings:
            lines += [
                f"{f.value}: {s.manager} stands apart (index {s.own_index:.2f} with the others, "
                f"{s.rest_index:.2f} among them)"
                for s in findings.outliers
            ]
        if result.pairs:
            worst = min(result.pairs, key=lambda p: (p.index, p.score))
            lines.append(
                f"{f.value}: weakest pair {worst.a} x {worst.b}: index {worst.index:.2f} "
                f"{pair_word(worst.index, report.bands)}"
            )
            ua, ub = worst.unmatched(UNMATCHED_BELOW)
            lines += [f'  {worst.a}: "{m.statement}"' for m in ua]
            lines += [f'  {worst.b}: "{m.statement}"' for m in ub]
    return "\n".join(lines)


def _choice_evidence(report: TeamReport, check: str) -> str:
    """For a failed r_wg floor: the trade-off's figures and who placed the firm where."""
    for t in report.tradeoffs:
        if check == f"{t.tradeoff.id} r_wg":
            return f"{tradeoff_head(t)}\n{positions(t)}"
    return ""


# What XML 1.0 cannot carry (C0 controls but tab and newlines, surrogates, U+FFFE/U+FFFF), and
# the noncharacters U+FDD0-U+FDEF, which parsers may refuse: each becomes U+FFFD.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(element: ET.Element) -> None:
    """Every text, tail and attribute of the tree in XML 1.0 characters only."""
    for e in element.iter():
        if e.text:
            e.text = _NOT_XML.sub("\ufffd", e.text)
        if e.tail:
            e.tail = _NOT_XML.sub("\ufffd", e.tail)
        for key, value in e.attrib.items():
            e.attrib[key] = _NOT_XML.sub("\ufffd", value)


def render(report: TeamReport) -> str:
    """The report as a JUnit test suite: one case per check, or one per foundation when no threshold
    is set."""
    checks = report.gate.checks if report.gate else ()
    suite = ET.Element(
        "testsuite",
        name=f"alignaudit {report.team.name}",
        tests=str(len(checks)),
        failures=str(sum(not c.passed for c in checks)),
        errors="0",
        skipped="0",
    )
    props = ET.SubElement(suite, "properties")
    sig = report.signature
    for name, value in (
        ("model", sig.model),
        ("calibration", sig.calibration),
        ("baseline", sig.baseline),
        ("pooling", sig.pooling),
        ("bands", sig.bands),
        ("alignaudit", sig.package),
        ("overall_index", "" if report.overall_index is None else f"{report.overall_index:.4f}"),
        ("overall_verdict", verdict_of(report.overall_verdict)),
        ("languages", ",".join(report.languages)),
        ("language_warning", report.language_warning or ""),
    ):
        ET.SubElement(props, "property", name=name, value=value)
    for c in checks:
        case = ET.SubElement(
            suite, "testcase", classname=f"alignaudit.{report.team.name}", name=c.name
        )
        if not c.passed:
            failure = ET.SubElement(case, "failure", message=c.message, type="threshold")
            failure.text = _choice_evidence(report, c.name) or _evidence(report, c.foundation)
    if not checks:  # no thresholds: one passing case per foundation, so the report is visible
        for f, r in report.foundations.items():
            ET.SubElement(
                suite,
                "testcase",
                classname=f"alignaudit.{report.team.name}",
                name=f"{f.value} index {figure(r.index, r.index_interval)}: "
                f"{verdict_of(r.verdict)}",
            )
        for t in report.tradeoffs:
            ET.SubElement(
                suite,
                "testcase",
                classname=f"alignaudit.{report.team.name}",
                name=f"{t.tradeoff.id} r_wg "
                + ("n/a" if t.rwg is None else f"{t.rwg:.2f}")
                + f": {t.word}",
            )
        suite.set("tests", str(len(report.foundations) + len(report.tradeoffs)))
    if report.language_warning is not None:
        ET.SubElement(suite, "system-out").text = f"Language warning: {report.language_warning}"
    _xml_safe(suite)
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, "unicode") + "\n"

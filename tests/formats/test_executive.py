"""The one-page executive summary on the example teams, read with the real model: the
findings that move the verdict most come first, both sides of a split are quoted from their
own members, the next steps follow from the findings, and the page leads the HTML and
Markdown reports with a chart that needs no script."""

from __future__ import annotations

import pytest

from alignaudit.core.types import AuditOptions, Format, Foundation
from alignaudit.features.auditor import audit
from alignaudit.formats import render
from alignaudit.formats.executive import build
from alignaudit.inputs.answers import load_team
from alignaudit.inputs.tradeoffs import DEFAULT_RANKINGS, DEFAULT_TRADEOFFS
from tests.conftest import EXAMPLES

CHOICES = AuditOptions(tradeoffs=DEFAULT_TRADEOFFS, rankings=DEFAULT_RANKINGS)
pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def reports(embedder):  # type: ignore[no-untyped-def]
    return {
        t: audit(load_team(EXAMPLES / t), embedder, CHOICES)
        for t in ("brightline-software", "northwind-logistics", "harbor-health")
    }


def test_the_split_team_leads_with_its_splits_both_sides_quoted(reports):
    report = reports["brightline-software"]
    ex = build(report)
    weights = [p.weight for p in ex.points]
    assert weights == sorted(weights, reverse=True) and len(ex.points) <= 5
    assert ex.points[0].foundation in (Foundation.POSITIONING, Foundation.VISION)
    sales = {"Jessica Moreau", "Kevin Osei", "Laura Brennan"}
    for split in ex.splits:
        assert len(split.sides) == 2
        for side in split.sides:
            assert side.quote is not None and side.quote[0] in side.members
        assert {frozenset(s.members) for s in split.sides} >= {frozenset(sales)}
    assert ex.next_steps[0].startswith("Run a workshop")
    assert all("Write the shared core down" not in s for s in ex.next_steps)


def test_the_aligned_team_is_told_to_write_its_core_down(reports):
    ex = build(reports["harbor-health"])
    assert [r.verdict for r in ex.rows] == ["aligned"] * 4
    assert ex.splits == ()
    assert ex.core and all(n == 5 for *_, n in ex.core)  # held by all five, in their words
    assert any(s.startswith("Write the shared core down") for s in ex.next_steps)


def test_the_outlier_team_names_who_to_talk_to_first(reports):
    ex = build(reports["northwind-logistics"])
    assert any("Talk one to one with Marcus Holt" in s for s in ex.next_steps)
    assert any("Marcus Holt alone" in p.text for p in ex.points)
    assert any(p.text == "positioning: no answer from Ingrid Novak." for p in ex.points)


def test_the_summary_leads_html_and_markdown(reports):
    report = reports["brightline-software"]
    html = render(report, Format.HTML)
    assert html.index("<h2>Summary</h2>") < html.index("<h2>Key findings</h2>")
    chart = html[html.index("<svg", html.index("<h2>Summary</h2>")) :]
    chart = chart[: chart.index("</svg>")]
    assert chart.count("<text") >= 5 and "script" not in chart.lower()
    vision = report.foundations[Foundation.VISION]
    assert f'aria-label="vision: {vision.index:.2f}' in chart
    markdown = render(report, Format.MARKDOWN)
    assert markdown.index("### Summary") < markdown.index("### Key findings")
    lo, hi = vision.index_interval
    row = f"| vision | {vision.index:.2f} [{lo:.2f}-{hi:.2f}] | {vision.verdict} |"
    assert row in markdown

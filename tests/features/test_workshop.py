"""The workshop plan (features/workshop.py): which findings become items, in which order, with
which quotes, question and speakers, and what anonymity hides. One team built to reach every
kind of item under the fake model, with bands fixed for the test."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from alignaudit.core.results import TeamReport
from alignaudit.core.types import AuditOptions, Foundation
from alignaudit.core.verdict import NOT_ALIGNED, PARTLY, Bands
from alignaudit.features import workshop
from alignaudit.features.auditor import audit
from alignaudit.features.workshop import (
    MINUTES,
    OFFICIAL,
    WHOLE_TEAM,
    WORDS,
    AgendaItem,
    ItemKind,
    WorkshopPlan,
    order,
    workshop_plan,
)
from alignaudit.inputs.answers import load_reference, load_team
from alignaudit.inputs.tradeoffs import DEFAULT_RANKINGS, DEFAULT_TRADEOFFS
from tests.conftest import EXAMPLES, ROOT, FakeEmbedder, write_manager

BANDS = Bands("test", aligned=0.9, partly=0.5, margin=0.05)
SALES = "Be the cheapest parcel carrier with discount prices everywhere."
RAIL = "Build the greenest rail freight network across Europe."
SUPPLY = "Keep supply chains running."
OPS, INTIMACY, PRODUCT = "operational excellence", "customer intimacy", "product leadership"
# name: vision, positioning, mission, ratings (cost, broad, organic, growth), what they lead with
TEAM = {
    "Ana": (SALES, "Discount parcels at the lowest price.", SUPPLY, (1, 1, 2, 1), OPS),
    "Ben": (SALES, "Discount parcels at the lowest price, always.", SUPPLY, (2, 2, 2, 2), OPS),
    "Cy": (SALES, "Lowest price discount parcels.", SUPPLY, (2, 6, 2, 4), INTIMACY),
    "Dee": (RAIL, "Premium green rail freight, reliable.", SUPPLY, (6, 2, 2, 4), PRODUCT),
    "Eli": (RAIL, "Reliable premium green rail freight.", SUPPLY, (7, 6, 2, 6), PRODUCT),
    "Fay": (
        RAIL,
        "Green rail freight, premium and reliable.",
        "Deliver shareholder returns.",
        (6, 7, 7, 7),
        INTIMACY,
    ),
}
OFFICIAL_YAML = (
    "vision: We fly parcels to the moon by drone.\nmission: Keep supply chains running.\n"
)
IDS = (
    "cost-vs-differentiation",
    "broad-vs-focused",
    "organic-vs-acquisitions",
    "growth-vs-profitability",
)


def write_team(folder: Path) -> Path:
    """Sales (Ana, Ben, Cy) against rail (Dee, Eli, Fay) in vision and positioning; Fay alone
    on the mission, without values and at the far pole of organic-vs-acquisitions."""
    for name, (vision, positioning, mission, ratings, lead) in TEAM.items():
        others = [o for o in (OPS, INTIMACY, PRODUCT) if o != lead]
        rated = ", ".join(f"{i}: {v}" for i, v in zip(IDS, ratings, strict=True))
        values = "" if name == "Fay" else "values: [Honesty, Safety]\n"
        write_manager(
            folder,
            f"{name.lower()}.yaml",
            f'manager: {name}\nvision: "{vision}"\nmission: "{mission}"\n{values}'
            f'positioning: "{positioning}"\n'
            f"tradeoffs: {{{rated}, value-disciplines: [{lead}, {', '.join(others)}]}}\n",
        )
    (folder / "_official.yaml").write_text(OFFICIAL_YAML, encoding="utf-8")
    return folder


def team_report(folder: Path, min_group: int = 1) -> TeamReport:
    team = write_team(folder)
    options = AuditOptions(
        tradeoffs=DEFAULT_TRADEOFFS,
        rankings=DEFAULT_RANKINGS,
        reference=load_reference(team / "_official.yaml"),
        min_group=min_group,
    )
    report = audit(load_team(team), FakeEmbedder(), options, bands=BANDS)
    return replace(report, anonymized=min_group > 1)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> TeamReport:
    return team_report(tmp_path_factory.mktemp("workshop") / "team")


@pytest.fixture(scope="module")
def plan(report: TeamReport) -> WorkshopPlan:
    return workshop_plan(report)


def with_verdict(report: TeamReport, f: Foundation, verdict: str) -> TeamReport:
    """The report with one foundation's verdict word changed: the rules read the word."""
    foundations = dict(report.foundations)
    foundations[f] = replace(foundations[f], verdict=verdict)
    return replace(report, foundations=foundations)


def reports_reaching_every_kind(folder: Path) -> list[TeamReport]:
    """The team's report, and the same with values partly aligned and not aligned."""
    report = team_report(folder)
    return [
        report,
        with_verdict(report, Foundation.VALUES, PARTLY),
        with_verdict(report, Foundation.VALUES, NOT_ALIGNED),
    ]


def item(
    plan: WorkshopPlan,
    kind: ItemKind,
    subject: str = "",
    f: Foundation | None = None,
    source: str | None = None,
) -> AgendaItem:
    found = [
        i
        for i in plan.items
        if i.kind == kind
        and i.subject == subject
        and (f is None or i.foundation == f)
        and (source is None or i.source == source)
    ]
    assert len(found) == 1, [(i.kind, i.topic) for i in plan.items]
    return found[0]


def test_the_team_reaches_what_the_tests_read(report: TeamReport):
    """The fixture is worth testing on: camps in the words, the ratings split alike and
    across, an outlier, a lone rating, a spread, a ranking split, a drift, a missing answer."""
    fi = report.findings
    camps = [("Ana", "Ben", "Cy"), ("Dee", "Eli", "Fay")]
    assert [g.members for g in fi[Foundation.VISION].groups] == camps
    assert [g.members for g in fi[Foundation.POSITIONING].groups] == camps
    assert [s.manager for s in fi[Foundation.MISSION].outliers] == ["Fay"]
    ref = fi[Foundation.MISSION].reference
    assert ref is not None and ref.drifts == "Fay"
    words = {t.tradeoff.id: t.word for t in report.tradeoffs}
    assert words["cost-vs-differentiation"] == words["broad-vs-focused"] == "split into camps"
    assert words["growth-vs-profitability"] == "not agreed"
    assert {s.choice: s.same_camps for s in report.signals}["broad-vs-focused"] is False
    assert report.rankings[0].word == "split into camps"
    assert report.foundations[Foundation.VALUES].missing == ("Fay",)


def test_the_most_divisive_item_comes_first(plan: WorkshopPlan):
    """Sides first (more signals splitting first, the words before the ratings), then what
    has no common ground, then one manager apart, then the rest; confirm last."""
    got = [(i.kind, i.foundation.value, i.subject) for i in plan.items]
    assert got == [
        (ItemKind.CAMPS, "positioning", ""),  # the words and cost-vs-differentiation
        (ItemKind.CHOICE_CAMPS, "positioning", "broad-vs-focused"),  # camps across the words'
        (ItemKind.CAMPS, "vision", ""),
        (ItemKind.CHOICE_CAMPS, "positioning", "value-disciplines"),
        (ItemKind.NO_COMMON_GROUND, "vision", "growth-vs-profitability"),
        (ItemKind.APART, "vision", "organic-vs-acquisitions"),  # words split too: 2 signals
        (ItemKind.APART, "mission", ""),  # the outlier in the words
        (ItemKind.APART, "mission", ""),  # the drift from the official statement
        (ItemKind.UNECHOED, "vision", ""),
        (ItemKind.UNANSWERED, "values", ""),
        (ItemKind.CLARIFY, "vision", ""),
        (ItemKind.CLARIFY, "mission", ""),
        (ItemKind.CLARIFY, "positioning", ""),
        (ItemKind.CONFIRM, "values", ""),
    ]
    assert [order(i) for i in plan.items] == sorted(order(i) for i in plan.items)
    assert plan.items[0].signals == 2 and plan.items[2].signals == 1
    assert plan.minutes == sum(MINUTES[i.kind] for i in plan.items)


def test_more_division_goes_first_among_equals():
    """Within a kind and a number of signals, the larger division leads."""

    def at(division: float) -> AgendaItem:
        return AgendaItem(
            ItemKind.CAMPS, Foundation.VISION, "words", "", "t", (), (), "q", (), 30, 1, division
        )

    assert order(at(0.8)) < order(at(0.3))
    two_signals = replace(at(0.1), signals=2)
    assert order(two_signals) < order(at(0.9))
    apart = replace(at(0.99), kind=ItemKind.APART)
    assert order(at(0.01)) < order(apart)  # sides before one apart, however far


def test_camps_put_both_sides_on_the_wall_with_their_ratings(plan: WorkshopPlan):
    camps = item(plan, ItemKind.CAMPS, f=Foundation.POSITIONING)
    assert "cost-vs-differentiation" in camps.topic
    sides = {q.side for q in camps.quotes}
    assert sides == {"camp 1", "camp 2"}
    for q in camps.quotes:
        assert q.text == next(v[1] for n, v in TEAM.items() if n == q.author), (
            q
        )  # the author's own positioning
    notes = {q.author: q.note for q in camps.quotes}
    assert any(n.startswith("rates cost-vs-differentiation ") for n in notes.values())
    assert [(s.label, s.managers) for s in camps.speakers] == [
        ("camp 1", ("Ana", "Ben", "Cy")),
        ("camp 2", ("Dee", "Eli", "Fay")),
    ]
    assert (
        camps.question
        == "Which of these two positions do we want customers to believe in five years?"
    )
    assert any("the same camps as in the words" in w for w in camps.why)


def test_trade_off_camps_quote_each_side_beside_its_rating(plan: WorkshopPlan):
    broad = item(plan, ItemKind.CHOICE_CAMPS, "broad-vs-focused")
    left = [q for q in broad.quotes if q.side == "toward “serve a broad market”"]
    right = [q for q in broad.quotes if q.side == "toward “serve a focused niche”"]
    assert {q.author for q in left} == {"Ana", "Ben", "Dee"}
    assert {q.author for q in right} == {"Cy", "Eli", "Fay"}
    assert {q.note for q in left} <= {"rates 1", "rates 2"}
    assert broad.speakers[0].managers == ("Ana", "Ben", "Dee")
    assert "“serve a broad market” or “serve a focused niche”" in broad.question
    assert broad.signals == 2  # the words split as well, in other camps
    ranking = item(plan, ItemKind.CHOICE_CAMPS, "value-disciplines")
    leads = {s.label: s.managers for s in ranking.speakers}
    assert leads["lead with “product leadership”"] == ("Dee", "Eli")
    assert any(q.note.startswith("orders product leadership > ") for q in ranking.quotes)


def test_one_apart_quotes_them_beside_the_others(plan: WorkshopPlan):
    outlier = item(plan, ItemKind.APART, f=Foundation.MISSION, source=WORDS)
    assert outlier.topic == "Mission: Fay stands apart"
    first = outlier.quotes[0]
    assert (first.side, first.author, first.text) == (
        "stands apart",
        "Fay",
        "Deliver shareholder returns.",
    )
    shared = outlier.quotes[1]
    assert shared.side == "the others' shared idea" and shared.text == SUPPLY
    assert shared.note.startswith("held by 5 of 6")
    assert outlier.speakers[0].managers == ("Fay",)
    assert set(outlier.speakers[1].managers) == {"Ana", "Ben", "Cy", "Dee", "Eli"}
    lone = item(plan, ItemKind.APART, "organic-vs-acquisitions")
    drift = item(plan, ItemKind.APART, f=Foundation.MISSION, source=OFFICIAL)
    assert drift.topic == "Mission: Fay drifts from the official statement"
    assert [(q.side, q.author, q.text) for q in drift.quotes] == [
        ("the official statement", None, SUPPLY),
        ("drifts furthest", "Fay", "Deliver shareholder returns."),
    ]
    assert drift.quotes[1].note.startswith("index ") and drift.division > 0.3
    assert lone.quotes[0].author == "Fay" and lone.quotes[0].note == "rates 7"
    assert lone.quotes[1].side == "the others, at 2" and lone.quotes[1].note == "rates 2"
    assert lone.division == pytest.approx(5 / 6)


def test_missing_answers_and_the_rest_get_their_speakers(plan: WorkshopPlan):
    missing = item(plan, ItemKind.UNANSWERED)
    assert [(s.label, s.managers) for s in missing.speakers] == [("no answer", ("Fay",))]
    assert missing.quotes and all(q.side == "held by half the team or more" for q in missing.quotes)
    confirm = item(plan, ItemKind.CONFIRM)
    assert confirm.speakers[0].label == WHOLE_TEAM and confirm.question.startswith("Are these")
    assert any("Item 10 is about values too" in w for w in confirm.why)
    official = item(plan, ItemKind.UNECHOED)
    assert [(q.author, q.text) for q in official.quotes] == [
        (None, "We fly parcels to the moon by drone.")
    ]
    spread = item(plan, ItemKind.NO_COMMON_GROUND, "growth-vs-profitability")
    assert [s.managers for s in spread.speakers] == [("Ana",), ("Fay",), ()]


def test_partly_and_not_aligned_foundations_are_items_too(report: TeamReport):
    partly = workshop_plan(with_verdict(report, Foundation.VALUES, PARTLY))
    additions = item(partly, ItemKind.ADDITIONS)
    assert additions.foundation == Foundation.VALUES and additions.quotes
    assert not [i for i in partly.items if i.kind == ItemKind.CONFIRM]
    apart = workshop_plan(with_verdict(report, Foundation.VALUES, NOT_ALIGNED))
    none = item(apart, ItemKind.NO_COMMON_GROUND, f=Foundation.VALUES)
    assert "not aligned" in none.why[0]
    assert none.question.startswith("Which of these")


def test_anonymity_breaks_out_no_group_under_the_floor(tmp_path: Path):
    """Under a floor of 4 the camps of three are not reported, the ranking's leads of two are
    counted, the lone rating and the furthest pair are not singled out; the outlier, the
    drift and the missing answer are named as the report names them."""
    hidden = workshop_plan(team_report(tmp_path / "t", min_group=4))
    assert hidden.anonymized and hidden.min_group == 4
    kinds = [i.kind for i in hidden.items]
    assert ItemKind.CAMPS not in kinds
    for i in hidden.items:
        for side in i.speakers:
            assert (
                not side.managers
                or len(side.managers) >= 4
                or i.kind
                in (
                    ItemKind.APART,
                    ItemKind.UNANSWERED,
                )
            ), (i.topic, side)
        assert not any(q.side == "furthest apart" for q in i.quotes), i.topic
    ranking = item(hidden, ItemKind.CHOICE_CAMPS, "value-disciplines")
    assert "2 managers lead with “product leadership”" in ranking.why[0]
    assert not ranking.quotes and ranking.speakers[-1].label == WHOLE_TEAM
    tradeoffs = [i for i in hidden.items if i.subject == "cost-vs-differentiation"]
    assert tradeoffs and not tradeoffs[0].quotes
    assert "too small to show" in tradeoffs[0].why[0]


def test_docs_workshop_gives_every_question_and_time_box():
    """docs/workshop.md states the rules: every question as the code asks it, every time box."""
    text = (ROOT / "docs" / "workshop.md").read_text(encoding="utf-8")
    page = " ".join(text.split())
    templates = [
        *workshop.WORDS_QUESTIONS.values(),
        *workshop.CHOICE_QUESTIONS.values(),
        *(v for k, v in vars(workshop).items() if k.endswith("_QUESTION")),
    ]
    assert len(templates) == 4 + 4 + 10
    keep = {"f": "{f}", "left": "{left}", "right": "{right}", "options": "{options}"}
    for template in templates:
        said = template.format(**keep, two="two ", is_this="Is this")
        assert " ".join(said.split()) in page, said
    for kind, minutes in MINUTES.items():
        assert re.search(rf"^\| \*\*{kind.value}\*\* \|.*\| {minutes} min \|$", text, re.M), kind


# What docs/workshop.md and the examples' READMEs say each plan puts first, and its length.
FIRST = {
    "brightline-software": (
        "Positioning: two camps, in the words and on cost-vs-differentiation and broad-vs-focused",
        100,
    ),
    "northwind-logistics": (
        "organic-vs-acquisitions (vision): Marcus Holt alone toward “grow by acquisitions”",
        90,
    ),
    "harbor-health": ("Vision: Thomas Lindqvist stands apart", 35),
}


@pytest.mark.model
@pytest.mark.parametrize("example", sorted(FIRST))
def test_the_examples_plans_put_first_what_the_docs_say(example: str):
    from alignaudit import audit_folder

    plan = workshop_plan(audit_folder(EXAMPLES / example).report)
    assert (plan.items[0].topic, plan.minutes) == FIRST[example]

"""The workshop plan: the agenda of the follow-up workshop with the management team, built from
a report's findings by fixed rules (no model call) and ordered by what divides the team most.
Each item says what it is about, why it is on the agenda, which of the managers' own
statements to put on the wall, the question to ask, who should speak to it and for how long.

Plain data, so that every format renders the same plan (`--format workshop` as Markdown; slides
could read it too). The rules are listed in docs/workshop.md; the tests hold them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from ..analysis.tradeoffs import describe_split
from ..core.results import (
    AGREED,
    BOTH_SPLIT,
    CHOICE_MEANINGS,
    CHOICES_NOT_WORDS,
    NOT_AGREED,
    SPLIT,
    Echo,
    Findings,
    FoundationResult,
    Idea,
    RankingResult,
    TeamReport,
    TradeOffResult,
    TwoSignals,
)
from ..core.types import Foundation
from ..core.verdict import ALIGNED, CANT_TELL, MEANINGS, NOT_ALIGNED, PARTLY, VERDICTS


class ItemKind(StrEnum):
    """What an agenda item is about. The order of the members is the order of the agenda's
    tiers (docs/workshop.md): what splits the team into sides first, what to confirm last."""

    CAMPS = "camps"  # the answers form camps (with the ratings that split the same way)
    CHOICE_CAMPS = "choice camps"  # the ratings of a trade-off or a ranking form camps
    NO_COMMON_GROUND = "no common ground"  # words not aligned, ratings spread as at random
    APART = "one apart"  # an outlier, a manager alone at a pole, a drift from the official text
    ADDITIONS = "additions"  # partly aligned: a shared core with different additions
    UNECHOED = "unechoed"  # an official statement nobody states
    UNANSWERED = "unanswered"  # managers who left a foundation unanswered
    CLARIFY = "clarify"  # the verdict is "can't tell"
    CONFIRM = "confirm"  # aligned: the shared core, to confirm in the team's words


# The suggested time box of each kind, in minutes.
MINUTES = {
    ItemKind.CAMPS: 30,
    ItemKind.CHOICE_CAMPS: 20,
    ItemKind.NO_COMMON_GROUND: 20,
    ItemKind.APART: 15,
    ItemKind.ADDITIONS: 15,
    ItemKind.UNECHOED: 10,
    ItemKind.UNANSWERED: 10,
    ItemKind.CLARIFY: 10,
    ItemKind.CONFIRM: 5,
}
# The kinds that measure a division, in tiers: sides first, then no common ground, then one
# manager apart, then additions. The other kinds follow in their own order.
TIERS = {
    ItemKind.CAMPS: 0,
    ItemKind.CHOICE_CAMPS: 0,
    ItemKind.NO_COMMON_GROUND: 1,
    ItemKind.APART: 2,
    ItemKind.ADDITIONS: 3,
    ItemKind.UNECHOED: 4,
    ItemKind.UNANSWERED: 5,
    ItemKind.CLARIFY: 6,
    ItemKind.CONFIRM: 7,
}
# What an item is drawn from, in the order the agenda takes them at an equal number of
# signals: the foundations' words, then the trade-off ratings, the rankings, the official text.
WORDS, RATINGS, RANKING, OFFICIAL = "words", "ratings", "ranking", "official statement"
SOURCES = (WORDS, RATINGS, RANKING, OFFICIAL)
PER_SIDE = 3  # the most quotes on the wall for one side of a split
SHARED = 3  # the most shared ideas quoted for a foundation
WHOLE_TEAM = "the whole team"

# The question each kind of item asks. Words: one per foundation.
WORDS_QUESTIONS = {
    Foundation.VISION: "Which of these futures do we want to build together in the next five "
    "to ten years, and what would we stop doing for it?",
    Foundation.MISSION: "Which of these purposes do we serve first when they pull apart, and "
    "who outside the firm would notice the difference?",
    Foundation.VALUES: "Which of these values do we keep even when they cost us a deal or a "
    "deadline?",
    Foundation.POSITIONING: "Which of these {two}positions do we want customers to believe in "
    "five years?",
}
# Trade-offs: one per foundation, with the two poles.
CHOICE_QUESTIONS = {
    Foundation.VISION: "Where between “{left}” and “{right}” do we want the firm to be in "
    "five years, and what would we stop doing to get there?",
    Foundation.MISSION: "Between “{left}” and “{right}”, which serves our purpose, and who "
    "outside the firm would notice the difference?",
    Foundation.VALUES: "When “{left}” and “{right}” pull apart, which one do we let win, and "
    "what does it cost us?",
    Foundation.POSITIONING: "Which of these two positions do we want customers to believe in "
    "five years: “{left}” or “{right}”?",
}
RANKING_QUESTION = "Which of {options} do we lead with, and which do we only keep up with?"
OUTLIER_QUESTION = "What does this {f} see that the shared one does not, and should ours say it?"
DRIFT_QUESTION = (
    "Does the official {f} still say what we mean, and what would this answer add to it or drop?"
)
ADDITIONS_QUESTION = (
    "Which of these additions belong in our {f}, and which are one person's emphasis?"
)
UNECHOED_QUESTION = (
    "Nobody states this part of the official {f}: do we still mean it, or should the official "
    "text change?"
)
UNANSWERED_QUESTION = (
    "How would you state our {f} in a sentence or two, and which of the ideas on the wall do "
    "you hold?"
)
UNANSWERED_ALONE_QUESTION = "How would you state our {f} in a sentence or two?"
CLARIFY_QUESTION = "Do these statements say the same thing? If not, where do they differ?"
CLARIFY_ALOUD_QUESTION = (
    "Each of us reads our {f} aloud: do we say the same thing? If not, where do we differ?"
)
CONFIRM_QUESTION = "{is_this} our {f}, in words we would all sign?"
# What a ranking's word means (the trade-offs' meanings speak of a scale's midpoint and r_wg).
RANKING_MEANINGS = {
    SPLIT: "two options are each led with by two managers or more",
    NOT_AGREED: "no common order (Kendall's W under 0.30)",
}


@dataclass(frozen=True)
class Quote:
    """A statement to put on the wall: the side it speaks for (a label the item's speakers
    share), its text as written, who wrote it (None for the official statement) and what
    stands beside it (a rating, an order, how many hold the idea)."""

    side: str
    text: str
    author: str | None
    note: str = ""


@dataclass(frozen=True)
class Speakers:
    """Who should speak to an item, one side at a time: a label and the managers on that side
    (none: the whole team)."""

    label: str
    managers: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgendaItem:
    """One item of the workshop: its topic, why it is on the agenda (the finding, its figure
    and its meaning, in sentences), the quotes for the wall, the question to ask, who speaks,
    the time box, and the two figures that place it on the agenda."""

    kind: ItemKind
    foundation: Foundation
    source: str  # what it is drawn from: SOURCES
    subject: str  # the trade-off or ranking id; "" for the foundation's words
    topic: str
    why: tuple[str, ...]
    quotes: tuple[Quote, ...]
    question: str
    speakers: tuple[Speakers, ...]
    minutes: int
    signals: int = 0  # how many signals split on it: the words, each trade-off or ranking
    division: float = 0.0  # how far apart, 0-1, on the finding's own scale (docs/workshop.md)


@dataclass(frozen=True)
class WorkshopPlan:
    """The agenda of the follow-up workshop, most divisive item first, and what a renderer
    needs to say about it: the team, its size, and whether names are aliases."""

    team: str
    managers: int
    anonymized: bool
    min_group: int
    items: tuple[AgendaItem, ...]

    @property
    def minutes(self) -> int:
        """The time boxes added up."""
        return sum(i.minutes for i in self.items)


def workshop_plan(report: TeamReport) -> WorkshopPlan:
    """The workshop plan of a report: every finding turned into an agenda item by the rules of
    docs/workshop.md, ordered by what divides the team most, aligned foundations confirmed
    last. Reads only the report: no model, no file."""
    rules = _Rules(report)
    items: list[AgendaItem] = []
    for f, result in report.foundations.items():
        items += rules.foundation_items(f, result, report.findings.get(f))
    agenda = [item for _, item in sorted(enumerate(items), key=lambda x: (order(x[1]), x[0]))]
    return WorkshopPlan(
        team=report.team.name,
        managers=len(report.team.managers),
        anonymized=report.anonymized,
        min_group=report.min_group,
        items=tuple(_cross_reference(item, agenda) for item in agenda),
    )


def order(item: AgendaItem) -> tuple[int, int, int, int, float]:
    """Where an item goes on the agenda (lowest first): its tier, then more signals splitting
    on it, then its kind and source (the words before the ratings), then the larger division.
    Items equal on all of these keep the report's order (foundations, then trade-offs)."""
    return (
        TIERS[item.kind],
        -item.signals,
        list(ItemKind).index(item.kind),
        SOURCES.index(item.source),
        -round(item.division, 6),
    )


def _cross_reference(item: AgendaItem, agenda: Sequence[AgendaItem]) -> AgendaItem:
    """A confirm or clarify item names the earlier items on its foundation: settle them first."""
    if item.kind not in (ItemKind.CONFIRM, ItemKind.CLARIFY):
        return item
    earlier = [
        str(i + 1)
        for i, other in enumerate(agenda)
        if other.foundation == item.foundation and TIERS[other.kind] < TIERS[item.kind]
    ]
    if not earlier:
        return item
    if len(earlier) == 1:
        note = f"Item {earlier[0]} is about {item.foundation.value} too: settle it first."
    else:
        note = f"Items {_names(earlier)} are about {item.foundation.value} too: settle them first."
    return replace(item, why=(*item.why, note))


# -- wording ---------------------------------------------------------------------------------

_COUNT = {2: "two", 3: "three", 4: "four"}


def _count(n: int) -> str:
    return _COUNT.get(n, str(n))


def _names(names: Sequence[str], last: str = "and") -> str:
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {last} " + names[-1]


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def _title(f: Foundation) -> str:
    return f.value.capitalize()


def _figure(index: float | None, bounds: tuple[float, float] | None) -> str:
    if index is None:
        return "no figure"
    return f"{index:.2f}" + ("" if bounds is None else f" [{bounds[0]:.2f}-{bounds[1]:.2f}]")


def _verdict(result: FoundationResult) -> str:
    return result.verdict if result.verdict in VERDICTS else CANT_TELL


def _index_sentence(f: Foundation, result: FoundationResult) -> str:
    if result.index is None:
        return f"Fewer than two managers answered {f.value}: there is nothing to compare."
    word = _verdict(result)
    return (
        f"The team's index on {f.value} is {_figure(result.index, result.index_interval)}, "
        f"{word}: {MEANINGS[word]}."
    )


def _held(echo: Echo) -> str:
    return f"held by {len(echo.echoed_by) + 1} of {echo.others + 1}"


def _idea_note(idea: Idea, answered: int) -> str:
    more = len(idea.statements) - 1
    return f"held by {len(idea.authors)} of {answered}" + (
        f"; +{more} in other words" if more else ""
    )


def _rwg(t: TradeOffResult) -> str:
    return f"{len(t.ratings)} rating" if t.rwg is None else f"r_wg {t.rwg:.2f} ({t.reading})"


def _ratings(t: TradeOffResult) -> str:
    """The trade-off's word, r_wg and what the word means, in one sentence."""
    rwg = "" if t.rwg is None else f", r_wg {t.rwg:.2f} ({t.reading})"
    return f"Ratings: {t.word}{rwg}: {CHOICE_MEANINGS[t.word]}."


def _ranking(r: RankingResult) -> str:
    """The ranking's word, W and what the word means, in one sentence."""
    w = "" if r.w is None else f", Kendall's W {r.w:.2f} ({r.reading})"
    return f"Ranking: {r.word}{w}: {RANKING_MEANINGS.get(r.word, CHOICE_MEANINGS[r.word])}."


def _managers(n: int) -> str:
    return "1 manager leads" if n == 1 else f"{n} managers lead"


def _toward(pole: str) -> str:
    return f"toward “{pole}”"


# -- the rules -------------------------------------------------------------------------------


class _Rules:
    """The rules of docs/workshop.md over one report, and what they look up more than once."""

    def __init__(self, report: TeamReport) -> None:
        self.report = report
        self.floor = report.min_group
        self.by_name = {m.name: m for m in report.team.managers}
        self.signals: dict[str, TwoSignals] = {s.choice: s for s in report.signals}

    # -- statements --------------------------------------------------------------------------

    def least_matched(self, f: Foundation, manager: str, others: Iterable[str]) -> str | None:
        """The manager's statement on f that the others' statements match least (by the pairs'
        best matches, the report's evidence); their first where no pair with them is kept."""
        person = self.by_name.get(manager)
        if person is None or f not in person.answers:
            return None
        said = person.answers[f].statements
        result = self.report.foundations.get(f)
        best: dict[str, float] = {}
        for other in others:
            pair = result.pair(manager, other) if result is not None else None
            if pair is None:
                continue
            for match in pair.a_matches if pair.a == manager else pair.b_matches:
                best[match.statement] = max(best.get(match.statement, -2.0), match.raw)
        if not best:
            return said[0] if said else None
        return min(said, key=lambda s: best.get(s, 2.0))

    def side_quotes(
        self,
        f: Foundation,
        side: str,
        members: Sequence[str],
        others: Sequence[str],
        notes: dict[str, str] | None = None,
    ) -> list[Quote]:
        """Up to PER_SIDE members' statements, each the one the other side matches least."""
        out = []
        for m in members[:PER_SIDE]:
            text = self.least_matched(f, m, others)
            if text is not None:
                out.append(Quote(side, text, m, (notes or {}).get(m, "")))
        return out

    def rated_quotes(
        self,
        t: TradeOffResult,
        side: str,
        members: Sequence[tuple[str, int]],
        others: Sequence[str],
    ) -> list[Quote]:
        """Statements beside ratings: the report's own quotes of the trade-off where it has
        them, else each member's statement the other side matches least. The ratings furthest
        from the midpoint first, PER_SIDE at most."""
        members = sorted(members, key=lambda x: -abs(x[1] - t.tradeoff.midpoint))[:PER_SIDE]
        signal = self.signals.get(t.tradeoff.id)
        quoted = {q[0]: q[2] for q in signal.quotes} if signal is not None else {}
        out = []
        for name, value in members:
            text = quoted.get(name) or self.least_matched(t.tradeoff.foundation, name, others)
            if text is not None:
                out.append(Quote(side, text, name, f"rates {value}"))
        return out

    def shared_quotes(self, fi: Findings | None, side: str) -> list[Quote]:
        """The ideas half the team or more hold (the report's consensus), in the team's words."""
        if fi is None:
            return []
        return [Quote(side, e.statement, e.author, _held(e)) for e in fi.consensus[:SHARED]]

    def furthest_pair(self, result: FoundationResult) -> tuple[str, str] | None:
        """The two managers of the lowest pair index, as the report's most divergent pairs;
        none under an anonymity floor above two, where a pair is a group too small to show."""
        if not result.pairs or self.floor > 2:
            return None
        worst = min(result.pairs, key=lambda p: (p.index, p.score))
        return worst.a, worst.b

    def pair_quotes(self, f: Foundation, pair: tuple[str, str], side: str) -> list[Quote]:
        """Each of the pair's statements the other matches least."""
        a, b = pair
        return [
            Quote(side, text, m)
            for m, o in ((a, b), (b, a))
            if (text := self.least_matched(f, m, (o,))) is not None
        ]

    def choices_agree(self, f: Foundation) -> list[str]:
        """The report's "the choices agree but the words do not" on f, as a sentence."""
        return [
            _sentence(s.message)
            for s in self.report.signals
            if s.foundation == f and s.kind == CHOICES_NOT_WORDS
        ]

    def shown(self, who: Sequence[str]) -> bool:
        """Whether a group of these managers may be broken out (the anonymity floor)."""
        return len(who) >= self.floor

    # -- one foundation ----------------------------------------------------------------------

    def foundation_items(
        self, f: Foundation, result: FoundationResult, fi: Findings | None
    ) -> list[AgendaItem]:
        """Every item the findings of one foundation give, in the report's order."""
        folded = self.folded(f, fi)
        word = _verdict(result)
        items: list[AgendaItem] = []
        if fi is not None and fi.groups:
            items.append(self.camps(f, result, fi, folded))
        elif word == NOT_ALIGNED:
            items.append(self.no_common_words(f, result, fi))
        if fi is not None:
            items += [
                self.outlier(f, result, fi, s.manager, s.rest_index, s.own_index)
                for s in fi.outliers
            ]
        if word == PARTLY and fi is not None and not fi.groups and not fi.outliers:
            items.append(self.additions(f, result, fi))
        for t in self.report.tradeoffs:
            if t.tradeoff.foundation == f and t not in folded:
                items += self.tradeoff(t)
        for r in self.report.rankings:
            if r.ranking.foundation == f and r.word in (SPLIT, NOT_AGREED):
                items.append(self.ranking(r))
        if fi is not None and fi.reference is not None:
            items += self.official(f, result, fi)
        if result.missing:
            items.append(self.unanswered(f, result, fi))
        if word == CANT_TELL and result.index is not None:  # else: nothing to compare yet
            items.append(self.clarify(f, result, fi))
        if word == ALIGNED:
            items.append(self.confirm(f, result, fi))
        return items

    def folded(self, f: Foundation, fi: Findings | None) -> list[TradeOffResult]:
        """The trade-offs whose camps are the camps of the words: one quarrel, one item."""
        if fi is None or not fi.groups:
            return []
        return [
            t
            for t in self.report.tradeoffs
            if t.tradeoff.foundation == f
            and (s := self.signals.get(t.tradeoff.id)) is not None
            and s.kind == BOTH_SPLIT
            and s.same_camps
        ]

    # -- the words ---------------------------------------------------------------------------

    def camps(
        self, f: Foundation, result: FoundationResult, fi: Findings, folded: list[TradeOffResult]
    ) -> AgendaItem:
        """The answers form camps: each camp's typical statements, with the ratings of the
        trade-offs that split the same way beside them; each camp speaks in turn."""
        n = len(fi.groups)
        sides = [f"camp {i}" for i in range(1, n + 1)]
        listed = ", and ".join(
            f"{_names(g.members)} (index {g.index:.2f} among themselves)" for g in fi.groups
        )
        why = [
            f"The answers on {f.value} form {_count(n)} camps: {listed}.",
            _index_sentence(f, result),
        ]
        if fi.units is not None and fi.units.gap >= 0.3:
            why.append(
                "Managers agree within their units far more than across them (index "
                f"{fi.units.within_index:.2f} within, {fi.units.between_index:.2f} between)."
            )
        why += [_sentence(f"{self.signals[t.tradeoff.id].message}; {_rwg(t)}") for t in folded]
        why += self.choices_agree(f)
        rated = {
            m: ", ".join(f"{t.tradeoff.id} {v}" for t in folded for n_, v in t.ratings if n_ == m)
            for m in self.by_name
        }
        notes = {m: f"rates {r}" for m, r in rated.items() if r}
        quotes: list[Quote] = []
        for side, g in zip(sides, fi.groups, strict=True):
            rest = [m for other in fi.groups if other is not g for m in other.members]
            typical = [
                Quote(side, t.statement, t.author, notes.get(t.author, "")) for t in g.typical
            ]
            quotes += typical[:PER_SIDE] or self.side_quotes(f, side, g.members[:1], rest, notes)
        topic = f"{_title(f)}: {_count(n)} camps"
        if folded:
            topic += f", in the words and on {_names([t.tradeoff.id for t in folded])}"
        return AgendaItem(
            kind=ItemKind.CAMPS,
            foundation=f,
            source=WORDS,
            subject="",
            topic=topic,
            why=tuple(why),
            quotes=tuple(quotes),
            question=WORDS_QUESTIONS[f].format(two="two " if n == 2 else ""),
            speakers=tuple(Speakers(s, g.members) for s, g in zip(sides, fi.groups, strict=True)),
            minutes=MINUTES[ItemKind.CAMPS],
            signals=1 + len(folded),
            division=1.0 - (result.index or 0.0),
        )

    def no_common_words(
        self, f: Foundation, result: FoundationResult, fi: Findings | None
    ) -> AgendaItem:
        """Not aligned, and no camps: the ideas on the table, the furthest pair speaks first."""
        why = [_index_sentence(f, result), "No camps form: the answers differ without two sides."]
        pair = self.furthest_pair(result)
        speakers = []
        if pair is not None and (p := result.pair(*pair)) is not None:
            why.append(f"Furthest apart: {_names(pair)} (index {p.index:.2f}).")
            speakers.append(Speakers("furthest apart", pair))
        speakers.append(Speakers(WHOLE_TEAM))
        why += self.choices_agree(f)
        ideas = [i for i in (fi.ideas if fi is not None else ()) if len(i.authors) >= 2]
        quotes = [
            Quote(
                "an idea on the table",
                i.statements[0][1],
                i.statements[0][0],
                _idea_note(i, len(result.answered)),
            )
            for i in ideas[: PER_SIDE + 1]
        ]
        if not quotes and pair is not None:
            quotes = self.pair_quotes(f, pair, "furthest apart")
        return AgendaItem(
            kind=ItemKind.NO_COMMON_GROUND,
            foundation=f,
            source=WORDS,
            subject="",
            topic=f"{_title(f)}: no common idea",
            why=tuple(why),
            quotes=tuple(quotes),
            question=WORDS_QUESTIONS[f].format(two="two " if len(quotes) == 2 else ""),
            speakers=tuple(speakers),
            minutes=MINUTES[ItemKind.NO_COMMON_GROUND],
            signals=1,
            division=1.0 - (result.index or 0.0),
        )

    def outlier(
        self,
        f: Foundation,
        result: FoundationResult,
        fi: Findings,
        manager: str,
        rest: float,
        own: float,
    ) -> AgendaItem:
        """One manager stands apart: their statement beside the idea the others share."""
        others = tuple(m for m in result.answered if m != manager)
        why = [
            f"{manager} stands apart on {f.value}: the others agree at index {rest:.2f} among "
            f"themselves, {own:.2f} with {manager}.",
            _index_sentence(f, result),
            "The outlier rule flags; the quotes decide: read them before acting on it.",
        ]
        quotes = self.side_quotes(f, "stands apart", (manager,), others)
        shared = next(
            (i for i in fi.ideas if manager not in i.authors and len(i.authors) >= 2), None
        )
        if shared is not None:
            author, text = shared.statements[0]
            quotes.append(
                Quote(
                    "the others' shared idea",
                    text,
                    author,
                    _idea_note(shared, len(result.answered)),
                )
            )
        return AgendaItem(
            kind=ItemKind.APART,
            foundation=f,
            source=WORDS,
            subject="",
            topic=f"{_title(f)}: {manager} stands apart",
            why=tuple(why),
            quotes=tuple(quotes),
            question=OUTLIER_QUESTION.format(f=f.value),
            speakers=(Speakers("stands apart", (manager,)), Speakers("the others", others)),
            minutes=MINUTES[ItemKind.APART],
            signals=1,
            division=rest - own,
        )

    def additions(self, f: Foundation, result: FoundationResult, fi: Findings) -> AgendaItem:
        """Partly aligned: the shared core, the ideas some hold, the ideas one holds."""
        answered = len(result.answered)
        wide = [i for i in fi.ideas if len(i.authors) >= 2 and len(i.authors) * 2 >= answered]
        some = [i for i in fi.ideas if len(i.authors) >= 2 and len(i.authors) * 2 < answered]
        why = [
            _index_sentence(f, result),
            f"Of the ideas the team states, {len(wide)} are held by half the team or more and "
            f"{len(some)} by fewer"
            + (f"; {len(fi.unique)} by one manager alone." if fi.unique else "."),
        ]
        quotes = self.shared_quotes(fi, "held by half the team or more")
        quotes += [
            Quote("held by some", i.statements[0][1], i.statements[0][0], _idea_note(i, answered))
            for i in some[:PER_SIDE]
        ]
        quotes += [Quote("held by one", e.statement, e.author) for e in fi.unique[:PER_SIDE]]
        alone = tuple(dict.fromkeys(e.author for e in fi.unique))
        speakers = [Speakers("hold an idea alone", alone)] if alone else []
        return AgendaItem(
            kind=ItemKind.ADDITIONS,
            foundation=f,
            source=WORDS,
            subject="",
            topic=f"{_title(f)}: a shared core and additions",
            why=tuple(why),
            quotes=tuple(quotes),
            question=ADDITIONS_QUESTION.format(f=f.value),
            speakers=(*speakers, Speakers(WHOLE_TEAM)),
            minutes=MINUTES[ItemKind.ADDITIONS],
            signals=1,
            division=1.0 - (result.index or 0.0),
        )

    # -- the ratings -------------------------------------------------------------------------

    def tradeoff(self, t: TradeOffResult) -> list[AgendaItem]:
        """A trade-off in camps, with one manager alone at a pole, or spread as at random."""
        if t.word == SPLIT:
            return [self.tradeoff_camps(t)]
        if t.apart is not None:
            return [self.alone(t)]
        if t.word == NOT_AGREED:
            return [self.spread(t)]
        return []

    def tradeoff_item(
        self,
        t: TradeOffResult,
        kind: ItemKind,
        topic: str,
        why: list[str],
        quotes: list[Quote],
        speakers: list[Speakers],
        division: float,
    ) -> AgendaItem:
        signal = self.signals.get(t.tradeoff.id)
        tt = t.tradeoff
        return AgendaItem(
            kind=kind,
            foundation=tt.foundation,
            source=RATINGS,
            subject=tt.id,
            topic=f"{tt.id} ({tt.foundation.value}): {topic}",
            why=tuple(why),
            quotes=tuple(quotes),
            question=CHOICE_QUESTIONS[tt.foundation].format(left=tt.left, right=tt.right),
            speakers=tuple(speakers),
            minutes=MINUTES[kind],
            signals=2 if signal is not None and signal.kind == BOTH_SPLIT else 1,
            division=division,
        )

    def message(self, t: TradeOffResult, own: str) -> str:
        """The report's sentence on the trade-off: its two-signal finding, else `own`."""
        signal = self.signals.get(t.tradeoff.id)
        return _sentence(signal.message if signal is not None else own)

    def tradeoff_camps(self, t: TradeOffResult) -> AgendaItem:
        """Two camps on a trade-off: each camp's statements beside its ratings."""
        own = (
            f"two camps on {t.tradeoff.id}, too small to show in an anonymised plan"
            if t.hidden
            else f"two camps on {t.tradeoff.id}: {describe_split(t)}"
        )
        why = [self.message(t, own), _ratings(t)]
        quotes: list[Quote] = []
        speakers: list[Speakers] = []
        if t.camps is None:  # hidden under the anonymity floor
            why.append(f"A side is named only when it holds {self.floor} managers or more.")
            speakers.append(Speakers(WHOLE_TEAM))
        else:
            for i, camp in enumerate(t.camps):
                side = _toward(camp.pole)
                other = t.camps[1 - i].members
                rated = list(zip(camp.members, camp.ratings, strict=True))
                quotes += self.rated_quotes(t, side, rated, other)
                speakers.append(Speakers(side, camp.members))
        return self.tradeoff_item(
            t,
            ItemKind.CHOICE_CAMPS,
            "two camps",
            why,
            quotes,
            speakers,
            1.0 - (t.rwg or 0.0),
        )

    def alone(self, t: TradeOffResult) -> AgendaItem:
        """One manager alone at a pole: their statement beside the furthest colleague's."""
        assert t.apart is not None
        lone, at = t.apart.members[0], t.apart.ratings[0]
        rest = [(n, v) for n, v in t.ratings if n != lone]
        values = [v for _, v in rest]
        nearest = min(abs(v - at) for v in values)
        far = max(rest, key=lambda x: abs(x[1] - at))
        side = f"alone {_toward(t.apart.pole)}"
        others = (
            f"the others, at {values[0]}"
            if min(values) == max(values)
            else f"the others, from {min(values)} to {max(values)}"
        )
        why = [
            self.message(t, f"on {t.tradeoff.id}, {describe_split(t)}"),
            _ratings(t),
        ]
        quotes = self.rated_quotes(t, side, [(lone, at)], [n for n, _ in rest])
        quotes += self.rated_quotes(t, others, [far], [lone])
        return self.tradeoff_item(
            t,
            ItemKind.APART,
            f"{lone} alone {_toward(t.apart.pole)}",
            why,
            quotes,
            [Speakers(side, (lone,)), Speakers(others, tuple(n for n, _ in rest))],
            nearest / (t.tradeoff.high - t.tradeoff.low),
        )

    def spread(self, t: TradeOffResult) -> AgendaItem:
        """Ratings spread as widely as random answers: the two ends speak first (named only
        where the floor lets one manager be named)."""
        tt = t.tradeoff
        low = min(t.ratings, key=lambda x: x[1])
        high = max(t.ratings, key=lambda x: x[1])
        signal = self.signals.get(tt.id)
        if self.floor > 1:
            ends = (
                f"ratings run from {low[1]} ({_toward(tt.left)}) to {high[1]} ({_toward(tt.right)})"
            )
            lead = f"{signal.kind} on {tt.id}" if signal is not None else f"on {tt.id}"
            why = [_sentence(f"{lead}: {ends}")]
        else:
            why = [
                self.message(
                    t,
                    f"ratings on {tt.id} spread as widely as random answers: {describe_split(t)}",
                )
            ]
        why.append(_ratings(t))
        quotes: list[Quote] = []
        speakers = []
        if self.floor <= 1:
            for end, other in ((low, high), (high, low)):
                side = _toward(tt.left if end is low else tt.right)
                quotes += self.rated_quotes(t, side, [end], [other[0]])
                speakers.append(Speakers(side, (end[0],)))
        speakers.append(Speakers(WHOLE_TEAM))
        return self.tradeoff_item(
            t,
            ItemKind.NO_COMMON_GROUND,
            "ratings spread as at random",
            why,
            quotes,
            speakers,
            1.0 - (t.rwg or 0.0),
        )

    def ranking(self, r: RankingResult) -> AgendaItem:
        """A ranking split (two options each led with by two or more) or with no common order:
        each group that leads with one option, beside its statements and orders."""
        shown = [(o, who) for o, who in r.leads if who and self.shown(who)]
        leads = "; ".join(
            f"{_names(who)} {'leads' if len(who) == 1 else 'lead'} with “{o}”"
            if self.shown(who)
            else f"{_managers(len(who))} with “{o}”"
            for o, who in r.leads
            if who
        )
        split = r.word == SPLIT
        why = [
            f"The team splits on {r.ranking.id}: {leads}."
            if split
            else f"No common order on {r.ranking.id}: {leads}.",
            _ranking(r),
        ]
        signal = self.signals.get(r.ranking.id)
        if signal is not None:
            why.append(_sentence(signal.kind))
        if len(shown) < len([w for _, w in r.leads if w]):
            why.append(
                f"Groups of fewer than {self.floor} managers are counted, not named, in an "
                "anonymised plan."
            )
        orders = dict(r.orders)
        quotes: list[Quote] = []
        speakers = []
        for o, who in shown:
            side = f"lead with “{o}”"
            others = [m for o2, w2 in r.leads if o2 != o for m in w2]
            notes = {m: "orders " + " > ".join(orders[m]) for m in who}
            quotes += self.side_quotes(r.ranking.foundation, side, who, others, notes)
            speakers.append(Speakers(side, who))
        if len(speakers) < 2:
            speakers.append(Speakers(WHOLE_TEAM))
        options = _names([f"“{o}”" for o in r.ranking.items], last="or")
        return AgendaItem(
            kind=ItemKind.CHOICE_CAMPS if split else ItemKind.NO_COMMON_GROUND,
            foundation=r.ranking.foundation,
            source=RANKING,
            subject=r.ranking.id,
            topic=f"{r.ranking.id} ({r.ranking.foundation.value}): "
            + ("split on what to lead with" if split else "no common order"),
            why=tuple(why),
            quotes=tuple(quotes),
            question=RANKING_QUESTION.format(options=options),
            speakers=tuple(speakers),
            minutes=MINUTES[ItemKind.CHOICE_CAMPS if split else ItemKind.NO_COMMON_GROUND],
            signals=1,
            division=1.0 - (r.w or 0.0),
        )

    # -- the official statement, missing answers, can't tell, aligned --------------------------

    def official(self, f: Foundation, result: FoundationResult, fi: Findings) -> list[AgendaItem]:
        """A manager drifting furthest from the official statement; official statements nobody
        states."""
        ref = fi.reference
        assert ref is not None
        items = []
        official = [Quote("the official statement", s, None) for s in ref.statements[:SHARED]]
        if ref.drifts is not None and ref.gap is not None:
            m = ref.drifts
            own = next(s.index for s in ref.scores if s.manager == m)
            others = [x for x in result.answered if x != m]
            note = {m: f"index {own:.2f} against the official statement"}
            quotes = official + self.side_quotes(f, "drifts furthest", (m,), others, note)
            items.append(
                AgendaItem(
                    kind=ItemKind.APART,
                    foundation=f,
                    source=OFFICIAL,
                    subject="",
                    topic=f"{_title(f)}: {m} drifts from the official statement",
                    why=(
                        f"{m} drifts furthest from the official {f.value}: index {own:.2f} "
                        f"against it, {ref.gap:.2f} below the others' mean.",
                    ),
                    quotes=tuple(quotes),
                    question=DRIFT_QUESTION.format(f=f.value),
                    speakers=(Speakers("drifts furthest", (m,)), Speakers(WHOLE_TEAM)),
                    minutes=MINUTES[ItemKind.APART],
                    signals=1,
                    division=ref.gap,
                )
            )
        if ref.unechoed:
            these = (
                "this official statement" if len(ref.unechoed) == 1 else "these official statements"
            )
            items.append(
                AgendaItem(
                    kind=ItemKind.UNECHOED,
                    foundation=f,
                    source=OFFICIAL,
                    subject="",
                    topic=f"{_title(f)}: the official statement nobody states",
                    why=(
                        f"No manager's {f.value} states {these}: no statement of the team "
                        "passes the same-idea test with it.",
                    ),
                    quotes=tuple(Quote("the official statement", s, None) for s in ref.unechoed),
                    question=UNECHOED_QUESTION.format(f=f.value),
                    speakers=(Speakers(WHOLE_TEAM),),
                    minutes=MINUTES[ItemKind.UNECHOED],
                )
            )
        return items

    def unanswered(
        self, f: Foundation, result: FoundationResult, fi: Findings | None
    ) -> AgendaItem:
        """Managers who left a foundation unanswered: they speak to the team's shared idea."""
        view = "view" if len(result.missing) == 1 else "views"
        quotes = self.shared_quotes(fi, "held by half the team or more")
        who = _names(result.missing)
        named = who if len(result.missing) <= 3 else f"{len(result.missing)} managers"
        if not result.answered:
            topic, why = f"{_title(f)}: nobody answered", f"Nobody answered {f.value}."
        elif result.index is None:
            topic = f"{_title(f)}: no answer from {named}"
            why = (
                f"{who} left {f.value} unanswered: with fewer than two answers the team has "
                "no figure on it."
            )
        else:
            topic = f"{_title(f)}: no answer from {named}"
            why = (
                f"{who} left {f.value} unanswered, so the team's figure on it "
                f"({_figure(result.index, result.index_interval)}) leaves their {view} out."
            )
        return AgendaItem(
            kind=ItemKind.UNANSWERED,
            foundation=f,
            source=WORDS,
            subject="",
            topic=topic,
            why=(why,),
            quotes=tuple(quotes),
            question=(UNANSWERED_QUESTION if quotes else UNANSWERED_ALONE_QUESTION).format(
                f=f.value
            ),
            speakers=(Speakers("no answer", result.missing),),
            minutes=MINUTES[ItemKind.UNANSWERED],
        )

    def clarify(self, f: Foundation, result: FoundationResult, fi: Findings | None) -> AgendaItem:
        """Can't tell: the furthest pair's statements side by side, to say what differs."""
        why = [_index_sentence(f, result)]
        pair = self.furthest_pair(result)
        speakers = []
        if pair is not None and (p := result.pair(*pair)) is not None:
            why.append(f"Furthest apart: {_names(pair)} (index {p.index:.2f}).")
            quotes = self.pair_quotes(f, pair, "furthest apart")
            speakers.append(Speakers("furthest apart", pair))
        else:
            quotes = self.shared_quotes(fi, "held by half the team or more")
        speakers.append(Speakers(WHOLE_TEAM))
        return AgendaItem(
            kind=ItemKind.CLARIFY,
            foundation=f,
            source=WORDS,
            subject="",
            topic=f"{_title(f)}: can't tell yet, to clarify",
            why=tuple(why),
            quotes=tuple(quotes),
            question=CLARIFY_QUESTION if quotes else CLARIFY_ALOUD_QUESTION.format(f=f.value),
            speakers=tuple(speakers),
            minutes=MINUTES[ItemKind.CLARIFY],
        )

    def confirm(self, f: Foundation, result: FoundationResult, fi: Findings | None) -> AgendaItem:
        """Aligned: the shared core in the team's words, and the choices that agree too."""
        why = [_index_sentence(f, result)]
        agreed = [
            f"{t.tradeoff.id} (r_wg {t.rwg or 0.0:.2f})"
            for t in self.report.tradeoffs
            if t.tradeoff.foundation == f and t.word == AGREED
        ] + [
            f"{r.ranking.id} (Kendall's W {r.w or 0.0:.2f}, “{r.mean_ranks[0][0]}” first)"
            for r in self.report.rankings
            if r.ranking.foundation == f and r.word == AGREED and r.mean_ranks
        ]
        if agreed:
            why.append(f"The ratings agree too: {_names(agreed)}.")
        quotes = self.shared_quotes(fi, "the shared core")
        if not quotes:
            why.append(
                "No idea is held by half the team in the same words: let each manager read "
                "their own."
            )
        return AgendaItem(
            kind=ItemKind.CONFIRM,
            foundation=f,
            source=WORDS,
            subject="",
            topic=f"{_title(f)}: confirm the shared core",
            why=tuple(why),
            quotes=tuple(quotes),
            question=CONFIRM_QUESTION.format(
                f=f.value, is_this="Are these" if f == Foundation.VALUES else "Is this"
            ),
            speakers=(Speakers(WHOLE_TEAM),),
            minutes=MINUTES[ItemKind.CONFIRM],
        )

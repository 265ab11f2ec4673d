"""What an audit produces, as plain frozen data: pair scores, per-foundation results, the
analyses' findings, the CI gate and the team report. Kept in the bottom layer so that every
format reads them without importing the auditor or the analyses."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .types import Foundation, Ranking, Team, TradeOff
from .verdict import Bands

# A statement whose closest counterpart is not even "roughly equivalent" (STS < 2.5) is
# quoted as divergent evidence.
UNMATCHED_BELOW = 2.5


@dataclass(frozen=True)
class Echo:
    """One statement and the other managers who hold its idea: the material of the consensus
    and unique findings."""

    statement: str
    author: str
    echoed_by: tuple[str, ...]
    others: int  # how many other managers answered


@dataclass(frozen=True)
class Idea:
    """One idea of a foundation: the statements that state it, with their authors, and the
    managers who hold it (a row of the idea x manager grid)."""

    statements: tuple[tuple[str, str], ...]  # (author, statement)
    authors: tuple[str, ...]  # in team order
    share: float  # of the managers who answered the foundation

    @property
    def kind(self) -> str:
        """ "core" (everyone holds it), "addition" (some) or "unique" (one manager)."""
        if self.share >= 1.0:
            return "core"
        return "unique" if len(self.authors) == 1 else "addition"


@dataclass(frozen=True)
class Standing:
    """A manager's leave-one-out figures: the evidence behind an outlier flag."""

    manager: str
    own_index: float  # mean index of the manager with each other manager
    rest_index: float  # mean index among all the other managers
    own_score: float  # the same on the STS scale
    rest_score: float

    @property
    def gap(self) -> float:
        return self.rest_index - self.own_index

    @property
    def score_gap(self) -> float:
        return self.rest_score - self.own_score


@dataclass(frozen=True)
class UnitSilos:
    """Agreement within the managers' units against agreement between them: the silo view when
    managers give a unit."""

    units: dict[str, tuple[str, ...]]
    within_index: float
    between_index: float
    within_score: float
    between_score: float

    @property
    def gap(self) -> float:
        return self.within_index - self.between_index


@dataclass(frozen=True)
class Typical:
    """A statement typical of a camp: echoed by its other members, less so by the rest."""

    statement: str
    author: str
    inside: float  # mean best similarity to the other members' answers
    outside: float  # ... and to the other groups' members' answers


@dataclass(frozen=True)
class Group:
    """A camp found from the answers alone: its members, how much they agree among themselves, and
    statements typical of it."""

    members: tuple[str, ...]
    index: float  # mean pair index inside the group
    typical: tuple[Typical, ...]


@dataclass(frozen=True)
class ReferenceScore:
    """One manager's closeness to the official statement on a foundation: the agreement index
    (as between two managers) and the statement similarity."""

    manager: str
    index: float
    score: float
    band: str
    raw: float


@dataclass(frozen=True)
class ReferenceResult:
    """One foundation against the firm's official statement: how far each manager drifts from it,
    and which official statements nobody echoes."""

    statements: tuple[str, ...]
    scores: tuple[ReferenceScore, ...]  # furthest (lowest index) first
    unechoed: tuple[str, ...]  # official statements no manager's statement states
    drifts: str | None = None  # the manager clearly below the rest (reference.DRIFT_GAP)
    gap: float | None = None  # the others' mean index minus that manager's


@dataclass(frozen=True)
class ThemePresence:
    """How present one theme is in each manager's answer to a foundation."""

    theme: str
    scores: dict[str, float]  # manager -> score (0-5) of the answer's closest statement


@dataclass(frozen=True)
class Findings:
    """What the analyses found on one foundation beyond its scores: who stands apart, silos and
    camps, the reference, themes, consensus, intervals and warnings."""

    standings: tuple[Standing, ...]
    outliers: tuple[Standing, ...]
    units: UnitSilos | None
    groups: tuple[Group, ...]
    reference: ReferenceResult | None
    themes: tuple[ThemePresence, ...]
    consensus: tuple[Echo, ...]
    unique: tuple[Echo, ...]  # ideas one manager holds alone
    interval: tuple[float, float] | None  # team score (STS), bootstrap over managers
    index_interval: tuple[float, float] | None
    warnings: tuple[str, ...]
    ideas: tuple[Idea, ...] = ()  # the idea x manager grid, most widely held first
    same_idea: str = ""  # the test of "the same idea" in words


@dataclass(frozen=True)
class Contrast:
    """Whether two foundations' team indices differ by more than noise."""

    first: Foundation
    second: Foundation
    difference: float  # index of first minus index of second
    interval: tuple[float, float] | None
    within_noise: bool


@dataclass(frozen=True)
class Check:
    """One threshold or required answer checked for CI, with the message a reader sees."""

    name: str  # e.g. "vision index", "overall index", "vision answers"
    foundation: Foundation | None
    threshold: float | None
    value: float | None
    passed: bool
    message: str


@dataclass(frozen=True)
class Gate:
    """The CI checks a run was asked for: it passes only when every check passes."""

    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed)


@dataclass(frozen=True)
class Match:
    """A statement and its closest statement on the other side: the evidence of a pair score."""

    statement: str
    best: str
    raw: float
    score: float


@dataclass(frozen=True)
class PairScore:
    """Two managers' agreement on one foundation: statement similarity, agreement index, and the
    matched statements that are its evidence."""

    a: str
    b: str
    raw: float  # symmetric best-match cosine
    score: float  # calibrated, STS scale 0-5
    band: str
    index: float  # agreement index against the domain baseline (0 unrelated firms, 1 same idea)
    a_matches: tuple[Match, ...]  # each of a's statements matched into b
    b_matches: tuple[Match, ...]

    def unmatched(self, below: float) -> tuple[tuple[Match, ...], tuple[Match, ...]]:
        """Statements of each side whose best match scores under `below`."""
        return (
            tuple(m for m in self.a_matches if m.score < below),
            tuple(m for m in self.b_matches if m.score < below),
        )


@dataclass(frozen=True)
class LargeTeamFigures:
    """What the large-team path measures instead of every pair: each manager's leave-one-out
    figures from sums, and how many pairs the team has (`pairs` lists the most divergent)."""

    method: str  # how the figures were made
    pair_count: int  # pairs in the team
    agreement_raw: dict[str, float]  # each manager's mean cosine with the others
    agreement_score: dict[str, float]  # ... on the STS scale
    agreement_index: dict[str, float]  # ... as an index
    centroid_distance: dict[str, float]


@dataclass(frozen=True)
class FoundationResult:
    """One foundation's figures. On the exact path `pairs` holds every pair; on the large-team
    path (`large` set) only the most divergent, and the per-manager figures come from sums."""

    foundation: Foundation
    answered: tuple[str, ...]  # managers with an answer, in team order
    missing: tuple[str, ...]  # managers without one: a finding, not an error
    pairs: tuple[PairScore, ...]
    score: float | None  # mean pair score; None when fewer than two answered
    raw: float | None
    band: str | None
    index: float | None  # mean pair index, floored at 0: the headline figure
    verdict: str | None  # verdict.VERDICTS, set by the auditor once the interval is known
    index_interval: tuple[float, float] | None = None  # bootstrap over managers
    large: LargeTeamFigures | None = None  # set on the large-team path

    @property
    def every_pair(self) -> bool:
        """Whether `pairs` holds every pair of the managers who answered (the exact path)."""
        return self.large is None

    @cached_property
    def _by_pair(self) -> dict[frozenset[str], PairScore]:
        return {frozenset((p.a, p.b)): p for p in self.pairs}

    def pair(self, a: str, b: str) -> PairScore | None:
        """The pair of managers a and b, in either order (looked up: teams of 100 ask
        thousands of times)."""
        return self._by_pair.get(frozenset((a, b)))

    def manager_means(self, field: str = "score") -> dict[str, float]:
        """Each answering manager's mean agreement with the others: low means stands apart
        (from the pairs, or from sums on the large-team path)."""
        if self.large is not None:
            return {
                "score": self.large.agreement_score,
                "index": self.large.agreement_index,
                "raw": self.large.agreement_raw,
            }[field]
        sums: dict[str, list[float]] = {m: [] for m in self.answered}
        for p in self.pairs:
            sums[p.a].append(getattr(p, field))
            sums[p.b].append(getattr(p, field))
        return {m: sum(v) / len(v) for m, v in sums.items() if v}

    def lowest_index(self) -> float | None:
        """The lowest manager's mean index with the others, which a verdict weighs (None with
        fewer than three answers, where one pair is all there is)."""
        means = self.manager_means("index")
        return min(means.values()) if len(means) >= 3 else None


@dataclass(frozen=True)
class Signature:
    """What a figure depends on, so a report can be reproduced and drift is visible."""

    package: str
    model: str
    model_sha256: str | None
    calibration: str
    baseline: str
    pooling: str = "model's own"  # how token vectors became statement vectors (pooling.py)
    bands: str = "none"  # version of the verdict bands (catalogue.py)


# What the ratings of one trade-off or ranking say (analysis/tradeoffs.py, docs/tradeoffs.md).
AGREED = "agreed"
PARTLY_AGREED = "partly agreed"
NOT_AGREED = "not agreed"
SPLIT = "split into camps"
CHOICE_CANT_TELL = "can't tell"
CHOICE_WORDS = (AGREED, PARTLY_AGREED, NOT_AGREED, SPLIT, CHOICE_CANT_TELL)
CHOICE_MEANINGS = {
    AGREED: "the ratings agree, beyond what chance gives a team this size (r_wg 0.70 or more)",
    PARTLY_AGREED: "the ratings agree weakly or moderately (r_wg 0.31 to 0.70)",
    NOT_AGREED: "the ratings spread as widely as answers given at random (r_wg 0.30 or less)",
    SPLIT: "two camps on opposite sides of the midpoint, nobody between",
    CHOICE_CANT_TELL: "too few ratings to tell agreement from chance",
}


@dataclass(frozen=True)
class Camp:
    """The managers on one side of a split trade-off, with their ratings."""

    pole: str  # the pole's words (TradeOff.left or .right)
    members: tuple[str, ...]
    ratings: tuple[int, ...]


@dataclass(frozen=True)
class TradeOffResult:
    """Agreement on one trade-off: where each manager places the firm, the spread, r_wg
    against random answering with its exact probability, the average deviation, and the
    camps (or the one manager at the other pole) where the ratings show them."""

    tradeoff: TradeOff
    ratings: tuple[tuple[str, int], ...]  # (manager, rating), team order
    missing: tuple[str, ...]  # managers who did not rate it
    mean: float | None
    sd: float | None  # sample standard deviation (n - 1)
    rwg: float | None  # 1 - s^2 / sigma^2_EU, 0 where the spread is wider than random
    rwg_p: float | None  # chance of agreement at least this close from random answering
    ad: float | None  # mean absolute deviation from the mean
    ad_cutoff: float  # AD at or under it: agreement (options / 6)
    reading: str  # LeBreton & Senter's words for r_wg ("strong agreement", ...)
    word: str  # CHOICE_WORDS
    camps: tuple[Camp, Camp] | None = None  # left side, right side
    apart: Camp | None = None  # one manager alone at the other pole
    hidden: bool = False  # camps found but withheld (a side under the anonymity floor)


@dataclass(frozen=True)
class RankingResult:
    """Agreement on a forced ranking: Kendall's W with its test, the mean rank of each option
    and who leads with which."""

    ranking: Ranking
    orders: tuple[tuple[str, tuple[str, ...]], ...]  # (manager, options first to last)
    missing: tuple[str, ...]
    w: float | None  # Kendall's coefficient of concordance, 0-1
    p: float | None  # chance of concordance at least this strong from random orders
    exact: bool  # p from the exact distribution (else chi-square)
    mean_rho: float | None  # mean Spearman correlation over pairs of managers
    mean_ranks: tuple[tuple[str, float], ...]  # option, mean rank (1 = led with), best first
    leads: tuple[tuple[str, tuple[str, ...]], ...]  # option, managers who rank it first
    reading: str  # Schmidt's words for W
    word: str  # CHOICE_WORDS


@dataclass(frozen=True)
class TwoSignals:
    """Where the free text and the ratings of one foundation say different things, or where
    both split and their camps can be compared."""

    foundation: Foundation
    kind: str  # WORDS_NOT_CHOICES, CHOICES_NOT_WORDS, BOTH_SPLIT
    choice: str  # the trade-off or ranking id
    message: str  # one sentence, names and ratings in it
    quotes: tuple[tuple[str, int | str, str], ...] = ()  # (manager, rating, statement quoted)
    same_camps: bool | None = None  # trade-off camps == text camps (None: nothing to compare)


WORDS_NOT_CHOICES = "the words agree but the choices do not"
CHOICES_NOT_WORDS = "the choices agree but the words do not"
BOTH_SPLIT = "the words and the choices both split"


@dataclass(frozen=True)
class TeamReport:
    """Everything an audit of one team produces, and what every format renders: per-foundation
    figures and findings, the overall figures, and what they depend on."""

    team: Team
    foundations: dict[Foundation, FoundationResult]
    overall: float | None
    overall_band: str | None
    overall_index: float | None
    overall_verdict: str | None
    signature: Signature
    overall_interval: tuple[float, float] | None = None
    bands: Bands | None = None  # the model's verdict bands (None: every verdict "can't tell")
    languages: tuple[str, ...] = ()  # languages the answers are written in, most used first
    language_warning: str | None = None  # set when the model cannot read all of them
    findings: dict[Foundation, Findings] = field(default_factory=dict)
    contrasts: tuple[Contrast, ...] = ()
    themes: tuple[str, ...] = ()
    reference: str | None = None  # the official statement's file, as given
    gate: Gate | None = None  # thresholds checked, when any were set
    anonymized: bool = False
    # The fewest managers a unit, camp or idea is broken out with (AuditOptions.min_group):
    # what a format that groups managers itself (the workshop plan) must respect too.
    min_group: int = 1
    # The trade-offs and rankings the managers rated (empty where nobody rated any: such a
    # report reads exactly as it did before trade-offs existed), and where they and the
    # words say different things.
    tradeoffs: tuple[TradeOffResult, ...] = ()
    rankings: tuple[RankingResult, ...] = ()
    signals: tuple[TwoSignals, ...] = ()

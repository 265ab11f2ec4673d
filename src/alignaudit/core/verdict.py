"""From the agreement index to the one verdict a report gives: the words and when to hold back.

Each model has its own bands (catalogue.py, data/models/<key>/bands.json): an index at or above
`aligned` reads "aligned", at or above `partly` "partly aligned", below it "not aligned". A
team figure comes with a bootstrap interval over managers (analysis/confidence.py); when that
interval reaches further than `margin` past a boundary on both sides, the data cannot tell
which side the team is on, and the verdict says "can't tell" instead of sounding sure.
A model without fitted bands gives "can't tell" everywhere. Bands may also hold a Classifier
over a foundation's pair figures (fitted by benchmarks/verdict.py --fit-classifier); no
shipped model has one yet (docs/verdict.md says why).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

ALIGNED = "aligned"
PARTLY = "partly aligned"
NOT_ALIGNED = "not aligned"
CANT_TELL = "can't tell"
VERDICTS = (ALIGNED, PARTLY, NOT_ALIGNED, CANT_TELL)
MEANINGS = {
    ALIGNED: "the managers state the same idea, in their own words",
    PARTLY: "a shared core with different additions, or part of the team apart",
    NOT_ALIGNED: "the managers hold different ideas",
    CANT_TELL: "the interval spans two verdicts: too few managers or too mixed to say",
}


@dataclass(frozen=True)
class Classifier:
    """A foundation's verdict from three figures of its pairs, where a model has one fitted:
    multinomial logistic regression over (mean pair index, share of pairs whose index reaches
    `agree`, the lowest manager's mean index with the others), one row of weights per verdict
    (aligned, partly aligned, not aligned). A mean alone cannot tell "everyone half agrees"
    from "most agree, one stands apart"; the share and the lowest manager can. The verdict is
    "can't tell" when no verdict is at least `min_probability` likely."""

    weights: tuple[tuple[float, float, float], ...]  # (3 verdicts) x (3 figures)
    intercepts: tuple[float, float, float]
    agree: float
    min_probability: float

    def probabilities(self, index: float, share: float, lowest: float) -> tuple[float, ...]:
        """Each verdict's probability (softmax of the three scores); plain floats, so the
        data model stays importable without numpy (`--help` does not load it)."""
        z = [
            sum(w * x for w, x in zip(row, (index, share, lowest), strict=True)) + b
            for row, b in zip(self.weights, self.intercepts, strict=True)
        ]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        return tuple(v / sum(e) for v in e)


def agreeing_share(pairs: Sequence[float], agree: float) -> float:
    """The share of pairs whose index reaches `agree` (a Classifier figure)."""
    return sum(p >= agree for p in pairs) / len(pairs) if len(pairs) else 0.0


@dataclass(frozen=True)
class Bands:
    """Where the index turns into verdict words, and how far an interval may straddle a
    boundary before the verdict is "can't tell"; fitted on the open evaluation teams."""

    version: str
    aligned: float  # index >= aligned: "aligned"
    partly: float  # index >= partly: "partly aligned"; below: "not aligned"
    margin: float  # can't tell: interval below boundary - margin and above boundary + margin
    source: str = ""
    # "aligned" also needs every manager's mean index with the others at or above this: a team
    # with one manager apart, or two camps, is at most "partly aligned" (0: no such check)
    everyone: float = 0.0
    # what the bands are worth, measured on labelled teams written blind and not used to fit them
    checked: str = ""
    # where fitted, a foundation's verdict comes from its pairs' figures (Classifier)
    classifier: Classifier | None = None
    # what the `aligned` band is worth as a test of "the same idea" between two statements
    # (benchmarks/same_idea.py), said beside every finding built on it
    same_idea_checked: str = ""
    # what the outlier and camp findings are worth on labelled teams (benchmarks/findings.py)
    findings_checked: str = ""


def word(index: float, bands: Bands | None) -> str:
    """The verdict word of a figure without its interval (a pair of managers)."""
    if bands is None:
        return CANT_TELL
    if index >= bands.aligned:
        return ALIGNED
    return PARTLY if index >= bands.partly else NOT_ALIGNED


def straddles(interval: tuple[float, float] | None, bands: Bands) -> bool:
    """Whether the interval reaches past a boundary by more than the margin on both sides."""
    if interval is None:
        return False
    lo, hi = interval
    boundaries = (bands.partly, bands.aligned)
    return any(lo < b - bands.margin and hi > b + bands.margin for b in boundaries)


def verdict(
    index: float | None,
    interval: tuple[float, float] | None,
    bands: Bands | None,
    lowest: float | None = None,
    pairs: Sequence[float] = (),
) -> str:
    """The one verdict of a team figure: its band word, or "can't tell". `lowest` is the
    lowest manager's mean index with the others: below `bands.everyone`, not "aligned".
    With the pairs' indices of a foundation of three or more managers and a fitted
    classifier, the classifier decides instead; where it speaks, an index below `partly`
    (fitted no lower than the index of 95% of teams of unrelated organisations) is "not
    aligned"."""
    if index is None or bands is None:
        return CANT_TELL
    if bands.classifier is not None and lowest is not None and len(pairs) >= 3:
        c = bands.classifier
        probs = c.probabilities(index, agreeing_share(pairs, c.agree), lowest)
        if max(probs) < c.min_probability:
            return CANT_TELL
        if index < bands.partly:  # no more alike than most teams of unrelated organisations
            return NOT_ALIGNED
        return (ALIGNED, PARTLY, NOT_ALIGNED)[probs.index(max(probs))]
    if straddles(interval, bands):
        return CANT_TELL
    found = word(index, bands)
    if found == ALIGNED and lowest is not None and lowest < bands.everyone:
        return PARTLY
    return found

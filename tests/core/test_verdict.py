"""The verdict words and "can't tell", on hand-made figures and intervals."""

import pytest

from alignaudit.core.verdict import (
    ALIGNED,
    CANT_TELL,
    NOT_ALIGNED,
    PARTLY,
    VERDICTS,
    Bands,
    straddles,
    verdict,
    word,
)
from alignaudit.scoring.catalogue import KEYS, tables_of

BANDS = Bands("hand", aligned=0.6, partly=0.4, margin=0.05)


@pytest.mark.parametrize(
    ("index", "expected"),
    [(0.9, ALIGNED), (0.6, ALIGNED), (0.5999, PARTLY), (0.4, PARTLY), (0.39, NOT_ALIGNED)],
)
def test_word_of_a_figure(index, expected):
    assert word(index, BANDS) == expected


def test_no_bands_means_cant_tell():
    assert word(0.99, None) == CANT_TELL
    assert verdict(0.99, (0.98, 1.0), None) == CANT_TELL
    assert verdict(None, None, BANDS) == CANT_TELL


@pytest.mark.parametrize(
    ("interval", "unsure"),
    [
        ((0.50, 0.70), True),  # 0.10 past 0.6 on both sides
        ((0.56, 0.70), False),  # only 0.04 below 0.6: within the margin
        ((0.30, 0.50), True),  # straddles 0.4
        ((0.61, 0.90), False),  # all above
        ((0.36, 0.64), False),  # 0.04 past each boundary: within the margin both times
        (None, False),  # no interval (two managers): the figure speaks alone
    ],
)
def test_cant_tell_when_the_interval_straddles_by_more_than_the_margin(interval, unsure):
    assert straddles(interval, BANDS) is unsure
    assert (verdict(0.62, interval, BANDS) == CANT_TELL) is unsure


def test_every_verdict_has_a_meaning():
    from alignaudit.core.verdict import MEANINGS

    assert set(MEANINGS) == set(VERDICTS) and len(VERDICTS) == 4


@pytest.mark.parametrize("key", KEYS)
def test_each_model_ships_ordered_bands(key):
    bands = tables_of(key).bands
    assert bands is not None, f"{key} has fitted bands"
    assert 0.0 < bands.partly < bands.aligned < 1.0
    assert 0.0 <= bands.margin < 0.5
    assert key in bands.version


def test_the_classifier_decides_from_the_pairs_and_holds_back_when_unsure():
    from alignaudit.core.verdict import Classifier, agreeing_share

    # by hand: "aligned" leans on the share of agreeing pairs, "not aligned" on its absence,
    # "partly" sits between (the lowest manager counts for "aligned" only)
    clf = Classifier(
        weights=((0.0, 10.0, 2.0), (0.0, 0.0, 0.0), (0.0, -10.0, 0.0)),
        intercepts=(-6.0, 0.0, 5.0),
        agree=0.5,
        min_probability=0.6,
    )
    bands = Bands("hand", aligned=0.6, partly=0.4, margin=0.05, classifier=clf)
    assert agreeing_share([0.9, 0.8, 0.2, 0.6], 0.5) == 0.75
    every = [0.9] * 6
    assert verdict(0.9, (0.0, 1.0), bands, lowest=0.9, pairs=every) == ALIGNED  # interval unused
    assert verdict(0.1, None, bands, lowest=0.1, pairs=[0.1] * 6) == NOT_ALIGNED
    half = [0.9, 0.9, 0.9, 0.1, 0.1, 0.1]  # share 0.5: aligned and partly close, no side sure
    p = clf.probabilities(0.5, 0.5, 0.4)
    assert sum(p) == pytest.approx(1.0) and max(p) < 0.6
    assert verdict(0.5, None, bands, lowest=0.4, pairs=half) == CANT_TELL
    # two managers (one pair) or no lowest figure: the bands decide
    assert verdict(0.9, None, bands, lowest=None, pairs=[0.9]) == ALIGNED


def test_the_legend_says_how_a_classifier_decides():
    from alignaudit.core.verdict import Classifier
    from alignaudit.formats.summary import bands_text

    clf = Classifier(((0, 0, 0),) * 3, (0, 0, 0), agree=0.5, min_probability=0.45)
    with_clf = bands_text(Bands("b", 0.6, 0.4, 0.1, classifier=clf))
    assert "share of its pairs at 0.50" in with_clf and "45%" in with_clf
    assert "past a boundary" in bands_text(Bands("b", 0.6, 0.4, 0.1))

"""The verdict words and "can't tell", on hand-made figures and intervals."""

import pytest

from alignaudit.catalogue import KEYS, tables_of
from alignaudit.verdict import (
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
    from alignaudit.verdict import MEANINGS

    assert set(MEANINGS) == set(VERDICTS) and len(VERDICTS) == 4


@pytest.mark.parametrize("key", KEYS)
def test_each_model_ships_ordered_bands(key):
    bands = tables_of(key).bands
    assert bands is not None, f"{key} has fitted bands"
    assert 0.0 < bands.partly < bands.aligned < 1.0
    assert 0.0 <= bands.margin < 0.5
    assert key in bands.version
